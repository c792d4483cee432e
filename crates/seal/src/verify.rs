//! The archivist's check of a package: origin first (the outer signature,
//! over exactly the bytes then decrypted), then the bag inside, its inner
//! signature, its bag-info and its place in the chain; and `open`, which
//! unpacks what it verified in the same read.

use std::fs::{self, File};
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use sha2::Digest;

use crate::bag::BagDigest;
use crate::bagit::{self, BagError, BagFiles, Checked};
use crate::encrypt::{self, CryptError, Opener};
use crate::once::read_once;
use crate::package::{
    GENESIS, INNER_SIGNATURE, KLUIS_FIELDS, OuterAudit, group_id, is_municipality_code,
    is_workplace, outer_comment,
};
use crate::sign::{self, SignError};
use crate::tar::{Counted, StreamedBag};

/// What the archivist expects of a package.
#[derive(Clone, Debug)]
pub struct Expect {
    /// The workstation's public key (`.pub` file), handed over at install.
    pub public_key: String,
    /// The package before it (id, bag digest, seq), if the archive holds it.
    pub previous: Option<(String, BagDigest, u64)>,
    /// The workplace it must come from, as `KLUIS-<gemeentecode>-<werkplek>`
    /// (see [`group_of`]); `None` accepts any.
    pub group: Option<String>,
    /// Where the previous package's audit excerpt ended, if the archive
    /// read it: this one's must continue it.
    pub previous_audit: Option<AuditEnd>,
}

/// Where a package's audit excerpt ends: its head (`Kluis-Audit-Head`) and
/// the number of its last entry (the previous package's, when it carried
/// none; `None` when no package of the row carried one yet).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEnd {
    pub head: String,
    pub last_entry: Option<i64>,
}

/// The group (`Bag-Group-Identifier`) of a workplace given as
/// `gm0363/WP01`, as the archive keeps it per workplace.
pub fn group_of(workplace: &str) -> Option<String> {
    let (code, place) = workplace.split_once('/')?;
    (is_municipality_code(code) && is_workplace(place)).then(|| group_id(code, place))
}

/// What the outer signature's trusted comment says of a package: all that
/// can be checked without the archive's key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub id: String,
    /// The id's first part, `KLUIS-<gemeentecode>-<werkplek>`.
    pub group: String,
    pub seq: u64,
    pub digest: BagDigest,
    pub previous_digest: String,
    pub period_start: String,
    pub period_end: String,
    /// Its audit excerpt's ends (a v2 comment; `None` from a v1 one).
    pub audit: Option<OuterAudit>,
}

impl Origin {
    fn parse(comment: &str) -> Result<Self, VerifyError> {
        let bad = || {
            VerifyError::BagInfo(format!(
                "the outer signature's comment is not Kluis's: {comment}"
            ))
        };
        let (v2, rest) = match comment.strip_prefix("kluis-seal v2 ") {
            Some(rest) => (true, rest),
            None => (
                false,
                comment.strip_prefix("kluis-seal v1 ").ok_or_else(bad)?,
            ),
        };
        let mut fields = std::collections::BTreeMap::new();
        for part in rest.split(' ') {
            let (key, value) = part.split_once('=').ok_or_else(bad)?;
            if fields.insert(key, value).is_some() {
                return Err(bad());
            }
        }
        let get = |key: &str| fields.get(key).map(|v| (*v).to_owned()).ok_or_else(bad);
        let digest = |key: &str| {
            get(key)?
                .strip_prefix("sha256:")
                .map(str::to_owned)
                .ok_or_else(bad)
        };
        let id = get("id")?;
        let group = id.rsplitn(3, '-').nth(2).ok_or_else(bad)?.to_owned();
        let audit = if v2 {
            let entries = match get("entries")?.as_str() {
                "-" => None,
                range => {
                    let (first, last) = range.split_once('-').ok_or_else(bad)?;
                    Some((
                        first.parse().map_err(|_| bad())?,
                        last.parse().map_err(|_| bad())?,
                    ))
                }
            };
            Some(OuterAudit {
                previous_head: digest("audit-prev")?,
                head: digest("audit")?,
                entries,
            })
        } else {
            None
        };
        Ok(Self {
            id,
            group,
            seq: get("seq")?.parse().map_err(|_| bad())?,
            digest: BagDigest::from_hex(&digest("bag")?).ok_or_else(bad)?,
            previous_digest: digest("prev")?,
            period_start: get("start")?,
            period_end: get("end")?,
            audit,
        })
    }

