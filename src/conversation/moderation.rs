//! The moderators' command (`/factsadmin reload | status | gaps | stats | suggestions`) as
//! platform-free values: what was asked ([`ModeratorCommand`]) and what to show ([`Report`],
//! with "Add" and "Dismiss" buttons for suggestions), and what a moderator's click on one of
//! those does ([`Conversation::decide_suggestion`]).
//!
//! Who may use the command is each platform's business (Discord roles and permissions, Slack
//! user groups and workspace admins); what it does and says is the same everywhere. Reloading
//! and database queries can take longer than a platform's 3 seconds, so [`ModeratorCommand::is_slow`]
//! tells the adapter to acknowledge first and show the report when it is ready.

use std::sync::Arc;
use std::time::SystemTime;

use super::{ButtonId, Conversation, Notice};
use crate::clock;
use crate::history::{Database, DbError, Gaps, Stats, GAP_ROWS};
use crate::reload::{self, Attempt, ReloadResult, Trigger};
use crate::store::FactStore;
use crate::suggest::{self, Query, Suggestions};

/// Days `gaps` and `stats` cover unless asked otherwise, and at most.
pub const DEFAULT_DAYS: u32 = 7;
pub const MAX_DAYS: u32 = 365;
/// Gap groups listed at most (a Discord embed holds about this many with their details).
const GAPS_SHOWN: usize = 15;
/// Facts per "top" list in `stats`.
const TOP: usize = 10;
/// Suggestions shown with their buttons at most: one row of buttons each, and Discord allows
/// five rows.
const SUGGESTIONS_SHOWN: usize = 5;
/// Gap groups shown under the suggestions.
const SUGGESTION_GAPS_SHOWN: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModeratorCommand {
    Reload,
    Status,
    Gaps { days: u32 },
    Stats { days: u32 },
    Suggestions { days: u32 },
}

impl ModeratorCommand {
    /// The subcommand `name` with its `days` (default 7, clamped to 1..=365); `None` when
    /// there is no such subcommand.
    pub fn parse(name: &str, days: Option<i64>) -> Option<Self> {
        let days = days
            .and_then(|days| u32::try_from(days).ok())
            .unwrap_or(DEFAULT_DAYS)
            .clamp(1, MAX_DAYS);
        match name {
            "reload" => Some(Self::Reload),
            "status" => Some(Self::Status),
            "gaps" => Some(Self::Gaps { days }),
            "stats" => Some(Self::Stats { days }),
            "suggestions" => Some(Self::Suggestions { days }),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Reload => "reload",
            Self::Status => "status",
            Self::Gaps { .. } => "gaps",
            Self::Stats { .. } => "stats",
            Self::Suggestions { .. } => "suggestions",
        }
    }

    /// Whether the report may take longer than an interaction's 3 seconds.
    pub fn is_slow(self) -> bool {
        !matches!(self, Self::Status)
    }
}

/// How a report reads at a glance (Discord shows it as the embed's colour).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Something worked (a reload).
    Good,
    /// Something needs the moderators (a failed reload, open problems, a database error).
    Problem,
    Info,
}

/// What a moderator is shown: plain text, one item a line, escaped and cut by the adapter,
/// and for suggestions their buttons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub text: String,
    pub tone: Tone,
    /// One row of buttons per suggestion shown, in the order of the text.
    pub actions: Vec<ReportAction>,
}

/// The "Add" and "Dismiss" buttons of the suggestion numbered `number` in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportAction {
    pub number: usize,
    pub add: ButtonId,
    pub dismiss: ButtonId,
    /// The suggestion carries a warning: its button says "Add anyway".
    pub warned: bool,
}

impl ReportAction {
    /// The labels of the two buttons.
    pub fn labels(&self) -> (String, String) {
        let add = if self.warned {
            format!("Add #{} anyway", self.number)
        } else {
            format!("Add #{}", self.number)
        };
        (add, format!("Dismiss #{}", self.number))
    }
}

/// What a moderator's "Add" or "Dismiss" click did: the reply they see, and the line for the
/// moderators' log channel (who did what), when something was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub reply: Report,
    pub log: Option<Report>,
}

impl Report {
    pub fn new(text: impl Into<String>, tone: Tone) -> Self {
        Self {
            text: text.into(),
            tone,
            actions: Vec::new(),
        }
    }

    /// The report for one reload attempt.
    pub fn of_attempt(attempt: &Attempt) -> Self {
        let tone = match attempt.result {
            ReloadResult::Failed { .. } => Tone::Problem,
            _ => Tone::Good,
        };
        Self::new(attempt.summary(), tone)
    }
}

/// A notice where a report was expected (the command was refused after being acknowledged).
impl From<Notice> for Report {
    fn from(notice: Notice) -> Self {
        Self::new(notice.to_string(), Tone::Problem)
    }
}

