//! `kluis`: the command line. Glue between the library crates and a shell.
#![forbid(unsafe_code)]

mod parse;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "kluis",
    version,
    about = "Kluis: WhatsApp-gesprekken van de gemeente, versleuteld en archiveerbaar"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse WhatsApp chat exports and print their messages.
    Parse(parse::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => parse::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("kluis: {err:#}");
            ExitCode::from(2)
        }
    }
}
