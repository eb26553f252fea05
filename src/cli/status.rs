//! `factbot status`: every bot process writing the questions database, from their heartbeat
//! rows, and whether they all answer from the same facts version: the fleet view from a
//! terminal (or a monitoring script, with `--json`).

use std::io::Write as _;
use std::process::ExitCode;

use crate::clock;
use crate::config::Config;
use crate::history::Fleet;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the fleet as one JSON object
    #[arg(long)]
    json: bool,
    /// The questions database, a file or a postgres:// URL [default: FACTBOT_DATABASE_URL,
    /// else the config's history.database]
    #[arg(long, value_name = "FILE|URL")]
    database: Option<String>,
}

/// Exit 0 when every live process is on the latest facts, 1 when one is behind, so a
/// monitoring check can use it as it is.
pub(super) fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    let mut db = super::stats::open_database(config, args.database.as_deref())?;
    let fleet = Fleet::build(db.processes()?, clock::now());
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &fleet)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", fleet.to_text())?;
    }
    Ok(if fleet.all_on_latest {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
