//! `kluis verify` and `kluis open`: the archivist's side. These need only
//! `kluis-seal`, never a vault.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use clap::Args;
use kluis_seal::encrypt::{self, Opener};
use kluis_seal::package::{Expect, group_of, open, verify, verify_origin};
use secrecy::SecretString;

use crate::vault::out;

const PASSPHRASE_VAR: &str = "KLUIS_ARCHIVE_PASSPHRASE";

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Packages (`….tar.age`), their signatures beside them; given in
    /// order, each is checked as the successor of the one before.
    #[arg(required = true)]
    packages: Vec<PathBuf>,
    #[command(flatten)]
    keys: Keys,
    /// The workplace the packages must come from, as the archive keeps it:
    /// `gm0363/WP01`. Without it, the first package's decides for the rest.
    #[arg(long, value_name = "GMxxxx/WPxx")]
    expect: Option<String>,
}

#[derive(Debug, Args)]
pub struct OpenArgs {
    /// The package (`….tar.age`).
    package: PathBuf,
    #[command(flatten)]
    keys: Keys,
    /// Where to unpack the bag (a new or empty folder).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

#[derive(Debug, Args)]
struct Keys {
    /// The workstation's public key (`.pub`), handed over at installation.
    #[arg(long, value_name = "FILE")]
    pubkey: PathBuf,
    /// The archive's age key file; without it (and without
    /// KLUIS_ARCHIVE_PASSPHRASE) only the outer signature is checked.
    #[arg(long, value_name = "FILE")]
    identity: Option<PathBuf>,
}

enum Opening {
    Keys(Vec<age::x25519::Identity>),
    Passphrase(SecretString),
    Nothing,
}

impl Keys {
    fn public_key(&self) -> anyhow::Result<String> {
        std::fs::read_to_string(&self.pubkey)
            .with_context(|| format!("cannot read the public key {}", self.pubkey.display()))
    }

    fn opening(&self) -> anyhow::Result<Opening> {
        if let Some(path) = &self.identity {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the identity {}", path.display()))?;
            return Ok(Opening::Keys(vec![encrypt::identity(&text)?]));
        }
        Ok(match std::env::var(PASSPHRASE_VAR) {
            Ok(p) if !p.is_empty() => Opening::Passphrase(SecretString::from(p)),
            _ => Opening::Nothing,
        })
    }
}

impl Opening {
    fn opener(&self) -> Option<Opener<'_>> {
        match self {
            Self::Keys(keys) => Some(Opener::Keys(keys)),
            Self::Passphrase(p) => Some(Opener::Passphrase(p)),
            Self::Nothing => None,
        }
    }
}

fn signature_of(package: &Path) -> PathBuf {
    let mut name = package.as_os_str().to_owned();
    name.push(".minisig");
    PathBuf::from(name)
}

/// Checks each package; the exit code is the first failure's (10 outer
/// signature, 11 decryption, 12 bag, 13 inner signature, 14 bag-info,
/// 15 chain). Without the archive's key, the origin and the chain are
/// checked from the signed comments.
pub fn verify_packages(args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let public_key = args.keys.public_key()?;
    let opening = args.keys.opening()?;
    let mut expect = Expect {
        public_key,
        previous: None,
        previous_audit: None,
        group: match &args.expect {
            Some(workplace) => Some(group_of(workplace).ok_or_else(|| {
                anyhow!("--expect {workplace}: give the municipality's code and the workplace, like gm0363/WP01")
            })?),
            None => None,
        },
    };
    let mut first_failure: Option<u8> = None;
    let mut stdout = out();
    for package in &args.packages {
        let name = package.display();
        let signature = signature_of(package);
        let checked = match opening.opener() {
            Some(opener) => verify(package, &signature, opener, &expect).map(|verified| {
                let line = format!(
                    "ok: {} seq {} bag sha256:{}, {} files, {} bytes, {} to {}",
                    verified.id,
                    verified.seq,
                    verified.digest.hex(),
                    verified.bag.payload_files,
                    verified.bag.payload_bytes,
                    verified.period_start,
                    verified.period_end
                );
                let warnings = verified.bag.warnings.clone();
                let next = (verified.id, verified.digest, verified.seq, verified.group);
                (line, warnings, next, Some(verified.audit))
            }),
            // Origin, integrity and chain: what the intake desk checks first.
            None => verify_origin(package, &signature, &expect).map(|origin| {
                let line = format!(
                    "signature ok: {} seq {} bag sha256:{}, {} to {}; not decrypted: give --identity to check the bag",
                    origin.id,
                    origin.seq,
                    origin.digest.hex(),
                    origin.period_start,
                    origin.period_end
                );
                let audit = origin.audit_end(expect.previous_audit.as_ref());
                let next = (origin.id, origin.digest, origin.seq, origin.group);
                (line, Vec::new(), next, audit)
            }),
        };
        match checked {
            Ok((line, warnings, (id, digest, seq, group), audit)) => {
                writeln!(stdout, "{name}: {line}")?;
                for warning in &warnings {
                    writeln!(stdout, "  warning: {warning}")?;
                }
                expect.previous = Some((id, digest, seq));
                expect.previous_audit = audit;
                expect.group.get_or_insert(group);
            }
            Err(e) => {
                // The next is judged as the successor of the last good one:
                // a row never restarts its chain at a failure.
                writeln!(stdout, "{name}: FAILED: {e}")?;
                first_failure.get_or_insert(e.exit_code());
            }
        }
    }
    Ok(first_failure.map_or(ExitCode::SUCCESS, ExitCode::from))
}

/// Verifies the package and unpacks its bag into `--out`, from one read.
pub fn open_package(args: &OpenArgs) -> anyhow::Result<ExitCode> {
    let public_key = args.keys.public_key()?;
    let opening = args.keys.opening()?;
    let opener = opening.opener().ok_or_else(|| {
        anyhow!("give --identity FILE (or set {PASSPHRASE_VAR}) to open a package")
    })?;
    let expect = Expect {
        public_key,
        previous: None,
        group: None,
        previous_audit: None,
    };
    let signature = signature_of(&args.package);
    match open(&args.package, &signature, opener, &expect, &args.out) {
        Ok((verified, bag)) => {
            writeln!(
                out(),
                "{}: verified and unpacked into {}",
                verified.id,
                bag.display()
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("kluis: {}: not opened: {e}", args.package.display());
            Ok(ExitCode::from(e.exit_code()))
        }
    }
}
