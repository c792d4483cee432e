//! Where parse time goes: each stage of `kluis parse --count` on its own, on
//! a file already in memory, best of RUNS (7 unless given).
//!
//!     cargo run --release -p whatsapp-export --example stages -- FILE [STAGE] [RUNS]
//!
//! Stages: `lines` (a `memchr` per line: the floor), `scan`, `decode`,
//! `classify` (one thread, each including the one before) and `parallel`
//! (`classify` with the scanning on a second thread). One stage run once is
//! what `valgrind --tool=callgrind` wants.

use std::hint::black_box;
use std::io::Write;
use std::time::{Duration, Instant};

use whatsapp_export::RawMessage;

const USAGE: &str = "usage: stages FILE [lines|scan|decode|classify|parallel] [RUNS]";

fn best(runs: usize, mut run: impl FnMut() -> usize) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut n = 0;
    for _ in 0..runs {
        let start = Instant::now();
        n = run();
        best = best.min(start.elapsed());
    }
    (best, n)
}

/// Newline-terminated lines that start like a header.
fn lines(bytes: &[u8]) -> usize {
    let mut n = 0;
    let mut pos = 0;
    while let Some(nl) = memchr::memchr(b'\n', &bytes[pos..]) {
        n += usize::from(matches!(bytes[pos], b'[' | b'0'..=b'9'));
        pos += nl + 1;
    }
    n
}

/// Messages read on one thread, each treated as `stage` says.
fn one_thread(bytes: &[u8], stage: &str) -> usize {
    let mut n = 0;
    whatsapp_export::read_speculatively(bytes, |raw| {
        match stage {
            "scan" => {
                black_box(raw);
            }
            "decode" => {
                black_box(raw.decode());
            }
            _ => classify(raw),
        }
        n += 1;
    })
    .expect("a readable export");
    n
}

fn classify(raw: RawMessage<'_>) {
    let decoded = raw.decode();
    black_box(&decoded.classify());
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect(USAGE);
    let only = args.next();
    let runs = args.next().map_or(7, |r| r.parse().expect(USAGE));
    let bytes = std::fs::read(&path)?;
    let mut out = std::io::stdout().lock();
    for stage in ["lines", "scan", "decode", "classify", "parallel"] {
        if only.as_deref().is_some_and(|only| only != stage) {
            continue;
        }
        let (took, n) = best(runs, || match stage {
            "lines" => lines(&bytes),
            "parallel" => {
                let mut n = 0;
                whatsapp_export::read_speculatively_in_parallel(&bytes[..], |raw| {
                    classify(raw);
                    n += 1;
                })
                .expect("a readable export");
                n
            }
            stage => one_thread(&bytes, stage),
        });
        writeln!(out, "{stage:10} {:7.1} ms  {n}", took.as_secs_f64() * 1e3)?;
    }
    Ok(())
}