impl Conversation {
    /// Refuses a command that cannot run on this bot, before the adapter acknowledges it.
    pub fn can_run(&self, command: ModeratorCommand) -> Result<(), Notice> {
        match command {
            ModeratorCommand::Gaps { .. }
            | ModeratorCommand::Stats { .. }
            | ModeratorCommand::Suggestions { .. }
                if self.history.is_none() =>
            {
                Err(Notice::NotRecorded)
            }
            _ => Ok(()),
        }
    }

    /// Runs a moderators' command; reloads and queries run off the async workers.
    pub async fn moderate(&self, command: ModeratorCommand) -> Result<Report, Notice> {
        self.can_run(command)?;
        Ok(match command {
            ModeratorCommand::Status => self.status(),
            ModeratorCommand::Reload => {
                Report::of_attempt(&*self.reloader.reload(Trigger::Command).await)
            }
            ModeratorCommand::Gaps { days } => self.history_report(true, days).await,
            ModeratorCommand::Stats { days } => self.history_report(false, days).await,
            ModeratorCommand::Suggestions { days } => self.suggestions_report(days).await,
        })
    }

    fn status(&self) -> Report {
        let health = self.history.as_ref().map(|history| history.health());
        let text = reload::status_text(&self.reloader, health.as_ref(), SystemTime::now());
        let tone = if self.reloader.state().problems.is_empty() {
            Tone::Info
        } else {
            Tone::Problem
        };
        Report::new(text, tone)
    }

    async fn history_report(&self, gaps: bool, days: u32) -> Report {
        let Some(history) = self.history.as_ref() else {
            return Notice::NotRecorded.into();
        };
        let location = history.location().clone();
        let snapshot = self.store.snapshot();
        let text = tokio::task::spawn_blocking(move || {
            let since = clock::days_back(clock::now(), days);
            let mut db = Database::open_existing(location)?;
            let base = Some(&snapshot.base);
            Ok::<_, DbError>(if gaps {
                let rows = db.unanswered(since, GAP_ROWS)?;
                Gaps::build(&rows, base, days, since, GAPS_SHOWN).to_text()
            } else {
                Stats::build(&db.stats(since, TOP)?, base, days, since).to_text()
            })
        })
        .await;
        match text {
            Ok(Ok(text)) => Report::new(text, Tone::Info),
            Ok(Err(error)) => database_problem(&error),
            Err(join) => Report::new(format!("The query failed: {join}"), Tone::Problem),
        }
    }

    /// The top suggestions, each with its "Add" and "Dismiss" buttons.
    async fn suggestions_report(&self, days: u32) -> Report {
        let Some(history) = self.history.as_ref() else {
            return Notice::NotRecorded.into();
        };
        let location = history.location().clone();
        let store = Arc::clone(&self.store);
        let read = tokio::task::spawn_blocking(move || {
            let mut db = Database::open_existing(location)?;
            let query = Query::last_days(days, 1, SUGGESTIONS_SHOWN, SUGGESTION_GAPS_SHOWN);
            suggest::read(&mut db, &store.snapshot(), store.settings(), query)
        })
        .await;
        match read {
            Ok(Ok(suggestions)) => suggestions_with_buttons(&suggestions),
            Ok(Err(error)) => database_problem(&error),
            Err(join) => Report::new(format!("The query failed: {join}"), Tone::Problem),
        }
    }

    /// A moderator's "Add" (`add`) or "Dismiss" click on suggestion `id`: writes the pattern
    /// into the facts file (then the facts reload) or remembers the dismissal. `moderator` is
    /// the one user id kept, in the log line and the log channel's report only.
    pub async fn decide_suggestion(&self, id: &str, add: bool, moderator: &str) -> Decision {
        let Some(history) = self.history.as_ref() else {
            return Decision {
                reply: Notice::NotRecorded.into(),
                log: None,
            };
        };
        let location = history.location().clone();
        let store = Arc::clone(&self.store);
        let (id, moderator) = (id.to_owned(), moderator.to_owned());
        let decided = tokio::task::spawn_blocking(move || {
            let db = Database::open_existing(location);
            decide_blocking(&store, db, &id, add, &moderator)
        })
        .await
        .unwrap_or_else(|join| Decision {
            reply: Report::new(format!("The change failed: {join}"), Tone::Problem),
            log: None,
        });
        if add && decided.log.is_some() && self.reloader.watch_status().is_none() {
            // Nobody watches the folder: reload now, or the pattern would wait for one.
            self.reloader.reload(Trigger::Command).await;
        }
        decided
    }
}

fn database_problem(error: &DbError) -> Report {
    Report::new(
        format!("Cannot read the questions database: {error}"),
        Tone::Problem,
    )
}

/// The report of `suggestions`, numbered, with a row of buttons for each.
fn suggestions_with_buttons(suggestions: &Suggestions) -> Report {
    let mut report = Report::new(suggestions.to_text(), Tone::Info);
    report.actions = suggestions
        .suggestions
        .iter()
        .enumerate()
        .map(|(at, suggestion)| ReportAction {
            number: at + 1,
            add: ButtonId::SuggestionAdd(suggestion.id.clone()),
            dismiss: ButtonId::SuggestionDismiss(suggestion.id.clone()),
            warned: suggestion.warning.is_some(),
        })
        .collect();
    report
}

