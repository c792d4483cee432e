//! Checking a BagIt bag (RFC 8493, and the 0.97 draft many archives still
//! hold): every payload file listed in every payload manifest with the
//! right checksum, every listed tag file intact, nothing outside the bag,
//! the Payload-Oxum right. Each fault has its own error, named by file.
//!
//! The bag's files come through [`BagFiles`]: a folder now, the tar inside
//! a package later, so the same rules check both.

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

/// Files that desktops leave in folders by themselves.
const SYSTEM_FILES: [&str; 4] = [".DS_Store", "Thumbs.db", "desktop.ini", ".directory"];

/// Where a bag's files are: a folder, or the tar inside a package, read
/// once as it streams past (see [`crate::tar`]).
pub trait BagFiles {
    /// Every regular file, as a path relative to the bag's root with `/`.
    fn files(&self) -> Result<Vec<String>, BagError>;
    /// A tag file's bytes (tag files are small).
    fn read(&self, path: &str) -> Result<Vec<u8>, BagError>;
    /// A file's checksum, lowercase hex.
    fn digest(&self, path: &str, algorithm: Algorithm) -> Result<String, BagError>;
    /// A file's size in bytes.
    fn size(&self, path: &str) -> Result<u64, BagError>;
}

/// A bag in a folder.
#[derive(Clone, Debug)]
pub struct Folder(pub PathBuf);

impl BagFiles for Folder {
    fn files(&self) -> Result<Vec<String>, BagError> {
        let mut found = Vec::new();
        let mut stack = vec![(self.0.clone(), String::new())];
        while let Some((dir, prefix)) = stack.pop() {
            for entry in fs::read_dir(&dir).map_err(|e| BagError::io(&dir, e))? {
                let entry = entry.map_err(|e| BagError::io(&dir, e))?;
                let name = entry.file_name().into_string().map_err(|n| {
                    BagError::NameNotUtf8(format!("{prefix}{}", n.to_string_lossy()))
                })?;
                let kind = entry
                    .file_type()
                    .map_err(|e| BagError::io(&entry.path(), e))?;
                let relative = format!("{prefix}{name}");
                if kind.is_dir() {
                    stack.push((entry.path(), format!("{relative}/")));
                } else if kind.is_file() {
                    found.push(relative);
                } else {
                    return Err(BagError::NotAFile(relative));
                }
            }
        }
        found.sort();
        Ok(found)
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, BagError> {
        let full = self.0.join(path);
        fs::read(&full).map_err(|e| BagError::io(&full, e))
    }

    fn digest(&self, path: &str, algorithm: Algorithm) -> Result<String, BagError> {
        let full = self.0.join(path);
        let mut file = fs::File::open(&full).map_err(|e| BagError::io(&full, e))?;
        let mut hasher = Hasher::new(algorithm);
        io::copy(&mut file, &mut hasher).map_err(|e| BagError::io(&full, e))?;
        Ok(hasher.hex())
    }

    fn size(&self, path: &str) -> Result<u64, BagError> {
        let full = self.0.join(path);
        Ok(fs::metadata(&full)
            .map_err(|e| BagError::io(&full, e))?
            .len())
    }
}

/// The BagIt versions Kluis reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// An earlier draft, read as 0.97.
    V0_96,
    /// The last draft before the RFC; no percent-encoding in paths.
    V0_97,
    /// RFC 8493.
    V1_0,
}

/// A checksum algorithm a manifest may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Algorithm {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Algorithm {
    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "md5" => Self::Md5,
            "sha1" => Self::Sha1,
            "sha224" => Self::Sha224,
            "sha256" => Self::Sha256,
            "sha384" => Self::Sha384,
            "sha512" => Self::Sha512,
            _ => return None,
        })
    }

    /// The name a manifest's file name carries.
    pub fn name(self) -> &'static str {
        match self {
            Self::Md5 => "md5",
            Self::Sha1 => "sha1",
            Self::Sha224 => "sha224",
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
            Self::Sha512 => "sha512",
        }
    }
}

