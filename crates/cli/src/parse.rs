//! `kluis parse FILE... (--json | --count)`.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use serde::Serialize;
use whatsapp_export::{DateOrder, Export, Kind, Message};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Export files (`.txt`).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Print every message as JSON: one list per file, in file order.
    #[arg(long, conflicts_with = "count")]
    json: bool,
    /// Print only the number of messages (the sum over all files).
    #[arg(long)]
    count: bool,
}

/// The JSON shape of a message; the library itself does not serialize.
#[derive(Serialize)]
struct MessageJson<'a> {
    timestamp: String,
    author: Option<&'a str>,
    text: &'a str,
    attachment: Option<&'a str>,
    kind: &'static str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    invalid_utf8: bool,
}

impl<'a> From<&'a Message> for MessageJson<'a> {
    fn from(m: &'a Message) -> Self {
        Self {
            timestamp: m.timestamp.to_string(),
            author: m.author.as_deref(),
            text: &m.text,
            attachment: m.attachment.as_deref(),
            kind: match m.kind {
                Kind::System => "system",
                Kind::Deleted => "deleted",
                Kind::Media => "media",
                Kind::Message => "message",
            },
            invalid_utf8: m.invalid_utf8,
        }
    }
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout().lock();
    let mut out = BufWriter::new(stdout);
    let mut total = 0usize;
    for path in &args.files {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let export = whatsapp_export::parse(&bytes);
        warn_about(path, &export);
        total += export.messages.len();
        if args.json {
            write_json(&mut out, &export)?;
        }
    }
    if args.count || !args.json {
        writeln!(out, "{total}")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// One list per file, one message per line, so that diffs read well.
pub fn write_json(out: &mut impl Write, export: &Export) -> io::Result<()> {
    out.write_all(b"[")?;
    for (i, m) in export.messages.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, &MessageJson::from(m))?;
    }
    out.write_all(if export.messages.is_empty() {
        b"]\n"
    } else {
        b"\n]\n"
    })
}

/// What a person must know about a file, on stderr.
fn warn_about(path: &std::path::Path, export: &Export) {
    let name = path.display();
    if let Some(other) = export.ambiguous_with {
        eprintln!(
            "kluis: {name}: the day/month order is ambiguous; read as {}, but {} is possible too",
            order_name(export.date_order),
            order_name(other)
        );
    }
    if export.preamble_lines > 0 {
        eprintln!(
            "kluis: {name}: {} line(s) before the first message belong to no message",
            export.preamble_lines
        );
    }
    let invalid = export.messages.iter().filter(|m| m.invalid_utf8).count();
    if invalid > 0 {
        eprintln!(
            "kluis: {name}: {invalid} message(s) held bytes that are not UTF-8 (shown as U+FFFD)"
        );
    }
}

fn order_name(order: DateOrder) -> &'static str {
    match order {
        DateOrder::DayMonthYear => "day-month-year",
        DateOrder::MonthDayYear => "month-day-year",
        DateOrder::YearMonthDay => "year-month-day",
    }
}
