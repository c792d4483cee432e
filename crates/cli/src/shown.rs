//! Text from outside (chat and file names, messages) as the terminal is to
//! show it. An export can hold escape sequences (OSC 52 writes the
//! clipboard, others retitle the window or rewrite what is on screen) and
//! the marks that turn text around; printed raw, `kluis` would pass them
//! to the terminal. Here each is written out as `\u{…}` instead.

/// `text` with every control character, and every mark that reorders or
/// hides text, escaped.
pub fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || reorders(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// What core counts as turning text around or hiding it, and the two
/// direction marks besides.
fn reorders(c: char) -> bool {
    kluis_core::personal::reorders_or_hides(c) || matches!(c, '\u{200e}' | '\u{200f}')
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn escapes_what_a_terminal_would_obey() {
        let check = |text: &str, expect: &str| assert_eq!(shown(text), expect, "{text:?}");
        check(
            "Gemeente 's-Hertogenbosch café 🙂",
            "Gemeente 's-Hertogenbosch café 🙂",
        );
        check("a\u{1b}]52;c;aGk=\u{7}b", "a\\u{1b}]52;c;aGk=\\u{7}b");
        check("regel\nregel\ttab\r", "regel\\u{a}regel\\u{9}tab\\u{d}");
        check("\u{9b}31m", "\\u{9b}31m");
        check("abc\u{202e}txt.exe", "abc\\u{202e}txt.exe");
    }
}
