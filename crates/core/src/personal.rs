//! A wrapper for text about a citizen.

use std::fmt;

/// A character that turns text around or breaks it where nobody sees it:
/// the bidirectional embeddings, overrides and isolates, and the line and
/// paragraph separators. Neither a setting nor a terminal line may hold one
/// unescaped (a file name `abc\u{202e}txt.exe` reads as `abcexe.txt`).
pub fn reorders_or_hides(c: char) -> bool {
    matches!(
        c,
        '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// Whether `c` cannot be seen or changes how what is around it shows:
/// controls, format characters (zero-width spaces and joiners, direction
/// marks and controls, the byte-order mark, the soft hyphen), the other
/// default-ignorable code points (Hangul fillers, variation selectors),
/// separators but the space, and unassigned or private code points. A
/// reference holding one looks like another (`Z-7` and `Z-7` plus a
/// zero-width space).
pub fn invisible(c: char) -> bool {
    use unicode_properties::{GeneralCategory as G, UnicodeGeneralCategory};
    match c.general_category() {
        G::Control
        | G::Format
        | G::Unassigned
        | G::PrivateUse
        | G::Surrogate
        | G::LineSeparator
        | G::ParagraphSeparator => true,
        G::SpaceSeparator => c != ' ',
        _ => matches!(
            c,
            '\u{034f}'
                | '\u{115f}'
                | '\u{1160}'
                | '\u{17b4}'
                | '\u{17b5}'
                | '\u{180b}'..='\u{180f}'
                | '\u{3164}'
                | '\u{fe00}'..='\u{fe0f}'
                | '\u{ffa0}'
                | '\u{e0100}'..='\u{e01ef}'
        ),
    }
}

/// Text that may identify or concern a citizen: a name, a phone number, the
/// words of a message.
///
/// It deliberately has no `Display`, and its `Debug` shows only the length, so
/// that such text cannot reach a log, a panic message or an error by accident
/// (`tracing::info!(?x)` prints `Personal(‹12 chars›)`). Code that must show the
/// text to the operator calls [`Personal::expose`], which is easy to find in
/// review.
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Personal(String);

impl Personal {
    /// Wraps text about a citizen.
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The text itself, for showing it to the operator or storing it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Personal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Personal(‹{} chars›)", self.0.chars().count())
    }
}

impl From<&str> for Personal {
    fn from(text: &str) -> Self {
        Self::new(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_text() {
        let name = Personal::new("Fatima el Amrani, +31 6 1234 5678");
        let printed = format!("{name:?} {:#?}", Some(&name));
        assert!(!printed.contains("Fatima"), "{printed}");
        assert!(!printed.contains("5678"), "{printed}");
        assert_eq!(format!("{name:?}"), "Personal(‹33 chars›)");
    }
}
