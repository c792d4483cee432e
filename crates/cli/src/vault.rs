//! `kluis --vault DIR …`: set-up, keys and checks of a vault from a shell.
//! Passphrases come from a prompt, or from `KLUIS_PASSPHRASE` (and
//! `KLUIS_NEW_PASSPHRASE` for a new one) in scripts and tests.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, anyhow, bail};
use clap::{Args, Subcommand};
use kluis_vault::audit::{self, AuditAction};
use kluis_vault::store::{SCHEMA_VERSION, SearchQuery};
use kluis_vault::{KdfParams, Session, SlotOwner, Vault, VaultError, calibrate};
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
}

const PASSPHRASE_VAR: &str = "KLUIS_PASSPHRASE";
const NEW_PASSPHRASE_VAR: &str = "KLUIS_NEW_PASSPHRASE";
/// Shorter passphrases are refused when chosen (not when typed to unlock).
const SHORTEST_PASSPHRASE: usize = 8;

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
}

#[derive(Debug, Subcommand)]
pub enum VaultCommand {
    /// Create a vault: an admin passphrase and a recovery key to print.
    Init(InitArgs),
    /// Check that a passphrase opens the vault (and log the unlock).
    UnlockCheck,
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
pub struct StatusArgs {
    /// Only what can be seen without a passphrase.
    #[arg(long)]
    outside: bool,
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
        VaultCommand::UnlockCheck => unlock_check(dir, target),
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
        VaultCommand::Settings => settings(dir, target),
        VaultCommand::Set { key, value } => set(dir, target, key, value),
        VaultCommand::SealSetup(args) => seal_setup(dir, target, args),
        VaultCommand::Seal(args) => seal(dir, target, args),
        VaultCommand::Confirm { receipt } => confirm(dir, target, receipt),
        VaultCommand::Purge => purge(dir, target),
    };
    result.or_else(|err| match err.downcast_ref::<VaultError>() {
        Some(
            VaultError::Refused { .. }
            | VaultError::TooSoon { .. }
            | VaultError::AdminNeeded { .. }
            | VaultError::BadRecoveryKey(_),
        ) => {
            eprintln!("kluis: {err:#}");
            Ok(ExitCode::from(exit::REFUSED))
        }
        Some(VaultError::InUse(_)) => {
            eprintln!("kluis: {err:#}");
            Ok(ExitCode::from(exit::IN_USE))
        }
        _ => Err(err),
    })
}

pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn owner(who: &str) -> anyhow::Result<SlotOwner> {
    Ok(match who {
        "admin" => SlotOwner::Admin,
        "recovery" => SlotOwner::Recovery,
        name => SlotOwner::operator(name)?,
    })
}

/// Takes hold of `dir` and unlocks it (the session keeps the hold).
pub(crate) fn open_and_unlock(dir: &Path, target: &Target) -> anyhow::Result<Session> {
    unlock(&Vault::open(dir)?, target)
}

/// Unlocks as --as says, with the passphrase from the environment or a prompt.
fn unlock(vault: &Vault, target: &Target) -> anyhow::Result<Session> {
    let who = owner(&target.who)?;
    let prompt = match &who {
        SlotOwner::Recovery => "Recovery key: ".to_owned(),
        other => format!("Passphrase of {other}: "),
    };
    let passphrase = passphrase(&prompt)?;
    Ok(vault.unlock(&who, &passphrase, now())?)
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
    if chosen.expose_secret().chars().count() < SHORTEST_PASSPHRASE {
        bail!("a passphrase needs at least {SHORTEST_PASSPHRASE} characters; nothing was changed");
    }
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
    let (vault, mut session, recovery) = Vault::create(dir, &admin, params, now())?;
    let public_key = kluis_core::closing::prepare(
        &mut session,
        &args.seal.recipients,
        args.seal.passphrase()?.as_ref(),
        now(),
    )?;
    session.lock(now())?;
    drop(vault);
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
    let mut session = open_and_unlock(dir, target)?;
    let public_key = kluis_core::closing::prepare(
        &mut session,
        &args.recipients,
        args.passphrase()?.as_ref(),
        now(),
    )?;
    session.lock(now())?;
    write_public_key(&mut out(), &public_key, args.pubkey_out.as_deref())?;
    Ok(ExitCode::SUCCESS)
}

