//! One sealed package: the bag as a deterministic tar, encrypted with age,
//! signed inside (over the tag manifest) and outside (over the encrypted
//! file), and chained to the previous package by its bag digest. The
//! archivist's check of a package is in [`crate::verify`].
//!
//! ```text
//! <id>.tar.age           the encrypted bag
//! <id>.tar.age.minisig   kluis-seal v2 id=… seq=… bag=sha256:… prev=sha256:… start=… end=…
//!                         audit-prev=sha256:… audit=sha256:… entries=FIRST-LAST (or -)
//! ```

use std::fs::{self, File};
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use crate::bag::{BagDigest, BagWriter};
use crate::encrypt::{self, CryptError, Opener, Recipients};
use crate::once::read_once;
use crate::sign::{SignError, SigningKey};
use crate::tar::{Counted, TarError};
use crate::verify::open_and_check;
pub use crate::verify::{
    AuditEnd, Expect, OpenError, Origin, Verified, VerifyError, group_of, open, verify,
    verify_origin,
};

/// The inner signature, beside the tag manifest it signs (not listed: it
/// cannot list itself).
pub const INNER_SIGNATURE: &str = "tagmanifest-sha256.txt.minisig";
/// The bag-info fields Kluis writes, each once.
pub(crate) const KLUIS_FIELDS: &[&str] = &[
    "Source-Organization",
    "External-Identifier",
    "Bagging-Date",
    "Bag-Group-Identifier",
    "Kluis-Sequence",
    "Kluis-Period-Start",
    "Kluis-Period-End",
    "Kluis-Previous-Package",
    "Kluis-Previous-Bag-Digest",
    "Kluis-Audit-Previous-Head",
    "Kluis-Audit-Head",
    "Kluis-Signing-Key-Id",
    "Kluis-Conversations",
    "Payload-Oxum",
];
pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// `KLUIS-<gemeentecode>-<werkplek>-<YYYYMMDD>-<seq>`: ASCII, no personal
/// data, sortable.
pub fn package_id(municipality: &str, workplace: &str, date: &str, seq: u64) -> String {
    format!(
        "{}-{}-{seq:06}",
        group_id(municipality, workplace),
        date.replace('-', "")
    )
}

/// `KLUIS-<gemeentecode>-<werkplek>`: a workplace's packages, as their
/// `Bag-Group-Identifier` and the first part of their ids.
pub fn group_id(municipality: &str, workplace: &str) -> String {
    format!("KLUIS-{municipality}-{workplace}")
}

/// A municipality's code in the TOOI register: `gm` and four digits.
pub fn is_municipality_code(code: &str) -> bool {
    code.strip_prefix("gm")
        .is_some_and(|digits| digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()))
}

/// A workplace's name among a municipality's: 1 to 8 letters and digits.
pub fn is_workplace(name: &str) -> bool {
    (1..=8).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// The outer signature's trusted comment: what a package says of itself
/// outside its encryption (parsed back by `verify::Origin`).
pub(crate) fn outer_comment(
    id: &str,
    seq: u64,
    digest: &BagDigest,
    previous_digest: &str,
    period: (&str, &str),
    audit: Option<&OuterAudit>,
) -> String {
    let start = format!(
        "id={id} seq={seq} bag=sha256:{} prev=sha256:{previous_digest} start={} end={}",
        digest.hex(),
        period.0,
        period.1
    );
    // v1 (before the audit excerpt was signed outside) is read, never written.
    match audit {
        None => format!("kluis-seal v1 {start}"),
        Some(a) => format!(
            "kluis-seal v2 {start} audit-prev=sha256:{} audit=sha256:{} entries={}",
            a.previous_head,
            a.head,
            a.entries
                .map_or_else(|| "-".to_owned(), |(first, last)| format!("{first}-{last}"))
        ),
    }
}

/// Where a package's audit excerpt begins and ends, as its signed outer
/// comment says (v2): what the archive checks the chain of audit excerpts
/// with before it has the key to open the package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OuterAudit {
    pub previous_head: String,
    pub head: String,
    /// The first and last entry numbers, `None` when it holds none.
    pub entries: Option<(i64, i64)>,
}

