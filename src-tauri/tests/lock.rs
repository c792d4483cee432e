//! The lock in the app over a real vault, with a clock the test moves: the
//! unlock gate (shift hours, a reason for the admin, a closed day), the idle
//! lock, the warning and the hard lock at the end of the day, a clock set
//! back, and what a restart remembers. Ticks are fed by hand here (the real
//! app's ticker thread feeds them every second).

mod common;

use common::{ADMIN, Events, TestApp, TestClock, unlock_as_sanne, vault_app, world};
use kluis_app::locking::apply;
use kluis_app::state::{AppState, Console};
use kluis_core::lock::Event;
use kluis_vault::audit::AuditAction;
use kluis_vault::{SlotOwner, Vault};
use secrecy::SecretString;
use serde_json::{Value, json};
use tauri::Manager;

fn tick(app: &TestApp) {
    apply(&app.app.state::<AppState>(), Event::Tick);
}

fn console_state(app: &TestApp) -> Value {
    app.invoke("app_info", json!({})).unwrap()["console"].clone()
}

fn kinds(events: &Events) -> Vec<String> {
    events
        .lock()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect()
}

fn unlock(
    app: &TestApp,
    who: Value,
    passphrase: &str,
    reason: Option<&str>,
) -> Result<Value, Value> {
    app.invoke(
        "unlock",
        json!({ "who": who, "passphrase": passphrase, "reason": reason }),
    )
}

/// Makes the app let go of the vault, as quitting it would (the mock app
/// itself lives on in its threads' handles).
fn quit(app: TestApp) {
    *app.app.state::<AppState>().console_mut() =
        Console::Unavailable(kluis_app::dto::Unavailable::InUse);
}

/// The audit log's actions, oldest first, read as the admin would (after
/// the app has let go of the vault).
fn audit_actions(root: &std::path::Path, app: TestApp, at: i64) -> Vec<(AuditAction, String)> {
    quit(app);
    let vault = Vault::open(&root.join("vault")).unwrap();
    let session = vault
        .unlock(&SlotOwner::Admin, &SecretString::from(ADMIN.to_owned()), at)
        .unwrap();
    let log = kluis_vault::audit::recent(session.store(), 100).unwrap();
    let actions = log
        .iter()
        .rev()
        .map(|e| (e.action, e.detail.clone()))
        .collect();
    session.lock(at).unwrap();
    actions
}

#[test]
fn idle_locks_and_activity_keeps_it_open() {
    let root = world("lock-idle");
    let clock = TestClock::monday_morning();
    let (app, events) = vault_app(&root, clock.clone());
    unlock_as_sanne(&app);
    clock.advance(9);
    app.invoke("activity", json!({})).unwrap();
    clock.advance(9);
    tick(&app);
    assert_eq!(console_state(&app)["state"], "open");
    clock.advance(1);
    tick(&app);
    assert_eq!(console_state(&app)["state"], "locked");
    assert_eq!(
        app.invoke("list_conversations", json!({ "query": {} }))
            .unwrap_err(),
        json!({ "kind": "locked" })
    );
    let locked = events.lock().unwrap().last().cloned().unwrap();
    assert_eq!(locked, json!({ "kind": "locked", "why": "idle" }));

    let actions = audit_actions(&root, app, clock_now(&clock));
    let tail: Vec<&(AuditAction, String)> = actions.iter().rev().take(3).collect();
    assert_eq!(
        tail[1],
        &(AuditAction::Lock, "idle".to_owned()),
        "{actions:?}"
    );
    assert_eq!(tail[2].0, AuditAction::Unlock);
}

fn clock_now(clock: &TestClock) -> i64 {
    use kluis_core::lock::Clock;
    clock.now().utc
}

#[test]
fn outside_the_shift_only_the_admin_opens_with_a_reason() {
    let root = world("lock-shift");
    let clock = TestClock::monday_morning();
    clock.advance(-90); // 07:30
    let (app, _) = vault_app(&root, clock.clone());
    let info = console_state(&app);
    assert_eq!(info["outsideShift"], true);
    assert_eq!(
        info["shifts"],
        "ma 08:00-17:00, di 08:00-17:00, wo 08:00-17:00, do 08:00-17:00, vr 08:00-17:00"
    );
    let sanne = json!({ "kind": "operator", "name": "Sanne" });
    assert_eq!(
        unlock(&app, sanne.clone(), common::OPERATOR, None).unwrap_err(),
        json!({ "kind": "outsideShift" })
    );
    assert_eq!(console_state(&app)["state"], "locked");
    let admin = json!({ "kind": "admin" });
    assert_eq!(
        unlock(&app, admin.clone(), ADMIN, Some("  ")).unwrap_err(),
        json!({ "kind": "reasonNeeded" })
    );
    unlock(&app, admin, ADMIN, Some("storing inbox")).unwrap();
    assert_eq!(console_state(&app)["state"], "open");
    app.invoke("lock", json!({})).unwrap();

    let actions = audit_actions(&root, app, clock_now(&clock));
    // After the world's own set-up (its first lock).
    let details: Vec<String> = actions[3..]
        .iter()
        .filter(|(a, _)| matches!(a, AuditAction::Lock | AuditAction::Override))
        .map(|(a, d)| format!("{} {d}", a.name()))
        .collect();
    assert_eq!(
        details,
        [
            "lock unlock refused: outside the shift hours",
            "lock unlock refused: outside the shift hours or after the closing, no reason given",
            "override outside the shift: storing inbox",
            "lock by hand",
        ]
    );
}