    /// Where its audit excerpt ends, for the next package's check: `None`
    /// from a v1 comment, which does not say (the chain of excerpts is
    /// then checked from the next v2 package on).
    pub fn audit_end(&self, before: Option<&AuditEnd>) -> Option<AuditEnd> {
        let audit = self.audit.as_ref()?;
        Some(AuditEnd {
            head: audit.head.clone(),
            last_entry: audit
                .entries
                .map(|(_, last)| last)
                .or_else(|| before.and_then(|end| end.last_entry)),
        })
    }
}

/// What a verified package is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub id: String,
    pub seq: u64,
    pub digest: BagDigest,
    pub previous_id: Option<String>,
    pub previous_digest: String,
    pub period_start: String,
    pub period_end: String,
    /// `Bag-Group-Identifier`: the municipality's code and the workplace.
    pub group: String,
    /// Where its audit excerpt begins (`Kluis-Audit-Previous-Head`), its
    /// first and last entry numbers if it has any, and where it ends.
    pub audit_previous_head: String,
    pub audit_entries: Option<(i64, i64)>,
    pub audit: AuditEnd,
    pub bag: Checked,
}

/// Why a package does not verify; each kind has its own exit code in
/// `kluis verify`.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("the outer signature does not hold: {0}")]
    OuterSignature(SignError),
    #[error("the package cannot be decrypted: {0}")]
    Decrypt(CryptError),
    #[error("the bag is not valid: {0}")]
    Bag(BagError),
    #[error("the signature inside the bag does not hold: {0}")]
    InnerSignature(SignError),
    #[error("bag-info.txt: {0}")]
    BagInfo(String),
    #[error("the chain is broken: {0}")]
    Chain(String),
    #[error("the packing slip does not match the package: {0}")]
    PackingSlip(String),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

impl VerifyError {
    /// The process exit code `kluis verify` gives this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::OuterSignature(_) => 10,
            Self::Decrypt(_) => 11,
            Self::Bag(_) => 12,
            Self::InnerSignature(_) => 13,
            Self::BagInfo(_) => 14,
            Self::Chain(_) => 15,
            Self::PackingSlip(_) => 16,
            Self::Io { .. } => 2,
        }
    }
}

/// Checks the package at `package` with its outer signature at
/// `signature`, reading it once: its origin (the outer signature), then
/// the bag inside, its inner signature, its bag-info and its link to
/// `expect`'s previous package. A package whose origin fails is reported
/// as that, whatever its content.
pub fn verify(
    package: &Path,
    signature: &Path,
    opener: Opener<'_>,
    expect: &Expect,
) -> Result<Verified, VerifyError> {
    check_once(package, signature, opener, expect, None)
}

/// Why a package was not opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Verify(#[from] VerifyError),
    #[error("{0} is not empty: give a new or empty folder")]
    NotEmpty(PathBuf),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

impl OpenError {
    /// The exit code of `kluis open`: the verification's, or 2.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Verify(e) => e.exit_code(),
            Self::NotEmpty(_) | Self::Io { .. } => 2,
        }
    }
}

/// Verifies the package as [`verify`] does and, in the same read, unpacks
/// its bag into a fresh hidden folder beside its final place (`out` must
/// be new or empty). Only when every check passed is the bag renamed into
/// place as `out/<id>`; otherwise nothing is left. Returns the bag's folder.
pub fn open(
    package: &Path,
    signature: &Path,
    opener: Opener<'_>,
    expect: &Expect,
    out: &Path,
) -> Result<(Verified, PathBuf), OpenError> {
    let io_at = |path: &Path| {
        let path = path.to_owned();
        move |source| OpenError::Io { path, source }
    };
    // The bag is written beside its final place: inside `out`, or, while
    // `out` does not exist yet, beside it, so a failure leaves no folder.
    let staging_in = if out.exists() {
        out.to_owned()
    } else {
        match out.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
            _ => PathBuf::from("."),
        }
    };
    let staging = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(&staging_in)
        .map_err(io_at(&staging_in))?;
    // What an interrupted open of ours left there (decrypted, never
    // verified) goes: inside `out` any, beside it only an old one.
    remove_stale_staging(&staging_in, staging.path(), staging_in == out);
    let others = fs::read_dir(&staging_in)
        .map_err(io_at(&staging_in))?
        .flatten()
        .any(|e| e.path() != staging.path());
    if out.exists() && staging_in == out && others {
        return Err(OpenError::NotEmpty(out.to_owned()));
    }
    let verified = check_once(package, signature, opener, expect, Some(staging.path()))?;
    if !out.exists() {
        fs::create_dir(out).map_err(io_at(out))?;
    }
    let bag = out.join(&verified.id);
    fs::rename(staging.path().join(&verified.id), &bag).map_err(io_at(&bag))?;
    File::open(out)
        .and_then(|d| d.sync_all())
        .map_err(io_at(out))?;
    Ok((verified, bag))
}