/// What a package says about itself, outside its payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meta {
    pub id: String,
    /// The municipality, as `Source-Organization`.
    pub organization: String,
    /// `KLUIS-<gemeentecode>-<werkplek>`, as `Bag-Group-Identifier`.
    pub group: String,
    pub seq: u64,
    /// ISO 8601 with offset: the previous package's end, and now.
    pub period_start: String,
    pub period_end: String,
    /// The previous package's id and bag digest; `None` for the first.
    pub previous: Option<(String, BagDigest)>,
    /// The audit log's head before and after this package's excerpt.
    pub audit_previous_head: String,
    pub audit_head: String,
    pub conversations: u64,
    /// `YYYY-MM-DD`.
    pub bagging_date: String,
    /// Unix seconds: every tar entry's mtime.
    pub sealed_at: u64,
}

impl Meta {
    fn previous_digest(&self) -> String {
        self.previous
            .as_ref()
            .map_or_else(|| GENESIS.to_owned(), |(_, d)| d.hex())
    }

    fn bag_info(&self, key_id: &str) -> Vec<(&'static str, String)> {
        vec![
            ("Source-Organization", self.organization.clone()),
            ("External-Identifier", self.id.clone()),
            ("Bagging-Date", self.bagging_date.clone()),
            ("Bag-Group-Identifier", self.group.clone()),
            ("Bag-Count", format!("{} of ?", self.seq)),
            (
                "BagIt-Profile-Identifier",
                "urn:kluis:bagit-profile:v1".into(),
            ),
            ("Kluis-Sequence", self.seq.to_string()),
            ("Kluis-Period-Start", self.period_start.clone()),
            ("Kluis-Period-End", self.period_end.clone()),
            (
                "Kluis-Previous-Package",
                self.previous
                    .as_ref()
                    .map_or_else(|| "-".to_owned(), |(id, _)| id.clone()),
            ),
            (
                "Kluis-Previous-Bag-Digest",
                format!("sha256:{}", self.previous_digest()),
            ),
            (
                "Kluis-Audit-Previous-Head",
                format!("sha256:{}", self.audit_previous_head),
            ),
            ("Kluis-Audit-Head", format!("sha256:{}", self.audit_head)),
            ("Kluis-Signing-Key-Id", key_id.to_owned()),
            ("Kluis-Conversations", self.conversations.to_string()),
        ]
    }

    fn inner_comment(&self) -> String {
        format!(
            "kluis-bag v1 id={} seq={} prev=sha256:{}",
            self.id,
            self.seq,
            self.previous_digest()
        )
    }

    fn outer_comment(&self, digest: &BagDigest, entries: Option<(i64, i64)>) -> String {
        let audit = OuterAudit {
            previous_head: self.audit_previous_head.clone(),
            head: self.audit_head.clone(),
            entries,
        };
        outer_comment(
            &self.id,
            self.seq,
            digest,
            &self.previous_digest(),
            (&self.period_start, &self.period_end),
            Some(&audit),
        )
    }
}

/// Why a package could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error(transparent)]
    Tar(#[from] TarError),
    #[error(transparent)]
    Crypt(#[from] CryptError),
    #[error(transparent)]
    Sign(#[from] SignError),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "{0} is a FAT32 file system, which cannot hold a file over 4 GiB: format the stick as exFAT or NTFS"
    )]
    Fat32(PathBuf),
    #[error("the package did not verify after writing, and was removed: {0}")]
    ReadBack(Box<VerifyError>),
}

/// A package being written: an encrypted stream of the bag.
pub struct PackageWriter<'k, W: Write> {
    bag: BagWriter<age::stream::StreamWriter<W>>,
    meta: Meta,
    key: &'k SigningKey,
    tally: Tally,
    /// The audit excerpt's first and last entry numbers, for the comment.
    audit_entries: Option<(i64, i64)>,
}

/// What a package holds, counted for the packing slip (no personal data).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub information_objects: u64,
    pub sidecars_of_files: u64,
    pub content_files: u64,
    pub content_bytes: u64,
    /// Formats not on the Nationaal Archief's preferred list, by PRONOM
    /// code, with how many files have them.
    pub off_norm: std::collections::BTreeMap<&'static str, u64>,
}

impl Tally {
    fn count(&mut self, path: &str, size: u64) {
        if path.ends_with(".bestand.mdto.xml") {
            self.sidecars_of_files += 1;
        } else if path.ends_with(".mdto.xml") {
            self.information_objects += 1;
        } else {
            self.content_files += 1;
            self.content_bytes += size;
            let extension = path.rsplit('.').next().unwrap_or_default();
            if let Some(code) = match extension {
                "opus" | "ogg" => Some("fmt/946"),
                "webp" => Some("fmt/566"),
                "mp4" => Some("fmt/199"),
                _ => None,
            } {
                *self.off_norm.entry(code).or_default() += 1;
            }
        }
    }
}