#[test]
fn the_end_of_the_day_warns_then_closes_and_nothing_reopens_it() {
    let root = world("lock-end");
    let clock = TestClock::monday_morning();
    clock.advance(7 * 60 + 45); // 16:45
    let (app, events) = vault_app(&root, clock.clone());
    unlock_as_sanne(&app);
    tick(&app);
    assert!(kinds(&events).contains(&"closingSoon".to_owned()));
    assert!(
        events
            .lock()
            .unwrap()
            .contains(&json!({ "kind": "closingSoon", "closingAt": { "hour": 17, "minute": 0 } }))
    );
    // The state says it too, for a page that missed the event.
    assert_eq!(
        console_state(&app)["closingAt"],
        json!({ "hour": 17, "minute": 0 })
    );
    for _ in 0..3 {
        clock.advance(9);
        app.invoke("activity", json!({})).unwrap();
    }
    // 17:12: in the grace period, still open; 17:15: the hard lock.
    assert_eq!(console_state(&app)["state"], "open");
    clock.advance(3);
    tick(&app);
    let info = console_state(&app);
    assert_eq!(info["state"], "locked");
    assert_eq!(
        info["dayClosed"],
        json!({ "year": 2026, "month": 11, "day": 23 })
    );
    assert_eq!(events.lock().unwrap().last().unwrap()["why"], "dayClosed");
    let sanne = json!({ "kind": "operator", "name": "Sanne" });
    assert_eq!(
        unlock(&app, sanne.clone(), common::OPERATOR, None).unwrap_err(),
        json!({ "kind": "dayClosed", "day": { "year": 2026, "month": 11, "day": 23 } })
    );
    // The admin opens the closed day with a reason; it stays closed.
    unlock(
        &app,
        json!({ "kind": "admin" }),
        ADMIN,
        Some("nog één ding"),
    )
    .unwrap();
    assert_eq!(console_state(&app)["state"], "open");
    app.invoke("lock", json!({})).unwrap();
    assert_eq!(
        console_state(&app)["dayClosed"],
        json!({ "year": 2026, "month": 11, "day": 23 })
    );
    assert_eq!(
        unlock(&app, sanne.clone(), common::OPERATOR, None).unwrap_err(),
        json!({ "kind": "dayClosed", "day": { "year": 2026, "month": 11, "day": 23 } })
    );

    // The clock set back to the morning opens nothing, and says so.
    clock.advance(-8 * 60);
    tick(&app);
    assert!(
        events
            .lock()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "clockSetBack")
    );
    assert_eq!(
        unlock(&app, sanne.clone(), common::OPERATOR, None).unwrap_err(),
        json!({ "kind": "dayClosed", "day": { "year": 2026, "month": 11, "day": 23 } })
    );

    // A restart remembers the closed day before anyone unlocks.
    quit(app);
    let (app, events) = vault_app(&root, clock.clone());
    assert_eq!(
        console_state(&app)["dayClosed"],
        json!({ "year": 2026, "month": 11, "day": 23 })
    );

    // The next morning opens as usual; what happened while locked is in
    // the audit log.
    clock.advance(24 * 60 - 15); // from Monday 09:15 (set back) to Tuesday 09:00
    tick(&app);
    // The lock screen hears that it may offer the unlock again.
    assert!(kinds(&events).contains(&"lockScreenChanged".to_owned()));
    assert_eq!(console_state(&app)["dayClosed"], serde_json::Value::Null);
    unlock(&app, sanne, common::OPERATOR, None).unwrap();
    app.invoke("lock", json!({})).unwrap();
    let actions = audit_actions(&root, app, clock_now(&clock));
    let names: Vec<&str> = actions.iter().map(|(a, _)| a.name()).collect();
    let from_close = names.iter().position(|n| *n == "day_closed").unwrap();
    assert!(names[from_close..].contains(&"clock_set_back"), "{names:?}");
    assert!(names[from_close..].contains(&"new_day"), "{names:?}");
}
