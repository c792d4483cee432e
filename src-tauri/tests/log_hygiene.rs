//! The logging rule, checked: known citizen strings go through every command
//! with logging at TRACE, and none of them reaches the log, while the commands
//! themselves do.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{demo_app, some_day};
use serde_json::json;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

#[derive(Clone, Debug, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[test]
fn no_citizen_data_reaches_the_log_at_any_level() {
    let log = Captured::default();
    let subscriber = kluis_app::logging::subscriber(log.clone(), EnvFilter::new("trace"));
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let app = demo_app(some_day());
    let canary = "Zeynep Kanarie +31 6 9876 5432";
    app.invoke("app_info", json!({})).unwrap();
    app.invoke("search", json!({ "find": { "text": canary } }))
        .unwrap();
    let all = app
        .invoke("list_conversations", json!({ "query": {} }))
        .unwrap();
    let mut citizen_strings = vec![canary.to_owned()];
    for summary in all.as_array().unwrap() {
        let view = app
            .invoke("open_conversation", json!({ "id": summary["id"] }))
            .unwrap();
        citizen_strings.push(view["chatName"].as_str().unwrap().to_owned());
        for m in view["messages"].as_array().unwrap() {
            // A file's message may have no caption: its file's name instead.
            citizen_strings.push(m["text"].as_str().unwrap().to_owned());
            if let Some(name) = m["media"]["fileName"].as_str() {
                citizen_strings.push(name.to_owned());
            }
        }
        citizen_strings.retain(|s| !s.is_empty());
    }
    app.invoke("open_conversation", json!({ "id": 4242 }))
        .unwrap_err();
    // The case's words: a note, a handover note, an entry, a reply set out
    // (with no display the clipboard refuses, and nothing is recorded).
    for change in [
        json!({ "kind": "note", "text": canary }),
        json!({ "kind": "handover", "text": canary }),
        json!({ "kind": "entry", "entry": "call", "at": null, "text": canary }),
        json!({ "kind": "reference", "reference": canary }),
    ] {
        let _ = app.invoke("change_case", json!({ "ids": [1], "change": change }));
    }
    let _ = app.invoke("copy_reply", json!({ "id": 1, "text": canary }));
    app.invoke("suggest_replies", json!({ "id": 1, "typed": "/" }))
        .unwrap();

    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    // The log is not empty: the commands were traced...
    for command in [
        "app_info",
        "list_conversations",
        "search",
        "open_conversation",
        "change_case",
        "copy_reply",
    ] {
        assert!(text.contains(command), "{command} left no trace:\n{text}");
    }
    assert!(
        text.contains("query_chars=30"),
        "counts are logged:\n{text}"
    );
    // ...but nothing of what the citizens wrote, nor any word of 5+ letters of it.
    for s in &citizen_strings {
        assert!(
            !text.contains(s.as_str()),
            "log contains citizen text {s:?}:\n{text}"
        );
        for word in s
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 5)
        {
            assert!(
                !text.contains(word),
                "log contains the word {word:?}:\n{text}"
            );
        }
    }
    // The number's parts, but not four digits alone: a process id or a
    // duration in the log may hold them by chance.
    for fragment in ["Zeynep", "Kanarie", "9876 5432", "98765432"] {
        assert!(
            !text.contains(fragment),
            "log contains {fragment:?}:\n{text}"
        );
    }
}