impl<W: Write> std::fmt::Debug for PackageWriter<'_, W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PackageWriter")
            .field("id", &self.meta.id)
            .finish_non_exhaustive()
    }
}

impl<'k, W: Write> PackageWriter<'k, W> {
    pub fn new(
        out: W,
        meta: Meta,
        key: &'k SigningKey,
        recipients: &Recipients,
    ) -> Result<Self, SealError> {
        let encrypted = encrypt::encrypt_to(recipients, out)?;
        Ok(Self {
            bag: BagWriter::new(encrypted, &meta.id, meta.sealed_at)?,
            meta,
            key,
            tally: Tally::default(),
            audit_entries: None,
        })
    }

    /// A payload file `data/<path>`; returns its SHA-256.
    pub fn payload(
        &mut self,
        path: &str,
        size: u64,
        content: impl Read,
    ) -> Result<String, SealError> {
        let sha256 = self.bag.payload(path, size, content)?;
        self.tally.count(path, size);
        Ok(sha256)
    }

    /// A tag file (e.g. `kluis/audit.jsonl`), listed in the tag manifest.
    pub fn tag(&mut self, path: &str, bytes: &[u8]) -> Result<(), SealError> {
        if path == crate::verify::AUDIT_EXCERPT {
            // One that does not chain fails the read-back's verification.
            let (previous, head) = (&self.meta.audit_previous_head, &self.meta.audit_head);
            self.audit_entries = crate::verify::excerpt_entries(bytes, previous, head)
                .ok()
                .flatten();
        }
        Ok(self.bag.tag(path, bytes)?)
    }

    /// Writes the tag files and the inner signature, ends the encryption,
    /// and returns the output, the bag digest, the outer signature's
    /// trusted comment and the count for the packing slip.
    pub fn finish(self) -> Result<(W, BagDigest, String, Tally), SealError> {
        let tally = self.tally.clone();
        let info = self.meta.bag_info(&self.key.id());
        let comment = self.meta.inner_comment();
        let key = self.key;
        let mut signing_error = None;
        let (encrypted, digest) = self.bag.finish(&info, |tag_manifest| {
            match key.sign(tag_manifest, &comment) {
                Ok(signature) => vec![(INNER_SIGNATURE.to_owned(), signature.into_bytes())],
                Err(e) => {
                    signing_error = Some(e);
                    Vec::new()
                }
            }
        })?;
        if let Some(e) = signing_error {
            return Err(e.into());
        }
        let out = encrypted
            .finish()
            .map_err(|e| SealError::Crypt(CryptError::Io(e)))?;
        let outer = self.meta.outer_comment(&digest, self.audit_entries);
        Ok((out, digest, outer, tally))
    }
}

/// The packing slip (archive.md §7): outside the encryption, signed, with
/// no personal data: what the package is, its hashes and counts.
pub fn packing_slip(
    meta: &Meta,
    digest: &BagDigest,
    ciphertext_sha256: &str,
    tally: &Tally,
) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<pakbon xmlns=\"urn:kluis:pakbon:1\">\n",
    );
    let (previous_id, previous_digest) = match &meta.previous {
        Some((id, d)) => (id.clone(), d.hex()),
        None => ("-".to_owned(), GENESIS.to_owned()),
    };
    let lines = [
        format!("  <pakket>{}</pakket>", crate::mdto::escape(&meta.id)),
        format!("  <volgnummer>{}</volgnummer>", meta.seq),
        format!(
            "  <vorigPakket id=\"{}\" bagDigest=\"sha256:{previous_digest}\"/>",
            crate::mdto::escape(&previous_id)
        ),
        format!(
            "  <archiefvormer groep=\"{}\">{}</archiefvormer>",
            crate::mdto::escape(&meta.group),
            crate::mdto::escape(&meta.organization)
        ),
        format!(
            "  <periode van=\"{}\" tot=\"{}\"/>",
            crate::mdto::escape(&meta.period_start),
            crate::mdto::escape(&meta.period_end)
        ),
        format!("  <hashSIP algoritme=\"SHA-256\">{ciphertext_sha256}</hashSIP>"),
        format!("  <bagDigest>sha256:{}</bagDigest>", digest.hex()),
        format!(
            "  <aantallen informatieobjecten=\"{}\" bestanden=\"{}\" inhoudsbestanden=\"{}\" inhoudBytes=\"{}\"/>",
            tally.information_objects,
            tally.sidecars_of_files,
            tally.content_files,
            tally.content_bytes
        ),
    ];
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("  <bijzonderheden>\n");
    for (code, count) in &tally.off_norm {
        out.push_str(&format!(
            "    <formaatBuitenNorm pronom=\"{code}\" aantal=\"{count}\"/>\n"
        ));
    }
    out.push_str("  </bijzonderheden>\n");
    out.push_str(&format!(
        "  <software>Kluis {}</software>\n</pakbon>\n",
        env!("CARGO_PKG_VERSION")
    ));
    out
}

