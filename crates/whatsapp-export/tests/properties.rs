//! Properties over generated exports: no panic, and no line lost.

use std::ops::ControlFlow;

use proptest::prelude::*;

/// One line of a generated export: real headers of a few shapes, text,
/// header look-alikes, blanks, marks and bytes that are not UTF-8.
fn line() -> impl Strategy<Value = Vec<u8>> {
    let header = (1u8..=31, 1u8..=12, 0u8..=99, 0u8..=23, 0u8..=59, 0u8..=3).prop_map(|(d, m, y, h, mi, shape)| {
        match shape {
            0 => format!("{d:02}-{m:02}-20{y:02} {h:02}:{mi:02} - Inwoner: hallo"),
            1 => format!("[{d:02}-{m:02}-{y:02} {h:02}:{mi:02}:07] Gemeente: \u{200E}afbeelding weggelaten"),
            2 => format!("{m}/{d}/{y:02}, {}:{mi:02}\u{202F}PM - Inwoner: <Media omitted>", h % 12 + 1),
            _ => format!("{d:02}-{m:02}-20{y:02} {h:02}:{mi:02} - \u{200E}Alice heeft u toegevoegd"),
        }
        .into_bytes()
    });
    prop_oneof![
        4 => header,
        3 => "[a-zA-Z0-9 :.,/\\-\\[\\]]{0,40}".prop_map(String::into_bytes),
        1 => Just(Vec::new()),
        1 => prop::collection::vec(any::<u8>(), 0..30),
        1 => Just("\u{FEFF}\u{200E}[".as_bytes().to_vec()),
    ]
}

fn export() -> impl Strategy<Value = (Vec<u8>, bool)> {
    (
        prop::collection::vec(line(), 0..60),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, crlf, final_newline)| {
            let ending: &[u8] = if crlf { b"\r\n" } else { b"\n" };
            let mut out = lines.join(ending);
            if final_newline && !out.is_empty() {
                out.extend_from_slice(ending);
            }
            (out, crlf)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_line_is_in_exactly_one_message_or_the_preamble((input, _crlf) in export()) {
        let total_lines = if input.is_empty() {
            0
        } else {
            let body = input.strip_suffix(b"\n").unwrap_or(&input);
            body.iter().filter(|&&b| b == b'\n').count() + 1
        };
        let survey = whatsapp_export::survey(&input[..]).unwrap();
        let mut spans: Vec<(usize, usize)> = Vec::new();
        whatsapp_export::read_messages(&input[..], &survey, |m| {
            let lines = m.body.iter().filter(|&&b| b == b'\n').count() + 1;
            spans.push((m.line, lines));
            // Decoding and classifying never panics either.
            let decoded = m.decode();
            let message = decoded.classify();
            assert!(message.text.len() <= m.body.len() * 3 + 3);
            ControlFlow::Continue(())
        })
        .unwrap();
        // Contiguous: each message ends where the next begins, the last at the end.
        let mut next = spans.first().map_or(total_lines + 1, |s| s.0);
        for (line, lines) in &spans {
            prop_assert_eq!(*line, next);
            next = line + lines;
        }
        prop_assert_eq!(next, total_lines + 1, "{:?}", spans);
        // The owned API agrees with the streaming one.
        let parsed = whatsapp_export::parse(&input).unwrap();
        prop_assert_eq!(parsed.messages.len(), spans.len());
    }

    #[test]
    fn arbitrary_bytes_never_panic(input in prop::collection::vec(any::<u8>(), 0..2000)) {
        let _ = whatsapp_export::parse(&input).unwrap();
        let _ = whatsapp_export::parse_header(&input);
    }
}
