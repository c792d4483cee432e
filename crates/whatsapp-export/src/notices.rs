//! WhatsApp's own words, per language: notices, deletions, media markers.
//!
//! Dutch, English and German are complete as far as the format reference
//! knows them; other languages are as far as the public fixtures show them.
//! A string missing here makes a message `message` instead of `system`,
//! `deleted` or `media`: visible in the output, never lost.
//!
//! Every message is checked against these lists, so each list sits behind a
//! [`Table`] that rejects almost every text with one bit test on its first
//! (or last) eight bytes and one on its length, before comparing anything.

use std::sync::LazyLock;

/// A list of strings with a cheap gate in front of it: a text is compared
/// with the strings only when its length fits and its first (or last) eight
/// bytes are those of one of them. Two bytes were not enough: a third of all
/// messages start like some notice (`Ge`, `He`) and the failed guesses cost
/// more than the compare.
pub(crate) struct Table {
    min_len: usize,
    max_len: usize,
    /// The strings' first and last eight bytes, hashed.
    firsts: EightByteSet,
    lasts: EightByteSet,
    strings: &'static [&'static str],
}

/// Eight-byte words, hashed into 4,096 bits; a hit may be a collision
/// (about 1 in 40 for the longest list). Small enough that all the tables'
/// sets stay in the first-level cache: a larger set was slower.
struct EightByteSet([u64; 64]);

impl EightByteSet {
    fn new(words: impl Iterator<Item = u64>) -> Self {
        let mut bits = [0u64; 64];
        for w in words {
            let h = Self::hash(w);
            bits[h >> 6] |= 1 << (h & 63);
        }
        Self(bits)
    }

    #[inline]
    fn hash(word: u64) -> usize {
        (word.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 52) as usize
    }

    #[inline]
    fn contains(&self, word: u64) -> bool {
        let h = Self::hash(word);
        self.0[h >> 6] & (1 << (h & 63)) != 0
    }
}

/// The first eight bytes as a word; 0 for a shorter text (which no gate
/// lets through: every string is longer).
#[inline]
fn first_eight(bytes: &[u8]) -> u64 {
    bytes
        .first_chunk::<8>()
        .map_or(0, |b| u64::from_le_bytes(*b))
}

/// The last eight bytes as a word; 0 for a shorter text.
#[inline]
fn last_eight(bytes: &[u8]) -> u64 {
    bytes
        .last_chunk::<8>()
        .map_or(0, |b| u64::from_le_bytes(*b))
}

impl Table {
    fn new(strings: &'static [&'static str]) -> Self {
        assert!(
            strings.iter().all(|s| s.len() > 8),
            "the gates read eight bytes, and a shorter text must never pass them"
        );
        Self {
            min_len: strings.iter().map(|s| s.len()).min().unwrap_or(usize::MAX),
            max_len: strings.iter().map(|s| s.len()).max().unwrap_or(0),
            firsts: EightByteSet::new(strings.iter().map(|s| first_eight(s.as_bytes()))),
            lasts: EightByteSet::new(strings.iter().map(|s| last_eight(s.as_bytes()))),
            strings,
        }
    }

    /// Whether `text` is one of the strings.
    #[inline]
    pub fn contains(&self, text: &str) -> bool {
        // The bit first: it almost never passes, so its branch is always
        // guessed right, where one on the length is not.
        self.firsts.contains(first_eight(text.as_bytes()))
            && (self.min_len..=self.max_len).contains(&text.len())
            && self.strings.contains(&text)
    }

    /// Whether `text`, without the dots at its end, is one of the strings.
    #[inline]
    pub fn contains_without_trailing_dots(&self, text: &str) -> bool {
        // Every string is longer than the eight bytes the gate reads, so
        // trimming cannot change them.
        self.firsts.contains(first_eight(text.as_bytes()))
            && self.contains(text.trim_end_matches('.'))
    }

    /// Whether `text` starts with one of the strings.
    #[inline]
    pub fn is_prefix_of(&self, text: &str) -> bool {
        self.may_start(text) && self.strings.iter().any(|s| text.starts_with(s))
    }

    /// `false` when `text` starts with none of the strings (`true` may be a
    /// collision).
    #[inline]
    pub fn may_start(&self, text: &str) -> bool {
        self.firsts.contains(first_eight(text.as_bytes()))
    }

    /// `false` when `text` ends with none of the strings (`true` may be a
    /// collision).
    #[inline]
    pub fn may_end(&self, text: &str) -> bool {
        self.lasts.contains(last_eight(text.as_bytes()))
    }

    /// `text` without the string it ends with, if it ends with one.
    #[inline]
    pub fn strip_suffix_of<'t>(&self, text: &'t str) -> Option<&'t str> {
        if !self.may_end(text) {
            return None;
        }
        self.strings.iter().find_map(|s| text.strip_suffix(s))
    }
}

