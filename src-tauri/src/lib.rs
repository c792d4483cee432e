//! The Kluis desktop shell: adapts Tauri to `kluis-core` and nothing more.
//!
//! Rules belong in the domain crates; this crate only wires windows, commands
//! and plugins, turns domain types into the DTOs the webview sees
//! ([`dto`]), and keeps the webview closed to everything but the app itself
//! ([`navigation`], the CSP and the capability files).

pub mod clipboard;
pub mod commands;
pub mod dto;
pub mod imports;
pub mod locking;
pub mod logging;
pub mod navigation;
pub mod os_lock;
pub mod state;

use tauri::Manager;

/// The label of the one window; capabilities are granted to it by label.
pub const MAIN_WINDOW: &str = "main";

/// Registers the app's commands; shared by [`run`] and the tests so that
/// both see exactly the same handler.
pub fn with_commands<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::app_info,
        commands::unlock,
        commands::lock,
        commands::activity,
        commands::start_closing,
        commands::closing_overview,
        commands::seal_day,
        commands::list_conversations,
        commands::search,
        commands::open_conversation,
        commands::media,
        commands::change_case,
        commands::case_catalogue,
        commands::suggest_replies,
        commands::copy_reply,
        commands::withdraw_reply,
        commands::handovers,
        commands::inbox,
        commands::page_events,
    ])
}

/// Starts the app; returns when the last window closes.
pub fn run() {
    // Before anything holds a key or a citizen's word: no core dump, and
    // no other process of the user reads this one's memory.
    let hardened = kluis_core::hardening::harden();
    // A second start must not open the vault twice: it hands over to the
    // first process, which brings its window forward, and exits. Registered
    // first, as the plugin requires.
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            tracing::info!("second start: focusing the running window");
            if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }))
        .plugin(navigation::guard())
        .setup(move |app| {
            let log_dir = logging::log_dir(app.path().app_log_dir().ok());
            logging::init(log_dir.as_deref())?;
            tracing::info!(version = env!("CARGO_PKG_VERSION"), "Kluis starting");
            if let Err(why) = &hardened {
                tracing::warn!(why = %why, "the process could not be hardened");
            }
            let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
            let vault_dir = state::vault_dir(
                &args,
                std::env::var_os("KLUIS_VAULT"),
                app.path().app_data_dir().ok(),
            );
            let home =
                std::env::var_os("HOME").map_or_else(|| "/".into(), std::path::PathBuf::from);
            app.manage(state::AppState::vault(
                &vault_dir,
                state::today_from_system_clock(),
                Box::new(kluis_core::desk::SystemClock),
                &home,
            ));
            locking::start_ticker(app.handle().clone());
            os_lock::watch(app.handle());
            open_main_window(app)?;
            Ok(())
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(drop) = event {
                imports::on_drag_drop(window.app_handle(), drop);
            }
        });
    with_commands(builder)
        .run(tauri::generate_context!())
        .expect("the Tauri runtime failed to start");
}

/// The main window is declared in tauri.conf.json with `create: false` and
/// built here, after the state it needs exists.
fn open_main_window(app: &mut tauri::App) -> tauri::Result<()> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN_WINDOW)
        .cloned()
        .ok_or_else(|| tauri::Error::WindowNotFound)?;
    // The web inspector would show the page's memory (citizen text):
    // only the tests' builds may have it.
    tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
        .devtools(cfg!(feature = "test-hooks"))
        .build()?;
    Ok(())
}