fn seal(dir: &Path, target: &Target, args: &SealArgs) -> anyhow::Result<ExitCode> {
    let mut session = open_and_unlock(dir, target)?;
    let report = kluis_core::closing::seal_day(&mut session, &args.out, local_now());
    session.lock(now())?;
    let report = report?;
    writeln!(
        out(),
        "{} (seq {}): {} conversations, {} messages, {} files; bag sha256:{}\n  {}\n  {}",
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
    let mut session = open_and_unlock(dir, target)?;
    let result = kluis_core::closing::retention::confirm(&mut session, &text, &signature, now());
    session.lock(now())?;
    writeln!(out(), "{}: confirmed by the archive", result?)?;
    Ok(ExitCode::SUCCESS)
}

fn purge(dir: &Path, target: &Target) -> anyhow::Result<ExitCode> {
    let mut session = open_and_unlock(dir, target)?;
    let result = kluis_core::closing::retention::purge(&mut session, now());
    session.lock(now())?;
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

/// Now, with the local time zone's offset (for the package's times).
fn local_now() -> kluis_core::lock::Now {
    let local = chrono::Local::now();
    kluis_core::lock::Now {
        utc: local.timestamp(),
        offset: local.offset().local_minus_utc(),
    }
}

fn unlock_check(dir: &Path, target: &Target) -> anyhow::Result<ExitCode> {
    let session = open_and_unlock(dir, target)?;
    let who = session.who().to_string();
    session.lock(now())?;
    writeln!(out(), "The passphrase of {who} opens the vault.")?;
    Ok(ExitCode::SUCCESS)
}

fn passwd(dir: &Path, target: &Target, args: &KdfArgs) -> anyhow::Result<ExitCode> {
    let mut session = open_and_unlock(dir, target)?;
    let who = session.who().to_string();
    let new = new_passphrase(NEW_PASSPHRASE_VAR, &who)?;
    session.change_passphrase(&new, kdf(args)?, now())?;
    session.lock(now())?;
    writeln!(
        out(),
        "Changed the passphrase of {who}; the old one no longer opens the vault."
    )?;
    Ok(ExitCode::SUCCESS)
}

fn operator(dir: &Path, target: &Target, command: &OperatorCommand) -> anyhow::Result<ExitCode> {
    let mut session = open_and_unlock(dir, target)?;
    match command {
        OperatorCommand::Add { name, kdf: args } => {
            let new = new_passphrase(NEW_PASSPHRASE_VAR, &format!("operator {name}"))?;
            session.add_operator(name, &new, kdf(args)?, now())?;
            session.lock(now())?;
            writeln!(out(), "Added operator {name}.")?;
        }
        OperatorCommand::Remove { name } => {
            session.remove_operator(name, now())?;
            session.lock(now())?;
            writeln!(
                out(),
                "Removed operator {name}: their passphrase no longer opens the vault."
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn renew(dir: &Path, target: &Target, args: &KdfArgs) -> anyhow::Result<ExitCode> {
    let mut session = open_and_unlock(dir, target)?;
    let key = session.renew_recovery_key(kdf(args)?, now())?;
    session.lock(now())?;
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
    let mut session = open_and_unlock(dir, target)?;
    let hits = session.store().search(&query, args.limit)?;
    session.audit(
        now(),
        AuditAction::Export,
        "search",
        &format!("{} results shown on the command line", hits.len()),
    )?;
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
            hit.chat_name,
            hit.author.as_deref().unwrap_or("(WhatsApp)"),
            text.replace('\n', " ")
        )?;
    }
    session.lock(now())?;
    if hits.is_empty() {
        eprintln!("kluis: no message matches");
    }
    Ok(ExitCode::SUCCESS)
}

fn status(dir: &Path, target: &Target, args: &StatusArgs) -> anyhow::Result<ExitCode> {
    let vault = Vault::open(dir)?;
    let outside = vault.outside(now())?;
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
    let session = unlock(&vault, target)?;
    let (conversations, messages) = session.store().counts()?;
    let blobs = session.blobs()?.ids()?.len();
    let report = audit::verify(session.store())?;
    let mut out = out();
    writeln!(out, "schema          version {SCHEMA_VERSION}")?;
    writeln!(
        out,
        "stored          {conversations} conversations, {messages} messages, {blobs} files"
    )?;
    writeln!(
        out,
        "audit log       {} entries, {}",
        report.entries,
        if report.breaks.is_empty() {
            "chain intact"
        } else {
            "CHAIN BROKEN (kluis audit verify)"
        }
    )?;
    drop(out);
    session.lock(now())?;
    Ok(ExitCode::SUCCESS)
}

fn verify(dir: &Path, target: &Target) -> anyhow::Result<ExitCode> {
    let session = open_and_unlock(dir, target)?;
    let report = audit::verify(session.store())?;
    session.lock(now())?;
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
    let session = open_and_unlock(dir, target)?;
    let mut out = out();
    for known in kluis_core::settings::KNOWN {
        let value = session.store().setting(known.key)?;
        writeln!(
            out,
            "{} = {}\n    {}",
            known.key,
            value.as_deref().unwrap_or("(not set)"),
            known.about
        )?;
    }
    session.lock(now())?;
    Ok(ExitCode::SUCCESS)
}

fn set(dir: &Path, target: &Target, key: &str, value: &str) -> anyhow::Result<ExitCode> {
    let mut session = open_and_unlock(dir, target)?;
    kluis_core::settings::set(&mut session, key, value, now())?;
    session.lock(now())?;
    Ok(ExitCode::SUCCESS)
}