/// A running checksum of any of the algorithms; `Write` feeds it.
pub enum Hasher {
    Md5(md5::Md5),
    Sha1(sha1::Sha1),
    Sha224(sha2::Sha224),
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
}

impl Hasher {
    pub fn new(algorithm: Algorithm) -> Self {
        use sha2::Digest;
        match algorithm {
            Algorithm::Md5 => Self::Md5(md5::Md5::new()),
            Algorithm::Sha1 => Self::Sha1(sha1::Sha1::new()),
            Algorithm::Sha224 => Self::Sha224(sha2::Sha224::new()),
            Algorithm::Sha256 => Self::Sha256(sha2::Sha256::new()),
            Algorithm::Sha384 => Self::Sha384(sha2::Sha384::new()),
            Algorithm::Sha512 => Self::Sha512(sha2::Sha512::new()),
        }
    }

    /// The checksum so far, lowercase hex.
    pub fn hex(self) -> String {
        use sha2::Digest;
        let bytes: Vec<u8> = match self {
            Self::Md5(d) => d.finalize().to_vec(),
            Self::Sha1(d) => d.finalize().to_vec(),
            Self::Sha224(d) => d.finalize().to_vec(),
            Self::Sha256(d) => d.finalize().to_vec(),
            Self::Sha384(d) => d.finalize().to_vec(),
            Self::Sha512(d) => d.finalize().to_vec(),
        };
        crate::hex(&bytes)
    }
}

impl io::Write for Hasher {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        use sha2::Digest;
        match self {
            Self::Md5(d) => d.update(buf),
            Self::Sha1(d) => d.update(buf),
            Self::Sha224(d) => d.update(buf),
            Self::Sha256(d) => d.update(buf),
            Self::Sha384(d) => d.update(buf),
            Self::Sha512(d) => d.update(buf),
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl fmt::Debug for Hasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Hasher(..)")
    }
}

/// What a checked bag holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    pub version: Version,
    /// `bag-info.txt`, in order (a label may repeat).
    pub info: Vec<(String, String)>,
    pub payload_files: u64,
    pub payload_bytes: u64,
    /// Oddities that do not make the bag invalid.
    pub warnings: Vec<String>,
}

impl Checked {
    /// The first value of `label` in `bag-info.txt`.
    pub fn info(&self, label: &str) -> Option<&str> {
        self.info
            .iter()
            .find(|(l, _)| l.eq_ignore_ascii_case(label))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a bag is not valid.
#[derive(Debug, thiserror::Error)]
pub enum BagError {
    #[error("bagit.txt is missing: this is not a bag")]
    NoBagitTxt,
    #[error("bagit.txt starts with a byte order mark, which BagIt forbids")]
    BomInBagitTxt,
    #[error(
        "bagit.txt is not two lines \"BagIt-Version: M.N\" and \"Tag-File-Character-Encoding: ENC\": {0}"
    )]
    BadBagitTxt(String),
    #[error("BagIt version {0:?} is not one Kluis reads (0.96, 0.97, 1.0)")]
    UnsupportedVersion(String),
    #[error("tag file encoding {0:?} is not one Kluis reads (UTF-8, ISO-8859-1, UTF-16)")]
    UnsupportedEncoding(String),
    #[error("{0} is not valid in the bag's tag file encoding")]
    TagFileEncoding(String),
    #[error("no payload manifest (manifest-ALGORITHM.txt)")]
    NoPayloadManifest,
    #[error("{file} uses the checksum algorithm {algorithm:?}, which Kluis cannot check")]
    UnknownAlgorithm { file: String, algorithm: String },
    #[error("{file}, line {line}: not \"CHECKSUM PATH\"")]
    BadManifestLine { file: String, line: usize },
    #[error("{file} names {path:?}, outside the place it may name")]
    OutsideScope { file: String, path: String },
    #[error("{file} lists {path:?} twice")]
    ListedTwice { file: String, path: String },
    #[error("{path} is listed in {file} but not in the bag")]
    Missing { file: String, path: String },
    #[error("{path} is in the payload but not listed in {file}")]
    NotListed { file: String, path: String },
    #[error("{path} does not match its checksum in {file}")]
    ChecksumMismatch { file: String, path: String },
    #[error("bag-info.txt, line {0}: not \"Label: value\"")]
    BadBagInfo(usize),
    #[error("fetch.txt, line {0}: not \"URL LENGTH PATH\"")]
    BadFetchLine(usize),
    #[error("Payload-Oxum says {stated}, the payload is {found}")]
    OxumMismatch { stated: String, found: String },
    #[error("a file name in the bag is not UTF-8: {0}")]
    NameNotUtf8(String),
    #[error("{0} is not a regular file or folder (a link?)")]
    NotAFile(String),
    #[error("{0} is in the bag twice (perhaps in other capitals)")]
    Doubled(String),
    #[error("{0} is a tag file the tag manifest does not list")]
    UnlistedTagFile(String),
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
}

