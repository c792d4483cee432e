//! The audit log's excerpt a package carries: every entry since the
//! previous package, chained line by line, operators by pseudonym.

use kluis_vault::audit;
use kluis_vault::store::Store;

use super::ClosingError;
use crate::lock::Now;

/// A time as ISO 8601 with its offset: `2026-11-23T09:00:00+01:00`.
pub(super) fn iso(now: Now) -> String {
    let local = now.local().to_string();
    let offset = now.offset;
    let sign = if offset < 0 { '-' } else { '+' };
    let minutes = offset.unsigned_abs() / 60;
    format!("{local}{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The audit excerpt since the previous package: one JSON object per line,
/// each naming the SHA-256 of the line before (the first, the previous
/// package's head). Operators appear by pseudonym; nothing about citizens
/// is in the audit log to begin with.
pub(super) fn audit_excerpt(
    store: &Store,
    after: i64,
    previous_head: &str,
    offset: i32,
) -> Result<(String, String, i64), ClosingError> {
    let mut out = String::new();
    let mut prev = previous_head.to_owned();
    let mut last = after;
    for entry in audit::after(store, after)? {
        let at = iso(Now {
            utc: entry.at,
            offset,
        });
        let pseudonym = format!(
            "op-{}",
            &kluis_seal::sha256_hex(entry.operator.as_bytes())[..8]
        );
        let line = serde_json::json!({
            "n": entry.seq,
            "t": at,
            "op": pseudonym,
            "ev": entry.action.name(),
            "obj": entry.subject,
            "info": entry.detail,
            "prev": format!("sha256:{prev}"),
        })
        .to_string()
            + "\n";
        prev = kluis_seal::sha256_hex(line.as_bytes());
        out.push_str(&line);
        last = entry.seq;
    }
    Ok((out, prev, last))
}
