//! `kluis --vault DIR …`: set-up, keys and checks of a vault from a shell.
//! Passphrases come from a prompt, or from `KLUIS_PASSPHRASE` (and
//! `KLUIS_NEW_PASSPHRASE` for a new one) in scripts and tests.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::shown::shown;
use anyhow::{Context, anyhow, bail};
use clap::{Args, Subcommand};
use kluis_core::desk::{
    Desk, DeskError, FullCheck, KdfParams, Notice, SCHEMA_VERSION, SearchQuery, SlotOwner,
    SystemClock, VaultError, calibrate, slot_owner,
};
use secrecy::{ExposeSecret, SecretString};

/// The exit codes a script can tell apart.
pub mod exit {
    /// A wrong passphrase or recovery key, or a wait after too many.
    pub const REFUSED: u8 = 3;
    /// The audit chain is broken.
    pub const AUDIT_BROKEN: u8 = 4;
    /// Another process has the vault.
    pub const IN_USE: u8 = 5;
    /// Some exports were not imported (each one's reason is printed).
    pub const NOT_IMPORTED: u8 = 6;
    /// The passphrase was right, and the lock refuses it now: outside the
    /// shift hours, the day closed, or no reason given for an override.
    pub const LOCK_REFUSED: u8 = 7;
    /// The role of --as may not do this (an operator changing a setting).
    pub const NOT_PERMITTED: u8 = 8;
    /// `status --full` found a damaged page or file.
    pub const DAMAGED: u8 = 9;
}

const PASSPHRASE_VAR: &str = "KLUIS_PASSPHRASE";
const NEW_PASSPHRASE_VAR: &str = "KLUIS_NEW_PASSPHRASE";

/// Which vault, and whose key opens it.
#[derive(Debug, Args)]
pub struct Target {
    /// The vault's folder.
    #[arg(long, global = true, value_name = "DIR")]
    pub vault: Option<PathBuf>,
    /// Whose passphrase: `admin`, `recovery` (the recovery key) or an operator's name.
    #[arg(
        long = "as",
        global = true,
        value_name = "WHO",
        default_value = "admin"
    )]
    pub who: String,
    /// Why the admin or recovery key opens outside the shift hours or after
    /// the day's closing (audited; operators cannot open then).
    #[arg(long, global = true, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Read the passphrase from this file's first line (a pipe, or
    /// /dev/fd/3 from a script) instead of KLUIS_PASSPHRASE, which would
    /// stay in the environment of a long `inbox --watch`.
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum VaultCommand {
    /// Create a vault: an admin passphrase and a recovery key to print.
    Init(InitArgs),
    /// Check that a passphrase opens the vault (and log the unlock).
    UnlockCheck(UnlockCheckArgs),
    /// Change the passphrase of the slot given with --as.
    Passwd(KdfArgs),
    /// Add or remove an operator's key slot (as admin or with the recovery key).
    #[command(subcommand)]
    Operator(OperatorCommand),
    /// Replace the recovery key; the old one stops working.
    #[command(subcommand)]
    RecoveryKey(RecoveryCommand),
    /// Search every stored message, newest first.
    Search(SearchArgs),
    /// What the vault holds and whether it is whole.
    Status(StatusArgs),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Import WhatsApp exports (files or folders); only what is new is added.
    Import(crate::import::ImportArgs),
    /// Import what is in the inbox folder, then (with --watch) keep watching.
    Inbox(crate::import::InboxArgs),
    /// List the conversations.
    Conversations,
    /// Change a conversation's case (by number, see `conversations`).
    Case(crate::cases::CaseArgs),
    /// The labels (case types) the window offers (as admin to change them).
    #[command(subcommand)]
    Label(crate::cases::LabelCommand),
    /// The canned replies the reply box offers (as admin to change them).
    #[command(subcommand)]
    Reply(crate::cases::ReplyCommand),
    /// Merge one conversation into another (both by number, see `conversations`).
    Merge(crate::import::MergeArgs),
    /// The settings IT may change, with their values.
    Settings,
    /// Change a setting (see `settings`); the change is audited.
    Set { key: String, value: String },
    /// Make the package signing key (if none) and set the archive's recipients.
    SealSetup(SealSetupArgs),
    /// Seal everything not sealed yet into a package for the archive, as
    /// the evening's closing does: written, read back, verified.
    Seal(SealArgs),
    /// Record the archive's signed receipt for a package (RECEIPT and
    /// RECEIPT.minisig).
    Confirm { receipt: PathBuf },
    /// Purge the records of packages the archive confirmed, once older
    /// than retention.days.
    Purge,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    #[command(flatten)]
    kdf: KdfArgs,
    #[command(flatten)]
    seal: SealSetupArgs,
}