impl BagError {
    fn io(path: &Path, source: io::Error) -> Self {
        Self::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// Checks the bag completely: structure, every manifest, every checksum.
pub fn check(bag: &impl BagFiles) -> Result<Checked, BagError> {
    let files = bag.files()?;
    let mut warnings = Vec::new();
    let (version, encoding) = read_bagit_txt(bag, &files)?;
    let names = Names::new(&files);

    let info = match names.exact("bag-info.txt") {
        Some(_) => parse_bag_info(&decode(
            &bag.read("bag-info.txt")?,
            encoding,
            "bag-info.txt",
        )?)?,
        None => Vec::new(),
    };
    let fetched = match names.exact("fetch.txt") {
        Some(_) => parse_fetch(
            &decode(&bag.read("fetch.txt")?, encoding, "fetch.txt")?,
            version,
        )?,
        None => Vec::new(),
    };

    let mut payload_manifests = Vec::new();
    let mut tag_manifests = Vec::new();
    for file in &files {
        if file.contains('/') {
            continue;
        }
        if let Some(algorithm) = file
            .strip_prefix("manifest-")
            .and_then(|r| r.strip_suffix(".txt"))
        {
            payload_manifests.push((file.clone(), algorithm_of(file, algorithm)?));
        } else if let Some(algorithm) = file
            .strip_prefix("tagmanifest-")
            .and_then(|r| r.strip_suffix(".txt"))
        {
            tag_manifests.push((file.clone(), algorithm_of(file, algorithm)?));
        }
    }
    if payload_manifests.is_empty() {
        return Err(BagError::NoPayloadManifest);
    }

    let payload: Vec<&String> = files.iter().filter(|f| f.starts_with("data/")).collect();
    for file in &payload {
        let name = file.rsplit('/').next().unwrap_or_default();
        if SYSTEM_FILES.contains(&name) || name.starts_with("._") {
            warnings.push(format!(
                "{file} is an operating system's own file, not a record"
            ));
        }
    }
    let mut hashes: HashMap<(String, Algorithm), String> = HashMap::new();
    for (manifest, algorithm) in &payload_manifests {
        let text = decode(&bag.read(manifest)?, encoding, manifest)?;
        let entries = parse_manifest(&text, manifest, version, true, &mut warnings)?;
        let mut listed = HashSet::new();
        for (path, checksum) in &entries {
            match names.find(path, &mut warnings) {
                Some(actual) => {
                    verify(bag, manifest, actual, *algorithm, checksum, &mut hashes)?;
                    listed.insert(actual.as_str());
                }
                None if fetched.iter().any(|f| f == path) => {}
                None => {
                    return Err(BagError::Missing {
                        file: manifest.clone(),
                        path: path.clone(),
                    });
                }
            }
        }
        for file in &payload {
            if !listed.contains(file.as_str()) {
                return Err(BagError::NotListed {
                    file: manifest.clone(),
                    path: (*file).clone(),
                });
            }
        }
    }

    for (manifest, algorithm) in &tag_manifests {
        let text = decode(&bag.read(manifest)?, encoding, manifest)?;
        for (path, checksum) in parse_manifest(&text, manifest, version, false, &mut warnings)? {
            let Some(actual) = names.find(&path, &mut warnings) else {
                return Err(BagError::Missing {
                    file: manifest.clone(),
                    path,
                });
            };
            verify(bag, manifest, actual, *algorithm, &checksum, &mut hashes)?;
        }
    }

    let mut payload_bytes = 0u64;
    for file in &payload {
        payload_bytes += bag.size(file)?;
    }
    let payload_files = payload.len() as u64;
    // A holey bag's oxum counts files still to fetch: it can only be checked whole.
    if fetched.is_empty()
        && let Some((_, stated)) = info
            .iter()
            .find(|(l, _)| l.eq_ignore_ascii_case("Payload-Oxum"))
    {
        let found = format!("{payload_bytes}.{payload_files}");
        if stated.trim() != found {
            return Err(BagError::OxumMismatch {
                stated: stated.clone(),
                found,
            });
        }
    }
    Ok(Checked {
        version,
        info,
        payload_files,
        payload_bytes,
        warnings,
    })
}

fn algorithm_of(file: &str, name: &str) -> Result<Algorithm, BagError> {
    Algorithm::from_name(name).ok_or_else(|| BagError::UnknownAlgorithm {
        file: file.to_owned(),
        algorithm: name.to_owned(),
    })
}

fn verify(
    bag: &impl BagFiles,
    manifest: &str,
    path: &str,
    algorithm: Algorithm,
    expected: &str,
    hashes: &mut HashMap<(String, Algorithm), String>,
) -> Result<(), BagError> {
    let key = (path.to_owned(), algorithm);
    let actual = match hashes.get(&key) {
        Some(hex) => hex.clone(),
        None => {
            let hex = bag.digest(path, algorithm)?;
            hashes.insert(key, hex.clone());
            hex
        }
    };
    if actual.eq_ignore_ascii_case(expected) {
        Ok(())
    } else {
        Err(BagError::ChecksumMismatch {
            file: manifest.to_owned(),
            path: path.to_owned(),
        })
    }
}

/// Tag file character encodings.
#[derive(Clone, Copy, Debug)]
enum Encoding {
    Utf8,
    Latin1,
    Utf16,
}

fn read_bagit_txt(bag: &impl BagFiles, files: &[String]) -> Result<(Version, Encoding), BagError> {
    if !files.iter().any(|f| f == "bagit.txt") {
        return Err(BagError::NoBagitTxt);
    }
    let bytes = bag.read("bagit.txt")?;
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF])
        || bytes.starts_with(&[0xFE, 0xFF])
        || bytes.starts_with(&[0xFF, 0xFE])
    {
        return Err(BagError::BomInBagitTxt);
    }
    let text = String::from_utf8(bytes).map_err(|_| BagError::BadBagitTxt("not UTF-8".into()))?;
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.is_empty())
        .collect();
    let field = |line: Option<&&str>, label: &str| -> Result<String, BagError> {
        line.and_then(|l| l.strip_prefix(label))
            .and_then(|rest| rest.strip_prefix(": "))
            .map(|v| v.trim().to_owned())
            .ok_or_else(|| BagError::BadBagitTxt(format!("no \"{label}: \" line where expected")))
    };
    if lines.len() != 2 {
        return Err(BagError::BadBagitTxt(format!("{} lines", lines.len())));
    }
    let version = match field(lines.first(), "BagIt-Version")?.as_str() {
        "0.96" => Version::V0_96,
        "0.97" => Version::V0_97,
        "1.0" => Version::V1_0,
        other => return Err(BagError::UnsupportedVersion(other.to_owned())),
    };
    let encoding = match field(lines.get(1), "Tag-File-Character-Encoding")?
        .to_ascii_uppercase()
        .as_str()
    {
        "UTF-8" => Encoding::Utf8,
        "ISO-8859-1" | "LATIN1" | "LATIN-1" => Encoding::Latin1,
        "UTF-16" => Encoding::Utf16,
        other => return Err(BagError::UnsupportedEncoding(other.to_owned())),
    };
    Ok((version, encoding))
}