/// One gate in front of all the tables a message's text is checked against:
/// most texts pass none, and one bit test each way is cheaper than six.
pub(crate) struct AnyWord {
    firsts: EightByteSet,
    lasts: EightByteSet,
}

impl AnyWord {
    fn new() -> Self {
        let starts = [NOTICE_PREFIXES, MISSED_CALLS, DELETED, ANDROID_OMITTED];
        let ends = [ANDROID_ATTACHED_SUFFIXES, IOS_OMITTED];
        Self {
            firsts: EightByteSet::new(
                starts
                    .iter()
                    .flat_map(|t| t.iter())
                    .map(|s| first_eight(s.as_bytes())),
            ),
            lasts: EightByteSet::new(
                ends.iter()
                    .flat_map(|t| t.iter())
                    .map(|s| last_eight(s.as_bytes())),
            ),
        }
    }

    /// `false` when `text` can be in none of the tables: it starts like no
    /// notice, missed call, deletion or Android omission, and ends like no
    /// Android attachment or iOS omission.
    #[inline]
    pub fn may_match(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        self.firsts.contains(first_eight(bytes)) | self.lasts.contains(last_eight(bytes))
    }
}

pub(crate) static ANY_WORD: LazyLock<AnyWord> = LazyLock::new(AnyWord::new);
pub(crate) static NOTICES: LazyLock<Table> = LazyLock::new(|| Table::new(NOTICE_PREFIXES));
pub(crate) static MISSED: LazyLock<Table> = LazyLock::new(|| Table::new(MISSED_CALLS));
pub(crate) static DELETIONS: LazyLock<Table> = LazyLock::new(|| Table::new(DELETED));
pub(crate) static ANDROID_OMISSIONS: LazyLock<Table> =
    LazyLock::new(|| Table::new(ANDROID_OMITTED));
pub(crate) static ANDROID_ATTACHMENTS: LazyLock<Table> =
    LazyLock::new(|| Table::new(ANDROID_ATTACHED_SUFFIXES));
pub(crate) static IOS_OMISSIONS: LazyLock<Table> = LazyLock::new(|| Table::new(IOS_OMITTED));

/// Starts of notices WhatsApp writes into a chat. Where iOS puts the chat's
/// name in front as if it were an author, that author is dropped.
const NOTICE_PREFIXES: &[&str] = &[
    // End-to-end encryption.
    "Berichten en oproepen worden end-to-end versleuteld",
    "Berichten en gesprekken worden end-to-end versleuteld",
    "Uw oproepen en berichten zijn beveiligd met end-to-end",
    "Berichten die je naar deze groep stuurt",
    "Messages and calls are end-to-end encrypted",
    "Messages to this group are now secured with end-to-end encryption",
    "Messages you send to this group are now secured with end-to-end encryption",
    "Messages you send to this chat and calls are now secured with end-to-end encryption",
    "Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt",
    "Zprávy a hovory jsou",
    "Сообщения и звонки защищены",
    "Повідомлення й дзвінки захищені",
    "As mensagens e chamadas são encriptadas",
    "I messaggi e le chiamate sono crittografati",
    "Les messages et les appels sont chiffrés",
    "Los mensajes y las llamadas están cifrados",
    "Pesan dan panggilan terenkripsi",
    "Tin nhắn và cuộc gọi được mã hóa",
    "मैसेजेस और कॉल्स",
    "ข้อความและการโทรได้",
    "メッセージと通話はエンドツーエンド暗号",
    "الرسائل والمكالمات مشفرة",
    // Business accounts.
    "Deze chat is met een zakelijk account",
    "Dit bedrijf gebruikt een beveiligde service van Meta",
    "This chat is with a business account",
    "This business uses a secure service from Meta",
    "This business is now using a secure service from Meta",
    "Dieser Chat ist mit einem Unternehmenskonto",
    // Security codes.
    "Uw beveiligingscode voor",
    "Je beveiligingscode voor",
    "Your security code with",
    "Deine Sicherheitsnummer für",
    // Messages that could not be decrypted yet.
    "Wachten op dit bericht",
    "Waiting for this message",
];

