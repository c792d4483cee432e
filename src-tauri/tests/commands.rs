//! The commands as the webview calls them, over Tauri's real IPC layer.

mod common;

use common::{demo_app, some_day};
use serde_json::json;

#[test]
fn list_filters_and_orders_as_asked() {
    let app = demo_app(some_day());
    let names = |query: serde_json::Value| -> Vec<String> {
        app.invoke("list_conversations", json!({ "query": query }))
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["chatName"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = app
        .invoke(
            "list_conversations",
            json!({ "query": { "order": "newest" } }),
        )
        .unwrap();
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 7);
    // The missed call at 11:02 is the latest activity of the demo day.
    assert_eq!(all[0]["chatName"], "+31 6 0000 0007");
    assert_eq!(
        all[0]["lastActivity"],
        json!({ "year": 2026, "month": 11, "day": 23, "hour": 11, "minute": 2, "second": 0 })
    );
    assert_eq!(all[0]["state"], json!({ "kind": "new" }));
    assert_eq!(all[6]["chatName"], "Eva Demo");
    let found = app
        .invoke("search", json!({ "find": { "text": "LANTAARNPAAL" } }))
        .unwrap();
    assert_eq!(found["conversations"][0]["chatName"], "Anna Voorbeeld");
    assert_eq!(found["conversations"].as_array().unwrap().len(), 1);
    assert_eq!(names(json!({ "label": "paspoort" })), ["+31 6 0000 0003"]);
    assert_eq!(
        names(json!({ "state": "resolved", "order": "name" })),
        ["Carla Proefmans 🌷", "Eva Demo"]
    );
}

#[test]
fn a_case_changes_over_ipc_and_a_refusal_says_which_rule() {
    let app = demo_app(some_day());
    let changed = app
        .invoke(
            "change_case",
            json!({ "ids": [1, 2], "change": { "kind": "label", "name": "WMO", "on": true } }),
        )
        .unwrap();
    assert_eq!(changed, 2);
    let view = app.invoke("open_conversation", json!({ "id": 2 })).unwrap();
    assert!(view["labels"].as_array().unwrap().contains(&json!("WMO")));
    let refused = app
        .invoke(
            "change_case",
            json!({ "ids": [1], "change": { "kind": "reference", "reference": "Z-1" } }),
        )
        .unwrap_err();
    assert_eq!(
        refused,
        json!({ "kind": "case", "problem": { "kind": "referenceMismatch", "pattern": "M\\d{4}-\\d{6}" } })
    );
    let suggested = app
        .invoke("suggest_replies", json!({ "id": 1, "typed": "/bed" }))
        .unwrap();
    assert_eq!(suggested[0]["shortcode"], "bedankt");
    assert!(
        suggested[0]["text"]
            .as_str()
            .unwrap()
            .contains("M2026-000101")
    );
}

#[test]
fn open_returns_every_message_in_export_order() {
    let app = demo_app(some_day());
    let view = app.invoke("open_conversation", json!({ "id": 1 })).unwrap();
    assert_eq!(view["chatName"], "Anna Voorbeeld");
    assert_eq!(view["reference"], "M2026-000101");
    let messages = view["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 5);
    assert_eq!(messages[0]["sender"], "system");
    assert_eq!(messages[0]["author"], serde_json::Value::Null);
    assert_eq!(messages[4]["sender"], "municipality");
    assert!(
        messages[4]["text"]
            .as_str()
            .unwrap()
            .contains("\nGroet, Sanne")
    );
}

#[test]
fn bad_arguments_are_refused_with_a_clear_error() {
    let app = demo_app(some_day());
    let missing = app
        .invoke("open_conversation", json!({ "id": 999 }))
        .unwrap_err();
    assert_eq!(
        missing,
        json!({ "kind": "conversationNotFound", "id": 999 })
    );

    let wrong_type = app
        .invoke("open_conversation", json!({ "id": "1; DROP" }))
        .unwrap_err();
    assert!(
        wrong_type.as_str().unwrap().contains("invalid type"),
        "{wrong_type}"
    );

    let no_query = app.invoke("list_conversations", json!({})).unwrap_err();
    let not_a_change = app
        .invoke(
            "change_case",
            json!({ "ids": [1], "change": { "kind": "delete" } }),
        )
        .unwrap_err();
    assert!(
        not_a_change.as_str().unwrap().contains("unknown variant"),
        "{not_a_change}"
    );
    assert!(
        no_query
            .as_str()
            .unwrap()
            .contains("missing required key query"),
        "{no_query}"
    );
}