fn decode(bytes: &[u8], encoding: Encoding, file: &str) -> Result<String, BagError> {
    let bad = || BagError::TagFileEncoding(file.to_owned());
    match encoding {
        Encoding::Utf8 => {
            let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            String::from_utf8(bytes.to_vec()).map_err(|_| bad())
        }
        Encoding::Latin1 => Ok(bytes.iter().map(|&b| char::from(b)).collect()),
        Encoding::Utf16 => {
            let (little, body) = match bytes {
                [0xFF, 0xFE, rest @ ..] => (true, rest),
                [0xFE, 0xFF, rest @ ..] => (false, rest),
                rest => (false, rest),
            };
            if body.len() % 2 != 0 {
                return Err(bad());
            }
            let units = body.chunks_exact(2).map(|pair| {
                let pair = [pair[0], pair[1]];
                if little {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            });
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .map_err(|_| bad())
        }
    }
}

/// Lines of a tag file: LF, CRLF or CR ends a line.
fn tag_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n')
        .flat_map(|l| l.split('\r'))
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.is_empty())
}

fn parse_bag_info(text: &str) -> Result<Vec<(String, String)>, BagError> {
    let mut info: Vec<(String, String)> = Vec::new();
    for (number, line) in tag_lines(text) {
        if line.starts_with([' ', '\t']) {
            let Some((_, value)) = info.last_mut() else {
                return Err(BagError::BadBagInfo(number));
            };
            value.push(' ');
            value.push_str(line.trim());
            continue;
        }
        let (label, value) = line.split_once(':').ok_or(BagError::BadBagInfo(number))?;
        if label.trim().is_empty() {
            return Err(BagError::BadBagInfo(number));
        }
        info.push((label.trim().to_owned(), value.trim().to_owned()));
    }
    Ok(info)
}

