//! What moderators read about the live facts: the summary of one reload attempt (posted to the
//! moderators' log channel, returned by the reload command) and the status report.
//!
//! Plain text, platform-free, with the problems in the loader's own `path:line:col: message`
//! form so a moderator can go straight to the spot; adapters cut it to their limits.

use std::fmt::Write as _;
use std::time::SystemTime;

use super::{Attempt, ReloadResult, Reloader};
use crate::clock;
use crate::facts::FactId;
use crate::history::Health;

/// Ids listed in a summary at most per kind of change; the rest are counted.
const IDS_SHOWN: usize = 20;
/// Problems listed in a summary or status at most.
const PROBLEMS_SHOWN: usize = 15;

fn ids(list: &[FactId]) -> String {
    let mut shown: Vec<&str> = list.iter().take(IDS_SHOWN).map(FactId::as_str).collect();
    let more = list.len().saturating_sub(IDS_SHOWN);
    let more_text = format!("\u{2026} and {more} more");
    if more > 0 {
        shown.push(&more_text);
    }
    shown.join(", ")
}

fn problems(out: &mut String, diagnostics: &[crate::facts::Diagnostic], indent: &str) {
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
    for diagnostic in errors.iter().take(PROBLEMS_SHOWN) {
        let _ = writeln!(out, "{indent}{diagnostic}");
    }
    if errors.len() > PROBLEMS_SHOWN {
        let _ = writeln!(
            out,
            "{indent}\u{2026} and {} more; `factbot check` lists them all",
            errors.len() - PROBLEMS_SHOWN
        );
    }
}

impl Attempt {
    /// One paragraph: what was reloaded and what changed, or why nothing was.
    pub fn summary(&self) -> String {
        let trigger = self.trigger.describe();
        let mut out = String::new();
        match &self.result {
            ReloadResult::Reloaded(report) => {
                let _ = writeln!(
                    out,
                    "Facts reloaded after {trigger}: version {}.",
                    report.version
                );
                for (what, list) in [
                    ("added", &report.added),
                    ("changed", &report.changed),
                    ("removed", &report.removed),
                ] {
                    if !list.is_empty() {
                        let _ = writeln!(out, "{} {what}: {}", list.len(), ids(list));
                    }
                }
            }
            ReloadResult::Unchanged { version } => {
                let _ = writeln!(
                    out,
                    "Facts reloaded after {trigger}: nothing changed (version {version})."
                );
            }
            ReloadResult::Failed { diagnostics } => {
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                let _ = writeln!(
                    out,
                    "Facts NOT reloaded after {trigger}: {errors} problem(s). The last good facts stay live until they are fixed."
                );
                problems(&mut out, diagnostics, "");
            }
        }
        if !self.warnings.is_empty() {
            let _ = writeln!(
                out,
                "{} warning(s); `factbot check` lists them.",
                self.warnings.len()
            );
        }
        out
    }
}

