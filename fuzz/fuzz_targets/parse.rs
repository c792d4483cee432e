//! Any bytes through both passes, decoding and classification: no panic,
//! and every line lands in exactly one message or the preamble.
#![no_main]

use std::ops::ControlFlow;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Ok(survey) = whatsapp_export::survey(input) else {
        return;
    };
    let mut next_line = None;
    let result = whatsapp_export::read_messages(input, &survey, |m| {
        if let Some(expected) = next_line {
            assert_eq!(m.line, expected, "messages must be contiguous");
        }
        next_line = Some(m.line + m.body.iter().filter(|&&b| b == b'\n').count() + 1);
        let decoded = m.decode();
        let _ = decoded.classify();
        let _ = decoded.as_written();
        ControlFlow::Continue(())
    });
    if result.is_ok() {
        let _ = whatsapp_export::parse(input);
    }
});