fn parse_fetch(text: &str, version: Version) -> Result<Vec<String>, BagError> {
    let mut paths = Vec::new();
    for (number, line) in tag_lines(text) {
        let mut parts = line.splitn(3, [' ', '\t']);
        let (Some(_url), Some(length), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(BagError::BadFetchLine(number));
        };
        if length != "-" && length.parse::<u64>().is_err() {
            return Err(BagError::BadFetchLine(number));
        }
        let path = unescape(path.trim(), version);
        if !is_payload_path(&path) {
            return Err(BagError::OutsideScope {
                file: "fetch.txt".into(),
                path,
            });
        }
        paths.push(path);
    }
    Ok(paths)
}

/// A manifest's (path, checksum) entries; `payload`: its paths must be in
/// `data/`, else outside it.
fn parse_manifest(
    text: &str,
    file: &str,
    version: Version,
    payload: bool,
    warnings: &mut Vec<String>,
) -> Result<Vec<(String, String)>, BagError> {
    let mut entries: BTreeMap<String, String> = BTreeMap::new();
    let mut order = Vec::new();
    for (number, line) in tag_lines(text) {
        let bad = || BagError::BadManifestLine {
            file: file.to_owned(),
            line: number,
        };
        let (checksum, rest) = line.split_once([' ', '\t']).ok_or_else(bad)?;
        let mut path = rest.trim_start_matches([' ', '\t']);
        if checksum.is_empty()
            || !checksum.chars().all(|c| c.is_ascii_hexdigit())
            || path.is_empty()
        {
            return Err(bad());
        }
        // md5sum and sha256sum mark binary mode with a `*`.
        if let Some(rest) = path.strip_prefix('*') {
            warnings.push(format!(
                "{file}: {path:?} carries a checksum tool's binary-mode '*'"
            ));
            path = rest;
        }
        // The 0.97 draft's examples wrote paths relative to the bag's root.
        path = path.strip_prefix("./").unwrap_or(path);
        let path = unescape(path, version);
        let in_scope = if payload {
            is_payload_path(&path)
        } else {
            is_safe_path(&path) && !path.starts_with("data/")
        };
        if !in_scope {
            return Err(BagError::OutsideScope {
                file: file.to_owned(),
                path,
            });
        }
        match entries.get(&path) {
            Some(previous)
                if version == Version::V0_97 && previous.eq_ignore_ascii_case(checksum) =>
            {
                warnings.push(format!("{file} lists {path:?} twice"));
            }
            Some(_) => {
                return Err(BagError::ListedTwice {
                    file: file.to_owned(),
                    path,
                });
            }
            None => {
                entries.insert(path.clone(), checksum.to_owned());
                order.push(path);
            }
        }
    }
    Ok(order
        .into_iter()
        .map(|p| {
            let checksum = entries[&p].clone();
            (p, checksum)
        })
        .collect())
}

