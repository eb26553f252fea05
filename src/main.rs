//! The `factbot` binary: parse arguments, run, map the result to an exit code. Logging is set
//! up by the CLI once the config (and its `[log]` table) is read.

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let cli = factbot::cli::Cli::parse();
    match factbot::cli::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
