//! The moderators' command (`/factsadmin reload | status | gaps | stats`) as platform-free
//! values: what was asked ([`ModeratorCommand`]) and what to show ([`Report`]).
//!
//! Who may use the command is each platform's business (Discord roles and permissions, Slack
//! user groups and workspace admins); what it does and says is the same everywhere. Reloading
//! and database queries can take longer than a platform's 3 seconds, so [`ModeratorCommand::is_slow`]
//! tells the adapter to acknowledge first and show the report when it is ready.

use std::time::SystemTime;

use super::{Conversation, Notice};
use crate::clock;
use crate::history::{Database, DbError, Gaps, Stats, GAP_ROWS};
use crate::reload::{self, Attempt, ReloadResult, Trigger};

/// Days `gaps` and `stats` cover unless asked otherwise, and at most.
pub const DEFAULT_DAYS: u32 = 7;
pub const MAX_DAYS: u32 = 365;
/// Gap groups listed at most (a Discord embed holds about this many with their details).
const GAPS_SHOWN: usize = 15;
/// Facts per "top" list in `stats`.
const TOP: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModeratorCommand {
    Reload,
    Status,
    Gaps { days: u32 },
    Stats { days: u32 },
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
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Reload => "reload",
            Self::Status => "status",
            Self::Gaps { .. } => "gaps",
            Self::Stats { .. } => "stats",
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

/// What a moderator is shown: plain text, one item a line, escaped and cut by the adapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub text: String,
    pub tone: Tone,
}

impl Report {
    /// The report for one reload attempt.
    pub fn of_attempt(attempt: &Attempt) -> Self {
        let tone = match attempt.result {
            ReloadResult::Failed { .. } => Tone::Problem,
            _ => Tone::Good,
        };
        Self {
            text: attempt.summary(),
            tone,
        }
    }
}

/// A notice where a report was expected (the command was refused after being acknowledged).
impl From<Notice> for Report {
    fn from(notice: Notice) -> Self {
        Self {
            text: notice.to_string(),
            tone: Tone::Problem,
        }
    }
}

impl Conversation {
    /// Refuses a command that cannot run on this bot, before the adapter acknowledges it.
    pub fn can_run(&self, command: ModeratorCommand) -> Result<(), Notice> {
        match command {
            ModeratorCommand::Gaps { .. } | ModeratorCommand::Stats { .. }
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
        Report { text, tone }
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
            Ok(Ok(text)) => Report {
                text,
                tone: Tone::Info,
            },
            Ok(Err(error)) => Report {
                text: format!("Cannot read the questions database: {error}"),
                tone: Tone::Problem,
            },
            Err(join) => Report {
                text: format!("The query failed: {join}"),
                tone: Tone::Problem,
            },
        }
    }
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
