//! The recovery key: printed once at set-up, typed back by a person.
//!
//! 160 random bits in Crockford's base32 (no I, L, O or U; read
//! case-insensitively, with I and L read as 1 and O as 0), eight groups of
//! four, and one check symbol (the value mod 37) so that a typing error is
//! caught at once instead of after a second of key derivation.

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::VaultError;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CHECK_SYMBOLS: &[u8; 37] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";
const BYTES: usize = 20;

/// Why a typed recovery key was refused before trying it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecoveryKeyError {
    /// A character that is in no group.
    #[error("'{0}' is not a character of a recovery key")]
    BadCharacter(char),
    /// Too few or too many characters.
    #[error("a recovery key has 33 characters (8 groups of 4 and a check), not {0}")]
    WrongLength(usize),
    /// The characters are valid but one was mistyped.
    #[error("the recovery key has a typing error (its check character does not match)")]
    CheckFailed,
}

/// A new recovery key, as it is printed: `XXXX-XXXX-…-XXXX-C`.
pub fn generate() -> Result<SecretString, VaultError> {
    let mut bytes = Zeroizing::new([0u8; BYTES]);
    getrandom::fill(&mut bytes[..]).map_err(|_| VaultError::NoRandomness)?;
    Ok(format_key(&bytes))
}

fn format_key(bytes: &[u8; BYTES]) -> SecretString {
    let mut text = Zeroizing::new(String::with_capacity(42));
    let mut bits = 0u32;
    let mut held = 0u32;
    let mut written = 0;
    for &b in bytes {
        bits = (bits << 8) | u32::from(b);
        held += 8;
        while held >= 5 {
            held -= 5;
            if written > 0 && written % 4 == 0 {
                text.push('-');
            }
            text.push(char::from(ALPHABET[((bits >> held) & 31) as usize]));
            written += 1;
        }
    }
    text.push('-');
    text.push(char::from(CHECK_SYMBOLS[check(bytes)]));
    SecretString::from(text.as_str().to_owned())
}

/// A typed recovery key in its printed form, or why it cannot be one.
/// Blanks and dashes anywhere are ignored.
pub fn normalize(typed: &SecretString) -> Result<SecretString, RecoveryKeyError> {
    let symbols: Zeroizing<Vec<u8>> = Zeroizing::new(
        typed
            .expose_secret()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| match c.to_ascii_uppercase() {
                'I' | 'L' => Ok(b'1'),
                'O' => Ok(b'0'),
                c if c.is_ascii() => Ok(c as u8),
                c => Err(RecoveryKeyError::BadCharacter(c)),
            })
            .collect::<Result<_, _>>()?,
    );
    if symbols.len() != 33 {
        return Err(RecoveryKeyError::WrongLength(symbols.len()));
    }
    let mut bytes = Zeroizing::new([0u8; BYTES]);
    let mut bits = 0u64;
    let mut held = 0;
    let mut filled = 0;
    for &s in &symbols[..32] {
        let value = ALPHABET
            .iter()
            .position(|&a| a == s)
            .ok_or(RecoveryKeyError::BadCharacter(char::from(s)))?;
        bits = (bits << 5) | value as u64;
        held += 5;
        if held >= 8 {
            held -= 8;
            bytes[filled] = (bits >> held) as u8;
            filled += 1;
        }
    }
    let expected = CHECK_SYMBOLS[check(&bytes)];
    if symbols[32] != expected {
        return Err(if CHECK_SYMBOLS.contains(&symbols[32]) {
            RecoveryKeyError::CheckFailed
        } else {
            RecoveryKeyError::BadCharacter(char::from(symbols[32]))
        });
    }
    Ok(format_key(&bytes))
}

/// The key's value mod 37, as Crockford's check symbol.
fn check(bytes: &[u8; BYTES]) -> usize {
    bytes
        .iter()
        .fold(0usize, |acc, &b| (acc * 256 + usize::from(b)) % 37)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_typed(typed: &str, expect: Result<&str, RecoveryKeyError>) {
        let got = normalize(&SecretString::from(typed.to_owned()));
        assert_eq!(
            got.map(|s| s.expose_secret().to_owned()),
            expect.map(str::to_owned),
            "{typed:?}"
        );
    }

    #[test]
    fn the_printed_form_reads_back() {
        let key = format_key(&[0u8; BYTES]);
        assert_eq!(
            key.expose_secret(),
            "0000-0000-0000-0000-0000-0000-0000-0000-0"
        );
        let key = format_key(&[0xFF; BYTES]);
        assert_eq!(
            key.expose_secret(),
            "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-8"
        );
        for _ in 0..50 {
            let key = generate().unwrap();
            check_typed(key.expose_secret(), Ok(key.expose_secret()));
        }
    }

    #[test]
    fn what_people_type_is_forgiven_or_refused_clearly() {
        let printed = "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-8";
        check_typed("zzzz zzzz zzzz zzzz zzzz zzzz zzzz zzzz 8", Ok(printed));
        check_typed("ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ8", Ok(printed));
        check_typed(
            "0000-0000-0000-0000-0000-0000-0000-000o-0",
            Ok("0000-0000-0000-0000-0000-0000-0000-0000-0"),
        );
        check_typed(
            "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZY-8",
            Err(RecoveryKeyError::CheckFailed),
        );
        check_typed("ZZZZ-ZZZZ", Err(RecoveryKeyError::WrongLength(8)));
        check_typed(
            "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZÜ-8",
            Err(RecoveryKeyError::BadCharacter('Ü')),
        );
        check_typed(
            "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZU-8",
            Err(RecoveryKeyError::BadCharacter('U')),
        );
    }
}
