//! The C2SP age test kit, run as data through the decryption Kluis uses
//! to read packages back: each vector must succeed with its payload or
//! fail with its own kind of failure. Kluis reads binary age only, and has
//! no post-quantum (hybrid) keys yet: for those vectors the assertion is
//! that they never decrypt.

use std::io::Read;
use std::path::Path;

use kluis_seal::encrypt::{CryptError, Opener, decrypt, identity, read_error};
use secrecy::SecretString;
use sha2::Digest;

struct Vector {
    name: String,
    expect: String,
    payload: Option<String>,
    identities: Vec<String>,
    passphrase: Option<String>,
    armored: bool,
    body: Vec<u8>,
}

fn vectors() -> Vec<Vector> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/archive/age-testkit/testdata");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let split = bytes.windows(2).position(|w| w == b"\n\n").unwrap();
        let header = std::str::from_utf8(&bytes[..split]).unwrap();
        let mut body = bytes[split + 2..].to_vec();
        let mut vector = Vector {
            name: path.file_name().unwrap().to_string_lossy().into_owned(),
            expect: String::new(),
            payload: None,
            identities: Vec::new(),
            passphrase: None,
            armored: false,
            body: Vec::new(),
        };
        for line in header.lines() {
            let (key, value) = line.split_once(": ").unwrap();
            match key {
                "expect" => vector.expect = value.to_owned(),
                "payload" => vector.payload = Some(value.to_owned()),
                "identity" => vector.identities.push(value.to_owned()),
                "passphrase" => vector.passphrase = Some(value.to_owned()),
                "armored" => vector.armored = value == "yes",
                "compressed" => {
                    assert_eq!(value, "zlib");
                    let mut plain = Vec::new();
                    flate2::read::ZlibDecoder::new(&body[..])
                        .read_to_end(&mut plain)
                        .unwrap();
                    body = plain;
                }
                _ => {}
            }
        }
        vector.body = body;
        found.push(vector);
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(found.len() > 100, "the test kit is not there");
    found
}

/// What Kluis's decryption makes of a vector, in the kit's words.
fn outcome(vector: &Vector) -> Result<String, &'static str> {
    let keys: Vec<_> = match vector.identities.iter().map(|i| identity(i)).collect() {
        Ok(keys) => keys,
        Err(CryptError::BadIdentity(_)) => return Err("unsupported identity"),
        Err(_) => unreachable!(),
    };
    let passphrase = vector.passphrase.clone().map(SecretString::from);
    let opener = match &passphrase {
        Some(p) => Opener::Passphrase(p),
        None => Opener::Keys(&keys),
    };
    let kind = |e: CryptError| match e {
        CryptError::Header | CryptError::ExcessiveWork => "header failure",
        CryptError::HeaderMac => "HMAC failure",
        CryptError::NoMatch => "no match",
        CryptError::Payload(_) => "payload failure",
        other => panic!("{}: {other}", vector.name),
    };
    let mut reader = decrypt(&vector.body[..], opener).map_err(kind)?;
    let mut plain = Vec::new();
    reader
        .read_to_end(&mut plain)
        .map_err(|e| kind(read_error(e)))?;
    Ok(sha2::Sha256::digest(&plain)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

#[test]
fn every_vector_decrypts_or_fails_as_the_kit_says() {
    let mut wrong = Vec::new();
    let mut checked = 0;
    for vector in vectors() {
        let got = outcome(&vector);
        let unsupported = vector.armored || vector.name.contains("hybrid");
        let right = if unsupported {
            got.is_err()
        } else {
            match (&got, vector.expect.as_str()) {
                (Ok(hash), "success") => Some(hash) == vector.payload.as_ref(),
                (Err(kind), expect) => kind == &expect,
                _ => false,
            }
        };
        checked += 1;
        if !right {
            wrong.push(format!(
                "{}: expected {}, got {got:?}",
                vector.name, vector.expect
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {checked} vectors:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
