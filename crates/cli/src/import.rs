//! `kluis --vault DIR import|inbox|conversations|merge`: getting chats in
//! from a shell, over `kluis_core::import`.

use std::io::Write;
use std::path::{Path, PathBuf};

use std::process::ExitCode;
use std::time::Duration;

use anyhow::anyhow;
use clap::Args;
use kluis_core::ConversationId;
use kluis_core::import::ImportReport;
use kluis_core::import::inbox::{self, Inbox, Outcome, Watch};

use crate::shown::shown;
use crate::vault::{Target, done, exit, open_desk, out};

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
    let desk = open_desk(dir, target)?;
    let results = desk.import_paths(&args.paths, |_, _| {});
    done(&desk);
    let mut new_total = 0;
    let mut failed = 0;
    for (path, result) in results? {
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
        shown(&report.file_name),
        report.conversation.0,
        shown(&report.chat_name),
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
    if report.differed.total() > 0 {
        writeln!(out, "  already present but different: {}", report.differed)?;
    }
    for warning in &report.warnings {
        writeln!(out, "  warning: {warning}")?;
    }
    Ok(())
}

pub fn inbox(dir: &Path, target: &Target, args: &InboxArgs) -> anyhow::Result<ExitCode> {
    let desk = open_desk(dir, target)?;
    let result = watch_inbox(&desk, args);
    done(&desk);
    let (not_imported, new_total) = result?;
    if args.count {
        writeln!(out(), "{new_total}")?;
    }
    Ok(if not_imported > 0 {
        ExitCode::from(exit::NOT_IMPORTED)
    } else {
        ExitCode::SUCCESS
    })
}

/// The inbox's passes; (entries not imported, new messages).
fn watch_inbox(desk: &kluis_core::desk::Desk, args: &InboxArgs) -> anyhow::Result<(usize, usize)> {
    let folder = match &args.dir {
        Some(folder) => folder.clone(),
        None => desk.inbox_dir()?,
    };
    if args.remember {
        desk.set(inbox::DIR_SETTING, &folder.to_string_lossy())?;
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
        desk.watch_inbox(&mut watch, desk.generation(), |news| match news {
            kluis_core::desk::InboxNews::Outcomes(outcomes) => {
                for outcome in &outcomes {
                    not_imported += print_outcome(outcome, false);
                }
            }
            kluis_core::desk::InboxNews::Problem(e) => {
                eprintln!("kluis: the inbox cannot be read: {e}");
            }
            kluis_core::desk::InboxNews::Lock(notices) => crate::vault::tell(&notices),
            kluis_core::desk::InboxNews::GaveWay(notices) => {
                eprintln!("kluis: another Kluis waits to close the day; giving way");
                crate::vault::tell(&notices);
            }
        })?;
        eprintln!("kluis: the vault locked; stopped watching");
    } else {
        desk.inbox_until_settled(&mut watch, |outcome| {
            not_imported += print_outcome(outcome, args.count);
            if let Outcome::Imported { reports, .. } = outcome {
                new_total += reports.iter().map(|r| r.new_messages).sum::<usize>();
            }
        })?;
    }
    Ok((not_imported, new_total))
}

/// Prints what happened to one inbox entry (problems only when `quiet`);
/// 1 if it was not imported.
fn print_outcome(outcome: &Outcome, quiet: bool) -> usize {
    let name = |p: &Path| {
        shown(
            &p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
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
            for note in left_behind {
                eprintln!("kluis: {}: {}", name(entry), shown(&note.to_string()));
            }
            0
        }
        Outcome::Quarantined {
            entry,
            moved_to,
            reason,
        } => {
            eprintln!(
                "kluis: {}: not imported: {}; moved to {}",
                name(entry),
                shown(&reason.to_string()),
                shown(&moved_to.display().to_string())
            );
            1
        }
        Outcome::Failed { entry, error } => {
            eprintln!(
                "kluis: {}: not imported yet: {}; it stays in the inbox and is tried again",
                name(entry),
                shown(&error.to_string())
            );
            1
        }
    }
}

pub fn conversations(dir: &Path, target: &Target) -> anyhow::Result<ExitCode> {
    let desk = open_desk(dir, target)?;
    let lines = desk.conversation_lines();
    done(&desk);
    let mut out = out();
    for line in lines? {
        write!(
            out,
            "{:>5}  {:>7} messages  last {}  {}",
            line.id,
            line.messages,
            line.last.as_deref().unwrap_or("-"),
            shown(line.chat_name.expose())
        )?;
        if line.gaps > 0 {
            write!(
                out,
                "  ({} places where messages may be missing)",
                line.gaps
            )?;
        }
        writeln!(out)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn merge(dir: &Path, target: &Target, args: &MergeArgs) -> anyhow::Result<ExitCode> {
    let desk = open_desk(dir, target)?;
    let merged = desk.merge(ConversationId(args.into), ConversationId(args.from));
    done(&desk);
    merged?;
    writeln!(
        out(),
        "Merged conversation {} into {}.",
        args.from,
        args.into
    )?;
    Ok(ExitCode::SUCCESS)
}
