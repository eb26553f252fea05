//! `factbot suggest`: question patterns proposed from what members clicked on "did you mean"
//! and "I don't know" replies, and the moderator's one command to add them to the facts
//! (`--accept`, `--accept-all`, `--place`) or to dismiss them (`--dismiss`). Nothing is
//! written without one of those.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context as _};

use crate::clock;
use crate::config::Config;
use crate::facts::{Addition, EditError, FactId};
use crate::store::FactStore;
use crate::suggest::{self, Query, Suggestion, Suggestions};

/// Gap groups listed under the suggestions.
const GAPS_SHOWN: usize = 10;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many days back, today (UTC) included
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
    days: u32,
    /// Leave out suggestions resolved fewer times than this (with --accept-all: add those
    /// resolved at least this many times)
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    min_count: u64,
    /// Show at most this many suggestions
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Print the report as one JSON object
    #[arg(long)]
    json: bool,
    /// Add the suggestions with these ids to their facts
    #[arg(long, value_name = "ID", num_args = 1.., conflicts_with_all = ["accept_all", "place", "dismiss"])]
    accept: Vec<String>,
    /// Add every suggestion resolved at least --min-count times that has no warning
    #[arg(long, conflicts_with_all = ["place", "dismiss"])]
    accept_all: bool,
    /// Add QUESTION (a gap) to the fact FACT_ID
    #[arg(long, num_args = 2, value_names = ["QUESTION", "FACT_ID"], conflicts_with = "dismiss")]
    place: Vec<String>,
    /// Dismiss the suggestions with these ids: they are not proposed again
    #[arg(long, value_name = "ID", num_args = 1..)]
    dismiss: Vec<String>,
    /// The questions database, a file or a postgres:// URL [default: FACTBOT_DATABASE_URL,
    /// else the config's history.database]
    #[arg(long, value_name = "FILE|URL")]
    database: Option<String>,
    /// Facts file or folder [default: the config's facts]
    #[arg(long = "facts", value_name = "PATH")]
    facts: Vec<PathBuf>,
}

pub(super) fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    let paths = super::facts_paths(config, &args.facts);
    let store = match FactStore::open_with(paths, config.matching.clone(), config.load_options()) {
        Ok(store) => store,
        Err(_) => {
            super::load_snapshot(config, &args.facts)?;
            bail!("the facts do not load");
        }
    };
    if let [question, fact] = args.place.as_slice() {
        let fact = FactId::new(fact).with_context(|| format!("{fact:?} is not a fact id"))?;
        let addition = Addition {
            fact,
            question: question.trim().to_owned(),
        };
        write(&store, &[addition], args.json)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut db = super::stats::open_database(config, args.database.as_deref())?;
    let query = Query::last_days(args.days, args.min_count, args.limit, GAPS_SHOWN);
    let snapshot = store.snapshot();
    if args.accept.is_empty() && !args.accept_all && args.dismiss.is_empty() {
        let suggestions = suggest::read(&mut db, &snapshot, store.settings(), query)?;
        print(&suggestions, args.json)?;
        return Ok(ExitCode::SUCCESS);
    }
    let all = suggest::read(&mut db, &snapshot, store.settings(), query.all())?;
    if !args.dismiss.is_empty() {
        let mut out = super::terminal::stdout_for(false);
        for suggestion in chosen(&all, &args.dismiss)? {
            db.dismiss(&suggestion.id, clock::now(), &suggestion.fact)?;
            tracing::info!(suggestion = %suggestion.id, fact = %suggestion.fact, "suggestion dismissed from the command line");
            writeln!(
                out,
                "dismissed {}: \u{201C}{}\u{201D} for {} is not proposed again",
                suggestion.id, suggestion.pattern, suggestion.fact
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut accepted: Vec<Suggestion> = if args.accept_all {
        all.suggestions
            .iter()
            .filter(|s| s.count >= args.min_count)
            .cloned()
            .collect()
    } else {
        chosen(&all, &args.accept)?.into_iter().cloned().collect()
    };
    for suggestion in &mut accepted {
        suggestion.check(&snapshot.base, store.settings());
    }
    if args.accept_all {
        for skipped in accepted.iter().filter(|s| s.warning.is_some()) {
            eprintln!(
                "skipped {} (it has a warning; add it by its id if you mean it): {}",
                skipped.id,
                super::terminal::safe(skipped.warning.as_ref().map_or("", |w| &w.message))
            );
        }
        accepted.retain(|s| s.warning.is_none());
    }
    for warned in accepted
        .iter()
        .filter_map(|s| s.warning.as_ref().map(|w| (s, w)))
    {
        eprintln!(
            "warning: adding {} anyway: {}",
            warned.0.id,
            super::terminal::safe(&warned.1.message)
        );
    }
    let additions: Vec<Addition> = accepted.iter().map(Suggestion::addition).collect();
    write(&store, &additions, args.json)?;
    Ok(ExitCode::SUCCESS)
}

/// The suggestions with `ids`, or an error naming the first id that is not one of `all`.
fn chosen<'a>(all: &'a Suggestions, ids: &[String]) -> anyhow::Result<Vec<&'a Suggestion>> {
    ids.iter()
        .map(|id| {
            all.find(id).with_context(|| {
                format!(
                    "there is no suggestion {} (`factbot suggest` lists them; added or dismissed ones are not)",
                    super::terminal::safe(id)
                )
            })
        })
        .collect()
}

/// Writes `additions` and says what was added where; validation problems are printed like
/// `check` prints them.
fn write(store: &FactStore, additions: &[Addition], json: bool) -> anyhow::Result<()> {
    if additions.is_empty() {
        writeln!(super::terminal::stdout_for(json), "nothing to add")?;
        return Ok(());
    }
    let edit = match suggest::write(store, additions) {
        Ok(edit) => edit,
        Err(EditError::Invalid { diagnostics }) => {
            for diagnostic in &diagnostics {
                eprintln!("{}", super::terminal::safe(&diagnostic.to_string()));
            }
            bail!("the facts would not load with this change; nothing was written");
        }
        Err(error) => return Err(error.into()),
    };
    let files: Vec<String> = edit.paths().map(|p| p.display().to_string()).collect();
    let mut out = super::terminal::stdout_for(json);
    for addition in &edit.added {
        tracing::info!(fact = %addition.fact, pattern = %addition.question, "question pattern added from the command line");
    }
    if json {
        let added: Vec<_> = edit
            .added
            .iter()
            .map(|a| serde_json::json!({"fact": a.fact, "question": a.question}))
            .collect();
        serde_json::to_writer_pretty(
            &mut out,
            &serde_json::json!({"added": added, "files": files}),
        )?;
        writeln!(out)?;
        return Ok(());
    }
    for addition in &edit.added {
        writeln!(
            out,
            "added \u{201C}{}\u{201D} to {}",
            addition.question, addition.fact
        )?;
    }
    if edit.added.is_empty() {
        writeln!(
            out,
            "nothing to add: the facts have these questions already"
        )?;
    } else {
        writeln!(
            out,
            "written: {} (a running bot reloads it)",
            files.join(", ")
        )?;
    }
    Ok(())
}

fn print(suggestions: &Suggestions, json: bool) -> anyhow::Result<()> {
    let mut out = super::terminal::stdout_for(json);
    if json {
        serde_json::to_writer_pretty(&mut out, suggestions)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", suggestions.to_text())?;
    }
    Ok(())
}
