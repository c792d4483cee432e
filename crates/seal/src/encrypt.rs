//! Encryption with age (v1, binary): to the archive's X25519 recipients,
//! or to one archive passphrase (scrypt, which must stand alone). age has
//! no sender authentication; the signatures ([`crate::sign`]) give that.

use std::io::{Read, Write};

use age::secrecy::SecretString;

/// Why a package could not be encrypted or decrypted. The decryption
/// errors follow the age test kit's kinds of failure.
#[derive(Debug, thiserror::Error)]
pub enum CryptError {
    #[error("{0:?} is not an age recipient (age1…)")]
    BadRecipient(String),
    #[error("the identity is not an age secret key (AGE-SECRET-KEY-1…): {0}")]
    BadIdentity(String),
    #[error("no recipient to encrypt to")]
    NoRecipient,
    #[error("the age header is damaged or not age v1")]
    Header,
    #[error("the age header's MAC does not match: the header was changed")]
    HeaderMac,
    #[error("none of the given keys opens this file")]
    NoMatch,
    #[error("the encrypted content is damaged or cut short: {0}")]
    Payload(std::io::Error),
    #[error("the passphrase's work factor is beyond what this machine does in a reasonable time")]
    ExcessiveWork,
    #[error("encryption failed: {0}")]
    Encrypt(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Whom a package is encrypted to.
pub enum Recipients {
    /// The archive's intake key, an escrow key, …
    Keys(Vec<age::x25519::Recipient>),
    /// An archive passphrase, where a municipality has no key yet.
    Passphrase(SecretString),
}

impl std::fmt::Debug for Recipients {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Keys(keys) => f.debug_tuple("Keys").field(&keys.len()).finish(),
            Self::Passphrase(_) => f.write_str("Passphrase(..)"),
        }
    }
}

/// Reads an `age1…` recipient.
pub fn recipient(text: &str) -> Result<age::x25519::Recipient, CryptError> {
    text.trim()
        .parse()
        .map_err(|_| CryptError::BadRecipient(text.trim().to_owned()))
}

/// Reads an `AGE-SECRET-KEY-1…` identity (a key file's comments skipped).
pub fn identity(text: &str) -> Result<age::x25519::Identity, CryptError> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("AGE-SECRET-KEY-"))
        .ok_or_else(|| CryptError::BadIdentity("no AGE-SECRET-KEY- line".into()))?;
    line.parse()
        .map_err(|e: &str| CryptError::BadIdentity(e.to_owned()))
}

/// An encrypting writer to `recipients`; call `finish()` on it at the end.
pub fn encrypt_to<W: Write>(
    recipients: &Recipients,
    out: W,
) -> Result<age::stream::StreamWriter<W>, CryptError> {
    let encryptor = match recipients {
        Recipients::Keys(keys) if keys.is_empty() => return Err(CryptError::NoRecipient),
        Recipients::Keys(keys) => {
            age::Encryptor::with_recipients(keys.iter().map(|k| k as &dyn age::Recipient))
                .map_err(|e| CryptError::Encrypt(e.to_string()))?
        }
        Recipients::Passphrase(passphrase) => {
            age::Encryptor::with_user_passphrase(passphrase.clone())
        }
    };
    Ok(encryptor.wrap_output(out)?)
}

/// What opens a package.
pub enum Opener<'a> {
    Keys(&'a [age::x25519::Identity]),
    Passphrase(&'a SecretString),
}

impl std::fmt::Debug for Opener<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Keys(keys) => f.debug_tuple("Keys").field(&keys.len()).finish(),
            Self::Passphrase(_) => f.write_str("Passphrase(..)"),
        }
    }
}

/// A reader of the plaintext. Damage in the content shows as
/// [`CryptError::Payload`] while reading (see [`read_error`]).
pub fn decrypt<'r, R: Read + 'r>(
    input: R,
    opener: Opener<'_>,
) -> Result<Box<dyn Read + 'r>, CryptError> {
    let mut input = std::io::BufReader::new(input);
    let header = strict_header(&mut input)?;
    let decryptor =
        age::Decryptor::new(std::io::Cursor::new(header).chain(input)).map_err(from_age)?;
    let reader = match opener {
        Opener::Keys(keys) => decryptor
            .decrypt(keys.iter().map(|k| k as &dyn age::Identity))
            .map_err(from_age)?,
        Opener::Passphrase(passphrase) => {
            let identity = age::scrypt::Identity::new(passphrase.clone());
            decryptor
                .decrypt(std::iter::once(&identity as &dyn age::Identity))
                .map_err(from_age)?
        }
    };
    Ok(Box::new(reader))
}

/// The longest header read: a package has a handful of stanzas.
const MAX_HEADER: usize = 64 * 1024;

/// Reads the header (through its `---` line) and checks the stanza bodies
/// as the age spec words them, which the `age` crate reads more leniently:
/// every stanza has a body, whose last line is shorter than 64 characters
/// (an empty one after a full line). A malformed header is refused before
/// any key is tried.
fn strict_header(input: &mut impl std::io::BufRead) -> Result<Vec<u8>, CryptError> {
    let mut header = Vec::new();
    let mut lines: Vec<Vec<u8>> = Vec::new();
    loop {
        let mut line = Vec::new();
        let n = input.read_until(b'\n', &mut line)?;
        if n == 0 || !line.ends_with(b"\n") || header.len() + n > MAX_HEADER {
            return Err(CryptError::Header);
        }
        header.extend_from_slice(&line);
        line.pop();
        let end = line.starts_with(b"---");
        lines.push(line);
        if end {
            break;
        }
    }
    // lines[0] is the version line; the last, the MAC line.
    enum At {
        Start,
        StanzaWithoutBody,
        Body { last_len: usize },
    }
    let mut at = At::Start;
    for line in &lines[1..] {
        let is_mac = line.starts_with(b"---");
        if line.starts_with(b"-> ") || is_mac {
            match at {
                At::StanzaWithoutBody => return Err(CryptError::Header),
                At::Body { last_len } if last_len >= 64 => return Err(CryptError::Header),
                _ => {}
            }
            at = At::StanzaWithoutBody;
        } else {
            match at {
                At::Start => return Err(CryptError::Header),
                At::Body { last_len } if last_len < 64 => return Err(CryptError::Header),
                _ => {}
            }
            at = At::Body {
                last_len: line.len(),
            };
        }
        if is_mac {
            break;
        }
    }
    Ok(header)
}

/// An error from reading the plaintext, as a [`CryptError`].
pub fn read_error(error: std::io::Error) -> CryptError {
    CryptError::Payload(error)
}

fn from_age(error: age::DecryptError) -> CryptError {
    use age::DecryptError as E;
    match error {
        E::InvalidMac => CryptError::HeaderMac,
        E::NoMatchingKeys => CryptError::NoMatch,
        E::ExcessiveWork { .. } => CryptError::ExcessiveWork,
        // A wrong archive passphrase (scrypt) fails this way.
        E::DecryptionFailed => CryptError::NoMatch,
        E::KeyDecryptionFailed => CryptError::Header,
        E::InvalidHeader | E::UnknownFormat => CryptError::Header,
        E::Io(e) => CryptError::Header.or_io(e),
        _ => CryptError::Header,
    }
}

impl CryptError {
    /// A read error while parsing the header: the header is damaged, or the
    /// file could not be read at all.
    fn or_io(self, error: std::io::Error) -> Self {
        if error.kind() == std::io::ErrorKind::InvalidData
            || error.kind() == std::io::ErrorKind::UnexpectedEof
        {
            self
        } else {
            Self::Io(error)
        }
    }
}
