//! `factbot ask`: one question from the arguments, or one per line of standard input.
//!
//! Standard input is a batch: every input line gets exactly one output line (or block), in
//! order, so a script can zip questions and answers. A blank line is a question with no
//! words (outcome `unknown`), and a line that is not UTF-8 is read lossily (U+FFFD for each
//! bad byte); neither stops the batch.

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::answer::Answer;
use crate::config::Config;
use crate::matcher::Outcome;
use crate::reply::Reply;
use crate::store::Snapshot;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A facts file or folder (repeatable) [default: the config's facts folder]
    #[arg(long = "facts", value_name = "PATH")]
    facts: Vec<PathBuf>,
    /// Print one JSON object per question (JSON Lines)
    #[arg(long)]
    json: bool,
    /// Also print how the question was read: its terms and their weights ("?" = a word the
    /// facts never mention, "~" = a typo fix)
    #[arg(long)]
    explain: bool,
    /// The question; without it, each line of standard input is a question
    question: Option<String>,
}

pub(super) fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    let snapshot = super::load_snapshot(config, &args.facts)?;
    let mut out = super::terminal::stdout_for(args.json);
    match &args.question {
        Some(question) => answer(&snapshot, question, &args, &mut out)?,
        None => {
            let mut input = io::stdin().lock();
            while let Some(line) = super::read_line_lossy(&mut input)? {
                answer(&snapshot, &line, &args, &mut out)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn answer(
    snapshot: &Snapshot,
    question: &str,
    args: &Args,
    out: &mut impl io::Write,
) -> anyhow::Result<()> {
    // A blank line asks nothing; it is answered `unknown` so the output stays in step.
    let outcome = if question.trim().is_empty() {
        Outcome::unknown()
    } else {
        snapshot.matcher.ask(question)
    };
    let lang = crate::lang::detect(question, None);
    if args.explain {
        writeln!(out, "terms: {}", snapshot.matcher.explain(question))?;
        let candidates: Vec<String> = outcome
            .candidates
            .iter()
            .map(|c| format!("{} {:.3}", snapshot.base.facts[c.fact].id, c.score))
            .collect();
        writeln!(out, "candidates: {}", candidates.join(", "))?;
        if outcome.candidates.is_empty() && !outcome.nearest.is_empty() {
            // What the member most likely meant: the fact to give another pattern.
            let nearest: Vec<&str> = outcome
                .nearest
                .iter()
                .map(|&fact| snapshot.base.facts[fact].id.as_str())
                .collect();
            writeln!(out, "closest in meaning: {}", nearest.join(", "))?;
        }
        if let Some(top) = outcome.candidates.first() {
            let features = snapshot.matcher.features(top);
            let confidence = snapshot.matcher.confidence(top);
            let features: Vec<String> = features.iter().map(|f| format!("{f:.4}")).collect();
            writeln!(
                out,
                "confidence: {confidence:.3} from score, margin, coverage, pattern, unknown, kind, evidence, missing, rival coverage, rival pattern, rival missing, close rivals, surface lead, meaning fit, meaning lead = {}",
                features.join(" ")
            )?;
        }
    }
    if args.json {
        let answer = Answer::new_in(&snapshot.base, question, &outcome, lang);
        serde_json::to_writer(&mut *out, &answer)?;
        writeln!(out)?;
    } else {
        let reply = Reply::for_outcome_in(&snapshot.base, &outcome, lang);
        writeln!(out, "{}", reply.to_text())?;
    }
    out.flush()?;
    Ok(())
}
