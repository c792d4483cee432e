//! Phone numbers as people write them, found in a text and made
//! comparable: `+31 6 12345678`, `06-12345678`, `0031 6 1234 5678` and
//! `0612345678` are one number.
//!
//! The full-text index splits a number at its spaces and dashes, so a
//! number typed in another format than it was written would never be
//! found; the store keeps every number of a message in its canonical
//! form beside the index instead (`message_numbers`).

/// Fewer digits than this is a house number, an amount or a date.
const MIN_DIGITS: usize = 8;
/// E.164 allows 15 digits.
const MAX_DIGITS: usize = 15;
/// Typed digits below this are not searched as a number.
pub(crate) const MIN_TYPED_DIGITS: usize = 6;

/// Where a number was found in a text (byte offsets), and its canonical
/// form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FoundNumber {
    pub start: usize,
    pub end: usize,
    pub canonical: String,
}

/// The digits of a number in international form, without `+`: a leading
/// `00` is the international prefix, a single leading `0` the Dutch trunk
/// prefix (`06…` is `316…`).
pub(crate) fn canonical(digits_and_plus: &str) -> String {
    let international = digits_and_plus.trim_start().starts_with('+');
    let digits: String = digits_and_plus
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    if international {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_owned()
    } else if let Some(rest) = digits.strip_prefix('0') {
        format!("31{rest}")
    } else {
        digits
    }
}

/// Whether `typed` is a number as a whole: digits with the signs people
/// write between them, and enough digits to mean a phone number.
pub(crate) fn typed_number(typed: &str) -> Option<String> {
    let typed = typed.trim();
    let allowed = |c: char| c.is_ascii_digit() || is_separator(c) || c == '+';
    let digits = typed.chars().filter(char::is_ascii_digit).count();
    (digits >= MIN_TYPED_DIGITS && typed.chars().all(allowed)).then(|| canonical(typed))
}

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '-' | '.' | '(' | ')' | '/')
}

/// Every phone number in `text`: a run of digits, one separator at a time
/// between them, optionally after a `+`, with 8 to 15 digits.
pub(crate) fn numbers_in(text: &str) -> Vec<FoundNumber> {
    let mut found = Vec::new();
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < bytes.len() {
        let (start, c) = bytes[i];
        let plus = c == '+' && bytes.get(i + 1).is_some_and(|(_, d)| d.is_ascii_digit());
        let begins = c.is_ascii_digit() && (i == 0 || !is_word(bytes[i - 1].1));
        if !(plus || begins) {
            i += 1;
            continue;
        }
        let mut j = if plus { i + 1 } else { i };
        let mut end = start;
        let mut digits = 0;
        while j < bytes.len() {
            let (at, d) = bytes[j];
            if d.is_ascii_digit() {
                digits += 1;
                end = at + 1;
                j += 1;
            } else if let Some(skip) = separators_before_digit(&bytes[j..]) {
                j += skip;
            } else {
                break;
            }
        }
        let ends_clean = bytes.get(j).is_none_or(|(_, d)| !is_word(*d));
        if (MIN_DIGITS..=MAX_DIGITS).contains(&digits) && ends_clean {
            found.push(FoundNumber {
                start,
                end,
                canonical: canonical(&text[start..end]),
            });
        }
        i = j.max(i + 1);
    }
    found
}

/// One or two separators (`) `) followed by a digit: how many to skip.
fn separators_before_digit(rest: &[(usize, char)]) -> Option<usize> {
    let run = rest
        .iter()
        .take(2)
        .take_while(|(_, c)| is_separator(*c))
        .count();
    (run > 0 && rest.get(run).is_some_and(|(_, c)| c.is_ascii_digit())).then_some(run)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, expect: &[&str]) {
        let got: Vec<String> = numbers_in(text)
            .into_iter()
            .map(|n| format!("{}={}", &text[n.start..n.end], n.canonical))
            .collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn numbers_are_found_as_written() {
        check("bel 06-12345678 even", &["06-12345678=31612345678"]);
        check("+31 6 12345678", &["+31 6 12345678=31612345678"]);
        check("0031 6 1234 5678.", &["0031 6 1234 5678=31612345678"]);
        check("(020) 123 4567", &["020) 123 4567=31201234567"]);
        check(
            "\u{202a}+31\u{a0}6\u{a0}11111111\u{202c}",
            &["+31\u{a0}6\u{a0}11111111=31611111111"],
        );
        check("huisnummer 12, postcode 1234 AB", &[]);
        // A date has as many digits as a number; finding it costs nothing.
        check("op 12-03-2024 om 10:00", &["12-03-2024=12032024"]);
        check("IBAN NL91ABNA0417164300", &[]);
        check(
            "0612345678 en 0687654321",
            &["0612345678=31612345678", "0687654321=31687654321"],
        );
        check("1234567890123456", &[]);
    }

    #[test]
    fn typed_numbers_are_canonical() {
        assert_eq!(typed_number("0612345678").as_deref(), Some("31612345678"));
        assert_eq!(typed_number("+31 6 1234").as_deref(), Some("3161234"));
        assert_eq!(typed_number("06-1234").as_deref(), Some("3161234"));
        assert_eq!(typed_number("06-123"), None);
        assert_eq!(typed_number("06 12"), None);
        assert_eq!(typed_number("paspoort 0612345678"), None);
    }
}
