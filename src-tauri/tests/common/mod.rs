//! A real app with the real command handler on Tauri's mock runtime (no
//! window system needed); the end-to-end tests in `tests/e2e` drive the real
//! window.

#![allow(dead_code)] // each test binary uses part of this module

use kluis_app::state::AppState;
use kluis_core::LocalDate;
use serde_json::Value;
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tauri::{App, WebviewWindow};

#[derive(Debug)]
pub struct TestApp {
    pub app: App<MockRuntime>,
    pub window: WebviewWindow<MockRuntime>,
}

/// The demo console as of `today`.
pub fn demo_app(today: LocalDate) -> TestApp {
    app_with(AppState::demo(today))
}

/// An app over `state`.
pub fn app_with(state: AppState) -> TestApp {
    let app = kluis_app::with_commands(mock_builder())
        .manage(state)
        .build(mock_context(noop_assets()))
        .expect("mock app builds");
    let window = tauri::WebviewWindowBuilder::new(&app, kluis_app::MAIN_WINDOW, Default::default())
        .build()
        .expect("mock window builds");
    TestApp { app, window }
}

impl TestApp {
    /// Invokes `cmd` as the webview would; `Err` carries the command's error.
    pub fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = tauri::webview::InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("static URL"),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request)
            .map(|body| body.deserialize::<Value>().expect("responses are JSON"))
    }
}

pub fn some_day() -> LocalDate {
    LocalDate::new(2026, 11, 23).expect("valid date")
}
