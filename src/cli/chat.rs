//! `factbot chat`: a conversation in the terminal over the same engine as the bot.
//!
//! Replies are the same [`Reply`] the chat platforms lay out; the numbered suggestions stand in
//! for buttons, and typing a number picks one.

use std::io::{self, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::config::Config;
use crate::reply::Reply;
use crate::store::Snapshot;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A facts file or folder (repeatable) [default: the config's facts folder]
    #[arg(long = "facts", value_name = "PATH")]
    facts: Vec<PathBuf>,
}

pub(super) fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    let snapshot = super::load_snapshot(config, &args.facts)?;
    let mut out = super::terminal::stdout(super::terminal::Style::Text);
    writeln!(out, "factbot: ask me about {}.", snapshot.base.topic())?;
    writeln!(
        out,
        "Type a question, or the number of a suggestion; \"quit\" or Ctrl-D to leave.\n"
    )?;
    let mut suggestions = Reply::starting(&snapshot.base);
    write!(out, "{}", suggestions.to_text())?;
    let mut input = io::stdin().lock();
    loop {
        write!(out, "\n> ")?;
        out.flush()?;
        let Some(line) = super::read_line_lossy(&mut input)? else {
            break;
        };
        let input = line.trim();
        if matches!(
            input.to_lowercase().as_str(),
            "quit" | "exit" | "salir" | "q"
        ) {
            break;
        }
        if input.is_empty() {
            continue;
        }
        let reply = respond(&snapshot, &suggestions, input);
        writeln!(out, "\n{}", reply.to_text().trim_end())?;
        if !reply.buttons.is_empty() {
            suggestions = reply;
        }
    }
    writeln!(out)?;
    Ok(ExitCode::SUCCESS)
}

/// A number picks a suggestion of the last reply; anything else is a question.
fn respond(snapshot: &Snapshot, last: &Reply, input: &str) -> Reply {
    let picked = input
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| last.buttons.get(i))
        .and_then(|button| snapshot.base.index_of(button.fact.as_str()));
    match picked {
        Some(index) => Reply::for_fact(&snapshot.base, index),
        None => Reply::for_outcome(&snapshot.base, &snapshot.matcher.ask(input)),
    }
}
