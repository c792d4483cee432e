//! `kluis parse FILE... (--json | --jsonl | --count)`.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use serde::Serialize;
use whatsapp_export::container::{self, Limits};
use whatsapp_export::{DateOrder, Message, RawMessage, Speculation, Survey};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Export files (`.txt` or `.zip`), or folders: every `.txt` and `.zip`
    /// below them, in name order.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Print every message as JSON: one list per file, in file order.
    #[arg(long, conflicts_with_all = ["count", "jsonl"])]
    json: bool,
    /// Print one JSON object a line with `ts`, `author` and `text` as
    /// written (markers kept): the shape the benchmark's field check reads.
    #[arg(long, conflicts_with = "count")]
    jsonl: bool,
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

impl<'a> From<&'a Message<'a>> for MessageJson<'a> {
    fn from(m: &'a Message<'a>) -> Self {
        Self {
            timestamp: m.timestamp.to_string(),
            author: m.author.as_deref(),
            text: &m.text,
            attachment: m.attachment.as_deref(),
            kind: m.kind.name(),
            invalid_utf8: m.invalid_utf8,
        }
    }
}

/// The `--jsonl` shape: as written.
#[derive(Serialize)]
struct AsWrittenJson<'a> {
    ts: String,
    author: Option<&'a str>,
    text: &'a str,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout().lock();
    let mut out = BufWriter::with_capacity(64 << 10, stdout);
    let mut total = 0usize;
    for path in expand(&args.files)? {
        total += parse_file(&path, args, &mut out)?;
    }
    if !args.json && !args.jsonl {
        writeln!(out, "{total}")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Files as given; folders replaced by the `.txt` files below them, sorted.
fn expand(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> anyhow::Result<()> {
        let mut entries = std::fs::read_dir(dir)
            .with_context(|| format!("cannot list {}", dir.display()))?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<Vec<_>, _>>()
            .with_context(|| format!("cannot list {}", dir.display()))?;
        entries.sort();
        for path in entries {
            // Symbolic links are not followed: a folder handed in is read as it is.
            let kind = std::fs::symlink_metadata(&path)?.file_type();
            if kind.is_dir() {
                walk(&path, found)?;
            } else if kind.is_file()
                && path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
            {
                found.push(path);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut files)?;
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// Two passes over the chat text (one for `--count` when the file's start
/// predicts it): a `.txt` is opened again, a `.zip` entry inflated again;
/// neither is ever held whole.
fn parse_file(path: &Path, args: &Args, out: &mut impl Write) -> anyhow::Result<usize> {
    let name = || path.display().to_string();
    let open = || File::open(path).with_context(|| format!("cannot open {}", name()));
    if is_zip(path) {
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let mut export = container::open_zip(
            BufReader::new(open()?),
            file_name.as_deref(),
            Limits::default(),
        )
        .with_context(name)?;
        // An entry's size is not known before it is inflated.
        let first = first_reading(
            path,
            Chat::on_one_thread(export.chat().with_context(name)?),
            args,
        )?;
        match first {
            FirstReading::Counted(n) => Ok(n),
            FirstReading::Surveyed(survey) => {
                let chat = Chat::on_one_thread(export.chat().with_context(name)?);
                second_reading(path, chat, &survey, args, out)
            }
        }
    } else {
        let chat = || -> anyhow::Result<Chat<File>> {
            let file = open()?;
            let size = file.metadata().map_or(0, |m| m.len());
            Ok(Chat {
                parallel: size >= PARALLEL_FROM_BYTES,
                reader: file,
            })
        };
        match first_reading(path, chat()?, args)? {
            FirstReading::Counted(n) => Ok(n),
            FirstReading::Surveyed(survey) => second_reading(path, chat()?, &survey, args, out),
        }
    }
}

/// From this size on a chat is read on two threads: one reads and scans, the
/// other classifies and prints. Below it, starting a thread costs more than
/// it saves (a month of small exports is mostly files of 20 KB).
const PARALLEL_FROM_BYTES: u64 = 1 << 20;

/// A chat's text to read, and whether to read it on two threads.
struct Chat<R> {
    reader: R,
    parallel: bool,
}

impl<R: Read + Send> Chat<R> {
    fn on_one_thread(reader: R) -> Self {
        Self {
            reader,
            parallel: false,
        }
    }

    fn read_speculatively(
        self,
        each: impl FnMut(RawMessage<'_>),
    ) -> Result<Speculation, whatsapp_export::ScanError> {
        if self.parallel {
            whatsapp_export::read_speculatively_in_parallel(self.reader, each)
        } else {
            whatsapp_export::read_speculatively(self.reader, each)
        }
    }

    fn read_messages(
        self,
        survey: &Survey,
        each: impl FnMut(RawMessage<'_>) -> ControlFlow<()>,
    ) -> Result<usize, whatsapp_export::ScanError> {
        if self.parallel {
            whatsapp_export::read_messages_in_parallel(self.reader, survey, each)
        } else {
            whatsapp_export::read_messages(self.reader, survey, each)
        }
    }
}

enum FirstReading {
    /// `--count` is done.
    Counted(usize),
    /// The file's shape and order, for reading it again.
    Surveyed(Survey),
}

/// The survey, or for `--count` the whole parse on the shape and order the
/// file's start suggests, confirmed by the survey of all headers.
fn first_reading(
    path: &Path,
    chat: Chat<impl Read + Send>,
    args: &Args,
) -> anyhow::Result<FirstReading> {
    let name = || path.display().to_string();
    if !args.count {
        let survey = whatsapp_export::survey(chat.reader).with_context(name)?;
        return Ok(FirstReading::Surveyed(survey));
    }
    let mut tally = Tally::default();
    let outcome = chat
        .read_speculatively(|raw| tally.add(raw))
        .with_context(name)?;
    Ok(match outcome {
        Speculation::Confirmed { survey, preamble } => {
            warn_about(path, &survey, preamble, tally.invalid);
            FirstReading::Counted(tally.messages)
        }
        // What the guess read is void.
        Speculation::Refuted { survey } => FirstReading::Surveyed(survey),
    })
}

/// Reads with the file's own shape and order.
fn second_reading(
    path: &Path,
    chat: Chat<impl Read + Send>,
    survey: &Survey,
    args: &Args,
    out: &mut impl Write,
) -> anyhow::Result<usize> {
    if !args.count {
        return emit(path, chat, survey, args, out);
    }
    let mut tally = Tally::default();
    let preamble = chat
        .read_messages(survey, |raw| {
            tally.add(raw);
            ControlFlow::Continue(())
        })
        .with_context(|| path.display().to_string())?;
    warn_about(path, survey, preamble, tally.invalid);
    Ok(tally.messages)
}

/// `--count`: the whole parse of every message, printing nothing.
#[derive(Default)]
struct Tally {
    messages: usize,
    invalid: usize,
}

impl Tally {
    fn add(&mut self, raw: RawMessage<'_>) {
        let decoded = raw.decode();
        let message = decoded.classify();
        self.invalid += usize::from(message.invalid_utf8);
        self.messages += 1;
        std::hint::black_box(&message);
    }
}

fn is_zip(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// Pass 2: prints every message (`--json` or `--jsonl`), then the warnings.
fn emit(
    path: &Path,
    chat: Chat<impl Read + Send>,
    survey: &Survey,
    args: &Args,
    out: &mut impl Write,
) -> anyhow::Result<usize> {
    let mut count = 0usize;
    let mut invalid = 0usize;
    let mut failed: Option<io::Error> = None;
    if args.json {
        out.write_all(b"[")?;
    }
    let preamble = chat
        .read_messages(survey, |raw| {
            let decoded = raw.decode();
            let written = if args.jsonl {
                let (author, text) = decoded.as_written();
                let ts = raw.timestamp.to_string();
                let line = AsWrittenJson {
                    ts,
                    author: author.as_deref(),
                    text,
                };
                write_json_line(out, &line)
            } else {
                let message = decoded.classify();
                invalid += usize::from(message.invalid_utf8);
                let separator: &[u8] = if count == 0 { b"\n" } else { b",\n" };
                out.write_all(separator)
                    .and_then(|()| write_json(out, &MessageJson::from(&message)))
            };
            count += 1;
            match written {
                Ok(()) => ControlFlow::Continue(()),
                Err(e) => {
                    failed = Some(e);
                    ControlFlow::Break(())
                }
            }
        })
        .with_context(|| path.display().to_string())?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    if args.json {
        out.write_all(if count == 0 { b"]\n" } else { b"\n]\n" })?;
    }
    warn_about(path, survey, preamble, invalid);
    Ok(count)
}

fn write_json(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(out, value).map_err(io::Error::from)
}

fn write_json_line(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    write_json(out, value)?;
    out.write_all(b"\n")
}

/// What a person must know about a file, on stderr.
fn warn_about(path: &Path, survey: &Survey, preamble: usize, invalid: usize) {
    let name = path.display();
    if let Some(other) = survey.ambiguous_with {
        eprintln!(
            "kluis: {name}: the day/month order is ambiguous; read as {}, but {} is possible too",
            order_name(survey.date_order),
            order_name(other)
        );
    }
    if preamble > 0 {
        eprintln!(
            "kluis: {name}: {preamble} line(s) before the first message belong to no message"
        );
    }
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
