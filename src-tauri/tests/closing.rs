//! The evening's closing in the app over a real vault: the overview, the
//! seal to the stick (written, read back, verified, recorded), then the
//! day closed and the vault locked; the archive verifies the package.

mod common;

use common::{CAROL, TestClock, as_admin, fixture, unlock_as_sanne, vault_app, world};
use kluis_app::imports::import_dropped;
use kluis_app::state::AppState;
use kluis_seal::encrypt::Opener;
use kluis_seal::package::{Expect, verify};
use serde_json::json;
use tauri::Manager;

#[test]
fn the_closing_seals_the_day_to_the_stick_and_closes_it() {
    let root = world("closing");
    let stick = root.join("stick");
    let archive = age::x25519::Identity::generate();
    let public_key = as_admin(&root, |session| {
        let public =
            kluis_core::closing::prepare(session, &[archive.to_public().to_string()], None, 0)
                .unwrap();
        for (key, value) in [
            ("municipality.code", "gm0000"),
            ("municipality.name", "Gemeente Voorbeeld"),
            ("workplace", "WP01"),
            ("archive.out", stick.to_str().unwrap()),
        ] {
            kluis_core::settings::set(session, key, value, 0).unwrap();
        }
        public
    });
    let clock = TestClock::monday_morning();
    clock.advance(7 * 60 + 40); // 16:40
    let (app, events) = vault_app(&root, clock.clone());
    unlock_as_sanne(&app);
    import_dropped(&app.app.state::<AppState>(), &[fixture(CAROL)]);
    app.invoke("start_closing", json!({})).unwrap();

    // The stick is not in yet.
    let overview = app.invoke("closing_overview", json!({})).unwrap();
    assert_eq!(overview["inboxWaiting"], 0);
    assert_eq!(overview["openConversations"], 1);
    assert_eq!(overview["targetReady"], false);
    let refused = app.invoke("seal_day", json!({})).unwrap_err();
    assert_eq!(refused["kind"], "seal", "{refused}");
    assert_eq!(
        app.invoke("app_info", json!({})).unwrap()["console"]["state"],
        "open"
    );

    std::fs::create_dir_all(&stick).unwrap();
    assert_eq!(
        app.invoke("closing_overview", json!({})).unwrap()["targetReady"],
        true
    );
    let sealed = app.invoke("seal_day", json!({})).unwrap();
    assert_eq!(sealed["id"], "KLUIS-gm0000-WP01-20261123-000001");
    assert_eq!(sealed["conversations"], 1);
    assert_eq!(sealed["check"].as_str().unwrap().len(), 8);

    let info = app.invoke("app_info", json!({})).unwrap();
    assert_eq!(info["console"]["state"], "locked");
    assert_eq!(
        info["console"]["dayClosed"],
        json!({ "year": 2026, "month": 11, "day": 23 })
    );
    assert!(events.lock().unwrap().iter().any(|e| e["kind"] == "locked"));

    let package = stick.join("KLUIS-gm0000-WP01-20261123-000001.tar.age");
    let keys = [archive];
    let verified = verify(
        &package,
        &stick.join("KLUIS-gm0000-WP01-20261123-000001.tar.age.minisig"),
        Opener::Keys(&keys),
        &Expect {
            public_key,
            previous: None,
            group: Some("KLUIS-gm0000-WP01".into()),
            previous_audit: None,
        },
    )
    .unwrap();
    assert!(
        verified
            .digest
            .hex()
            .starts_with(sealed["check"].as_str().unwrap())
    );
    assert!(verified.bag.payload_files >= 6, "{:?}", verified.bag);
}

/// A seal on a vault IT has not finished setting up says which setting is
/// missing, as a kind the page words, never as command-line syntax; the
/// day stays open.
#[test]
fn a_seal_before_the_set_up_names_the_missing_setting() {
    let root = world("closing-not-set-up");
    let stick = root.join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    as_admin(&root, |session| {
        kluis_core::settings::set(session, "archive.out", stick.to_str().unwrap(), 0).unwrap();
    });
    let (app, _) = vault_app(&root, TestClock::monday_morning());
    unlock_as_sanne(&app);
    assert_eq!(
        app.invoke("seal_day", json!({})).unwrap_err(),
        json!({ "kind": "notSetUp", "setting": "municipality.code" })
    );
    let info = app.invoke("app_info", json!({})).unwrap();
    assert_eq!(info["console"]["state"], "open", "the day stays open");
}