/// RFC 8493 escapes only CR, LF and `%` in manifest paths; 0.97 nothing.
fn unescape(path: &str, version: Version) -> String {
    match version {
        Version::V0_96 | Version::V0_97 => path.to_owned(),
        Version::V1_0 => path
            .replace("%0D", "\r")
            .replace("%0d", "\r")
            .replace("%0A", "\n")
            .replace("%0a", "\n")
            .replace("%25", "%"),
    }
}

fn is_safe_path(path: &str) -> bool {
    !path.starts_with('/')
        && !path.starts_with('~')
        && !path.contains('\\')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

fn is_payload_path(path: &str) -> bool {
    path.starts_with("data/") && is_safe_path(path)
}

/// The bag's file names, found as listed, or as listed after Unicode
/// normalisation or a change of case (each a warning: another system
/// may have changed the name).
struct Names<'f> {
    files: &'f [String],
    exact: HashMap<&'f str, &'f String>,
    /// Built on the first miss only: most bags have none.
    normalized: OnceCell<HashMap<String, &'f String>>,
    folded: OnceCell<HashMap<String, &'f String>>,
}

impl<'f> Names<'f> {
    fn new(files: &'f [String]) -> Self {
        Self {
            files,
            exact: files.iter().map(|f| (f.as_str(), f)).collect(),
            normalized: OnceCell::new(),
            folded: OnceCell::new(),
        }
    }

    fn exact(&self, path: &str) -> Option<&'f String> {
        self.exact.get(path).copied()
    }

    fn find(&self, path: &str, warnings: &mut Vec<String>) -> Option<&'f String> {
        if let Some(found) = self.exact(path) {
            return Some(found);
        }
        let normalized: String = path.nfc().collect();
        let by_normalized = self
            .normalized
            .get_or_init(|| self.files.iter().map(|f| (f.nfc().collect(), f)).collect());
        if let Some(found) = by_normalized.get(&normalized) {
            warnings.push(format!(
                "{path:?} is in the bag with another Unicode normalisation"
            ));
            return Some(found);
        }
        let by_folded = self.folded.get_or_init(|| {
            self.files
                .iter()
                .map(|f| (f.nfc().collect::<String>().to_lowercase(), f))
                .collect()
        });
        let found = by_folded.get(&normalized.to_lowercase())?;
        warnings.push(format!("{path:?} is in the bag only with other capitals"));
        Some(found)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::V0_96 => "0.96",
            Self::V0_97 => "0.97",
            Self::V1_0 => "1.0",
        })
    }
}