/// A package written to a folder, and checked there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sealed {
    pub package: PathBuf,
    pub signature: PathBuf,
    pub digest: BagDigest,
    /// The SHA-256 of the encrypted file, for the packing slip.
    pub ciphertext_sha256: String,
}

/// Writes the package into `dir` (a USB stick), fsyncs it, reads it back
/// and verifies it completely, and only then gives it its final name and
/// its outer signature. On any failure nothing with the final name exists.
/// `fill` adds the payload and the tag files.
pub fn seal_to(
    dir: &Path,
    meta: Meta,
    key: &SigningKey,
    recipients: &Recipients,
    fill: impl FnOnce(&mut PackageWriter<'_, io::BufWriter<File>>) -> Result<(), SealError>,
) -> Result<Sealed, SealError> {
    let io_at = |path: &Path| {
        let path = path.to_owned();
        move |source| SealError::Io { path, source }
    };
    if is_fat32(dir) {
        // A day's media can pass 4 GiB; a package is never split.
        return Err(SealError::Fat32(dir.to_owned()));
    }
    let id = meta.id.clone();
    let group = meta.group.clone();
    let slip_meta = meta.clone();
    let previous = meta.previous.clone();
    let seq = meta.seq;
    let partial = dir.join(format!("{id}.tar.age.partial"));
    let package = dir.join(format!("{id}.tar.age"));
    let signature_path = dir.join(format!("{id}.tar.age.minisig"));
    // A package under this name that the vault never recorded (a kill
    // between its rename and the vault's commit) is never overwritten.
    set_aside_leftovers(dir, &id).map_err(io_at(dir))?;

    // An ephemeral key, in memory only, lets Kluis read back what only the
    // archive could otherwise open (not with a passphrase: scrypt stands alone).
    let ephemeral = age::x25519::Identity::generate();
    let (recipients, opener_keys, passphrase) = match recipients {
        Recipients::Keys(keys) => {
            let mut all = keys.clone();
            all.push(ephemeral.to_public());
            (Recipients::Keys(all), vec![ephemeral], None)
        }
        Recipients::Passphrase(p) => (
            Recipients::Passphrase(p.clone()),
            Vec::new(),
            Some(p.clone()),
        ),
    };

    let file = File::create(&partial).map_err(io_at(&partial))?;
    let written = (|| {
        let mut writer = PackageWriter::new(io::BufWriter::new(file), meta, key, &recipients)?;
        fill(&mut writer)?;
        let (out, digest, comment, tally) = writer.finish()?;
        let file = out.into_inner().map_err(|e| SealError::Io {
            path: partial.clone(),
            source: e.into_error(),
        })?;
        file.sync_all().map_err(io_at(&partial))?;
        Ok::<_, SealError>((digest, comment, tally))
    })();
    let (digest, comment, tally) = match written {
        Ok(done) => done,
        Err(e) => {
            let _ = fs::remove_file(&partial);
            return Err(e);
        }
    };

    // Read back from the stick itself, as the archive will.
    let opener = match &passphrase {
        Some(p) => Opener::Passphrase(p),
        None => Opener::Keys(&opener_keys),
    };
    let check = (|| {
        let encrypted = File::open(&partial).map_err(io_at(&partial))?;
        let expect = Expect {
            public_key: key.public_key_file(),
            previous: previous.clone().map(|(id, digest)| (id, digest, seq - 1)),
            group: Some(group.clone()),
            previous_audit: None,
        };
        // One read signs it, hashes it for the packing slip and checks it.
        let ((outer, ciphertext_sha256), verified) = read_once(
            BufReader::new(encrypted),
            |read| {
                let mut hashing = Counted::new(read);
                let outer = key.sign(&mut hashing, &comment);
                (outer, hashing.sha256_hex())
            },
            |passed| open_and_check(passed, opener, &expect, None),
        );
        let outer = outer?;
        let verified = verified.map_err(|e| SealError::ReadBack(Box::new(e)))?;
        if verified.digest != digest {
            return Err(SealError::ReadBack(Box::new(VerifyError::BagInfo(
                "the bag read back is not the bag written".into(),
            ))));
        }
        Ok::<_, SealError>((ciphertext_sha256, outer))
    })();
    let (ciphertext_sha256, outer) = match check {
        Ok(done) => done,
        Err(e) => {
            let _ = fs::remove_file(&partial);
            return Err(e);
        }
    };
    write_synced(&signature_path, outer.as_bytes()).map_err(io_at(&signature_path))?;
    let slip_path = dir.join(format!("{id}.pakbon.xml"));
    let slip = packing_slip(&slip_meta, &digest, &ciphertext_sha256, &tally);
    write_synced(&slip_path, slip.as_bytes()).map_err(io_at(&slip_path))?;
    let slip_signature = key.sign(slip.as_bytes(), &format!("kluis-pakbon v1 id={id}"))?;
    let slip_signature_path = dir.join(format!("{id}.pakbon.xml.minisig"));
    write_synced(&slip_signature_path, slip_signature.as_bytes())
        .map_err(io_at(&slip_signature_path))?;
    // (Not a hard link, which would refuse a name taken meanwhile: exFAT,
    // the sticks' file system, has none. The name was freed above.)
    fs::rename(&partial, &package).map_err(io_at(&package))?;
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_at(dir))?;
    Ok(Sealed {
        package,
        signature: signature_path,
        digest,
        ciphertext_sha256,
    })
}

