//! Any bytes through both passes, decoding and classification: no panic,
//! every line lands in exactly one message or the preamble, and the
//! one-pass speculative reading and the reading on two threads agree with
//! the two-pass one.
#![no_main]

use std::ops::ControlFlow;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Ok(survey) = whatsapp_export::survey(input) else {
        return;
    };
    let mut next_line = None;
    let mut two_pass = Vec::new();
    let result = whatsapp_export::read_messages(input, &survey, |m| {
        if let Some(expected) = next_line {
            assert_eq!(m.line, expected, "messages must be contiguous");
        }
        next_line = Some(m.line + m.body.iter().filter(|&&b| b == b'\n').count() + 1);
        let decoded = m.decode();
        two_pass.push(decoded.classify().into_owned());
        let _ = decoded.as_written();
        ControlFlow::Continue(())
    });
    let Ok(preamble) = result else {
        return;
    };
    let mut in_parallel = Vec::new();
    let parallel_preamble = whatsapp_export::read_messages_in_parallel(input, &survey, |m| {
        in_parallel.push(m.decode().classify().into_owned());
        ControlFlow::Continue(())
    })
    .expect("one thread read this input");
    assert_eq!(parallel_preamble, preamble);
    assert!(in_parallel == two_pass, "the reading on two threads differs");
    let mut one_pass = Vec::new();
    let outcome = whatsapp_export::read_speculatively(input, |m| {
        one_pass.push(m.decode().classify().into_owned());
    })
    .expect("the survey read this input");
    match outcome {
        whatsapp_export::Speculation::Confirmed {
            survey: confirmed,
            preamble: one_pass_preamble,
        } => {
            assert_eq!(confirmed, survey);
            assert_eq!(one_pass_preamble, preamble);
            assert!(one_pass == two_pass, "the readings differ");
        }
        whatsapp_export::Speculation::Refuted { survey: refuted } => assert_eq!(refuted, survey),
    }
    let _ = whatsapp_export::parse(input);
});
