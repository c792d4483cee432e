//! Proof that a reply reached the record: a reply set out on the
//! clipboard is linked to the municipality's message in a later export
//! whose text is the same, exactly or after the changes WhatsApp makes on
//! the way (its own whitespace, emoji presentation selectors, direction
//! marks, composed and decomposed accents).

use unicode_normalization::UnicodeNormalization;

/// A message earlier than the reply was set out by more than this cannot
/// be that reply (the phone's clock may run a little behind the laptop's).
pub const CLOCK_SLACK_SECONDS: i64 = 10 * 60;

/// The text as compared: NFC; emoji presentation selectors, zero-width
/// and direction marks dropped; every run of whitespace one space; trimmed.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.nfc() {
        match c {
            '\u{FE0E}'
            | '\u{FE0F}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{2060}'
            | '\u{FEFF}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}' => {}
            c if c.is_whitespace() => space = true,
            c => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
    }
    out
}

/// A reply waiting to be seen, or a message that may be one: an id, the
/// local time (seconds) and the text.
#[derive(Clone, Copy)]
pub struct Candidate<'a, Id> {
    pub id: Id,
    pub at: i64,
    pub text: &'a str,
}

impl<Id: std::fmt::Debug> std::fmt::Debug for Candidate<'_, Id> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Candidate")
            .field("id", &self.id)
            .field("at", &self.at)
            .finish_non_exhaustive()
    }
}

/// Pairs each reply (in the order set out) with the earliest message not
/// yet paired whose text is the same after [`normalize`] and that is not
/// earlier than the reply by more than [`CLOCK_SLACK_SECONDS`]. A reply
/// sent twice pairs with one message; one set out twice and sent once
/// leaves the second unpaired.
pub fn pair<R: Copy, M: Copy>(
    replies: &[Candidate<'_, R>],
    messages: &[Candidate<'_, M>],
) -> Vec<(R, M)> {
    let mut order: Vec<usize> = (0..replies.len()).collect();
    order.sort_by_key(|&i| replies[i].at);
    let texts: Vec<String> = messages.iter().map(|m| normalize(m.text)).collect();
    let mut by_time: Vec<usize> = (0..messages.len()).collect();
    by_time.sort_by_key(|&i| messages[i].at);
    let mut taken = vec![false; messages.len()];
    let mut pairs = Vec::new();
    for i in order {
        let reply = &replies[i];
        let wanted = normalize(reply.text);
        if wanted.is_empty() {
            continue;
        }
        let found = by_time.iter().copied().find(|&m| {
            !taken[m] && texts[m] == wanted && messages[m].at >= reply.at - CLOCK_SLACK_SECONDS
        });
        if let Some(m) = found {
            taken[m] = true;
            pairs.push((reply.id, messages[m].id));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_counts_as_the_same_text() {
        let check = |a: &str, b: &str, same: bool| {
            assert_eq!(normalize(a) == normalize(b), same, "{a:?} {b:?}");
        };
        check("Dank u wel!", "Dank u wel!", true);
        check("Dank u wel! ", " Dank u wel!", true);
        check("Beste Eva,\r\n\r\nDank u.", "Beste Eva,\nDank u.", true);
        check("Tot ziens \u{a0}👋", "Tot ziens 👋", true);
        check("Goed ❤️", "Goed ❤", true);
        check("\u{200e}Café", "Cafe\u{301}", true);
        // Near matches are other texts.
        check("Dank u wel!", "Dank u wel", false);
        check("Dank u wel!", "dank u wel!", false);
        check(
            "De afspraak is om 10:00.",
            "De afspraak is om 11:00.",
            false,
        );
        check("Goed 👍", "Goed 👍🏽", false);
    }

    #[test]
    fn replies_pair_with_what_was_sent() {
        let r = |id: u8, at: i64, text: &'static str| Candidate { id, at, text };
        let m = |id: char, at: i64, text: &'static str| Candidate { id, at, text };
        let check = |replies: &[Candidate<'_, u8>],
                     messages: &[Candidate<'_, char>],
                     expect: &[(u8, char)]| {
            assert_eq!(pair(replies, messages), expect);
        };
        let hour = 3600;
        // Exact, and after WhatsApp's changes.
        check(
            &[r(1, hour, "Dank u wel! 👍")],
            &[m('a', hour + 60, "Dank u wel!  👍\u{fe0f}")],
            &[(1, 'a')],
        );
        // Edited on the phone before sending: not the reply.
        check(
            &[r(1, hour, "U kunt morgen langskomen.")],
            &[m('a', hour + 60, "U kunt morgen om 10 uur langskomen.")],
            &[],
        );
        // Sent long before it was set out: an older message with the same words.
        check(
            &[r(1, 5 * hour, "Dank u wel!")],
            &[m('a', hour, "Dank u wel!")],
            &[],
        );
        // The phone's clock a few minutes behind.
        check(
            &[r(1, hour, "Dank u wel!")],
            &[m('a', hour - 300, "Dank u wel!")],
            &[(1, 'a')],
        );
        // Set out twice, sent twice: each its own message, in order.
        check(
            &[r(2, 2 * hour, "Graag gedaan."), r(1, hour, "Graag gedaan.")],
            &[
                m('b', 2 * hour + 30, "Graag gedaan."),
                m('a', hour + 30, "Graag gedaan."),
            ],
            &[(1, 'a'), (2, 'b')],
        );
        // Set out twice, sent once: the second waits.
        check(
            &[
                r(1, hour, "Graag gedaan."),
                r(2, hour + 10, "Graag gedaan."),
            ],
            &[m('a', hour + 30, "Graag gedaan.")],
            &[(1, 'a')],
        );
        // Sent twice, set out once: one message is the reply.
        check(
            &[r(1, hour, "Graag gedaan.")],
            &[
                m('a', hour + 30, "Graag gedaan."),
                m('b', hour + 40, "Graag gedaan."),
            ],
            &[(1, 'a')],
        );
    }
}
