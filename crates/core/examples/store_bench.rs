//! Stores an export and searches it, encrypted and plain, side by side.
//!
//! `cargo run --release -p kluis-core --features bench-plain --example store_bench -- EXPORT.txt [DIR] [--quick]`
//!
//! `--quick` (the smoke run in `make test`): one search of each kind and an
//! unlock at the floor's cost instead of a calibrated second.
//!
//! It lives in kluis-core so that messages reach the store through the
//! import's one mapping (`kluis_core::import::new_message`).
//!
//! Prints, in one run:
//! - messages stored per second (one transaction, index included) by the
//!   straightforward store of `../shared/notes/measurements.md` (plain
//!   SQLite, an FTS5 trigger per row, a transaction per 10,000 rows), by
//!   Kluis's store on SQLCipher, and by the same store on plain SQLite;
//! - the time to close the store after that import (the lock's share);
//! - the median and 95th percentile of searches for the ten most frequent
//!   words and for ten phrases;
//! - unlock and lock of a vault calibrated here to one second.
//!
//! `make bench` runs it on a generated 1,000,000-message export.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kluis_core::import::new_message;
use kluis_vault::store::{Keying, SearchQuery, Store};
use kluis_vault::{DataKey, LocalTime};
use whatsapp_export::Message;

fn main() {
    let mut args = std::env::args_os().skip(1);
    let export = PathBuf::from(args.next().expect("usage: store_bench EXPORT.txt [DIR]"));
    let dir = args.next().map_or_else(
        || std::env::temp_dir().join("kluis-store-bench"),
        PathBuf::from,
    );
    let quick = args.next().is_some_and(|a| a == "--quick");
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

    let baseline = straightforward(&fresh(&dir, "straightforward"), &messages);
    writeln!(
        out,
        "store straightforward (plain, trigger per row): {baseline:.0} msg/s"
    )
    .unwrap();

    let key = DataKey::generate().expect("random key");
    let mut figures = Vec::new();
    for (label, keying) in [
        ("sqlcipher", Keying::Encrypted(&key)),
        ("plain", Keying::PlainForComparison),
    ] {
        let db = fresh(&dir, label);
        // A new database, as only a new vault makes one.
        let mut store = Store::create(&db, keying).expect("create");
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
    writeln!(
        out,
        "encryption costs {ratio:.2}x the plain store; SQLCipher store is {:.1}x the straightforward one",
        figures[0].1 / baseline
    )
    .unwrap();

    let words = frequent_words(&messages, 10);
    let phrases = phrases(&messages, 10);
    for (label, _, store) in &figures {
        for (what, queries) in [("frequent word", &words), ("phrase", &phrases)] {
            let mut times = Vec::new();
            for _ in 0..if quick { 1 } else { 5 } {
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
    for (label, _, store) in figures {
        let started = Instant::now();
        store.close().expect("close");
        writeln!(
            out,
            "close after the import {label:>9}: {}",
            ms(started.elapsed())
        )
        .unwrap();
    }
    unlock_and_lock(&dir, quick, &mut out);
}

/// Unlock and lock (with its audit entry) of a vault calibrated on this
/// machine, medians of five.
fn unlock_and_lock(dir: &Path, quick: bool, out: &mut impl Write) {
    let target = Duration::from_secs(1);
    let params = if quick {
        kluis_vault::KdfParams::FLOOR
    } else {
        kluis_vault::calibrate::calibrate(target).expect("calibrate")
    };
    let vault_dir = dir.join("vault");
    let _ = std::fs::remove_dir_all(&vault_dir);
    let passphrase = secrecy::SecretString::from("bench passphrase".to_owned());
    let (vault, session, _) =
        kluis_vault::Vault::create(&vault_dir, &passphrase, params, 0).expect("create");
    session.lock(0).expect("lock");
    let (mut unlocks, mut locks) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let started = Instant::now();
        let session = vault
            .unlock(&kluis_vault::SlotOwner::Admin, &passphrase, 0)
            .expect("unlock");
        unlocks.push(started.elapsed());
        let started = Instant::now();
        session.lock(0).expect("lock");
        locks.push(started.elapsed());
    }
    unlocks.sort();
    locks.sort();
    writeln!(
        out,
        "unlock ({} {} MiB, t={}, p={}; target {} ms): median {} (min {}, max {}); lock: median {}",
        if quick { "the floor," } else { "calibrated" },
        params.memory_kib / 1024,
        params.iterations,
        params.lanes,
        target.as_millis(),
        ms(unlocks[2]),
        ms(unlocks[0]),
        ms(unlocks[4]),
        ms(locks[2])
    )
    .unwrap();
}

/// The store as measurements.md measured it: plain SQLite, FTS5 kept by a
/// trigger per row, a transaction per 10,000 rows, default cache.
fn straightforward(db: &Path, messages: &[Message<'static>]) -> f64 {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;
         CREATE TABLE conversations (id INTEGER PRIMARY KEY, name TEXT);
         CREATE TABLE messages (id INTEGER PRIMARY KEY, conversation_id INTEGER, ts INTEGER,
                                author TEXT, text TEXT, kind INTEGER);
         CREATE INDEX messages_by_time ON messages(conversation_id, ts);
         CREATE VIRTUAL TABLE fts USING fts5(text, content='messages', content_rowid='id',
                                             tokenize='unicode61 remove_diacritics 2');
         CREATE TRIGGER messages_ai AFTER INSERT ON messages BEGIN
             INSERT INTO fts(rowid, text) VALUES (new.id, new.text);
         END;
         INSERT INTO conversations VALUES (1, 'bench');",
    )
    .expect("schema");
    let started = Instant::now();
    for batch in messages.chunks(10_000) {
        conn.execute_batch("BEGIN").expect("begin");
        {
            let mut insert = conn
                .prepare_cached(
                    "INSERT INTO messages (conversation_id, ts, author, text, kind)
                     VALUES (1, ?1, ?2, ?3, ?4)",
                )
                .expect("prepare");
            for m in batch {
                let ts = local_time(m).seconds();
                insert
                    .execute(rusqlite::params![ts, m.author.as_deref(), &*m.text, 3])
                    .expect("insert");
            }
        }
        conn.execute_batch("COMMIT").expect("commit");
    }
    messages.len() as f64 / started.elapsed().as_secs_f64()
}

fn local_time(message: &Message<'_>) -> LocalTime {
    new_message(message, None)
        .expect("the parser gives real dates")
        .at
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
        let message = new_message(message, None).expect("the parser gives real dates");
        writer.add_message(conversation, &message).expect("store");
    }
    writer.commit().expect("commit");
}

fn frequent_words(messages: &[Message<'static>], n: usize) -> Vec<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for message in messages.iter().step_by(10) {
        for word in message
            .text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 2)
            .map(str::to_lowercase)
        {
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
