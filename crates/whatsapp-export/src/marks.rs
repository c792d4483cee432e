//! The invisible characters WhatsApp scatters through exports.
//!
//! They are stripped only where text is *matched* (headers, markers,
//! notices); the archived original keeps every byte.

/// U+200E LRM, U+200F RLM, U+202A..U+202E (LRE, RLE, PDF, LRO, RLO),
/// U+2066..U+2069 (isolates) and U+FEFF (BOM): three bytes each in UTF-8.
#[inline]
pub(crate) fn mark_len(bytes: &[u8]) -> usize {
    match bytes {
        [0xE2, 0x80, 0x8E | 0x8F | 0xAA..=0xAE, ..] => 3,
        [0xE2, 0x81, 0xA6..=0xA9, ..] => 3,
        [0xEF, 0xBB, 0xBF, ..] => 3,
        _ => 0,
    }
}

/// `text` without invisible marks and ASCII blanks at both ends.
#[inline]
pub(crate) fn trim(text: &str) -> &str {
    if is_trimmed(text.as_bytes()) {
        return text;
    }
    text.trim_matches(|c: char| is_mark(c) || c == ' ' || c == '\t')
}

/// Whether [`trim`] leaves `bytes` (valid UTF-8) as they are: no mark or
/// blank at either end.
#[inline]
pub(crate) fn is_trimmed(bytes: &[u8]) -> bool {
    let (Some(&head), Some(&tail)) = (bytes.first(), bytes.last()) else {
        return true;
    };
    let blank = |b: u8| b == b' ' || b == b'\t';
    // Every mark is three bytes, starting with 0xE2 or 0xEF.
    let head_ok = if head.is_ascii() {
        !blank(head)
    } else {
        mark_len(bytes) == 0
    };
    let tail_ok = if tail.is_ascii() {
        !blank(tail)
    } else {
        mark_len(bytes.last_chunk::<3>().map_or(&[][..], |t| &t[..])) == 0
    };
    head_ok & tail_ok
}

/// Whether `c` is one of the invisible marks of [`mark_len`].
pub(crate) fn is_mark(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// An author as shown: without invisible marks, no-break spaces as spaces
/// (iOS wraps phone numbers in LRE…PDF with U+00A0 inside).
#[inline]
pub(crate) fn clean_author(author: &str) -> std::borrow::Cow<'_, str> {
    let trimmed = author.trim_ascii();
    // Marks start with 0xE2 or 0xEF, U+00A0 with 0xC2: most names have none.
    let suspicious =
        !trimmed.is_ascii() && trimmed.bytes().any(|b| matches!(b, 0xC2 | 0xE2 | 0xEF));
    let is_odd = |c: char| is_mark(c) || c == '\u{00A0}' || c == '\u{202F}';
    if !suspicious || !trimmed.chars().any(is_odd) {
        return std::borrow::Cow::Borrowed(trimmed);
    }
    let cleaned: String = trimmed
        .chars()
        .filter(|&c| !is_mark(c))
        .map(|c| if is_odd(c) { ' ' } else { c })
        .collect();
    std::borrow::Cow::Owned(cleaned.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_recognised_and_skipped() {
        assert_eq!(mark_len("\u{200E}[".as_bytes()), 3);
        assert_eq!(mark_len("\u{FEFF}".as_bytes()), 3);
        assert_eq!(mark_len("\u{2069}x".as_bytes()), 3);
        assert_eq!(
            mark_len("\u{200D}".as_bytes()),
            0,
            "ZWJ belongs to emoji, not a mark"
        );
        assert_eq!(mark_len(b"plain"), 0);
        for text in [
            "",
            "a",
            " a",
            "a ",
            "\ta",
            "é",
            "Oké",
            "…",
            "😊 x 😊",
            "\u{200E}a",
            "a\u{200E}",
            "a\u{202C}",
            "\u{FEFF}a",
            "a\u{2069}",
            "\u{00A0}a",
            "€",
        ] {
            assert_eq!(is_trimmed(text.as_bytes()), trim(text) == text, "{text:?}");
        }
        assert_eq!(
            trim("\u{200E} Dit bericht is verwijderd.\u{200E} "),
            "Dit bericht is verwijderd."
        );
        assert_eq!(
            clean_author("\u{202A}+31\u{00A0}6\u{00A0}12345678\u{202C}"),
            "+31 6 12345678"
        );
    }
}