/// The status report: the live facts, the latest reload, open problems, the watcher and the
/// history database.
pub fn status_text(reloader: &Reloader, history: Option<&Health>, now: SystemTime) -> String {
    let snapshot = reloader.store().snapshot();
    let state = reloader.state();
    let base = &snapshot.base;
    let retracted = base.facts.iter().filter(|f| f.is_retracted()).count();
    let mut out = format!(
        "Facts: {} fact(s){} from {} file(s), version {}\n",
        base.facts.len(),
        if retracted > 0 {
            format!(" ({retracted} retracted)")
        } else {
            String::new()
        },
        base.files.len(),
        snapshot.version
    );
    let _ = writeln!(
        out,
        "Live since: {}",
        clock::date_time_ago(snapshot.loaded_at, now)
    );
    for file in &base.files {
        let count = base.facts.iter().filter(|f| &f.file == file).count();
        let _ = writeln!(out, "  {}: {count} fact(s)", file.display());
    }
    match &state.last {
        None => out.push_str("Last reload: none since start-up\n"),
        Some(last) => {
            let result = match &last.result {
                ReloadResult::Reloaded(report) => format!(
                    "reloaded ({} added, {} changed, {} removed)",
                    report.added.len(),
                    report.changed.len(),
                    report.removed.len()
                ),
                ReloadResult::Unchanged { .. } => "nothing changed".to_owned(),
                ReloadResult::Failed { .. } => "FAILED, the facts above stay live".to_owned(),
            };
            let _ = writeln!(
                out,
                "Last reload: {}, after {}: {result}",
                clock::date_time_ago(last.at, now),
                last.trigger.describe()
            );
        }
    }
    if state.problems.is_empty() {
        out.push_str("Open problems: none\n");
    } else {
        let _ = writeln!(
            out,
            "Open problems ({}), until a reload succeeds:",
            state.problems.iter().filter(|d| d.is_error()).count()
        );
        problems(&mut out, &state.problems, "  ");
    }
    match reloader.watch_status() {
        Some(watch) => {
            let _ = writeln!(
                out,
                "Watching: {} (a save is picked up {} ms after the last change)",
                watch.watching.join(", "),
                watch.debounce.as_millis()
            );
        }
        None => out.push_str("Watching: off (reload with the command or SIGHUP)\n"),
    }
    match history {
        Some(health) => history_lines(&mut out, health),
        None => out.push_str("Questions database: off (history.enabled = false)\n"),
    }
    out
}

/// The questions database's counts and problem, then the fleet as of the latest heartbeat.
fn history_lines(out: &mut String, health: &Health) {
    let _ = write!(
        out,
        "Questions database: {}; since start {} written, {} dropped (queue full), {} failed",
        health.database, health.written, health.dropped, health.failed
    );
    if health.waiting > 0 {
        let _ = write!(out, ", {} waiting for the database", health.waiting);
    }
    out.push('\n');
    if let Some(error) = &health.last_error {
        let _ = writeln!(out, "Database problem: {error}");
    }
    if let Some(fleet) = &health.fleet {
        let _ = writeln!(
            out,
            "{}(as of {})",
            fleet.to_text(),
            clock::date_time(fleet.at)
        );
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::matcher::MatchSettings;
    use crate::reload::Trigger;
    use crate::store::FactStore;

    #[test]
    fn status_shows_open_problems_until_fixed() {
        let dir = tempfile::tempdir().unwrap();
        let good = "[[sources]]\nid = \"s\"\npublisher = \"P\"\ntitle = \"T\"\npublished = 2024-07-04\n[[facts]]\nid = \"a\"\nquestions = [\"Q?\"]\nanswer = \"A.\"\nsnippet = \"S\"\n";
        let path = dir.path().join("f.toml");
        std::fs::write(&path, good).unwrap();
        let store =
            FactStore::open(vec![dir.path().to_path_buf()], MatchSettings::default()).unwrap();
        let reloader = Reloader::new(Arc::new(store));
        let now = SystemTime::now();
        let text = status_text(&reloader, None, now);
        assert!(
            text.starts_with("Facts: 1 fact(s) from 1 file(s), version "),
            "{text}"
        );
        assert!(text.contains("Last reload: none since start-up"), "{text}");
        assert!(text.contains("Open problems: none"), "{text}");
        assert!(text.contains("Watching: off"), "{text}");

        std::fs::write(&path, good.replace("answer", "anser")).unwrap();
        let attempt = reloader.reload_now(Trigger::Command);
        let summary = attempt.summary();
        assert!(
            summary.starts_with("Facts NOT reloaded after a moderator's command: 2 problem(s)."),
            "{summary}"
        );
        assert!(
            summary.contains("f.toml:9:1: error: unknown key \"anser\""),
            "{summary}"
        );
        let text = status_text(&reloader, None, now);
        assert!(text.contains("FAILED, the facts above stay live"), "{text}");
        assert!(
            text.contains("Open problems (2), until a reload succeeds:"),
            "{text}"
        );

        std::fs::write(&path, good.replace("A.", "B.")).unwrap();
        let fixed = reloader.reload_now(Trigger::FileChange);
        assert!(
            fixed.summary().contains("1 changed: a"),
            "{}",
            fixed.summary()
        );
        assert!(status_text(&reloader, None, now).contains("Open problems: none"));
    }
}
