//! `kluis`: the command line. Glue between the library crates and a shell.
#![forbid(unsafe_code)]

mod archive;
mod cases;
mod import;
mod parse;
mod shown;
mod vault;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "kluis",
    version,
    about = "Kluis: WhatsApp-gesprekken van de gemeente, versleuteld en archiveerbaar"
)]
struct Cli {
    #[command(flatten)]
    target: vault::Target,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse WhatsApp chat exports and print their messages.
    Parse(parse::Args),
    /// Check sealed packages as the archive does (signature, decryption,
    /// bag, chain); exit 10–15 names the kind of failure.
    Verify(archive::VerifyArgs),
    /// Verify a sealed package, then unpack its bag.
    Open(archive::OpenArgs),
    #[command(flatten)]
    Vault(vault::VaultCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // No core dump ever; and a process that holds a vault's key is closed
    // to the user's other processes (the archivist's commands stay open to
    // them, as any tool reading a file does).
    let hardened = match cli.command {
        Command::Vault(_) => kluis_core::hardening::harden(),
        _ => kluis_core::hardening::no_core_dumps(),
    };
    if let Err(why) = hardened {
        eprintln!("kluis: warning: {why}");
    }
    let result = match cli.command {
        Command::Parse(args) => parse::run(&args),
        Command::Verify(args) => archive::verify_packages(&args),
        Command::Open(args) => archive::open_package(&args),
        Command::Vault(command) => vault::run(&cli.target, &command),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("kluis: {}", shown::shown(&format!("{err:#}")));
            ExitCode::from(2)
        }
    }
}