/// A file written once: never over another (see [`set_aside_leftovers`]).
fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = File::create_new(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// The files a package `id` is made of, beside it.
const PACKAGE_FILES: [&str; 4] = [
    ".tar.age",
    ".tar.age.minisig",
    ".pakbon.xml",
    ".pakbon.xml.minisig",
];

/// Moves what a previous attempt left under package `id`'s names to
/// `<name>.left-over-<n>`, untouched, so the archive can still be shown it
/// and nothing is overwritten.
fn set_aside_leftovers(dir: &Path, id: &str) -> io::Result<()> {
    let present: Vec<PathBuf> = PACKAGE_FILES
        .iter()
        .map(|end| dir.join(format!("{id}{end}")))
        .filter(|path| fs::symlink_metadata(path).is_ok())
        .collect();
    if present.is_empty() {
        return Ok(());
    }
    let mut n = 1;
    while PACKAGE_FILES
        .iter()
        .any(|end| fs::symlink_metadata(dir.join(format!("{id}{end}.left-over-{n}"))).is_ok())
    {
        n += 1;
    }
    for path in present {
        let mut aside = path.as_os_str().to_owned();
        aside.push(format!(".left-over-{n}"));
        fs::rename(&path, PathBuf::from(aside))?;
    }
    File::open(dir)?.sync_all()
}

/// Whether `dir` lies on a FAT (vfat/msdos) file system, by the kernel's
/// mount table.
fn is_fat32(dir: &Path) -> bool {
    let (Ok(dir), Ok(mounts)) = (
        fs::canonicalize(dir),
        fs::read_to_string("/proc/self/mounts"),
    ) else {
        return false;
    };
    on_fat(&dir, &mounts)
}

/// The rule: the longest mount point that contains `dir` decides.
fn on_fat(dir: &Path, mounts: &str) -> bool {
    mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let (_, point, kind) = (fields.next()?, fields.next()?, fields.next()?);
            Some((point.replace("\\040", " "), kind.to_owned()))
        })
        .filter(|(point, _)| dir.starts_with(point))
        .max_by_key(|(point, _)| point.len())
        .is_some_and(|(_, kind)| matches!(kind.as_str(), "vfat" | "msdos" | "fat"))
}

#[cfg(test)]
mod tests {
    use super::on_fat;
    use std::path::Path;

    #[test]
    fn fat_boundaries() {
        let mounts = "/dev/vda1 / ext4 rw 0 0\n\
                      /dev/sdb1 /media/kcc/KLUIS\\040STICK vfat rw 0 0\n\
                      /dev/sdc1 /media/kcc/EXFAT exfat rw 0 0\n\
                      /dev/sdd1 /media/kcc/EXFAT/inner vfat rw 0 0\n";
        let check = |dir: &str, fat: bool| assert_eq!(on_fat(Path::new(dir), mounts), fat, "{dir}");
        check("/home/kcc", false);
        check("/media/kcc/KLUIS STICK", true);
        check("/media/kcc/KLUIS STICK/pakketten", true);
        check("/media/kcc/EXFAT", false);
        check("/media/kcc/EXFAT/inner/x", true);
        check("/media/kcc/KLUIS", false);
    }
}
