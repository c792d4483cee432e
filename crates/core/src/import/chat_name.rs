//! The chat's name, which WhatsApp writes only into the export's file name.
//!
//! `WhatsApp Chat with Jan de Vries.txt`, `WhatsApp-chat met Jan.zip`,
//! `WhatsApp Chat - Jan.zip` (iOS): the name is what follows WhatsApp's
//! words. A `.zip.zip` is dropped. A copy number, `Jan (2)`, is kept: it is
//! either a second export of Jan's chat saved beside the first, or another
//! citizen whose contact is also called Jan. [`base`] gives `Jan`, and the
//! importer joins the two only when their messages overlap.

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
        match [".zip", ".txt"].iter().find(|ext| lower.ends_with(*ext)) {
            Some(ext) => stem = stem[..stem.len() - ext.len()].trim_end(),
            None => break,
        }
    }
    let name = PREFIXES
        .iter()
        .find_map(|prefix| stem.strip_prefix(prefix))
        .unwrap_or(stem)
        .trim();
    if name.is_empty() || name.eq_ignore_ascii_case("_chat") || base(name) == "_chat" {
        None
    } else {
        Some(name.to_owned())
    }
}

/// The name without a copy number: `Jan (2)` gives `Jan`; `Elon Musk (RU)`
/// stays as it is.
pub fn base(name: &str) -> &str {
    let Some(open) = name.strip_suffix(')').and_then(|s| s.rfind(" (")) else {
        return name;
    };
    let number = &name[open + 2..name.len() - 1];
    if !number.is_empty() && number.len() <= 3 && number.bytes().all(|b| b.is_ascii_digit()) {
        name[..open].trim_end()
    } else {
        name
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
        check("WhatsApp Chat with John (1).zip", Some("John (1)"));
        check("WhatsApp Chat with John (2).txt", Some("John (2)"));
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
        check("_chat (1).txt", None);
    }

    #[test]
    fn bases() {
        for (name, expect) in [
            ("John (1)", "John"),
            ("John (12)", "John"),
            ("Elon Musk (RU)", "Elon Musk (RU)"),
            ("John ()", "John ()"),
            ("(2)", "(2)"),
            ("John(2)", "John(2)"),
        ] {
            assert_eq!(base(name), expect, "{name}");
        }
    }

    proptest::proptest! {
        /// Any file name, however odd, gives a name or none, never a panic,
        /// and the base is always the start of the name.
        #[test]
        fn any_file_name_is_read_without_panic(name in "\\PC{0,40}( \\([0-9]{1,4}\\))?(\\.(zip|txt|ZIP|TXT)){0,2}") {
            if let Some(chat) = from_file_name(&name) {
                proptest::prop_assert!(!chat.is_empty());
                proptest::prop_assert!(chat.starts_with(base(&chat)));
            }
        }
    }
}
