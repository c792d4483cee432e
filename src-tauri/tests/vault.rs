//! The console over a real vault (SQLCipher, Argon2id, blobs on disk): the
//! lock screen, unlocking, a drop, the inbox watched while unlocked, and the
//! quarantine, through the commands the webview calls. Tauri's mock runtime
//! stands in for the window only; the end-to-end tests drive the real one.

mod common;

use std::fs;
use std::time::{Duration, Instant};

use common::{CAROL, OPERATOR, TestClock, fixture, unlock_as_sanne, vault_app, world};
use kluis_app::imports::import_dropped;
use kluis_app::state::AppState;
use serde_json::{Value, json};
use tauri::Manager;

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["chatName"].as_str().unwrap().to_owned())
        .collect()
}

/// Waits (up to 30 s: the inbox lets a file settle 2 s) until `done`.
fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "waited in vain for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn locked_the_console_shows_nothing_and_a_wrong_passphrase_is_counted() {
    let root = world("locked");
    let (app, _) = vault_app(&root, TestClock::monday_morning());
    let info = app.invoke("app_info", json!({})).unwrap();
    assert_eq!(info["console"]["state"], "locked");
    assert_eq!(
        info["console"]["whoCanUnlock"],
        json!([{ "kind": "operator", "name": "Sanne" }, { "kind": "admin" }, { "kind": "recovery" }])
    );
    assert_eq!(info["municipality"], Value::Null);
    for (cmd, args) in [
        ("list_conversations", json!({ "query": {} })),
        ("open_conversation", json!({ "id": 1 })),
        ("inbox", json!({})),
    ] {
        assert_eq!(
            app.invoke(cmd, args).unwrap_err(),
            json!({ "kind": "locked" }),
            "{cmd}"
        );
    }

    let wrong = app
        .invoke(
            "unlock",
            json!({ "who": { "kind": "operator", "name": "Sanne" }, "passphrase": "raden" }),
        )
        .unwrap_err();
    assert_eq!(wrong["kind"], "wrongPassphrase");
    assert_eq!(wrong["failures"], 1);
    let info = app.invoke("app_info", json!({})).unwrap();
    assert_eq!(info["console"]["failedUnlocks"], 1);

    let nobody = app
        .invoke(
            "unlock",
            json!({ "who": { "kind": "operator", "name": "Piet" }, "passphrase": OPERATOR }),
        )
        .unwrap_err();
    assert_eq!(nobody["kind"], "vault", "{nobody}");
}

