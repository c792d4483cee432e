//! Where a re-export's messages go among those already stored.
//!
//! A conversation exported twice overlaps itself, and WhatsApp cuts long
//! chats from the old end, so a later export may lack the oldest part. Two
//! exports of one chat also differ inside the overlap: one left the media
//! out, the citizen deleted or edited a message in between, or the phone
//! deleted one for itself. So the two are aligned as sequences by Myers'
//! diff (the `similar` crate), pairing an export message with a stored one
//! when the caller's relation says it is a version of it: same time and
//! author, and a text that differs at most by what WhatsApp changes. The
//! longest common subsequence under that relation pairs the most messages
//! without crossing (the usual argument needs only a yes or no per pair,
//! not an equivalence), so two identical messages in the same minute stay
//! two and importing a file twice adds nothing.
//!
//! Only stored messages whose time lies within the export's can pair, so
//! the diff runs over that stretch alone: a new export beside a year of
//! stored messages costs its own length, not the year's.
//!
//! A new message goes between the paired messages around it, among any
//! unpaired stored ones there by time (a stored one first on a tie). Two
//! exports may show one minute's messages in another order; an export
//! message left unpaired then pairs with an unpaired stored one of its very
//! time, the only crossing allowed. With
//! no pair at all the export is placed by time and the place where messages
//! may be missing is reported as a gap.

use std::collections::BTreeMap;

use similar::algorithms::{DiffHook, myers};

/// Where an export's messages go: one [`Place`] per export message, in
/// the export's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alignment {
    pub places: Vec<Place>,
    /// Where messages may be missing between the two.
    pub gap: Gap,
}

/// Where one export message goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// It is (a version of) this stored message.
    Stored(usize),
    /// It is new, and goes just before this stored message (the stored
    /// count: after all of them). New messages with the same place keep the
    /// export's order.
    New { before: usize },
}

/// Whether the stored and the new messages meet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gap {
    /// They overlap, or one side is empty: nothing can be missing between.
    None,
    /// No overlap; the export is newer (or interleaved): messages may be
    /// missing before its first message.
    BeforeNew,
    /// No overlap; the export is older: messages may be missing after it.
    AfterNew,
}

impl Alignment {
    /// Export messages that were stored before.
    pub fn already(&self) -> usize {
        self.pairs().count()
    }

    /// Export messages that are new.
    pub fn new_count(&self) -> usize {
        self.places.len() - self.already()
    }

    /// The longest stretch of export messages paired with consecutive
    /// stored ones: how much two exports share in one piece. One
    /// look-alike message (a greeting in the same minute) is a stretch of
    /// one; a re-export shares a long one.
    pub fn longest_run(&self) -> usize {
        let (mut best, mut run) = (0, 0);
        let mut last: Option<(usize, usize)> = None;
        for (e, place) in self.places.iter().enumerate() {
            let Place::Stored(s) = *place else {
                last = None;
                continue;
            };
            run = match last {
                Some((le, ls)) if le + 1 == e && ls + 1 == s => run + 1,
                _ => 1,
            };
            last = Some((e, s));
            best = best.max(run);
        }
        best
    }

    /// (export index, stored index) of every paired message.
    pub fn pairs(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.places.iter().enumerate().filter_map(|(e, p)| match p {
            Place::Stored(s) => Some((e, *s)),
            Place::New { .. } => None,
        })
    }
}

/// Aligns `export` with `stored` (both in conversation order). An export
/// message pairs with a stored one when `E: PartialEq<S>` says it is a
/// version of it; the times place new messages and bound the search.
pub fn align<S, E, K: Ord>(
    stored: &[S],
    export: &[E],
    stored_time: impl Fn(&S) -> K,
    export_time: impl Fn(&E) -> K,
) -> Alignment
where
    E: PartialEq<S>,
{
    let n = stored.len();
    let mut paired: Vec<Option<usize>> = vec![None; export.len()];
    if let (Some(first), Some(last)) = (
        export.iter().map(&export_time).min(),
        export.iter().map(&export_time).max(),
    ) {
        let lo = stored
            .iter()
            .position(|s| stored_time(s) >= first)
            .unwrap_or(n);
        let hi = stored
            .iter()
            .rposition(|s| stored_time(s) <= last)
            .map_or(lo, |i| (i + 1).max(lo));
        let mut hook = Pairs(&mut paired);
        let Ok(()) = myers::diff(&mut hook, stored, lo..hi, export, 0..export.len());
    }
    let mut places = places(stored, export, &paired, &stored_time, &export_time);
    pair_within_a_time(stored, export, &mut places, &stored_time, &export_time);
    let gap = gap(n, &places);
    Alignment { places, gap }
}