/// Missed calls: notices that keep their author, the caller.
const MISSED_CALLS: &[&str] = &[
    "Gemiste spraakoproep",
    "Gemiste video-oproep",
    "Gemist spraakgesprek",
    "Gemist videogesprek",
    "Gemiste groepsspraakoproep",
    "Gemiste groepsvideo-oproep",
    "Missed voice call",
    "Missed video call",
    "Missed group voice call",
    "Missed group video call",
    "Verpasster Sprachanruf",
    "Verpasster Videoanruf",
];

/// Deleted messages, compared without invisible marks and a final period.
const DELETED: &[&str] = &[
    "Dit bericht is verwijderd",
    "U hebt dit bericht verwijderd",
    "Je hebt dit bericht verwijderd",
    "Dit bericht is verwijderd door een beheerder",
    "This message was deleted",
    "You deleted this message",
    "This message was deleted by an admin",
    "Diese Nachricht wurde gelöscht",
    "Du hast diese Nachricht gelöscht",
    "Данное сообщение удалено",
    "Это сообщение удалено",
    "Вы удалили данное сообщение",
    "Вы удалили это сообщение",
    "Tato zpráva byla smazána",
    "Smazal(a) jste tuto zprávu",
    "Tuto zprávu jste smazal/a",
    "このメッセージは削除されました。",
    "このメッセージを削除しました。",
    "คุณได้ลบข้อความนี้",
    "ข้อความนี้ถูกลบแล้ว",
    "आपने यह मैसेज डिलीट किया",
    "यह मैसेज डिलीट किया गया",
    "Bạn đã xoá tin nhắn này",
    "Tin nhắn này đã bị xoá",
    "Anda menghapus pesan ini",
    "Pesan ini telah dihapus",
    "Ce message a été supprimé",
    "Vous avez supprimé ce message",
    "Se eliminó este mensaje",
    "Eliminaste este mensaje",
    "Questo messaggio è stato eliminato",
    "Hai eliminato questo messaggio",
    "Esta mensagem foi apagada",
    "Apagou esta mensagem",
];

/// Android, media left out of the export: the whole first line.
const ANDROID_OMITTED: &[&str] = &[
    "<Media weggelaten>",
    "<Media omitted>",
    "<Video note omitted>",
    "<Medien ausgeschlossen>",
    "<Medien weggelassen>",
    "<Média vynechány>",
    "<Média vynechána>",
    "<Без медиафайлов>",
    "<Médias omis>",
    "<Multimedia omitido>",
    "<Media omessi>",
    "<Mídia oculta>",
];

/// Android, a file that came with the export: `NAME (file attached)`.
const ANDROID_ATTACHED_SUFFIXES: &[&str] = &[
    " (bestand bijgevoegd)",
    " (file attached)",
    " (Datei angehängt)",
    " (файл добавлен)",
    " (soubor byl přiložen)",
    " (fichier joint)",
    " (archivo adjunto)",
    " (file allegato)",
    " (arquivo anexado)",
];

