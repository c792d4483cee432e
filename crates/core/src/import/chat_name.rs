//! The chat's name, which WhatsApp writes only into the export's file name.
//!
//! `WhatsApp Chat with Jan de Vries.txt`, `WhatsApp-chat met Jan.zip`,
//! `WhatsApp Chat - Jan.zip` (iOS): the name is what follows WhatsApp's
//! words. Copies pick up `(1)` and `.zip.zip`; those are dropped too, so a
//! re-export lands in the same conversation.

/// What WhatsApp puts before the name, per language and platform
/// (`../shared/notes/whatsapp-format.md` section 1). The Czech and Russian
/// Android names hold a no-break space.
const PREFIXES: &[&str] = &[
    "WhatsApp Chat with ",
    "WhatsApp-chat met ",
    "WhatsApp Chat - ",
    "WhatsApp-chat - ",
    "WhatsApp-Chat mit ",
    "Chat de WhatsApp con ",
    "Discussion WhatsApp avec ",
    "Conversa do WhatsApp com ",
    "Chat WhatsApp con ",
    "Chat WhatsApp s\u{a0}uživatelem ",
    "Чат WhatsApp с\u{a0}контактом ",
    "Чат WhatsApp с\u{a0}",
];

/// The chat name for an export file called `file_name`, or `None` when the
/// name says nothing about the chat (`_chat.txt`): then the caller asks the
/// folder it came in.
pub fn from_file_name(file_name: &str) -> Option<String> {
    let mut stem = file_name.trim();
    loop {
        let lower = stem.to_ascii_lowercase();
        let cut = [".zip", ".txt"].iter().find(|ext| lower.ends_with(*ext));
        match cut {
            Some(ext) => stem = stem[..stem.len() - ext.len()].trim_end(),
            None => break,
        }
        // A copy's ` (1)`, ` (2)`... sits before the extension.
        stem = without_copy_number(stem);
    }
    stem = without_copy_number(stem);
    let name = PREFIXES
        .iter()
        .find_map(|prefix| stem.strip_prefix(prefix))
        .unwrap_or(stem)
        .trim();
    if name.is_empty() || name.eq_ignore_ascii_case("_chat") {
        None
    } else {
        Some(name.to_owned())
    }
}

fn without_copy_number(stem: &str) -> &str {
    let Some(open) = stem.strip_suffix(')').and_then(|s| s.rfind(" (")) else {
        return stem;
    };
    let number = &stem[open + 2..stem.len() - 1];
    if !number.is_empty() && number.len() <= 3 && number.bytes().all(|b| b.is_ascii_digit()) {
        stem[..open].trim_end()
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(file_name: &str, expect: Option<&str>) {
        assert_eq!(from_file_name(file_name).as_deref(), expect, "{file_name}");
    }

    #[test]
    fn names() {
        check("WhatsApp Chat with Jan de Vries.txt", Some("Jan de Vries"));
        check("WhatsApp-chat met Jan de Vries.txt", Some("Jan de Vries"));
        check("WhatsApp Chat - Elon Musk (RU).zip", Some("Elon Musk (RU)"));
        check("WhatsApp-chat - +31 6 12345678.zip", Some("+31 6 12345678"));
        check("WhatsApp Chat with John.zip.zip", Some("John"));
        check("WhatsApp Chat with John (1).zip", Some("John"));
        check("WhatsApp Chat with John (2).txt", Some("John"));
        check("WhatsApp Chat with Family 👨‍👩‍👧‍👦.txt", Some("Family 👨‍👩‍👧‍👦"));
        check(
            "Chat WhatsApp s\u{a0}uživatelem Dmitry S CZ Android.txt",
            Some("Dmitry S CZ Android"),
        );
        check(
            "Чат WhatsApp с\u{a0}контактом Dmitry S RU Android.txt",
            Some("Dmitry S RU Android"),
        );
        // Not WhatsApp's words: the file's own name is all there is.
        check("lorem.txt", Some("lorem"));
        check("iOS Thai.TXT", Some("iOS Thai"));
        check("_chat.txt", None);
    }
}