/// [`Conversation::decide_suggestion`] on a blocking thread: the database and the facts file.
fn decide_blocking(
    store: &FactStore,
    db: Result<Database, DbError>,
    id: &str,
    add: bool,
    moderator: &str,
) -> Decision {
    let refused = |text: String| Decision {
        reply: Report::new(text, Tone::Problem),
        log: None,
    };
    let snapshot = store.snapshot();
    let found = db.and_then(|mut db| {
        let query = Query::last_days(MAX_DAYS, 1, 0, 0).all();
        let suggestions = suggest::read(&mut db, &snapshot, store.settings(), query)?;
        Ok((db, suggestions.find(id).cloned()))
    });
    let (mut db, mut suggestion) = match found {
        Ok((db, Some(suggestion))) => (db, suggestion),
        Ok((_, None)) => {
            return refused(format!(
                "Suggestion {id} is no longer proposed: it was added or dismissed, or the facts answer it already."
            ))
        }
        Err(error) => return refused(database_problem(&error).text),
    };
    if !add {
        if let Err(error) = db.dismiss(id, clock::now(), &suggestion.fact) {
            return refused(format!("Cannot remember the dismissal: {error}"));
        }
        tracing::info!(moderator, suggestion = id, fact = %suggestion.fact, "suggestion dismissed");
        let text = format!(
            "Suggestion {id} dismissed by moderator {moderator}: \u{201C}{}\u{201D} for {} is not proposed again.",
            suggestion.pattern, suggestion.fact
        );
        return Decision {
            reply: Report::new(text.clone(), Tone::Info),
            log: Some(Report::new(text, Tone::Info)),
        };
    }
    suggestion.check(&snapshot.base, store.settings());
    match suggest::write(store, &[suggestion.addition()]) {
        Ok(edit) => {
            tracing::info!(
                moderator,
                suggestion = id,
                fact = %suggestion.fact,
                pattern = %suggestion.pattern,
                warned = suggestion.warning.is_some(),
                "suggestion accepted"
            );
            let text = accepted_text(&suggestion, &edit, moderator);
            Decision {
                reply: Report::new(text.clone(), Tone::Good),
                log: Some(Report::new(text, Tone::Good)),
            }
        }
        Err(error) => refused(format!("Nothing was written: {error}")),
    }
}

/// "Suggestion … accepted by moderator …: added “…” to … in …", and the warning overridden.
fn accepted_text(
    suggestion: &suggest::Suggestion,
    edit: &crate::facts::Edit,
    moderator: &str,
) -> String {
    let files: Vec<String> = edit.paths().map(|p| p.display().to_string()).collect();
    let mut text = format!(
        "Suggestion {} accepted by moderator {moderator}: added \u{201C}{}\u{201D} to {} in {}.",
        suggestion.id,
        suggestion.pattern,
        suggestion.fact,
        files.join(", ")
    );
    if let Some(warning) = &suggestion.warning {
        text.push_str("\nAccepted despite the warning: ");
        text.push_str(&warning.message);
    }
    text
}

/// Which reload attempts go to a moderators' log channel: not a save that changed nothing, and
/// not a failure identical to the one just posted (an editor saving the same broken file again).
#[derive(Default)]
pub struct ReloadLog {
    last_failure: Option<Vec<String>>,
}

impl ReloadLog {
    /// The report to post for `attempt`, or `None` to stay quiet.
    pub fn report(&mut self, attempt: &Attempt) -> Option<Report> {
        match &attempt.result {
            ReloadResult::Unchanged { .. } => return None,
            ReloadResult::Failed { diagnostics } => {
                let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
                if self.last_failure.as_ref() == Some(&lines) {
                    return None;
                }
                self.last_failure = Some(lines);
            }
            ReloadResult::Reloaded(_) => self.last_failure = None,
        }
        Some(Report::of_attempt(attempt))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subcommands_and_days_are_read_and_clamped() {
        assert_eq!(
            ModeratorCommand::parse("gaps", None),
            Some(ModeratorCommand::Gaps { days: 7 })
        );
        assert_eq!(
            ModeratorCommand::parse("stats", Some(1000)),
            Some(ModeratorCommand::Stats { days: 365 })
        );
        assert_eq!(
            ModeratorCommand::parse("stats", Some(-3)),
            Some(ModeratorCommand::Stats { days: 7 })
        );
        assert_eq!(
            ModeratorCommand::parse("status", Some(3)),
            Some(ModeratorCommand::Status)
        );
        assert_eq!(ModeratorCommand::parse("drop", None), None);
        assert!(!ModeratorCommand::Status.is_slow() && ModeratorCommand::Reload.is_slow());
    }
}
