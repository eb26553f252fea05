//! `factbot check`: validate facts files and print every problem, for moderators and their CI.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::config::Config;
use crate::store::Snapshot;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Facts files or folders [default: the config's facts folder]
    paths: Vec<PathBuf>,
}

pub(super) fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    let paths = super::facts_paths(config, &args.paths);
    let mut out = super::terminal::stdout(super::terminal::Style::Text);
    match Snapshot::load_with(&paths, &config.matching, config.load_options()) {
        Ok(snapshot) => {
            let warnings = snapshot.lint();
            for warning in &warnings {
                writeln!(out, "{warning}")?;
            }
            writeln!(
                out,
                "ok: {} facts from {} file(s), {} warning(s), version {}",
                snapshot.base.facts.len(),
                snapshot.base.files.len(),
                warnings.len(),
                snapshot.version
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            for diagnostic in error.diagnostics() {
                writeln!(out, "{diagnostic}")?;
            }
            writeln!(out, "failed: {error}")?;
            Ok(ExitCode::FAILURE)
        }
    }
}
