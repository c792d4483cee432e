//! Any bytes as a zip archive: refused or read, never a panic, and never
//! more than the limits allow.
#![no_main]

use std::io::{Cursor, Read};

use libfuzzer_sys::fuzz_target;
use whatsapp_export::container::{Limits, open_zip};

fuzz_target!(|input: &[u8]| {
    let limits = Limits {
        max_chat_bytes: 1 << 20,
        max_total_bytes: 4 << 20,
        ..Limits::default()
    };
    let Ok(mut export) = open_zip(Cursor::new(input), Some("WhatsApp Chat - X.zip"), limits) else {
        return;
    };
    let _ = export.media().len();
    if let Ok(mut chat) = export.chat() {
        let mut text = Vec::new();
        if chat.read_to_end(&mut text).is_ok() {
            assert!(text.len() <= 1 << 20, "the chat limit held");
            let _ = whatsapp_export::parse(&text);
        }
    }
});
