//! `digits`: train, cross-validate and inspect Digit Lab's CNN from the command line.
//!
//! Every failure is one line on stderr and exit code 2; nothing panics on bad input.
//!
//! - `args.rs`: the subcommands and their flags (clap).
//! - `commands.rs`: what `train`, `kfold` and `summary` do, over `digits_cnn`.
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
            let rendered = error.to_string();
            let first = rendered.lines().next().unwrap_or("invalid arguments");
            eprintln!("digits: {}", first.trim_start_matches("error: "));
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
