//! The parser's rules at their boundaries, one `check(input, expect)` each.

use expect_test::{Expect, expect};
use whatsapp_export::{Export, parse};

/// Renders an export compactly: the date reading, then one line per message.
fn render(export: &Export) -> String {
    let mut out = format!("order {:?}", export.date_order);
    if let Some(other) = export.ambiguous_with {
        out += &format!(" (ambiguous, also {other:?})");
    }
    if export.preamble_lines > 0 {
        out += &format!(" preamble={}", export.preamble_lines);
    }
    out.push('\n');
    for m in &export.messages {
        let kind = m.kind.name();
        out += &format!(
            "{} L{} {kind} {:?} {:?}{}{}\n",
            m.timestamp,
            m.line,
            m.author.as_deref().unwrap_or("-"),
            m.text,
            m.attachment
                .as_deref()
                .map(|a| format!(" file={a:?}"))
                .unwrap_or_default(),
            if m.invalid_utf8 { " INVALID-UTF8" } else { "" },
        );
    }
    out
}

fn check(input: &[u8], expect: Expect) {
    expect.assert_eq(&render(
        &parse(input).expect("in-memory input cannot fail to read"),
    ));
}

#[test]
fn day_month_order_comes_from_all_headers_not_the_first_ones() {
    // The first 3 headers fit both readings; only the last one decides.
    check(
        b"01/02/2024, 10:00 - A: een\n03/04/2024, 10:00 - A: twee\n05/06/2024, 10:00 - A: drie\n07/25/2024, 10:00 - A: vier\n",
        expect![[r#"
            order MonthDayYear
            2024-01-02T10:00:00 L1 message "A" "een"
            2024-03-04T10:00:00 L2 message "A" "twee"
            2024-05-06T10:00:00 L3 message "A" "drie"
            2024-07-25T10:00:00 L4 message "A" "vier"
        "#]],
    );
}

#[test]
fn a_file_that_stays_ambiguous_says_so() {
    check(
        b"01-02-2024 10:00 - A: een\n03-04-2024 10:00 - B: twee\n",
        expect![[r#"
            order DayMonthYear (ambiguous, also MonthDayYear)
            2024-02-01T10:00:00 L1 message "A" "een"
            2024-04-03T10:00:00 L2 message "B" "twee"
        "#]],
    );
}

#[test]
fn years_before_whatsapp_are_implausible() {
    // 05/06/07 is 2007 (or 2005) in every reading: before WhatsApp, so no header.
    check(
        b"05/06/07, 10:00 - A: oud\n13/06/24, 10:00 - A: nieuw\n",
        expect![[r#"
            order DayMonthYear preamble=1
            2024-06-13T10:00:00 L2 message "A" "nieuw"
        "#]],
    );
    check(
        b"2024/01/13, 10:00 - A: jaar eerst\n",
        expect![[r#"
            order YearMonthDay
            2024-01-13T10:00:00 L1 message "A" "jaar eerst"
        "#]],
    );
}

#[test]
fn file_order_is_kept_and_identical_messages_stay_two() {
    check(
        b"[02-05-2022 16:24:29] Dave: later geschreven\n[02-05-2022 16:20:12] Eva: eerder\n[13-05-2022 09:00:00] Eva: ok\n[13-05-2022 09:00:00] Eva: ok\n",
        expect![[r#"
            order DayMonthYear
            2022-05-02T16:24:29 L1 message "Dave" "later geschreven"
            2022-05-02T16:20:12 L2 message "Eva" "eerder"
            2022-05-13T09:00:00 L3 message "Eva" "ok"
            2022-05-13T09:00:00 L4 message "Eva" "ok"
        "#]],
    );
}

#[test]
fn continuation_lines_including_look_alikes_stay_text() {
    check(
        b"13-05-2022 09:00 - Eva: eerste regel\n\n[5/2, 16:08] Alice: geplakt\n13-05-2022 09:00 Bob: geen streepje\n14-05-2022 10:00 - Bob: volgende\n",
        expect![[r#"
            order DayMonthYear
            2022-05-13T09:00:00 L1 message "Eva" "eerste regel\n\n[5/2, 16:08] Alice: geplakt\n13-05-2022 09:00 Bob: geen streepje"
            2022-05-14T10:00:00 L5 message "Bob" "volgende"
        "#]],
    );
}

#[test]
fn a_header_of_another_shape_inside_a_file_is_text() {
    check(
        b"[13-05-2022 09:00:00] Eva: iOS\n13-05-2022 09:01 - Bob: geplakte Android-regel\n[13-05-2022 09:02:00] Eva: weer iOS\n",
        expect![[r#"
            order DayMonthYear
            2022-05-13T09:00:00 L1 message "Eva" "iOS\n13-05-2022 09:01 - Bob: geplakte Android-regel"
            2022-05-13T09:02:00 L3 message "Eva" "weer iOS"
        "#]],
    );
}

#[test]
fn bytes_crlf_bom_nul_and_invalid_utf8() {
    check(
        b"\xEF\xBB\xBF13-05-2022 09:00 - Eva: met BOM\r\n13-05-2022 09:01 - Eva: kapot \xFF\xFE byte\r\nvervolg\r\n13-05-2022 09:02 - Eva: nul\x00byte\r\n",
        expect![[r#"
            order DayMonthYear
            2022-05-13T09:00:00 L1 message "Eva" "met BOM"
            2022-05-13T09:01:00 L2 message "Eva" "kapot �� byte\nvervolg" INVALID-UTF8
            2022-05-13T09:02:00 L4 message "Eva" "nul\0byte"
        "#]],
    );
}

#[test]
fn text_before_the_first_header_is_counted_not_dropped_silently() {
    check(
        b"iets ervoor\n\n13-05-2022 09:00 - Eva: hallo\n",
        expect![[r#"
            order DayMonthYear preamble=1
            2022-05-13T09:00:00 L3 message "Eva" "hallo"
        "#]],
    );
    check(
        b"",
        expect![[r#"
        order DayMonthYear
    "#]],
    );
    check(
        b"geen enkele kop\n",
        expect![[r#"
        order DayMonthYear preamble=1
    "#]],
    );
}

#[test]
fn kinds_in_dutch_android() {
    check(
        "23-03-2022 13:31 - Berichten en oproepen worden end-to-end versleuteld. Tik voor meer informatie.
23-03-2022 13:32 - \u{200E}Alice heeft u toegevoegd
23-03-2022 13:33 - Inwoner: <Media weggelaten>
23-03-2022 13:34 - Inwoner: \u{200E}IMG-20220323-WA0001.jpg (bestand bijgevoegd)
Losse stoeptegel
23-03-2022 13:35 - Inwoner: Dit bericht is verwijderd
23-03-2022 13:36 - Inwoner: Gemiste spraakoproep
23-03-2022 13:37 - Inwoner: locatie: https://maps.google.com/?q=52.1,5.1
23-03-2022 13:38 - Gemeente: Dank u <Dit bericht is bewerkt>
23-03-2022 13:39 - Inwoner: null
"
        .as_bytes(),
        expect![[r#"
            order DayMonthYear
            2022-03-23T13:31:00 L1 system "-" "Berichten en oproepen worden end-to-end versleuteld. Tik voor meer informatie."
            2022-03-23T13:32:00 L2 system "-" "Alice heeft u toegevoegd"
            2022-03-23T13:33:00 L3 media "Inwoner" ""
            2022-03-23T13:34:00 L4 media "Inwoner" "Losse stoeptegel" file="IMG-20220323-WA0001.jpg"
            2022-03-23T13:35:00 L6 deleted "Inwoner" "Dit bericht is verwijderd"
            2022-03-23T13:36:00 L7 system "Inwoner" "Gemiste spraakoproep"
            2022-03-23T13:37:00 L8 message "Inwoner" "locatie: https://maps.google.com/?q=52.1,5.1"
            2022-03-23T13:38:00 L9 message "Gemeente" "Dank u <Dit bericht is bewerkt>"
            2022-03-23T13:39:00 L10 media "Inwoner" ""
        "#]],
    );
}

#[test]
fn kinds_in_dutch_ios() {
    check(
        "[02-05-2022 16:08:13] Gemeente X: \u{200E}Berichten en gesprekken worden end-to-end versleuteld.
[02-05-2022 16:09:00] \u{202A}+31\u{00A0}6\u{00A0}00000001\u{202C}: \u{200E}Dit bericht is verwijderd.
\u{200E}[02-05-2022 16:17:01] Inwoner: \u{200E}<bijgevoegd: 00000014-PHOTO-2022-05-02-16-17-01.jpg>
\u{200E}[02-05-2022 16:18:34] Inwoner: Brief.pdf \u{2022} \u{200E}2 pagina's \u{200E}<bijgevoegd: 00000017-Brief.pdf>
\u{200E}[02-05-2022 16:19:00] Inwoner: \u{200E}afbeelding weggelaten
[02-05-2022 16:20:00] Inwoner: \u{200E}\u{200E}Je beveiligingscode voor Inwoner is gewijzigd.
[13-05-2022 16:21:00] Inwoner:
"
        .as_bytes(),
        expect![[r#"
            order DayMonthYear
            2022-05-02T16:08:13 L1 system "-" "Berichten en gesprekken worden end-to-end versleuteld."
            2022-05-02T16:09:00 L2 deleted "+31 6 00000001" "Dit bericht is verwijderd."
            2022-05-02T16:17:01 L3 media "Inwoner" "" file="00000014-PHOTO-2022-05-02-16-17-01.jpg"
            2022-05-02T16:18:34 L4 media "Inwoner" "Brief.pdf • 2 pagina's" file="00000017-Brief.pdf"
            2022-05-02T16:19:00 L5 media "Inwoner" ""
            2022-05-02T16:20:00 L6 system "-" "Je beveiligingscode voor Inwoner is gewijzigd."
            2022-05-13T16:21:00 L7 message "Inwoner" ""
        "#]],
    );
}

#[test]
fn debug_output_carries_no_citizen_data() {
    let export =
        parse("13-05-2022 09:00 - Fatima el Amrani: Mijn adres is Dorpsstraat 1\n".as_bytes())
            .unwrap();
    let printed = format!("{export:?}");
    assert!(!printed.contains("Fatima"), "{printed}");
    assert!(!printed.contains("Dorpsstraat"), "{printed}");
    assert!(printed.contains("text_chars: 27"), "{printed}");
}
