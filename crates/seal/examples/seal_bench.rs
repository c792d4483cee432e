//! `make bench`: seals a day of 2,000 messages and 500 MB of media into a
//! folder, reads it back and verifies it (as every seal does), and prints
//! the throughput and the peak memory. A smaller day first shows that
//! memory does not grow with the media.
//!
//! Usage: seal_bench OUT_DIR [MEDIA_MB]

use std::io::{Read, Write};
use std::path::Path;
use std::time::Instant;

use kluis_seal::encrypt::Recipients;
use kluis_seal::package::{Meta, package_id, seal_to};
use kluis_seal::sign::SigningKey;

/// Media bytes that do not compress (photos and voice notes do not),
/// made as they are read: nothing of it is held in memory.
struct Noise {
    state: u64,
    left: u64,
}

impl Read for Noise {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        for chunk in buf[..n].chunks_mut(8) {
            // xorshift64*
            self.state ^= self.state >> 12;
            self.state ^= self.state << 25;
            self.state ^= self.state >> 27;
            let v = self.state.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        self.left -= n as u64;
        Ok(n)
    }
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Seals one day; returns the seconds and the package's size.
fn day(out: &Path, media_mb: u64) -> (f64, u64) {
    let key = SigningKey::generate().expect("a key");
    let archive = age::x25519::Identity::generate();
    // One audit entry following the genesis head, as a vault's first excerpt.
    let excerpt = format!("{{\"n\":1,\"prev\":\"sha256:{}\"}}\n", "00".repeat(32));
    let meta = Meta {
        id: package_id("gm0000", "WP01", "2026-11-23", 1),
        organization: "Gemeente Voorbeeld".into(),
        group: "KLUIS-gm0000-WP01".into(),
        seq: 1,
        period_start: "2026-11-22T17:00:00+01:00".into(),
        period_end: "2026-11-23T17:00:00+01:00".into(),
        previous: None,
        audit_previous_head: "00".repeat(32),
        audit_head: kluis_seal::sha256_hex(excerpt.as_bytes()),
        conversations: 100,
        bagging_date: "2026-11-23".into(),
        sealed_at: 1_795_453_200,
    };
    // 2,000 messages in 100 conversations of 20, and 100 media files.
    let transcript: String = (0..20)
        .map(|i| {
            format!(
                "2026-11-23T09:{i:02}:00+01:00 burger Eva\nIk heb een vraag over de afvalkalender van deze week, nummer {i}.\n\n"
            )
        })
        .collect();
    let files = 100u64;
    let each = media_mb * 1_000_000 / files;
    let started = Instant::now();
    let sealed = seal_to(
        out,
        meta,
        &key,
        &Recipients::Keys(vec![archive.to_public()]),
        |p| {
            for g in 1..=files {
                p.payload(
                    &format!("G{g:03}/G{g:03}.txt"),
                    transcript.len() as u64,
                    transcript.as_bytes(),
                )?;
                p.payload(
                    &format!("G{g:03}/G{g:03}-B01/G{g:03}-B01.jpg"),
                    each,
                    Noise {
                        state: g * 7919 + 1,
                        left: each,
                    },
                )?;
            }
            p.tag("kluis/audit.jsonl", excerpt.as_bytes())?;
            Ok(())
        },
    )
    .expect("sealed");
    let seconds = started.elapsed().as_secs_f64();
    let size = std::fs::metadata(&sealed.package).map_or(0, |m| m.len());
    let _ = std::fs::remove_file(&sealed.package);
    let _ = std::fs::remove_file(&sealed.signature);
    (seconds, size)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let out = std::path::PathBuf::from(args.next().expect("usage: seal_bench OUT_DIR [MEDIA_MB]"));
    let media_mb: u64 = args.next().map_or(500, |m| m.parse().expect("MEDIA_MB"));
    std::fs::create_dir_all(&out).expect("the output folder");

    // The smaller day: 50 MB, or the whole day when that is smaller (the
    // smoke run in `make test` seals 1 MB).
    let small_mb = media_mb.min(50);
    let (small_seconds, _) = day(&out, small_mb);
    let small_rss = peak_rss_mb();
    let (seconds, size) = day(&out, media_mb);
    let rss = peak_rss_mb();
    let mb = size as f64 / 1e6;
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(
        stdout,
        "seal: 2,000 messages + {media_mb} MB media -> a {mb:.0} MB package, written, fsynced, read back and verified in {seconds:.2} s = {:.0} MB/s (target >= 100)",
        mb / seconds
    );
    let _ = writeln!(
        stdout,
        "memory: peak {small_rss:.0} MB after a {small_mb} MB day ({small_seconds:.2} s), {rss:.0} MB after the {media_mb} MB day (must not grow with the media)"
    );
}