/// The package signing key and the archive's recipients.
#[derive(Debug, Args)]
pub struct SealSetupArgs {
    /// The archive's age recipient (age1…); repeat for an escrow key.
    #[arg(long = "archive-recipient", value_name = "AGE_RECIPIENT")]
    recipients: Vec<String>,
    /// Where to write the package signing key's public half, for the archive.
    #[arg(long, value_name = "FILE")]
    pubkey_out: Option<PathBuf>,
    /// Encrypt packages to an archive passphrase instead (from a prompt or
    /// KLUIS_ARCHIVE_PASSPHRASE), where the archive has no age key yet.
    #[arg(long, conflicts_with = "recipients")]
    archive_passphrase: bool,
}

impl SealSetupArgs {
    fn passphrase(&self) -> anyhow::Result<Option<SecretString>> {
        if !self.archive_passphrase {
            return Ok(None);
        }
        Ok(Some(match std::env::var("KLUIS_ARCHIVE_PASSPHRASE") {
            Ok(p) if !p.is_empty() => SecretString::from(p),
            _ => passphrase("Archive passphrase: ")?,
        }))
    }
}

#[derive(Debug, Args)]
pub struct SealArgs {
    /// The folder (the USB stick) the package and its signature go to.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

/// Argon2id's cost for new slots; without these it is calibrated here.
#[derive(Debug, Args)]
pub struct KdfArgs {
    /// Memory per derivation in MiB (at least 64); skips calibration.
    #[arg(long, value_name = "MIB", requires = "kdf_passes")]
    kdf_memory: Option<u32>,
    /// Passes over the memory (at least 3); skips calibration.
    #[arg(long, value_name = "N", requires = "kdf_memory")]
    kdf_passes: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum OperatorCommand {
    /// A new operator; their passphrase from a prompt or KLUIS_NEW_PASSPHRASE.
    Add {
        name: String,
        #[command(flatten)]
        kdf: KdfArgs,
    },
    /// Remove an operator's slot: their passphrase no longer opens the vault.
    Remove { name: String },
}

#[derive(Debug, Subcommand)]
pub enum RecoveryCommand {
    /// Make a new recovery key and print it once.
    Renew(KdfArgs),
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words (all must occur), "a phrase" in quotes, or a beginning with *.
    query: String,
    /// At most this many messages.
    #[arg(long, default_value_t = 50)]
    limit: usize,
}

#[derive(Debug, Args)]
pub struct UnlockCheckArgs {
    /// With the recovery key and --reason: open a database that went back
    /// in time or is not the one last written (a backup put back on
    /// purpose), and log that; from then on it is the vault's.
    #[arg(long)]
    accept_older_database: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Only what can be seen without a passphrase.
    #[arg(long)]
    outside: bool,
    /// Also read every page of the database and every encrypted file to
    /// its end (slow on a large vault): exit 9 names what is damaged.
    #[arg(long, conflicts_with = "outside")]
    full: bool,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain: exit 4 if an entry was edited, removed or moved.
    Verify,
}

/// Runs one vault command.
pub fn run(target: &Target, command: &VaultCommand) -> anyhow::Result<ExitCode> {
    let dir = target
        .vault
        .as_deref()
        .ok_or_else(|| anyhow!("which vault? give --vault DIR"))?;
    let result = match command {
        VaultCommand::Init(args) => init(dir, args),
        VaultCommand::UnlockCheck(args) => unlock_check(dir, target, args),
        VaultCommand::Passwd(kdf) => passwd(dir, target, kdf),
        VaultCommand::Operator(op) => operator(dir, target, op),
        VaultCommand::RecoveryKey(RecoveryCommand::Renew(kdf)) => renew(dir, target, kdf),
        VaultCommand::Search(args) => search(dir, target, args),
        VaultCommand::Status(args) => status(dir, target, args),
        VaultCommand::Audit(AuditCommand::Verify) => verify(dir, target),
        VaultCommand::Import(args) => crate::import::import(dir, target, args),
        VaultCommand::Inbox(args) => crate::import::inbox(dir, target, args),
        VaultCommand::Conversations => crate::import::conversations(dir, target),
        VaultCommand::Merge(args) => crate::import::merge(dir, target, args),
        VaultCommand::Case(args) => crate::cases::case(dir, target, args),
        VaultCommand::Label(command) => crate::cases::label(dir, target, command),
        VaultCommand::Reply(command) => crate::cases::reply(dir, target, command),
        VaultCommand::Settings => settings(dir, target),
        VaultCommand::Set { key, value } => set(dir, target, key, value),
        VaultCommand::SealSetup(args) => seal_setup(dir, target, args),
        VaultCommand::Seal(args) => seal(dir, target, args),
        VaultCommand::Confirm { receipt } => confirm(dir, target, receipt),
        VaultCommand::Purge => purge(dir, target),
    };
    result.or_else(|err| {
        let code = match err.downcast_ref::<DeskError>() {
            Some(DeskError::Refused { .. }) => Some(exit::LOCK_REFUSED),
            Some(DeskError::NotPermitted { .. }) => Some(exit::NOT_PERMITTED),
            Some(DeskError::Vault(e)) => vault_code(e),
            _ => err.downcast_ref::<VaultError>().and_then(vault_code),
        };
        match code {
            Some(code) => {
                eprintln!("kluis: {err:#}");
                Ok(ExitCode::from(code))
            }
            None => Err(err),
        }
    })
}

fn vault_code(e: &VaultError) -> Option<u8> {
    match e {
        VaultError::Refused { .. }
        | VaultError::TooSoon { .. }
        | VaultError::AdminNeeded { .. }
        | VaultError::BadRecoveryKey(_) => Some(exit::REFUSED),
        VaultError::InUse(_) => Some(exit::IN_USE),
        _ => None,
    }
}

pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The vault in `dir` at the desk, unlocked as --as says (with the
/// passphrase from the environment or a prompt) if the lock allows it now.
/// What the lock noticed on the way (a clock set back) is printed.
pub(crate) fn open_desk(dir: &Path, target: &Target) -> anyhow::Result<Desk> {
    let desk = desk_at(dir)?;
    unlock(&desk, target)?;
    Ok(desk)
}

/// The desk over the vault at `dir` for a closing: when another Kluis
/// holds it (an inbox watcher), that one is asked to give way and is waited
/// for, at most `GIVE_WAY`; a closing is never blocked by a watcher.
fn desk_given_way(dir: &Path) -> anyhow::Result<Desk> {
    const GIVE_WAY: std::time::Duration = std::time::Duration::from_secs(30);
    let first = match desk_at(dir) {
        Err(e) if in_use(&e) => e,
        other => return other,
    };
    kluis_core::desk::request_closing(dir)
        .map_err(|e| anyhow!("the vault is in use and cannot be asked to give way: {e}"))?;
    eprintln!("kluis: another Kluis holds the vault; asking it to give way for the closing");
    let started = std::time::Instant::now();
    let result = loop {
        match desk_at(dir) {
            Err(e) if in_use(&e) && started.elapsed() < GIVE_WAY => {
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
            Err(e) if in_use(&e) => break Err(first),
            other => break other,
        }
    };
    kluis_core::desk::withdraw_closing_request(dir);
    result
}

fn in_use(error: &anyhow::Error) -> bool {
    matches!(
        error.downcast_ref::<VaultError>(),
        Some(VaultError::InUse(_))
    )
}

/// The desk over the vault at `dir`, still locked; says what was found
/// open to others there (and made private again).
fn desk_at(dir: &Path) -> anyhow::Result<Desk> {
    let desk = Desk::open(dir, Box::new(SystemClock), &home_dir())?;
    for path in desk.tightened() {
        eprintln!(
            "kluis: warning: others could read or change {}; it is private to you again",
            path.display()
        );
    }
    for path in desk.still_open() {
        eprintln!(
            "kluis: warning: others can read or change {}, and it could not be made private: \
             change its owner or permissions",
            path.display()
        );
    }
    Ok(desk)
}

fn unlock(desk: &Desk, target: &Target) -> anyhow::Result<()> {
    let who = slot_owner(&target.who)?;
    let prompt = match &who {
        SlotOwner::Recovery => "Recovery key: ".to_owned(),
        other => format!("Passphrase of {other}: "),
    };
    let passphrase = typed(target, &prompt)?;
    let notices = desk.unlock(&who, &passphrase, target.reason.clone())?;
    tell(&notices);
    Ok(())
}

/// Locks at the end of a command (as by hand, audited) and says what
/// the lock decided on the way.
pub(crate) fn done(desk: &Desk) {
    tell(&desk.lock_now());
}

/// What the lock decided, for the person at the terminal.
pub(crate) fn tell(notices: &[Notice]) {
    for notice in notices {
        match notice {
            Notice::ClockSetBack { by_seconds } => eprintln!(
                "kluis: the clock reads {} min before the latest time Kluis saw: it was set back; this is logged and Kluis keeps its own time",
                by_seconds / 60
            ),
            Notice::ClosingSoon { closing_at } => {
                eprintln!("kluis: closing time is at {closing_at}")
            }
            Notice::RemovedUnreferenced { files } => eprintln!(
                "kluis: removed {files} encrypted files that no record referred to (an import that did not finish); this is logged"
            ),
            Notice::Locked { why } if !matches!(why, kluis_core::lock::Why::ByHand) => {
                eprintln!("kluis: the vault locked ({why:?})")
            }
            Notice::Locked { .. } | Notice::LockScreenChanged => {}
        }
    }
}

/// The user's home, where the default inbox is.
pub(crate) fn home_dir() -> PathBuf {
    std::env::var_os("HOME").map_or_else(|| PathBuf::from("/"), PathBuf::from)
}

fn passphrase(prompt: &str) -> anyhow::Result<SecretString> {
    if let Some(value) = std::env::var_os(PASSPHRASE_VAR) {
        let value = value
            .into_string()
            .map_err(|_| anyhow!("{PASSPHRASE_VAR} is not valid UTF-8"))?;
        return Ok(SecretString::from(value));
    }
    prompt_hidden(prompt)
}

/// The passphrase for `target`: from `--passphrase-file`, the
/// environment, or typed at `prompt`.
fn typed(target: &Target, prompt: &str) -> anyhow::Result<SecretString> {
    match &target.passphrase_file {
        Some(file) => passphrase_from(file),
        None => passphrase(prompt),
    }
}

/// The first line of `file`, read once.
fn passphrase_from(file: &Path) -> anyhow::Result<SecretString> {
    let bytes = zeroize::Zeroizing::new(
        std::fs::read(file)
            .with_context(|| format!("reading the passphrase from {}", file.display()))?,
    );
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| anyhow!("{} does not hold UTF-8 text", file.display()))?;
    let line = text.lines().next().unwrap_or_default();
    Ok(SecretString::from(line.to_owned()))
}

fn prompt_hidden(prompt: &str) -> anyhow::Result<SecretString> {
    if !io::stdin().is_terminal() {
        bail!(
            "no passphrase: run in a terminal, or set {PASSPHRASE_VAR} (and {NEW_PASSPHRASE_VAR} for a new one)"
        );
    }
    Ok(SecretString::from(
        rpassword::prompt_password(prompt).context("reading the passphrase")?,
    ))
}

/// A passphrase being chosen: from `var`, or typed twice.
fn new_passphrase(var: &str, whose: &str) -> anyhow::Result<SecretString> {
    let chosen = match std::env::var_os(var) {
        Some(value) => SecretString::from(
            value
                .into_string()
                .map_err(|_| anyhow!("{var} is not valid UTF-8"))?,
        ),
        None => {
            let first = prompt_hidden(&format!("New passphrase for {whose}: "))?;
            let second = prompt_hidden("The same again: ")?;
            if first.expose_secret() != second.expose_secret() {
                bail!("the two passphrases differ; nothing was changed");
            }
            first
        }
    };
    // Its strength is the desk's to judge, for every way in.
    Ok(chosen)
}

fn kdf(args: &KdfArgs) -> anyhow::Result<KdfParams> {
    match (args.kdf_memory, args.kdf_passes) {
        (Some(mib), Some(passes)) => {
            let params = KdfParams {
                memory_kib: mib.saturating_mul(1024),
                iterations: passes,
                ..KdfParams::FLOOR
            };
            if !params.meets_floor() {
                bail!("--kdf-memory must be at least 64 and --kdf-passes at least 3");
            }
            Ok(params)
        }
        _ => Ok(calibrate::calibrate(Duration::from_secs(1))?),
    }
}

fn describe(kdf: &KdfParams) -> String {
    format!(
        "Argon2id {} MiB, {} passes, {} lanes",
        kdf.memory_kib / 1024,
        kdf.iterations,
        kdf.lanes
    )
}

pub(crate) fn out() -> io::StdoutLock<'static> {
    io::stdout().lock()
}

fn init(dir: &Path, args: &InitArgs) -> anyhow::Result<ExitCode> {
    let admin = match std::env::var_os(PASSPHRASE_VAR) {
        Some(_) => new_passphrase(PASSPHRASE_VAR, "admin")?,
        None => new_passphrase(NEW_PASSPHRASE_VAR, "admin")?,
    };
    let params = kdf(&args.kdf)?;
    let cost = calibrate::time(params)?;
    let created = Desk::create(
        dir,
        &admin,
        params,
        &args.seal.recipients,
        args.seal.passphrase()?.as_ref(),
        now(),
    )?;
    let (recovery, public_key) = (created.recovery_key, created.public_key);
    let mut out = out();
    writeln!(out, "Created the vault in {}.", dir.display())?;
    writeln!(out)?;
    writeln!(
        out,
        "Recovery key (shown only now; print it or write it down, and keep it in the safe):"
    )?;
    writeln!(out)?;
    writeln!(out, "    {}", recovery.expose_secret())?;
    writeln!(out)?;
    writeln!(
        out,
        "It opens the vault when the admin passphrase is lost: kluis --vault {} --as recovery unlock-check",
        dir.display()
    )?;
    writeln!(
        out,
        "An unlock takes {:.2} s on this machine ({}).",
        cost.as_secs_f64(),
        describe(&params)
    )?;
    write_public_key(&mut out, &public_key, args.seal.pubkey_out.as_deref())?;
    Ok(ExitCode::SUCCESS)
}

fn write_public_key(
    out: &mut impl Write,
    public_key: &str,
    to: Option<&Path>,
) -> anyhow::Result<()> {
    match to {
        Some(path) => {
            std::fs::write(path, public_key)
                .with_context(|| format!("cannot write {}", path.display()))?;
            writeln!(
                out,
                "The packages' public key is in {}: hand it to the archive.",
                path.display()
            )?;
        }
        None => {
            writeln!(out, "The packages' public key, for the archive:")?;
            write!(out, "{public_key}")?;
        }
    }
    Ok(())
}

fn seal_setup(dir: &Path, target: &Target, args: &SealSetupArgs) -> anyhow::Result<ExitCode> {
    let desk = open_desk(dir, target)?;
    let public_key = desk.seal_setup(&args.recipients, args.passphrase()?.as_ref());
    done(&desk);
    write_public_key(&mut out(), &public_key?, args.pubkey_out.as_deref())?;
    Ok(ExitCode::SUCCESS)
}

/// Seals the day exactly as the window's closing does (the same call):
/// then the day is closed and the vault locked.
fn seal(dir: &Path, target: &Target, args: &SealArgs) -> anyhow::Result<ExitCode> {
    let desk = desk_given_way(dir)?;
    unlock(&desk, target)?;
    let sealed = desk.seal_day(Some(&args.out));
    done(&desk);
    let (report, notices) = sealed?;
    tell(&notices);
    writeln!(
        out(),
        "{} (seq {}): {} conversations, {} messages, {} files; bag sha256:{}\n  {}\n  {}\nThe day is closed.",
        report.id,
        report.seq,
        report.conversations,
        report.messages,
        report.files,
        report.digest,
        report.package.display(),
        report.signature.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

fn confirm(dir: &Path, target: &Target, receipt: &Path) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(receipt)
        .with_context(|| format!("cannot read {}", receipt.display()))?;
    let mut signature_path = receipt.as_os_str().to_owned();
    signature_path.push(".minisig");
    let signature = std::fs::read_to_string(&signature_path).with_context(|| {
        format!(
            "cannot read the receipt's signature {}",
            PathBuf::from(&signature_path).display()
        )
    })?;
    let desk = open_desk(dir, target)?;
    let result = desk.confirm(&text, &signature);
    done(&desk);
    writeln!(out(), "{}: confirmed by the archive", result?)?;
    Ok(ExitCode::SUCCESS)
}

fn purge(dir: &Path, target: &Target) -> anyhow::Result<ExitCode> {
    let desk = open_desk(dir, target)?;
    let result = desk.purge();
    done(&desk);
    let reports = result?;
    let mut out = out();
    if reports.is_empty() {
        writeln!(out, "nothing to purge")?;
    }
    for r in reports {
        writeln!(
            out,
            "{}: purged {} messages, {} files, {} originals, {} conversations",
            r.id, r.messages, r.files, r.originals, r.conversations
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn unlock_check(dir: &Path, target: &Target, args: &UnlockCheckArgs) -> anyhow::Result<ExitCode> {
    let desk = desk_at(dir)?;
    if args.accept_older_database {
        if target.reason.is_none() {
            bail!("--accept-older-database needs --reason: it is logged");
        }
        let who = slot_owner(&target.who)?;
        let passphrase = typed(target, "Recovery key: ")?;
        tell(&desk.unlock_accepting(&who, &passphrase, target.reason.clone(), true)?);
    } else {
        unlock(&desk, target)?;
    }
    let who = desk.who().map(|w| w.to_string()).unwrap_or_default();
    done(&desk);
    writeln!(out(), "The passphrase of {who} opens the vault.")?;
    Ok(ExitCode::SUCCESS)
}

fn passwd(dir: &Path, target: &Target, args: &KdfArgs) -> anyhow::Result<ExitCode> {
    let desk = open_desk(dir, target)?;
    let who = desk.who().map(|w| w.to_string()).unwrap_or_default();
    let changed = new_passphrase(NEW_PASSPHRASE_VAR, &who)
        .and_then(|new| Ok(desk.change_passphrase(&new, kdf(args)?)?));
    done(&desk);
    changed?;
    writeln!(
        out(),
        "Changed the passphrase of {who}; the old one no longer opens the vault."
    )?;
    Ok(ExitCode::SUCCESS)
}

fn operator(dir: &Path, target: &Target, command: &OperatorCommand) -> anyhow::Result<ExitCode> {
    let desk = open_desk(dir, target)?;
    let result = match command {
        OperatorCommand::Add { name, kdf: args } => {
            new_passphrase(NEW_PASSPHRASE_VAR, &format!("operator {name}"))
                .and_then(|new| Ok(desk.add_operator(name, &new, kdf(args)?)?))
                .map(|()| format!("Added operator {name}."))
        }
        OperatorCommand::Remove { name } => {
            desk.remove_operator(name).map_err(Into::into).map(|()| {
                format!("Removed operator {name}: their passphrase no longer opens the vault.")
            })
        }
    };
    done(&desk);
    writeln!(out(), "{}", result?)?;
    Ok(ExitCode::SUCCESS)
}

fn renew(dir: &Path, target: &Target, args: &KdfArgs) -> anyhow::Result<ExitCode> {
    let desk = open_desk(dir, target)?;
    let key = kdf(args).and_then(|params| Ok(desk.renew_recovery_key(params)?));
    done(&desk);
    let key = key?;
    let mut out = out();
    writeln!(
        out,
        "New recovery key (shown only now; the old one no longer works):"
    )?;
    writeln!(out)?;
    writeln!(out, "    {}", key.expose_secret())?;
    Ok(ExitCode::SUCCESS)
}

fn search(dir: &Path, target: &Target, args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let query = SearchQuery::parse(&args.query)?;
    let desk = open_desk(dir, target)?;
    let hits = desk.search(&query, args.limit);
    done(&desk);
    let hits = hits?;
    let mut out = out();
    for hit in &hits {
        let text: String = hit
            .snippet
            .iter()
            .map(|(piece, matched)| {
                if *matched {
                    format!("[{piece}]")
                } else {
                    piece.clone()
                }
            })
            .collect();
        writeln!(
            out,
            "{}  {}  {}: {}",
            hit.message.time(),
            shown(&hit.chat_name),
            shown(hit.author.as_deref().unwrap_or("(WhatsApp)")),
            shown(&text.replace('\n', " "))
        )?;
    }
    if hits.is_empty() {
        eprintln!("kluis: no message matches");
    }
    Ok(ExitCode::SUCCESS)
}

fn status(dir: &Path, target: &Target, args: &StatusArgs) -> anyhow::Result<ExitCode> {
    let desk = desk_at(dir)?;
    let outside = desk.outside()?;
    {
        let mut out = out();
        writeln!(out, "vault           {}", dir.display())?;
        for (owner, kdf) in &outside.slots {
            writeln!(out, "key slot        {owner} ({})", describe(kdf))?;
        }
        write!(
            out,
            "failed unlocks  {} since the last unlock",
            outside.failed_unlocks
        )?;
        if outside.wait_seconds > 0 {
            write!(out, "; next attempt in {} s", outside.wait_seconds)?;
        }
        writeln!(out)?;
    }
    if args.outside {
        return Ok(ExitCode::SUCCESS);
    }
    unlock(&desk, target)?;
    let status = desk.status();
    let full = args.full.then(|| desk.full_check());
    done(&desk);
    let status = status?;
    let mut out = out();
    writeln!(out, "schema          version {SCHEMA_VERSION}")?;
    writeln!(
        out,
        "stored          {} conversations, {} messages, {} files",
        status.conversations, status.messages, status.files
    )?;
    writeln!(
        out,
        "audit log       {} entries, {}",
        status.audit.entries,
        if status.audit.breaks.is_empty() {
            "chain intact"
        } else {
            "CHAIN BROKEN (kluis audit verify)"
        }
    )?;
    match full.transpose()? {
        Some(check) => print_full_check(&mut out, &check),
        None => Ok(ExitCode::SUCCESS),
    }
}

/// The pages' and files' check; exit 9 when anything is damaged.
fn print_full_check(out: &mut impl Write, check: &FullCheck) -> anyhow::Result<ExitCode> {
    if check.pages.is_empty() {
        writeln!(out, "pages           every page verifies")?;
    } else {
        writeln!(
            out,
            "pages           DAMAGED: {}",
            shown(&check.pages.join("; "))
        )?;
    }
    writeln!(
        out,
        "files           {} of {} read to their end",
        check.files - check.damaged_files.len(),
        check.files
    )?;
    for (blob, owner, why) in &check.damaged_files {
        writeln!(
            out,
            "  DAMAGED {blob}: {} ({why})",
            owner.as_deref().unwrap_or("no record names it")
        )?;
    }
    if check.unreferenced > 0 {
        writeln!(
            out,
            "  {} files no record refers to (an import that did not finish): the next unlock removes them",
            check.unreferenced
        )?;
    }
    if check.pages.is_empty() && check.damaged_files.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "Restore kluis.db or the damaged files in blobs/ from the latest backup; nothing was changed."
    )?;
    Ok(ExitCode::from(exit::DAMAGED))
}

fn verify(dir: &Path, target: &Target) -> anyhow::Result<ExitCode> {
    let desk = open_desk(dir, target)?;
    let report = desk.audit_verify();
    done(&desk);
    let report = report?;
    let mut out = out();
    if report.breaks.is_empty() {
        writeln!(out, "audit log: {} entries, chain intact", report.entries)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "audit log: {} entries, chain BROKEN:", report.entries)?;
    for broken in &report.breaks {
        writeln!(out, "  {broken}")?;
    }
    Ok(ExitCode::from(exit::AUDIT_BROKEN))
}

fn settings(dir: &Path, target: &Target) -> anyhow::Result<ExitCode> {
    let desk = open_desk(dir, target)?;
    let lines = desk.settings();
    done(&desk);
    let mut out = out();
    for line in lines? {
        writeln!(
            out,
            "{} = {}\n    {}",
            line.key,
            line.value.as_deref().unwrap_or("(not set)"),
            line.about
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn set(dir: &Path, target: &Target, key: &str, value: &str) -> anyhow::Result<ExitCode> {
    let desk = open_desk(dir, target)?;
    let result = desk.set(key, value);
    done(&desk);
    result?;
    Ok(ExitCode::SUCCESS)
}