#[test]
fn a_drop_imports_in_place_and_the_list_shows_it_until_locked() {
    let root = world("drop");
    let (app, _) = vault_app(&root, TestClock::monday_morning());
    let state = app.app.state::<AppState>();

    // Locked, a drop reads nothing and says why.
    let locked = serde_json::to_value(import_dropped(&state, &[fixture(CAROL)])).unwrap();
    assert_eq!(locked["exports"][0]["outcome"]["kind"], "failed");
    assert_eq!(
        locked["exports"][0]["outcome"]["problem"],
        json!({ "kind": "notOpen" })
    );

    unlock_as_sanne(&app);
    let info = app.invoke("app_info", json!({})).unwrap();
    assert_eq!(
        info["console"],
        json!({ "state": "open", "who": { "kind": "operator", "name": "Sanne" }, "closingAt": null })
    );

    let not_an_export = root.join("boodschappen.txt");
    fs::write(&not_an_export, "melk\nbrood\n").unwrap();
    let batch = serde_json::to_value(import_dropped(
        &state,
        &[fixture(CAROL), not_an_export.clone()],
    ))
    .unwrap();
    assert_eq!(batch["via"], "drop");
    let carol = &batch["exports"][0];
    assert_eq!(carol["fileName"], "WhatsApp-chat met Test export.txt");
    assert_eq!(carol["outcome"]["kind"], "imported");
    assert_eq!(carol["outcome"]["chatName"], "Test export");
    assert_eq!(carol["outcome"]["newConversation"], true);
    let new = carol["outcome"]["newMessages"].as_u64().unwrap();
    assert!(new > 50, "{carol}");
    assert_eq!(carol["outcome"]["already"], 0);
    let refused = &batch["exports"][1];
    assert_eq!(refused["fileName"], "boodschappen.txt");
    assert_eq!(refused["outcome"]["kind"], "refused");
    assert_eq!(refused["outcome"]["problem"]["kind"], "noMessages");
    // A dropped file stays where it was, imported or not.
    assert!(fixture(CAROL).is_file() && not_an_export.is_file());

    let again = serde_json::to_value(import_dropped(&state, &[fixture(CAROL)])).unwrap();
    assert_eq!(again["exports"][0]["outcome"]["newMessages"], 0);
    assert_eq!(again["exports"][0]["outcome"]["already"], new);

    let list = app
        .invoke("list_conversations", json!({ "query": {} }))
        .unwrap();
    assert_eq!(names(&list), ["Test export"]);
    assert_eq!(list[0]["messageCount"], new);
    assert_eq!(list[0]["state"], json!({ "kind": "new" }));
    // Search: a name, a word still being typed, a word in no message.
    for (query, expect) in [
        ("test exp", 1),
        ("versleut", 1),
        ("Nederl", 1),
        ("zwembad", 0),
    ] {
        let found = app
            .invoke("search", json!({ "find": { "text": query } }))
            .unwrap();
        assert_eq!(
            found["conversations"].as_array().unwrap().len(),
            expect,
            "{query}"
        );
    }
    let no_date = json!({ "text": "test", "from": { "year": 2026, "month": 2, "day": 31 } });
    let refused = app
        .invoke("search", json!({ "find": no_date }))
        .unwrap_err();
    assert_eq!(refused["kind"], "noSuchDate");

    let id = list[0]["id"].as_u64().unwrap();
    let view = app
        .invoke("open_conversation", json!({ "id": id }))
        .unwrap();
    let messages = view["messages"].as_array().unwrap();
    assert_eq!(messages.len() as u64, new);
    assert_eq!(messages[0]["sender"], "system");
    assert_eq!(messages[3]["author"], "Alice");
    assert_eq!(messages[3]["text"], "Hoi, ik heb de chat gemaakt");
    assert_eq!(
        messages[3]["at"],
        json!({ "year": 2022, "month": 5, "day": 2, "hour": 16, "minute": 8, "second": 0 })
    );
    // A group, and no account name set: nobody is told apart as the municipality.
    assert_eq!(messages[3]["sender"], "citizen");

    app.invoke("lock", json!({})).unwrap();
    assert_eq!(
        app.invoke("list_conversations", json!({ "query": {} }))
            .unwrap_err(),
        json!({ "kind": "locked" })
    );
    assert_eq!(
        app.invoke("app_info", json!({})).unwrap()["console"]["state"],
        "locked"
    );
}

