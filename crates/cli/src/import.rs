//! `kluis --vault DIR import|inbox|conversations|merge`: getting chats in
//! from a shell, over `kluis_core::import`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::anyhow;
use clap::Args;
use kluis_core::import::inbox::{self, Inbox, Outcome, Watch};
use kluis_core::import::{ImportReport, import_paths, merge_conversations};
use kluis_vault::store::ConversationId;

use crate::vault::{Target, exit, now, open_and_unlock, out};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Export files (`.txt`, `.zip`) or folders holding them. They are left
    /// where they are.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print only the number of new messages stored.
    #[arg(long)]
    count: bool,
}

#[derive(Debug, Args)]
pub struct InboxArgs {
    /// The inbox folder; otherwise the vault's `inbox.dir` setting, else ~/Kluis-inbox.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Keep watching (until Ctrl-C) instead of stopping when the inbox is done.
    #[arg(long)]
    watch: bool,
    /// How long a file must be left alone before it is taken, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    settle_ms: u64,
    /// Remember --dir as the vault's inbox.
    #[arg(long, requires = "dir")]
    remember: bool,
    /// Print only the number of new messages stored (not with --watch).
    #[arg(long, conflicts_with = "watch")]
    count: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The conversation that stays.
    into: i64,
    /// The conversation whose messages move into it; it is then gone.
    from: i64,
}

pub fn import(dir: &Path, target: &Target, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let mut session = open_and_unlock(dir, target)?;
    let mut new_total = 0;
    let mut failed = 0;
    for (path, result) in import_paths(&mut session, &args.paths, now()) {
        match result {
            Ok(report) => {
                new_total += report.new_messages;
                if !args.count {
                    print_report(&report)?;
                }
            }
            Err(e) => {
                eprintln!("kluis: {}: not imported: {e}", path.display());
                failed += 1;
            }
        }
    }
    session.lock(now())?;
    if args.count {
        writeln!(out(), "{new_total}")?;
    }
    Ok(if failed > 0 {
        ExitCode::from(exit::NOT_IMPORTED)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_report(report: &ImportReport) -> anyhow::Result<()> {
    let mut out = out();
    writeln!(
        out,
        "{} -> conversation {} \"{}\"{}: {} new, {} already present, {} files stored, {} files missing",
        report.file_name,
        report.conversation.0,
        report.chat_name,
        if report.new_conversation {
            " (new)"
        } else {
            ""
        },
        report.new_messages,
        report.already,
        report.media_stored,
        report.media_missing
    )?;
    for warning in &report.warnings {
        writeln!(out, "  warning: {warning}")?;
    }
    Ok(())
}

pub fn inbox(dir: &Path, target: &Target, args: &InboxArgs) -> anyhow::Result<ExitCode> {
    let mut session = open_and_unlock(dir, target)?;
    let folder = match &args.dir {
        Some(folder) => folder.clone(),
        None => Inbox::configured_dir(session.store(), &home()?)?,
    };
    if args.remember {
        let mut tx = session.store_mut().write()?;
        tx.set_setting(inbox::DIR_SETTING, &folder.to_string_lossy())?;
        tx.commit()?;
    }
    let inbox = Inbox::at(&folder).settle(Duration::from_millis(args.settle_ms));
    inbox
        .prepare()
        .map_err(|e| anyhow!("cannot create the inbox {}: {e}", folder.display()))?;
    let mut watch = Watch::new(inbox);
    let mut not_imported = 0;
    let mut new_total = 0;
    if args.watch {
        writeln!(out(), "Watching {} (Ctrl-C stops).", folder.display())?;
        watch.run(&mut session, now, |outcomes| {
            for outcome in outcomes {
                not_imported += print_outcome(outcome, false);
            }
            false
        })?;
    } else {
        watch.until_settled(&mut session, now, |outcome| {
            not_imported += print_outcome(outcome, args.count);
            if let Outcome::Imported { reports, .. } = outcome {
                new_total += reports.iter().map(|r| r.new_messages).sum::<usize>();
            }
        })?;
    }
    session.lock(now())?;
    if args.count {
        writeln!(out(), "{new_total}")?;
    }
    Ok(if not_imported > 0 {
        ExitCode::from(exit::NOT_IMPORTED)
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints what happened to one inbox entry (problems only when `quiet`);
/// 1 if it was not imported.
fn print_outcome(outcome: &Outcome, quiet: bool) -> usize {
    let name = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    match outcome {
        Outcome::Imported {
            reports,
            left_behind,
            entry,
        } => {
            if !quiet {
                for report in reports {
                    let _ = print_report(report);
                }
            }
            if let Some(note) = left_behind {
                eprintln!("kluis: {}: {note}", name(entry));
            }
            0
        }
        Outcome::Quarantined {
            entry,
            moved_to,
            reason,
        } => {
            eprintln!(
                "kluis: {}: not imported: {reason}; moved to {}",
                name(entry),
                moved_to.display()
            );
            1
        }
        Outcome::Failed { entry, error } => {
            eprintln!(
                "kluis: {}: not imported yet: {error}; it stays in the inbox and is tried again",
                name(entry)
            );
            1
        }
    }
}

fn home() -> anyhow::Result<PathBuf> {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .ok_or_else(|| anyhow!("HOME is not set; give --dir"))
}

pub fn conversations(dir: &Path, target: &Target) -> anyhow::Result<ExitCode> {
    let session = open_and_unlock(dir, target)?;
    let store = session.store();
    let mut out = out();
    for summary in store.conversations()? {
        let gaps = store.gaps(summary.id)?.len();
        let last = summary
            .last
            .map_or_else(|| "-".to_owned(), |m| m.time().to_string());
        write!(
            out,
            "{:>5}  {:>7} messages  last {last}  {}",
            summary.id.0, summary.messages, summary.chat_name
        )?;
        if gaps > 0 {
            write!(out, "  ({gaps} places where messages may be missing)")?;
        }
        writeln!(out)?;
    }
    drop(out);
    session.lock(now())?;
    Ok(ExitCode::SUCCESS)
}

pub fn merge(dir: &Path, target: &Target, args: &MergeArgs) -> anyhow::Result<ExitCode> {
    let mut session = open_and_unlock(dir, target)?;
    let (into, from) = (ConversationId(args.into), ConversationId(args.from));
    merge_conversations(&mut session, into, from, now())?;
    session.lock(now())?;
    writeln!(
        out(),
        "Merged conversation {} into {}.",
        args.from,
        args.into
    )?;
    Ok(ExitCode::SUCCESS)
}
