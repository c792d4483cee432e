//! Where a re-export's messages go among those already stored.
//!
//! A conversation exported twice overlaps itself, and WhatsApp cuts long
//! chats from the old end, so a later export may lack the oldest part. The
//! two are aligned as sequences, not compared as sets: two identical
//! messages in the same minute stay two, and importing a file twice adds
//! nothing. Four placements are tried, each in linear time with the
//! Knuth-Morris-Pratt prefix function:
//!
//! 1. the export lies inside what is stored: nothing is new;
//! 2. what is stored lies inside the export: the export's parts before and
//!    after it are new;
//! 3. the export starts where the stored messages end (the usual case):
//!    the longest such overlap wins, the rest is new at the end;
//! 4. the export ends where the stored messages start (an older export
//!    imported later): its head is new at the front.
//!
//! With no overlap at all the export is placed by time and the place where
//! messages may be missing is reported as a gap.

use std::ops::Range;

/// Where an export's messages go. Ranges index the export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    /// New messages that come before every stored one.
    pub before: Range<usize>,
    /// New messages that come after every stored one.
    pub after: Range<usize>,
    /// Export messages that were already stored: those between `before`
    /// and `after`.
    pub already: usize,
    /// Where in `stored` the already stored ones are, from the first on.
    pub stored_from: usize,
    /// Where messages may be missing between the two.
    pub gap: Gap,
}

/// Whether the stored and the new messages meet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gap {
    /// They overlap, or one holds the other: nothing can be missing between.
    None,
    /// No overlap; the export is older: messages may be missing after it.
    AfterNew,
    /// No overlap; the export is newer: messages may be missing before it.
    BeforeNew,
}

/// Places `export` against `stored` (both in conversation order). `time`
/// gives a message's time, used only when nothing overlaps.
pub fn place<T: PartialEq, K: Ord>(
    stored: &[T],
    export: &[T],
    time: impl Fn(&T) -> K,
) -> Placement {
    let (n, m) = (stored.len(), export.len());
    let placed = |before: Range<usize>, after: Range<usize>, stored_from, gap| Placement {
        already: m - before.len() - after.len(),
        stored_from,
        before,
        after,
        gap,
    };
    if m == 0 {
        return placed(0..0, 0..0, 0, Gap::None);
    }
    if n == 0 {
        return placed(0..0, 0..m, 0, Gap::None);
    }
    if let Some(at) = find(stored, export) {
        return placed(0..0, m..m, at, Gap::None);
    }
    if let Some(at) = find(export, stored) {
        return placed(0..at, at + n..m, 0, Gap::None);
    }
    // The longest end of `stored` that begins `export`, and the longest end
    // of `export` that begins `stored`.
    let forward = overlap(export, stored);
    let backward = overlap(stored, export);
    if forward > 0 && forward >= backward {
        return placed(0..0, forward..m, n - forward, Gap::None);
    }
    if backward > 0 {
        return placed(0..m - backward, m..m, 0, Gap::None);
    }
    if time(&export[0]) >= time(&stored[n - 1]) {
        placed(0..0, 0..m, 0, Gap::BeforeNew)
    } else {
        placed(0..m, m..m, 0, Gap::AfterNew)
    }
}

/// The KMP prefix function of `pattern`: for each end, the length of the
/// longest proper prefix that is also a suffix there.
fn prefix_function<T: PartialEq>(pattern: &[T]) -> Vec<usize> {
    let mut pi = vec![0; pattern.len()];
    for i in 1..pattern.len() {
        let mut k = pi[i - 1];
        while k > 0 && pattern[i] != pattern[k] {
            k = pi[k - 1];
        }
        if pattern[i] == pattern[k] {
            k += 1;
        }
        pi[i] = k;
    }
    pi
}

/// Runs `pattern` over `text`; returns how much of `pattern` is matched at
/// the end of `text`, or the first full match's start.
fn scan<T: PartialEq>(pattern: &[T], text: &[T]) -> Result<usize, usize> {
    let pi = prefix_function(pattern);
    let mut k = 0;
    for (i, item) in text.iter().enumerate() {
        while k > 0 && (k == pattern.len() || *item != pattern[k]) {
            k = pi[k - 1];
        }
        if *item == pattern[k] {
            k += 1;
        }
        if k == pattern.len() {
            return Err(i + 1 - k);
        }
    }
    Ok(k)
}

/// Where `pattern` first occurs whole in `text`.
fn find<T: PartialEq>(text: &[T], pattern: &[T]) -> Option<usize> {
    if pattern.is_empty() || pattern.len() > text.len() {
        return None;
    }
    scan(pattern, text).err()
}