/// iOS, media left out of the export: the text after the last LRM.
const IOS_OMITTED: &[&str] = &[
    // Dutch
    "afbeelding weggelaten",
    "video weggelaten",
    "audio weggelaten",
    "sticker weggelaten",
    "GIF weggelaten",
    "document weggelaten",
    "Visitekaartje weggelaten",
    // English
    "image omitted",
    "video omitted",
    "audio omitted",
    "sticker omitted",
    "GIF omitted",
    "document omitted",
    "Contact card omitted",
    // German
    "Bild weggelassen",
    "Video weggelassen",
    "Audio weggelassen",
    "Sticker weggelassen",
    "GIF weggelassen",
    "Dokument weggelassen",
    "Kontaktkarte ausgelassen",
    // French
    "image absente",
    "vidéo absente",
    "audio omis",
    "sticker omis",
    "GIF retiré",
    "document manquant",
    "Fiche contact manquante",
    // Spanish
    "imagen omitida",
    "Video omitido",
    "audio omitido",
    "sticker omitido",
    "GIF omitido",
    "documento omitido",
    "Tarjeta de contacto omitida",
    // Italian
    "immagine omessa",
    "video omesso",
    "audio omesso",
    "sticker non incluso",
    "GIF esclusa",
    "documento omesso",
    "Scheda contatto omessa",
    // Portuguese
    "imagem não revelada",
    "vídeo não revelado",
    "ficheiro de áudio não revelado",
    "sticker não revelado",
    "GIF não revelada",
    "documento não revelado",
    "Contacto não revelado",
    // Czech
    "obrázek vynechán",
    "video vynecháno",
    "zvukový soubor vynechán",
    "nálepka vynechána",
    "GIF vynechán",
    "dokument vynechán",
    "Vizitka vynechána",
    // Russian
    "изображение отсутствует",
    "видео отсутствует",
    "аудиофайл отсутствует",
    "стикер не добавлен",
    "GIF отсутствует",
    "документ отсутствует",
    "Карточка контакта отсутствует",
    // Ukrainian
    "зображення відсутнє",
    "відео відсутнє",
    "аудіо відсутнє",
    "Наклейку не додано",
    "GIF-анімацію пропущено",
    "документ пропущено",
    "Картка контакту відсутня",
    // Indonesian
    "gambar tidak disertakan",
    "video tidak disertakan",
    "audio tidak disertakan",
    "stiker tidak disertakan",
    "GIF tidak disertakan",
    "dokumen tidak disertakan",
    "Kartu kontak tidak disertakan",
    // Vietnamese
    "đã bỏ qua hình ảnh",
    "đã bỏ video",
    "bỏ qua tệp âm thanh",
    "đã bỏ sticker",
    "Đã bỏ qua ảnh GIF",
    "đã bỏ qua tài liệu",
    "Bỏ qua thẻ liên lạc",
    // Hindi
    "फ़ोटो हटाई गई",
    "वीडियो छोड़ा गया",
    "ऑडियो हटाई गयी",
    "स्टिकर छोड़ा गया",
    "GIF छोड़ा गया",
    "डॉक्यूमेंट छोड़ा गया",
    "कॉन्टैक्ट कार्ड छोड़ा गया",
    // Thai
    "ไม่มีรูปภาพ",
    "วิดีโอถูกลบ",
    "ไม่มีไฟล์เสียง",
    "ไม่มีสติกเกอร์",
    "ละเว้น GIF",
    "ละเว้นเอกสาร",
    "บัตรรายชื่อที่ละเว้น",
    // Japanese
    "画像は含まれていません",
    "ビデオは含まれていません",
    "音声は含まれていません",
    "スタンプは含まれていません",
    "GIFは含まれていません",
    "ドキュメントは含まれていません",
    "連絡先カードを省略",
];

/// The mark WhatsApp appends to an edited message's text, per language
/// (`tekst <Dit bericht is bewerkt>`), with or without a final period.
const EDIT_MARKS: &[&str] = &["<Dit bericht is bewerkt>", "<This message was edited>"];

/// The text of an edited message without its edit mark, or `None` when
/// `text` carries none.
pub fn without_edit_mark(text: &str) -> Option<&str> {
    let trimmed = crate::marks::trim(text);
    EDIT_MARKS.iter().find_map(|mark| {
        let rest = trimmed.strip_suffix(mark).or_else(|| {
            let open = &mark[..mark.len() - 1];
            trimmed.strip_suffix(".>")?.strip_suffix(open)
        })?;
        Some(crate::marks::trim(rest))
    })
}

#[cfg(test)]
mod edit_mark_tests {
    use super::without_edit_mark;

    #[test]
    fn edit_marks_are_found_in_both_languages_with_or_without_a_period() {
        let cases = [
            (
                "Ik kom om 10 uur <Dit bericht is bewerkt>",
                Some("Ik kom om 10 uur"),
            ),
            (
                "Ik kom om 10 uur <Dit bericht is bewerkt.>",
                Some("Ik kom om 10 uur"),
            ),
            (
                "sample message <This message was edited>",
                Some("sample message"),
            ),
            ("<Dit bericht is bewerkt>", Some("")),
            ("Ik kom om 10 uur", None),
            ("<Dit bericht is bewerkt> en meer", None),
        ];
        for (text, expect) in cases {
            assert_eq!(without_edit_mark(text), expect, "{text}");
        }
    }
}
