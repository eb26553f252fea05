//! `factbot chat`: a conversation in the terminal over the same engine as the bot.
//!
//! Replies are the same [`Reply`] the chat platforms lay out; the numbered suggestions stand in
//! for buttons, and typing a number picks one.

use std::io::{self, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::config::Config;
use crate::lang::{self, Lang, Msg};
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
    let topic = snapshot.base.topic();
    writeln!(
        out,
        "{}",
        Lang::EN.text(Msg::ChatGreeting, &[("topic", &topic)])
    )?;
    writeln!(out, "{}\n", Lang::EN.text(Msg::ChatHelp, &[]))?;
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

/// A number picks a suggestion of the last reply (answered in that reply's language); anything
/// else is a question, answered in the language it is asked in.
fn respond(snapshot: &Snapshot, last: &Reply, input: &str) -> Reply {
    let picked = input
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| last.buttons.get(i))
        .and_then(|button| snapshot.base.index_of(button.fact.as_str()));
    match picked {
        Some(index) => Reply::for_fact_in(&snapshot.base, index, last.lang),
        None => {
            let lang = lang::detect(input, None);
            Reply::for_outcome_in(&snapshot.base, &snapshot.matcher.ask(input), lang)
        }
    }
}
