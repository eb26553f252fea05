//! The command line: `factbot ask | chat | check | eval | run | gaps | stats | status |
//! suggest`, each in its own file with the same shape (arguments in, exit code out). This is an
//! adapter: it reads files and terminals and prints, and leaves every decision to the core.

mod ask;
mod chat;
mod check;
mod eval;
mod gaps;
mod logging;
mod run;
mod stats;
mod status;
mod suggest;
mod terminal;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::store::Snapshot;

#[derive(Debug, Parser)]
#[command(
    name = "factbot",
    version,
    about = "Answers questions about a news story from curated, sourced facts"
)]
pub struct Cli {
    /// The config file [default: config/factbot.toml when it exists]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer one question, or each line of standard input
    Ask(ask::Args),
    /// Talk with factbot in the terminal
    Chat(chat::Args),
    /// Validate facts files and print every problem
    Check(check::Args),
    /// Measure answer quality on a JSON Lines file of questions
    Eval(eval::Args),
    /// Run the bot on every chat platform it has credentials for (Discord, Slack)
    Run(run::Args),
    /// List what members asked that the facts did not answer, most asked first
    Gaps(gaps::Args),
    /// Show questions per day, answer rates, top facts and follow-up clicks
    Stats(stats::Args),
    /// Show every running bot process writing the questions database, and their facts versions
    Status(status::Args),
    /// Propose question patterns from members' clicks; add (--accept) or dismiss them
    Suggest(suggest::Args),
}

/// Runs the command; `Err` is for failures that stop it (the caller prints them).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut config = Config::load(cli.config.as_deref()).context("cannot use the config file")?;
    config.history = config
        .history
        .with_env(std::env::var(crate::config::DATABASE_URL_ENV).ok());
    logging::init(&config.log);
    match cli.command {
        Command::Ask(args) => ask::run(&config, args),
        Command::Chat(args) => chat::run(&config, args),
        Command::Check(args) => check::run(&config, args),
        Command::Eval(args) => eval::run(&config, args),
        Command::Run(args) => run::run(&config, args),
        Command::Gaps(args) => gaps::run(&config, args),
        Command::Stats(args) => stats::run(&config, args),
        Command::Status(args) => status::run(&config, args),
        Command::Suggest(args) => suggest::run(&config, args),
    }
}

/// The facts paths a command uses: its own `--facts`, else the config's folder.
fn facts_paths(config: &Config, given: &[PathBuf]) -> Vec<PathBuf> {
    if given.is_empty() {
        vec![config.facts.clone()]
    } else {
        given.to_vec()
    }
}

/// Loads the facts for answering; every problem is printed before giving up.
fn load_snapshot(config: &Config, given: &[PathBuf]) -> anyhow::Result<Snapshot> {
    let paths = facts_paths(config, given);
    match Snapshot::load_with(&paths, &config.matching, config.load_options()) {
        Ok(snapshot) => Ok(snapshot),
        Err(error) => {
            for diagnostic in error.diagnostics() {
                eprintln!("{}", terminal::safe(&diagnostic.to_string()));
            }
            bail!(
                "{error}; fix them and try again (`factbot check {}` lists them)",
                display_paths(&paths)
            )
        }
    }
}

/// The next line of `input` without its line ending, with bytes that are not UTF-8 replaced
/// (U+FFFD): one bad line must not end a batch of questions. `None` at the end.
fn read_line_lossy(input: &mut impl std::io::BufRead) -> anyhow::Result<Option<String>> {
    let mut line = Vec::new();
    let read = input
        .read_until(b'\n', &mut line)
        .context("cannot read standard input")?;
    if read == 0 {
        return Ok(None);
    }
    let line = line.strip_suffix(b"\n").unwrap_or(&line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    Ok(Some(String::from_utf8_lossy(line).into_owned()))
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| Path::display(p).to_string())
        .collect::<Vec<_>>()
        .join(" ")
}
