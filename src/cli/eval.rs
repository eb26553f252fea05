//! `factbot eval`: answer quality on a file of questions, with every miss listed.

use std::io::{self, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

use crate::config::Config;
use crate::eval::{self, Report};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// JSON Lines: {"q", "kind"?, "expect_fact"?, "expect_any"?} per line
    file: PathBuf,
    /// A facts file or folder (repeatable) [default: the config's facts folder]
    #[arg(long = "facts", value_name = "PATH")]
    facts: Vec<PathBuf>,
    /// Print the report as JSON
    #[arg(long)]
    json: bool,
    /// Exit with 1 when the combined accuracy is below this (0 to 1)
    #[arg(long, value_name = "ACCURACY")]
    min: Option<f64>,
}

pub(super) fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let cases = eval::parse_cases(&text)
        .with_context(|| format!("{} is not a valid eval file", args.file.display()))?;
    let snapshot = super::load_snapshot(config, &args.facts)?;
    eval::check_expected_facts(&cases, &snapshot.base)
        .with_context(|| format!("{} is not a valid eval file", args.file.display()))?;
    let report = eval::run(&snapshot, &cases);
    let mut out = super::terminal::stdout_for(args.json);
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        print_report(&mut out, &report)?;
    }
    let passed = args.min.is_none_or(|min| report.accuracy >= min);
    if !passed {
        eprintln!(
            "accuracy {:.1}% is below the minimum {:.1}%",
            report.accuracy * 100.0,
            args.min.unwrap_or(0.0) * 100.0
        );
    }
    Ok(if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn print_report(out: &mut impl io::Write, report: &Report) -> io::Result<()> {
    if !report.misses.is_empty() {
        writeln!(out, "misses:")?;
    }
    for miss in &report.misses {
        let got = match &miss.got.fact {
            Some(fact) => format!("answered {fact} ({:.2})", miss.got.score),
            None => {
                let candidates: Vec<String> = miss
                    .got
                    .candidates
                    .iter()
                    .map(|c| format!("{} {:.2}", c.id, c.score))
                    .collect();
                format!("{:?} [{}]", miss.got.status, candidates.join(", ")).to_lowercase()
            }
        };
        writeln!(
            out,
            "  [{}] {:?}\n      expected {}; got {got}",
            miss.kind, miss.question, miss.expected
        )?;
    }
    writeln!(out, "by kind:")?;
    for (kind, score) in &report.by_kind {
        writeln!(
            out,
            "  {kind:<14} {:>4}/{:<4} {:>6.1}%",
            score.right,
            score.total,
            score.accuracy * 100.0
        )?;
    }
    writeln!(
        out,
        "out-of-scope questions answered: {}",
        report.wrongly_answered
    )?;
    writeln!(
        out,
        "time per question: median {:.1} µs, p99 {:.1} µs",
        report.median_micros, report.p99_micros
    )?;
    writeln!(
        out,
        "combined accuracy: {}/{} = {:.1}%",
        report.right,
        report.total,
        report.accuracy * 100.0
    )
}