const STAGING_PREFIX: &str = ".kluis-open-";

/// Removes the hidden folders an `open` killed midway left in `dir`: ours
/// (the same owner as `own`, the staging folder just made), and beside the
/// target only those untouched for an hour, which no open still uses.
/// What cannot be removed stays; it is not this open's to fail on.
fn remove_stale_staging(dir: &Path, own: &Path, inside_target: bool) {
    use std::os::unix::fs::MetadataExt;
    let Ok(mine) = fs::metadata(own) else {
        return;
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age.as_secs() > 3600);
        let stale = path != own
            && entry
                .file_name()
                .to_string_lossy()
                .starts_with(STAGING_PREFIX)
            && meta.is_dir()
            && meta.uid() == mine.uid()
            && (inside_target || old);
        if stale {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

fn check_once(
    package: &Path,
    signature: &Path,
    opener: Opener<'_>,
    expect: &Expect,
    unpack: Option<&Path>,
) -> Result<Verified, VerifyError> {
    let io_at = |path: &Path| {
        let path = path.to_owned();
        move |source| VerifyError::Io { path, source }
    };
    let signature_text = read_signature(signature)?;
    let file = File::open(package).map_err(io_at(package))?;
    let mut read_failed = None;
    let ((outer, ciphertext_sha256), verified) = read_once(
        ReadErrors {
            inner: BufReader::new(file),
            error: &mut read_failed,
        },
        |read| {
            let mut hashing = Counted::new(read);
            let outer = sign::verify(&expect.public_key, &mut hashing, &signature_text);
            (outer, hashing.sha256_hex())
        },
        |passed| open_and_check(passed, opener, expect, unpack),
    );
    if let Some(e) = read_failed {
        return Err(io_at(package)(e));
    }
    let outer = outer.map_err(VerifyError::OuterSignature)?;
    let verified = verified?;
    // The outer comment must say what the bag says.
    // A v1 comment (a package sealed before the excerpt was signed
    // outside) is compared as v1.
    let audit = OuterAudit {
        previous_head: verified.audit_previous_head.clone(),
        head: verified.audit.head.clone(),
        entries: verified.audit_entries,
    };
    let v1 = outer.starts_with("kluis-seal v1 ");
    let said = outer_comment(
        &verified.id,
        verified.seq,
        &verified.digest,
        &verified.previous_digest,
        (&verified.period_start, &verified.period_end),
        (!v1).then_some(&audit),
    );
    if outer != said {
        return Err(VerifyError::BagInfo(format!(
            "the outer signature's comment ({outer}) does not match the bag ({said})"
        )));
    }
    check_file_name(package, &verified.id)?;
    check_packing_slip(package, &verified, &ciphertext_sha256, &expect.public_key)?;
    Ok(verified)
}

/// The outer signature's file; a missing one fails the origin.
fn read_signature(signature: &Path) -> Result<String, VerifyError> {
    fs::read_to_string(signature).map_err(|source| {
        if source.kind() == io::ErrorKind::NotFound {
            VerifyError::OuterSignature(SignError::BadSignature(format!(
                "{} is missing",
                signature.display()
            )))
        } else {
            VerifyError::Io {
                path: signature.to_owned(),
                source,
            }
        }
    })
}

/// A package travels under its own id: a file renamed to pass for another
/// day's (or another workplace's) is refused.
fn check_file_name(package: &Path, id: &str) -> Result<(), VerifyError> {
    let name = package
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name == format!("{id}.tar.age") {
        Ok(())
    } else {
        Err(VerifyError::BagInfo(format!(
            "the file is named {name}, but the package it holds is {id} (renamed?)"
        )))
    }
}

/// The audit excerpt a package carries beside its payload.
pub(crate) const AUDIT_EXCERPT: &str = "kluis/audit.jsonl";

/// The first and last entry numbers of an audit excerpt (`None` when it
/// holds none), once its lines are checked as one chain from `previous`
/// (each line names the SHA-256 of the line before) to `head`.
pub(crate) fn excerpt_entries(
    bytes: &[u8],
    previous: &str,
    head: &str,
) -> Result<Option<(i64, i64)>, VerifyError> {
    let broken = |why: String| VerifyError::BagInfo(format!("{AUDIT_EXCERPT}: {why}"));
    let text = std::str::from_utf8(bytes).map_err(|_| broken("not UTF-8".into()))?;
    let mut prev = previous.to_owned();
    let mut numbers: Option<(i64, i64)> = None;
    for (at, line) in text.split_inclusive('\n').enumerate() {
        let entry: serde_json::Value = serde_json::from_str(line)
            .map_err(|_| broken(format!("line {} is not JSON", at + 1)))?;
        if entry["prev"].as_str() != Some(&format!("sha256:{prev}")) {
            return Err(broken(format!(
                "line {} does not follow the line before",
                at + 1
            )));
        }
        let n = entry["n"]
            .as_i64()
            .ok_or_else(|| broken(format!("line {} has no entry number", at + 1)))?;
        if numbers.is_some_and(|(_, last)| n != last + 1) {
            return Err(broken(format!("entry {n} does not follow the one before")));
        }
        numbers = Some((numbers.map_or(n, |(first, _)| first), n));
        prev = crate::sha256_hex(line.as_bytes());
    }
    if prev != head {
        return Err(broken("it does not end at Kluis-Audit-Head".into()));
    }
    Ok(numbers)
}

/// The audit excerpt continues the previous package's: it starts at that
/// one's head, and its first entry follows that one's last.
fn check_audit_continues(
    expect: &Expect,
    seq: u64,
    previous_head: &str,
    first_entry: Option<i64>,
) -> Result<(), VerifyError> {
    let Some(end) = &expect.previous_audit else {
        return Ok(());
    };
    if previous_head != end.head {
        return Err(VerifyError::Chain(format!(
            "package {seq}'s audit excerpt does not continue the previous package's: it starts \
             after sha256:{previous_head}, the previous one ended at sha256:{} (entries left out \
             or the vault's log rewritten)",
            end.head
        )));
    }
    if let (Some(first), Some(last)) = (first_entry, end.last_entry)
        && first != last + 1
    {
        return Err(VerifyError::Chain(format!(
            "package {seq}'s audit excerpt starts at entry {first}, but the previous one ended at \
             entry {last} (entries left out or the vault's log rewritten)"
        )));
    }
    Ok(())
}

/// The workplace and the place in the chain, as far as the id, the seq
/// and the previous bag digest tell them.
fn check_place(
    expect: &Expect,
    id: &str,
    seq: u64,
    previous_digest: &str,
) -> Result<(), VerifyError> {
    if let Some(group) = &expect.group
        && !id.starts_with(&format!("{group}-"))
    {
        return Err(VerifyError::Chain(format!(
            "package {id} is not from {group}: the chain switches to another municipality or workplace"
        )));
    }
    match &expect.previous {
        Some((prev_id, prev_digest, prev_seq)) => {
            if seq != prev_seq + 1 {
                return Err(VerifyError::Chain(format!(
                    "package {seq} follows {prev_seq}: {}",
                    if seq <= *prev_seq {
                        "doubled or out of order"
                    } else {
                        "packages are missing in between"
                    }
                )));
            }
            if previous_digest != prev_digest.hex() {
                return Err(VerifyError::Chain(format!(
                    "package {seq} names another predecessor than {prev_id}"
                )));
            }
        }
        None if (seq == 1) != (previous_digest == GENESIS) => {
            return Err(VerifyError::Chain(format!(
                "package {seq} names no predecessor, yet is not the first"
            )));
        }
        None => {}
    }
    Ok(())
}

/// What can be checked without the archive's key: the outer signature over
/// the file (one read), and from its signed comment the package's id
/// against the file name, its workplace and its place in the chain.
pub fn verify_origin(
    package: &Path,
    signature: &Path,
    expect: &Expect,
) -> Result<Origin, VerifyError> {
    let signature_text = read_signature(signature)?;
    let file = File::open(package).map_err(|source| VerifyError::Io {
        path: package.to_owned(),
        source,
    })?;
    let comment = sign::verify(&expect.public_key, BufReader::new(file), &signature_text)
        .map_err(VerifyError::OuterSignature)?;
    let origin = Origin::parse(&comment)?;
    check_file_name(package, &origin.id)?;
    check_place(expect, &origin.id, origin.seq, &origin.previous_digest)?;
    if let Some(audit) = &origin.audit {
        let first = audit.entries.map(|(first, _)| first);
        check_audit_continues(expect, origin.seq, &audit.previous_head, first)?;
    }
    Ok(origin)
}

/// The packing slip beside the package, if there is one: signed by the
/// same key, naming this package's hashes.
fn check_packing_slip(
    package: &Path,
    verified: &Verified,
    ciphertext: &str,
    public_key: &str,
) -> Result<(), VerifyError> {
    let name = package
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some(stem) = name.strip_suffix(".tar.age") else {
        return Ok(());
    };
    let slip_path = package.with_file_name(format!("{stem}.pakbon.xml"));
    let Ok(slip) = fs::read_to_string(&slip_path) else {
        return Ok(()); // a package may travel without its slip
    };
    let bad = |why: String| Err(VerifyError::PackingSlip(why));
    let signature_path = package.with_file_name(format!("{stem}.pakbon.xml.minisig"));
    let Ok(signature) = fs::read_to_string(&signature_path) else {
        return bad("its signature is missing".into());
    };
    if let Err(e) = sign::verify(public_key, io::Cursor::new(slip.as_bytes()), &signature) {
        return bad(format!("its signature does not hold: {e}"));
    }
    for (what, expected) in [
        ("pakket", format!("<pakket>{}</pakket>", verified.id)),
        ("hashSIP", format!(">{ciphertext}</hashSIP>")),
        (
            "bagDigest",
            format!("<bagDigest>sha256:{}</bagDigest>", verified.digest.hex()),
        ),
    ] {
        if !slip.contains(&expected) {
            return bad(format!("its {what} is not this package's"));
        }
    }
    Ok(())
}

/// Decrypts, reads the bag in one pass (writing it into `unpack` if
/// given) and checks it.
pub(crate) fn open_and_check(
    input: impl Read,
    opener: Opener<'_>,
    expect: &Expect,
    unpack: Option<&Path>,
) -> Result<Verified, VerifyError> {
    let plain = encrypt::decrypt(input, opener).map_err(VerifyError::Decrypt)?;
    let mut failed_read = None;
    let mut plain = ReadErrors {
        inner: plain,
        error: &mut failed_read,
    };
    let bag = match unpack {
        Some(dir) => StreamedBag::unpack(&mut plain, dir),
        None => StreamedBag::from_tar(&mut plain),
    };
    // The rest (the tar's end, age's last chunk) is read too, so that a
    // damaged end of the file is found.
    let rest = io::copy(&mut plain, &mut io::sink());
    drop(plain);
    if let Some(e) = failed_read {
        return Err(VerifyError::Decrypt(encrypt::read_error(e)));
    }
    let bag = bag.map_err(VerifyError::Bag)?;
    if let Err(e) = rest {
        return Err(VerifyError::Decrypt(encrypt::read_error(e)));
    }
    let checked = bagit::check(&bag).map_err(VerifyError::Bag)?;
    let tag_manifest = bag
        .read("tagmanifest-sha256.txt")
        .map_err(VerifyError::Bag)?;
    let digest = BagDigest(sha2::Sha256::digest(&tag_manifest).into());
    // Every tag file is under the inner signature: listed in the tag
    // manifest it signs (all but that manifest and the signature itself).
    let listed: std::collections::HashSet<&str> = std::str::from_utf8(&tag_manifest)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.split_once("  ").map(|(_, path)| path))
        .collect();
    for file in bag.files().map_err(VerifyError::Bag)? {
        let exempt = file.starts_with("data/")
            || file == "tagmanifest-sha256.txt"
            || file == INNER_SIGNATURE;
        if !exempt && !listed.contains(file.as_str()) {
            return Err(VerifyError::Bag(BagError::UnlistedTagFile(file)));
        }
    }
    let inner = bag
        .read(INNER_SIGNATURE)
        .map_err(|_| VerifyError::InnerSignature(SignError::BadSignature("missing".into())))?;
    let inner = String::from_utf8(inner)
        .map_err(|_| VerifyError::InnerSignature(SignError::BadSignature("not text".into())))?;
    let inner_comment = sign::verify(&expect.public_key, io::Cursor::new(&tag_manifest), &inner)
        .map_err(VerifyError::InnerSignature)?;

    // Each field Kluis reads is there exactly once: a second one (a value
    // that smuggled in a line break) would be a forgery's.
    let field = |label: &str| {
        let mut values = checked
            .info
            .iter()
            .filter(|(l, _)| l.eq_ignore_ascii_case(label));
        match (values.next(), values.next()) {
            (Some((_, value)), None) => Ok(value.clone()),
            (None, _) => Err(VerifyError::BagInfo(format!("no {label}"))),
            (Some(_), Some(_)) => Err(VerifyError::BagInfo(format!("{label} appears twice"))),
        }
    };
    for label in KLUIS_FIELDS {
        field(label)?;
    }
    let id = field("External-Identifier")?;
    if id != bag.root {
        return Err(VerifyError::BagInfo(format!(
            "External-Identifier {id} is not the bag's folder {}",
            bag.root
        )));
    }
    let seq: u64 = field("Kluis-Sequence")?
        .parse()
        .map_err(|_| VerifyError::BagInfo("Kluis-Sequence is not a number".into()))?;
    let previous_digest = field("Kluis-Previous-Bag-Digest")?
        .strip_prefix("sha256:")
        .map(str::to_owned)
        .ok_or_else(|| VerifyError::BagInfo("Kluis-Previous-Bag-Digest lacks sha256:".into()))?;
    let previous_id = Some(field("Kluis-Previous-Package")?).filter(|p| p != "-");
    let expected_inner = format!("kluis-bag v1 id={id} seq={seq} prev=sha256:{previous_digest}");
    if inner_comment != expected_inner {
        return Err(VerifyError::BagInfo(format!(
            "the inner signature's comment ({inner_comment}) does not match bag-info"
        )));
    }
    let group = field("Bag-Group-Identifier")?;
    if !id.starts_with(&format!("{group}-")) {
        return Err(VerifyError::BagInfo(format!(
            "package {id} is not of its Bag-Group-Identifier {group}"
        )));
    }
    check_place(expect, &id, seq, &previous_digest)?;
    if let Some((prev_id, _, _)) = &expect.previous
        && previous_id.as_deref() != Some(prev_id.as_str())
    {
        return Err(VerifyError::Chain(format!(
            "package {seq} names another predecessor than {prev_id}"
        )));
    }
    if expect.previous.is_none() && previous_id.is_none() != (seq == 1) {
        return Err(VerifyError::Chain(format!(
            "package {seq} names no predecessor, yet is not the first"
        )));
    }
    let head = |label: &str| -> Result<String, VerifyError> {
        field(label)?
            .strip_prefix("sha256:")
            .map(str::to_owned)
            .ok_or_else(|| VerifyError::BagInfo(format!("{label} lacks sha256:")))
    };
    let audit_previous_head = head("Kluis-Audit-Previous-Head")?;
    let audit_head = head("Kluis-Audit-Head")?;
    let entries = match bag.read(AUDIT_EXCERPT) {
        Ok(bytes) => excerpt_entries(&bytes, &audit_previous_head, &audit_head)?,
        Err(_) => None,
    };
    let last_entry = entries.map(|(_, last)| last).or_else(|| {
        expect
            .previous_audit
            .as_ref()
            .and_then(|end| end.last_entry)
    });
    check_audit_continues(expect, seq, &audit_previous_head, entries.map(|(f, _)| f))?;
    Ok(Verified {
        id,
        seq,
        digest,
        previous_id,
        previous_digest,
        period_start: field("Kluis-Period-Start")?,
        period_end: field("Kluis-Period-End")?,
        group,
        audit_previous_head,
        audit_entries: entries,
        audit: AuditEnd {
            head: audit_head,
            last_entry,
        },
        bag: checked,
    })
}

/// Keeps the first read error, which the tar reader would otherwise turn
/// into a vaguer one of its own.
struct ReadErrors<'e, R> {
    inner: R,
    error: &'e mut Option<io::Error>,
}

impl<R: Read> Read for ReadErrors<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => Ok(n),
            Err(e) => {
                let copy = io::Error::new(e.kind(), e.to_string());
                self.error.get_or_insert(e);
                Err(copy)
            }
        }
    }
}
