//! `factbot stats`: questions per day, answered / ambiguous / unknown rates, the most
//! answered facts, follow-up clicks and helpful votes, read from the bot's history database
//! (which may be in use by the running bot: reading does not stop it writing).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

use crate::clock;
use crate::config::{Config, DatabaseLocation};
use crate::history::{Database, Stats};
use crate::store::Snapshot;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many days back, today (UTC) included
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=3650))]
    days: u32,
    /// Facts per "most answered" and "most clicked" list
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Print the report as one JSON object
    #[arg(long)]
    json: bool,
    /// The questions database, a file or a postgres:// URL [default: FACTBOT_DATABASE_URL,
    /// else the config's history.database]
    #[arg(long, value_name = "FILE|URL")]
    database: Option<String>,
    /// Facts file or folder for the facts' questions [default: the config's facts]
    #[arg(long = "facts", value_name = "PATH")]
    facts: Vec<PathBuf>,
}

pub(super) fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    let mut db = open_database(config, args.database.as_deref())?;
    let since = clock::days_back(clock::now(), args.days);
    let rows = db.stats(since, args.top)?;
    let snapshot = titles(config, &args.facts);
    let stats = Stats::build(&rows, snapshot.as_ref().map(|s| &s.base), args.days, since);
    let mut out = super::terminal::stdout_for(args.json);
    if args.json {
        serde_json::to_writer_pretty(&mut out, &stats)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", stats.to_text())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The questions database named by `--database` or the config; a file is never created here.
pub(super) fn open_database(config: &Config, given: Option<&str>) -> anyhow::Result<Database> {
    let location = given.map_or_else(|| config.history.database.clone(), DatabaseLocation::parse);
    Database::open_existing(&location).with_context(|| {
        format!(
            "cannot read the questions database (`factbot run` writes it; see history.database in {} or {})",
            crate::config::DEFAULT_PATH,
            crate::config::DATABASE_URL_ENV
        )
    })
}

/// The live facts, for showing the questions of the facts a report names; the report is still
/// useful without them (ids only), so a problem is only mentioned.
pub(super) fn titles(config: &Config, given: &[PathBuf]) -> Option<Snapshot> {
    let paths = super::facts_paths(config, given);
    match Snapshot::load_with(&paths, &config.matching, config.load_options()) {
        Ok(snapshot) => Some(snapshot),
        Err(error) => {
            eprintln!("note: the facts do not load ({error}); facts are shown by id only");
            None
        }
    }
}
