//! `digits`: train, cross-validate and inspect Digit Lab's CNN from the command line.
//!
//! Every failure is one line on stderr and exit code 2; nothing panics on bad input.
//!
//! - `args.rs`: the subcommands and their flags (clap).
//! - `commands.rs`: what `train`, `kfold`, `summary`, `sweep`, `export-keras` and
//!   `baselines` do, over `digits_cnn`.
//! - `data_parallel.rs`: `train --workers N`, the core's data-parallel step on N threads.
//! - `report.rs`: the lines and tables printed for a person.
//!
//! Everything a command computes (data, training, metrics, model files) lives in the core
//! crate, `crates/digits-cnn`; this crate only parses flags, prints and writes files.

mod args;
mod commands;
mod data_parallel;
mod report;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => {
            // --help and --version: clap's own text on stdout.
            print!("{error}");
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("digits: {}", one_line(&error.to_string()));
            return ExitCode::from(2);
        }
    };
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("digits: {message}");
            ExitCode::from(2)
        }
    }
}

/// clap's error as one line: its first line, joined with the next one when it ends in a
/// colon (as "the following required arguments were not provided:" does).
fn one_line(rendered: &str) -> String {
    let mut lines = rendered.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("invalid arguments");
    let first = first.trim_start_matches("error: ");
    match (first.ends_with(':'), lines.next()) {
        (true, Some(next)) => format!("{first} {next}"),
        _ => first.to_string(),
    }
}
