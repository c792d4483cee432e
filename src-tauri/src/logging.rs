//! The app's one tracing set-up.
//!
//! **Rule:** no message text, name, phone number or other citizen data is
//! logged, at any level. Log what happened and how much (a command's name,
//! counts, ids, durations), never the content. `kluis_core::Personal` has no
//! `Display` and a redacting `Debug`, and `tests/log_hygiene.rs` feeds known
//! strings through every command and checks the log at TRACE level.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::writer::MakeWriterExt;

/// The log file's name inside the log directory.
pub const LOG_FILE: &str = "kluis.log";

/// Why logging could not start.
#[derive(Debug, thiserror::Error)]
pub enum LoggingError {
    /// No directory to write the log in.
    #[error("no log directory: set KLUIS_LOG_DIR")]
    NoDirectory,
    /// The directory or file could not be created.
    #[error("cannot open the log file {path}: {source}")]
    Open {
        /// The file that was tried.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
    /// A global subscriber was already installed.
    #[error("logging was already set up")]
    AlreadySet,
}

/// `KLUIS_LOG_DIR` if set (tests, IT), else the platform's log directory.
pub fn log_dir(platform_dir: Option<PathBuf>) -> Option<PathBuf> {
    std::env::var_os("KLUIS_LOG_DIR")
        .map(PathBuf::from)
        .or(platform_dir)
}

/// Installs the global subscriber, to stderr and to `dir/kluis.log` (readable
/// by the owner only), at the level [`filter`] takes from `KLUIS_LOG`.
pub fn init(dir: Option<&Path>) -> Result<PathBuf, LoggingError> {
    let dir = dir.ok_or(LoggingError::NoDirectory)?;
    let path = dir.join(LOG_FILE);
    let file = open_private(dir, &path).map_err(|source| LoggingError::Open {
        path: path.clone(),
        source,
    })?;
    let level = std::env::var("KLUIS_LOG").ok();
    let filter = filter(level.as_deref());
    let writer = std::io::stderr.and(Mutex::new(file));
    tracing::subscriber::set_global_default(subscriber(writer, filter))
        .map_err(|_| LoggingError::AlreadySet)?;
    Ok(path)
}

/// The filter for a `KLUIS_LOG` value: one of `error`, `warn`, `info`
/// (default), `debug`, `trace`, applied to Kluis's own crates only.
///
/// Other crates stay at `warn` whatever is asked: they do not know the
/// logging rule, and some dump whole messages at `trace` (zbus prints every
/// D-Bus message, tauri its IPC payloads when traced). An unknown value
/// means `info`.
pub fn filter(level: Option<&str>) -> EnvFilter {
    EnvFilter::new(filter_directives(level))
}

fn filter_directives(level: Option<&str>) -> String {
    let level = match level.map(|l| l.trim().to_ascii_lowercase()) {
        Some(l) if ["error", "warn", "info", "debug", "trace"].contains(&l.as_str()) => l,
        _ => "info".to_owned(),
    };
    let directives: String = KLUIS_TARGETS
        .iter()
        .map(|t| format!(",{t}={level}"))
        .collect();
    format!("warn{directives}")
}

/// The crates that follow the logging rule, by tracing target.
const KLUIS_TARGETS: &[&str] = &["kluis_app", "kluis_core"];

/// The subscriber with the app's format, over any writer; tests capture it.
pub fn subscriber<W>(writer: W, filter: EnvFilter) -> impl tracing::Subscriber + Send + Sync
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_target(true)
        .with_env_filter(filter)
        .finish()
}

fn open_private(dir: &Path, path: &Path) -> io::Result<File> {
    std::fs::create_dir_all(dir)?;
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::filter_directives;

    fn check(value: Option<&str>, expect: &str) {
        assert_eq!(filter_directives(value), expect, "KLUIS_LOG={value:?}");
    }

    #[test]
    fn kluis_log_sets_our_level_and_never_opens_other_crates() {
        check(None, "warn,kluis_app=info,kluis_core=info");
        check(Some("trace"), "warn,kluis_app=trace,kluis_core=trace");
        check(Some(" DEBUG "), "warn,kluis_app=debug,kluis_core=debug");
        check(Some("zbus=trace"), "warn,kluis_app=info,kluis_core=info");
        check(
            Some("trace,zbus=trace"),
            "warn,kluis_app=info,kluis_core=info",
        );
        check(Some(""), "warn,kluis_app=info,kluis_core=info");
    }
}