/// The longest end of `text` that is a beginning of `pattern` (shorter
/// than `pattern`: a whole match is [`find`]'s case).
fn overlap<T: PartialEq>(pattern: &[T], text: &[T]) -> usize {
    // A whole match (Err) was handled before as a containment.
    scan(pattern, text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Messages as (minute, text); the expectation is the merged list.
    #[track_caller]
    fn check(stored: &[(u32, &str)], export: &[(u32, &str)], expect: &[(u32, &str)], gap: Gap) {
        let placement = place(stored, export, |m| m.0);
        let merged: Vec<(u32, &str)> = export[placement.before.clone()]
            .iter()
            .chain(stored)
            .chain(&export[placement.after.clone()])
            .copied()
            .collect();
        assert_eq!(merged, expect);
        assert_eq!(placement.gap, gap);
        assert_eq!(
            placement.already + placement.before.len() + placement.after.len(),
            export.len()
        );
        let from = placement.stored_from;
        assert_eq!(
            &export[placement.before.end..placement.after.start],
            &stored[from..from + placement.already],
            "the already stored messages are where stored_from says"
        );
    }

    #[test]
    fn placements() {
        let a = (1, "hallo");
        let b = (2, "mijn paspoort");
        let c = (3, "is verlopen");
        let d = (4, "ok");
        let e = (4, "ok");
        let f = (5, "dank u");
        // A first import, and the same file twice.
        check(&[], &[a, b], &[a, b], Gap::None);
        check(&[a, b, c], &[a, b, c], &[a, b, c], Gap::None);
        // A re-export with more at the end.
        check(&[a, b], &[a, b, c, d], &[a, b, c, d], Gap::None);
        // It lost its oldest part: overlap only.
        check(&[a, b, c], &[b, c, d], &[a, b, c, d], Gap::None);
        // It lost its oldest part and adds nothing.
        check(&[a, b, c, d], &[c, d], &[a, b, c, d], Gap::None);
        // Two identical messages in one minute stay two; a third is new.
        check(&[a, d], &[a, d, e], &[a, d, e], Gap::None);
        check(&[a, d, e], &[d, e, f], &[a, d, e, f], Gap::None);
        // An older export imported later: its head is new at the front.
        check(&[c, d], &[a, b, c], &[a, b, c, d], Gap::None);
        // The stored part inside a longer export.
        check(&[b, c], &[a, b, c, d], &[a, b, c, d], Gap::None);
        // No overlap: placed by time, with the gap named.
        check(&[a, b], &[d, f], &[a, b, d, f], Gap::BeforeNew);
        check(&[d, f], &[a, b], &[a, b, d, f], Gap::AfterNew);
        // A repeated pair: the overlap that fits, not the first look-alike.
        check(&[a, d, a, d], &[a, d, f], &[a, d, a, d, f], Gap::None);
    }

    fn windows() -> impl Strategy<Value = (Vec<u8>, Range<usize>, Range<usize>)> {
        (
            prop::collection::vec(0u8..4, 1..40),
            any::<(usize, usize, usize, usize)>(),
        )
            .prop_map(|(history, (a, b, c, d))| {
                let len = history.len();
                let r = |x: usize, y: usize| {
                    let (x, y) = (x % (len + 1), y % (len + 1));
                    x.min(y)..x.max(y)
                };
                (history, r(a, b), r(c, d))
            })
    }

    proptest! {
        /// Whatever the messages, nothing is lost: the stored messages and
        /// the export both appear whole and in order in the result, and the
        /// counts add up.
        #[test]
        fn nothing_is_lost((history, s, e) in windows()) {
            let stored = &history[s.clone()];
            let export = &history[e.clone()];
            let p = place(stored, export, |_| 0);
            let merged: Vec<u8> = export[p.before.clone()]
                .iter()
                .chain(stored)
                .chain(&export[p.after.clone()])
                .copied()
                .collect();
            prop_assert!(export.is_empty() || find(&merged, export).is_some());
            prop_assert_eq!(p.already + p.before.len() + p.after.len(), export.len());
            prop_assert_eq!(
                &export[p.before.end..p.after.start],
                &stored[p.stored_from..p.stored_from + p.already]
            );
        }

        /// With messages that are all different (times and words make most
        /// real ones so), two overlapping windows give exactly their union.
        #[test]
        fn distinct_messages_merge_to_the_exact_union((history, s, e) in windows()) {
            let history: Vec<usize> = (0..history.len()).collect();
            let stored = &history[s.clone()];
            let export = &history[e.clone()];
            let meet = s.start.max(e.start) <= s.end.min(e.end) && !s.is_empty() && !e.is_empty();
            let p = place(stored, export, |m| *m);
            let merged: Vec<usize> = export[p.before.clone()]
                .iter()
                .chain(stored)
                .chain(&export[p.after.clone()])
                .copied()
                .collect();
            if meet {
                let union = s.start.min(e.start)..s.end.max(e.end);
                prop_assert_eq!(merged, history[union].to_vec());
            } else {
                let mut sorted = merged.clone();
                sorted.sort();
                prop_assert_eq!(merged, sorted);
            }
        }
    }
}