/// Pairs what the diff could not because two exports show one time's
/// messages in another order (two exports that each held one of them,
/// then one that holds both): a new message becomes an unpaired stored one
/// of the same time when the relation says so. The order within one time
/// is the only crossing allowed; the new messages' places stay as they were.
fn pair_within_a_time<S, E, K: Ord>(
    stored: &[S],
    export: &[E],
    places: &mut [Place],
    stored_time: impl Fn(&S) -> K,
    export_time: impl Fn(&E) -> K,
) where
    E: PartialEq<S>,
{
    let mut taken = vec![false; stored.len()];
    for place in places.iter() {
        if let Place::Stored(s) = place {
            taken[*s] = true;
        }
    }
    let mut unpaired: BTreeMap<K, Vec<usize>> = BTreeMap::new();
    for (s, message) in stored.iter().enumerate().filter(|(s, _)| !taken[*s]) {
        unpaired.entry(stored_time(message)).or_default().push(s);
    }
    for (e, place) in places.iter_mut().enumerate() {
        if !matches!(place, Place::New { .. }) {
            continue;
        }
        let Some(candidates) = unpaired.get_mut(&export_time(&export[e])) else {
            continue;
        };
        if let Some(at) = candidates.iter().position(|&s| export[e] == stored[s]) {
            *place = Place::Stored(candidates.remove(at));
        }
    }
}

/// The diff's equal runs, as each export message's stored partner.
struct Pairs<'a>(&'a mut [Option<usize>]);

impl DiffHook for Pairs<'_> {
    type Error = std::convert::Infallible;

    fn equal(&mut self, old_index: usize, new_index: usize, len: usize) -> Result<(), Self::Error> {
        for k in 0..len {
            self.0[new_index + k] = Some(old_index + k);
        }
        Ok(())
    }
}

/// Each unpaired export message goes among the unpaired stored messages
/// between its paired neighbours, by time, never before an earlier new one.
fn places<S, E, K: Ord>(
    stored: &[S],
    export: &[E],
    paired: &[Option<usize>],
    stored_time: impl Fn(&S) -> K,
    export_time: impl Fn(&E) -> K,
) -> Vec<Place> {
    let n = stored.len();
    // The stored partner of the nearest paired message after each one.
    let mut next_paired = vec![n; export.len()];
    let mut next = n;
    for (e, pair) in paired.iter().enumerate().rev() {
        next_paired[e] = next;
        if let Some(s) = pair {
            next = *s;
        }
    }
    let mut after = 0; // every stored message before this is placed before
    let mut places = Vec::with_capacity(export.len());
    for (e, pair) in paired.iter().enumerate() {
        let place = match pair {
            Some(s) => {
                after = s + 1;
                Place::Stored(*s)
            }
            None => {
                let end = next_paired[e];
                let time = export_time(&export[e]);
                let stretch = &stored[after..end];
                let ahead = stretch.partition_point(|s| stored_time(s) <= time);
                after += ahead;
                Place::New { before: after }
            }
        };
        places.push(place);
    }
    places
}

fn gap(stored: usize, places: &[Place]) -> Gap {
    let nothing_paired = places.iter().all(|p| matches!(p, Place::New { .. }));
    if stored == 0 || places.is_empty() || !nothing_paired {
        return Gap::None;
    }
    if places.iter().all(|p| *p == Place::New { before: 0 }) {
        Gap::AfterNew
    } else {
        Gap::BeforeNew
    }
}

#[cfg(test)]
mod tests;
