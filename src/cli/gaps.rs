//! `factbot gaps`: what members asked that the facts did not answer, grouped, most asked
//! first: the moderators' to-do list, read from the bot's history database.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::clock;
use crate::config::Config;
use crate::history::{Gaps, GAP_ROWS};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many days back, today (UTC) included
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=3650))]
    days: u32,
    /// Show at most this many groups
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Print the report as one JSON object
    #[arg(long)]
    json: bool,
    /// The questions database, a file or a postgres:// URL [default: FACTBOT_DATABASE_URL,
    /// else the config's history.database]
    #[arg(long, value_name = "FILE|URL")]
    database: Option<String>,
    /// Facts file or folder for the closest facts' questions [default: the config's facts]
    #[arg(long = "facts", value_name = "PATH")]
    facts: Vec<PathBuf>,
}

pub(super) fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    let mut db = super::stats::open_database(config, args.database.as_deref())?;
    let since = clock::days_back(clock::now(), args.days);
    let rows = db.unanswered(since, GAP_ROWS)?;
    let snapshot = super::stats::titles(config, &args.facts);
    let gaps = Gaps::build(
        &rows,
        snapshot.as_ref().map(|s| &s.base),
        args.days,
        since,
        args.limit,
    );
    let mut out = super::terminal::stdout_for(args.json);
    if args.json {
        serde_json::to_writer_pretty(&mut out, &gaps)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", gaps.to_text())?;
    }
    Ok(ExitCode::SUCCESS)
}