#[test]
fn unlocked_the_inbox_is_watched_and_refused_files_show_in_the_quarantine() {
    let root = world("inbox");
    let (app, events) = vault_app(&root, TestClock::monday_morning());
    unlock_as_sanne(&app);
    let inbox = root.join("home/Kluis-inbox");
    // There when the unlock returns: a file put there at once is not lost
    // to a race with the watcher's thread (it was, on a busy machine).
    assert!(inbox.is_dir() && root.join("home/Kluis-quarantine").is_dir());
    let view = app.invoke("inbox", json!({})).unwrap();
    assert_eq!(view["dir"], inbox.display().to_string());
    assert_eq!(view["quarantined"], json!([]));

    fs::copy(
        fixture(CAROL),
        inbox.join("WhatsApp-chat met Test export.txt"),
    )
    .unwrap();
    fs::write(
        inbox.join("WhatsApp-chat met Kapot.zip"),
        b"PK\x03\x04 no zip at all",
    )
    .unwrap();
    wait_for("the export to be imported and the plaintext wiped", || {
        app.invoke("list_conversations", json!({ "query": {} }))
            .is_ok_and(|list| names(&list) == ["Test export"])
            && !inbox.join("WhatsApp-chat met Test export.txt").exists()
    });
    // The broken zip is waited for (it may still be copying) before it is
    // refused: a minute. What matters here is that it is not lost meanwhile.
    assert!(inbox.join("WhatsApp-chat met Kapot.zip").exists());

    let not_an_export = inbox.join("notities.txt");
    fs::write(&not_an_export, "geen chat\n").unwrap();
    wait_for("the quarantine to show the refused file", || {
        app.invoke("inbox", json!({})).unwrap()["quarantined"]
            .as_array()
            .is_some_and(|q| q.len() == 1)
    });
    let view = app.invoke("inbox", json!({})).unwrap();
    assert_eq!(view["quarantined"][0]["name"], "notities.txt");
    assert_eq!(view["quarantined"][0]["problem"]["kind"], "noMessages");
    assert!(root.join("home/Kluis-quarantine/notities.txt").is_file());
    // The page hears of the pass once it is done (the move comes first).
    wait_for("the page to hear of the refused file", || {
        events
            .lock()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "imported")
            .count()
            >= 2
    });

    let events = events.lock().unwrap().clone();
    let imported: Vec<&Value> = events.iter().filter(|e| e["kind"] == "imported").collect();
    assert!(imported.iter().all(|e| e["via"] == "inbox"), "{imported:?}");
    let outcomes: Vec<&Value> = imported
        .iter()
        .flat_map(|e| e["exports"].as_array().unwrap())
        .map(|x| &x["outcome"]["kind"])
        .collect();
    assert_eq!(
        outcomes,
        [&json!("imported"), &json!("refused")],
        "{events:?}"
    );

    // Locked, the watcher stops: a new file stays untouched.
    app.invoke("lock", json!({})).unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let later = inbox.join("WhatsApp-chat met Later.txt");
    fs::copy(fixture(CAROL), &later).unwrap();
    std::thread::sleep(Duration::from_secs(4));
    assert!(later.is_file(), "imported while locked");
}

#[test]
fn a_file_comes_as_raw_bytes_only_for_the_open_conversation() {
    let root = world("media");
    let (app, _) = vault_app(&root, TestClock::monday_morning());
    let state = app.app.state::<AppState>();
    unlock_as_sanne(&app);
    let zip = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/whatsapp/kluis/WhatsApp-chat met Eva Jansen.zip");
    import_dropped(&state, &[zip]);
    let list = app
        .invoke("list_conversations", json!({ "query": {} }))
        .unwrap();
    let id = list[0]["id"].as_i64().unwrap();
    // Not opened yet: refused, with its reason.
    let refused = app
        .invoke_raw("media", json!({ "id": id, "media": 1 }))
        .unwrap_err();
    assert_eq!(
        refused,
        json!({ "kind": "media", "problem": { "kind": "notOpen" } })
    );
    let view = app
        .invoke("open_conversation", json!({ "id": id }))
        .unwrap();
    let photo = view["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|m| m["media"].as_object().filter(|f| f["kind"] == "image"))
        .unwrap()
        .clone();
    assert_eq!(photo["mime"], "image/jpeg");
    let bytes = app
        .invoke_raw("media", json!({ "id": id, "media": photo["id"] }))
        .unwrap();
    assert_eq!(&bytes[..3], &[0xff, 0xd8, 0xff], "a JPEG, as raw bytes");
    app.invoke("lock", json!({})).unwrap();
    let locked = app
        .invoke_raw("media", json!({ "id": id, "media": photo["id"] }))
        .unwrap_err();
    assert_eq!(locked, json!({ "kind": "locked" }));
    drop(app);
    let _ = fs::remove_dir_all(root);
}
