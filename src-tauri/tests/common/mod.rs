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
        self.respond(cmd, args)
            .map(|body| body.deserialize::<Value>().expect("responses are JSON"))
    }

    /// A command that answers with raw bytes (`tauri::ipc::Response`).
    pub fn invoke_raw(&self, cmd: &str, args: Value) -> Result<Vec<u8>, Value> {
        self.respond(cmd, args).map(|body| match body {
            tauri::ipc::InvokeResponseBody::Raw(bytes) => bytes,
            tauri::ipc::InvokeResponseBody::Json(text) => text.into_bytes(),
        })
    }

    fn respond(&self, cmd: &str, args: Value) -> Result<tauri::ipc::InvokeResponseBody, Value> {
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
    }
}

pub fn some_day() -> LocalDate {
    LocalDate::new(2026, 11, 23).expect("valid date")
}

// A real vault for the shell's tests.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use kluis_core::lock::{Clock, Now};
use kluis_vault::{KdfParams, Vault};
use secrecy::SecretString;
use tauri::ipc::{Channel, InvokeResponseBody};

pub const ADMIN: &str = "beheerder wachtwoord";
pub const OPERATOR: &str = "sanne wachtwoord";

pub const CAROL: &str =
    "minvws-DSA-WhatsApp-merger/Carol Christmas/Export Carol/WhatsApp-chat met Test export.txt";

pub fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/whatsapp/public")
        .join(path)
}

/// A vault with an operator, Sanne, in a fresh folder; `home/` beside it.
pub fn world(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("kluis-app-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("home")).unwrap();
    let (_vault, mut session, _recovery) = Vault::create(
        &root.join("vault"),
        &SecretString::from(ADMIN.to_owned()),
        KdfParams::FLOOR,
        TestClock::MONDAY_MORNING.utc,
    )
    .unwrap();
    session
        .add_operator(
            "Sanne",
            &SecretString::from(OPERATOR.to_owned()),
            KdfParams::FLOOR,
            TestClock::MONDAY_MORNING.utc,
        )
        .unwrap();
    session.lock(TestClock::MONDAY_MORNING.utc).unwrap();
    root
}

/// Runs `f` on the vault in `root` as the admin, the app not holding it
/// (as IT would with the command line), then locks it again.
pub fn as_admin<T>(root: &Path, f: impl FnOnce(&mut kluis_vault::Session) -> T) -> T {
    let vault = Vault::open(&root.join("vault")).unwrap();
    let mut session = vault
        .unlock(
            &kluis_vault::SlotOwner::Admin,
            &SecretString::from(ADMIN.to_owned()),
            TestClock::MONDAY_MORNING.utc,
        )
        .unwrap();
    let result = f(&mut session);
    session.lock(TestClock::MONDAY_MORNING.utc).unwrap();
    result
}

/// A clock the test moves (the real app's is the system's).
#[derive(Clone, Debug)]
pub struct TestClock(Arc<Mutex<Now>>);

impl TestClock {
    /// Monday 23 November 2026, 09:00 CET: inside the default shift.
    pub const MONDAY_MORNING: Now = Now {
        utc: 1_795_392_000 + 8 * 3600,
        offset: 3600,
    };

    pub fn monday_morning() -> Self {
        Self(Arc::new(Mutex::new(Self::MONDAY_MORNING)))
    }

    /// Moves the clock by `minutes` (back for a negative number).
    pub fn advance(&self, minutes: i64) {
        self.0.lock().unwrap().utc += minutes * 60;
    }
}

impl Clock for TestClock {
    fn now(&self) -> Now {
        *self.0.lock().unwrap()
    }
}

/// Every page event the app sends.
pub type Events = Arc<Mutex<Vec<Value>>>;

/// The app over the vault in `root`, its lock on `clock`.
pub fn vault_app(root: &Path, clock: TestClock) -> (TestApp, Events) {
    let state = AppState::vault(
        &root.join("vault"),
        some_day(),
        Box::new(clock),
        &root.join("home"),
    );
    let events: Events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    state.set_events(Channel::new(move |body| {
        if let InvokeResponseBody::Json(json) = body {
            sink.lock()
                .unwrap()
                .push(serde_json::from_str(&json).unwrap());
        }
        Ok(())
    }));
    (app_with(state), events)
}

pub fn unlock_as_sanne(app: &TestApp) {
    app.invoke(
        "unlock",
        serde_json::json!({ "who": { "kind": "operator", "name": "Sanne" }, "passphrase": OPERATOR }),
    )
    .unwrap();
}
