//! The case from the command line: labels and canned replies the admin
//! keeps, and one conversation's case changed as the window changes it.
//! Glue only: every rule is the desk's.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use kluis_core::cases::CaseChange;
use kluis_core::{CaseStatus, ConversationId};

use crate::shown::shown;
use crate::vault::{Target, done, open_desk, out};

#[derive(Debug, Subcommand)]
pub enum LabelCommand {
    /// The labels (case types), with their colours.
    List,
    /// Add a label, or change its colour (blauw, groen, geel, oranje, rood,
    /// paars, grijs, roze).
    Add {
        name: String,
        #[arg(long, default_value = "blauw")]
        colour: String,
    },
    /// Stop offering a label; cases that have it keep it.
    Remove { name: String },
}

#[derive(Debug, Subcommand)]
pub enum ReplyCommand {
    /// The canned replies.
    List,
    /// Add a canned reply (or replace the one with its shortcode). The text
    /// may use {naam}, {zaaknummer}, {medewerker} and {datum}.
    Add {
        shortcode: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        text: String,
        /// Offer it only for conversations with this label.
        #[arg(long)]
        label: Option<String>,
    },
    /// Remove a canned reply.
    Remove { shortcode: String },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum StatusArg {
    Open,
    Waiting,
    Resolved,
}

/// One change to a conversation's case (see `conversations` for its number).
#[derive(Debug, Args)]
pub struct CaseArgs {
    conversation: i64,
    #[arg(long, value_enum)]
    status: Option<StatusArg>,
    /// Put a label from the admin's list on it.
    #[arg(long)]
    label: Vec<String>,
    /// Take a label off.
    #[arg(long)]
    unlabel: Vec<String>,
    /// The reference number (checked against case.reference_pattern).
    #[arg(long)]
    reference: Option<String>,
    /// Add an internal note, read from standard input (never from the
    /// command line, which the shell's history and `ps` keep).
    #[arg(long, conflicts_with = "handover")]
    note: bool,
    /// The handover note for the next shift, read from standard input
    /// (empty clears it).
    #[arg(long)]
    handover: bool,
}

impl CaseArgs {
    fn changes(&self, stdin: &str) -> Vec<CaseChange> {
        let mut changes = Vec::new();
        for name in &self.label {
            changes.push(CaseChange::Label {
                name: name.clone(),
                on: true,
            });
        }
        for name in &self.unlabel {
            changes.push(CaseChange::Label {
                name: name.clone(),
                on: false,
            });
        }
        if let Some(r) = &self.reference {
            changes.push(CaseChange::Reference(
                Some(r.clone()).filter(|r| !r.trim().is_empty()),
            ));
        }
        if self.note {
            changes.push(CaseChange::Note(stdin.to_owned()));
        }
        if self.handover {
            changes.push(CaseChange::Handover(stdin.to_owned()));
        }
        if let Some(s) = self.status {
            changes.push(CaseChange::Status(match s {
                StatusArg::Open => CaseStatus::Open,
                StatusArg::Waiting => CaseStatus::WaitingOnCitizen,
                StatusArg::Resolved => CaseStatus::Resolved,
            }));
        }
        changes
    }
}

pub fn label(dir: &Path, target: &Target, command: &LabelCommand) -> anyhow::Result<ExitCode> {
    let desk = open_desk(dir, target)?;
    let result: anyhow::Result<String> = match command {
        LabelCommand::List => desk.catalogue().map_err(Into::into).map(|c| {
            c.labels
                .iter()
                .map(|l| {
                    let removed = if l.removed_at.is_some() {
                        "  (removed)"
                    } else {
                        ""
                    };
                    format!("{:<30} {}{removed}\n", shown(&l.name), l.colour)
                })
                .collect()
        }),
        LabelCommand::Add { name, colour } => desk
            .put_label(name, colour)
            .map_err(Into::into)
            .map(|name| format!("Kept label {}.\n", shown(&name))),
        LabelCommand::Remove { name } => desk.remove_label(name).map_err(Into::into).map(|()| {
            format!(
                "Label {} is no longer offered; cases keep it.\n",
                shown(name)
            )
        }),
    };
    done(&desk);
    write!(out(), "{}", result?)?;
    Ok(ExitCode::SUCCESS)
}

pub fn reply(dir: &Path, target: &Target, command: &ReplyCommand) -> anyhow::Result<ExitCode> {
    let desk = open_desk(dir, target)?;
    let result: anyhow::Result<String> = match command {
        ReplyCommand::List => desk.canned_replies().map_err(Into::into).map(|replies| {
            replies
                .iter()
                .map(|r| {
                    let label = r
                        .label
                        .as_deref()
                        .map(|l| format!(" [{}]", shown(l)))
                        .unwrap_or_default();
                    format!("/{:<20} {}{label}\n", r.shortcode, shown(&r.title))
                })
                .collect()
        }),
        ReplyCommand::Add {
            shortcode,
            title,
            text,
            label,
        } => desk
            .put_canned_reply(shortcode, title, text, label.as_deref())
            .map_err(Into::into)
            .map(|code| format!("Kept reply /{code}.\n")),
        ReplyCommand::Remove { shortcode } => desk
            .remove_canned_reply(shortcode)
            .map_err(Into::into)
            .map(|()| "Removed.\n".to_owned()),
    };
    done(&desk);
    write!(out(), "{}", result?)?;
    Ok(ExitCode::SUCCESS)
}

/// A note from standard input, read no further than a note can be long:
/// a gigabyte piped in by mistake is refused after 16 KB, not held.
fn text_from_stdin() -> anyhow::Result<String> {
    use kluis_core::cases::change::TEXT_MAX;
    use std::io::Read;
    // Four bytes a character at most, and room for blank lines around it.
    let limit = TEXT_MAX * 4 + 4096;
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)?;
    anyhow::ensure!(
        bytes.len() <= limit,
        "the text on standard input is longer than a note may be ({TEXT_MAX} characters); nothing was changed"
    );
    String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!("the text on standard input is not UTF-8; nothing was changed")
    })
}

/// Each change in turn, each its own transaction and audit entry, as the
/// window's keys would make them; the first refusal stops the rest, and
/// what was made before it is said.
pub fn case(dir: &Path, target: &Target, args: &CaseArgs) -> anyhow::Result<ExitCode> {
    let stdin = if args.note || args.handover {
        text_from_stdin()?
    } else {
        String::new()
    };
    let changes = args.changes(&stdin);
    anyhow::ensure!(
        !changes.is_empty(),
        "what should change? see kluis case --help"
    );
    let desk = open_desk(dir, target)?;
    let id = [ConversationId(args.conversation)];
    let mut made = 0;
    let result = changes.iter().try_for_each(|change| {
        made += desk.change_case(&id, change)?;
        Ok::<_, kluis_core::desk::DeskError>(())
    });
    done(&desk);
    if let Err(e) = result {
        if made > 0 {
            eprintln!("kluis: {made} change(s) were made before this one was refused");
        }
        return Err(e.into());
    }
    writeln!(
        out(),
        "Conversation {}: {made} change(s) made.",
        args.conversation
    )?;
    Ok(ExitCode::SUCCESS)
}
