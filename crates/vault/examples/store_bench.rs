//! Stores an export and searches it, encrypted and plain, side by side.
//!
//! `cargo run --release -p kluis-vault --features bench-plain --example store_bench -- EXPORT.txt [DIR]`
//!
//! Prints messages stored per second (one transaction, index included) for
//! SQLCipher and for plain SQLite with the same schema and tuning, then the
//! median and 95th percentile of searches for the most frequent words and
//! for phrases. `make bench` runs it on the 1,000,000-message exports.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kluis_vault::store::{Keying, MessageKind, NewMessage, SearchQuery, Store};
use kluis_vault::{DataKey, LocalTime};
use whatsapp_export::{Kind, Message};

fn main() {
    let mut args = std::env::args_os().skip(1);
    let export = PathBuf::from(args.next().expect("usage: store_bench EXPORT.txt [DIR]"));
    let dir = args.next().map_or_else(
        || std::env::temp_dir().join("kluis-store-bench"),
        PathBuf::from,
    );
    let bytes = std::fs::read(&export).expect("read the export");
    let parsed = whatsapp_export::parse(&bytes).expect("parse the export");
    let messages = parsed.messages;
    let name = export
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let mut out = std::io::stdout().lock();
    writeln!(out, "{name}: {} messages", messages.len()).unwrap();

    let key = DataKey::generate().expect("random key");
    let mut figures = Vec::new();
    for (label, keying) in [
        ("sqlcipher", Keying::Encrypted(&key)),
        ("plain", Keying::PlainForComparison),
    ] {
        let db = fresh(&dir, label);
        let mut store = Store::open(&db, keying).expect("open");
        let started = Instant::now();
        store_all(&mut store, &messages);
        let took = started.elapsed();
        let rate = messages.len() as f64 / took.as_secs_f64();
        let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0)
            + std::fs::metadata(db.with_extension("db-wal"))
                .map(|m| m.len())
                .unwrap_or(0);
        writeln!(
            out,
            "store {label:>9}: {:.2} s, {rate:.0} msg/s, {:.0} MB",
            took.as_secs_f64(),
            size as f64 / 1e6
        )
        .unwrap();
        figures.push((label, rate, store));
    }
    let ratio = figures[1].1 / figures[0].1;
    writeln!(out, "encryption costs {ratio:.2}x the plain store").unwrap();

    let words = frequent_words(&messages, 10);
    let phrases = phrases(&messages, 10);
    for (label, _, store) in &figures {
        for (what, queries) in [("frequent word", &words), ("phrase", &phrases)] {
            let mut times = Vec::new();
            for _ in 0..5 {
                for query in queries.iter() {
                    let parsed = SearchQuery::parse(query).expect("query");
                    let started = Instant::now();
                    let hits = store.search(&parsed, 50).expect("search");
                    times.push(started.elapsed());
                    assert!(!hits.is_empty(), "no hit for a word taken from the export");
                }
            }
            times.sort();
            let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
            writeln!(
                out,
                "search {label:>9}, {what:>13}: p50 {} p95 {} max {}",
                ms(at(0.5)),
                ms(at(0.95)),
                ms(at(1.0))
            )
            .unwrap();
        }
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn fresh(dir: &Path, label: &str) -> PathBuf {
    let dir = dir.join(label);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("bench dir");
    dir.join("kluis.db")
}

fn store_all(store: &mut Store, messages: &[Message<'static>]) {
    let mut writer = store.write().expect("begin");
    let conversation = writer.add_conversation("bench", 0).expect("conversation");
    for message in messages {
        let t = message.timestamp;
        let at = LocalTime::from_parts(
            i32::from(t.year),
            t.month,
            t.day,
            t.hour,
            t.minute,
            t.second,
        )
        .expect("a real date");
        let kind = match message.kind {
            Kind::System => MessageKind::System,
            Kind::Deleted => MessageKind::Deleted,
            Kind::Media => MessageKind::Media,
            Kind::Message => MessageKind::Text,
        };
        writer
            .add_message(
                conversation,
                &NewMessage {
                    at,
                    author: message.author.as_deref(),
                    kind,
                    text: &message.text,
                    attachment: message.attachment.as_deref(),
                },
            )
            .expect("store");
    }
    writer.commit().expect("commit");
}

fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
}

fn frequent_words(messages: &[Message<'static>], n: usize) -> Vec<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for message in messages.iter().step_by(10) {
        for word in tokens(&message.text) {
            *counts.entry(word).or_default() += 1;
        }
    }
    let mut ranked: Vec<_> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.into_iter().take(n).map(|(w, _)| w).collect()
}

/// Two adjacent words, taken from messages spread over the export.
fn phrases(messages: &[Message<'static>], n: usize) -> Vec<String> {
    let step = (messages.len() / (n * 3)).max(1);
    messages
        .iter()
        .step_by(step)
        .filter_map(|m| {
            let words: Vec<&str> = m.text.split_whitespace().collect();
            words.windows(2).find_map(|pair| {
                let plain =
                    |w: &str| w.chars().count() >= 3 && w.chars().all(char::is_alphanumeric);
                (plain(pair[0]) && plain(pair[1])).then(|| format!("\"{} {}\"", pair[0], pair[1]))
            })
        })
        .take(n)
        .collect()
}
