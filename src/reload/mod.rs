//! Reloading the facts while the bot runs, and what the moderators are told about it.
//!
//! Every way of asking for a reload (a file saved in the facts folder, SIGHUP, the moderators'
//! command) ends in [`Reloader::reload_now`]: the whole facts folder is loaded and validated on
//! the calling thread (never an async worker: see [`Reloader::reload`]), then swapped in whole
//! by the [`FactStore`]. Replies in flight keep the snapshot they started with. A folder that
//! does not load never takes effect: the last good facts stay live, and the problems stay
//! "open" in [`ReloadState`] (shown by the status command) until a reload succeeds. Each
//! attempt is also published to subscribers, such as the Discord moderators' log channel.

mod status;
mod watch;

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use arc_swap::{ArcSwap, ArcSwapOption};
use tokio::sync::broadcast;

use crate::clock;
use crate::facts::Diagnostic;
use crate::history::FactsState;
use crate::store::{FactStore, ReloadReport};

pub use status::status_text;
pub use watch::{WatchError, Watcher};

/// What asked for a reload: shown to moderators so they can tell their own edit's result from
/// another's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// A file in the facts folder changed.
    FileChange,
    /// The process got SIGHUP.
    Signal,
    /// A moderator's reload command.
    Command,
}

impl Trigger {
    pub fn describe(self) -> &'static str {
        match self {
            Self::FileChange => "a file change",
            Self::Signal => "SIGHUP",
            Self::Command => "a moderator's command",
        }
    }
}

/// How one reload attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReloadResult {
    /// New facts are live; what changed, by id.
    Reloaded(ReloadReport),
    /// The files load, but nothing a member could see changed (a save without edits).
    Unchanged { version: String },
    /// The files do not load; the last good facts stay live. Errors and warnings, in file
    /// order.
    Failed { diagnostics: Vec<Diagnostic> },
}

/// One reload attempt.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub trigger: Trigger,
    pub at: SystemTime,
    pub took: Duration,
    pub result: ReloadResult,
    /// Warnings of the facts now live (load warnings and the matcher's lint); empty when the
    /// attempt failed.
    pub warnings: Vec<Diagnostic>,
}

impl Attempt {
    pub fn failed(&self) -> bool {
        matches!(self.result, ReloadResult::Failed { .. })
    }

    /// The errors of a failed attempt (its warnings left out).
    pub fn errors(&self) -> Vec<&Diagnostic> {
        match &self.result {
            ReloadResult::Failed { diagnostics } => {
                diagnostics.iter().filter(|d| d.is_error()).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// Where reloading stands, for the status command.
#[derive(Debug, Clone, Default)]
pub struct ReloadState {
    /// The latest attempt, whatever its result.
    pub last: Option<Arc<Attempt>>,
    /// When the live facts were last swapped in by a reload (not at start-up).
    pub last_success: Option<SystemTime>,
    /// The diagnostics of the latest attempt when it failed: open until a reload succeeds.
    pub problems: Vec<Diagnostic>,
    pub attempts: u64,
    pub failures: u64,
}

/// What the watcher is doing, for the status command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchStatus {
    /// The folders (or files' folders) watched, as shown to moderators.
    pub watching: Vec<String>,
    pub debounce: Duration,
}

/// Runs reloads one at a time and keeps their history.
pub struct Reloader {
    store: Arc<FactStore>,
    state: ArcSwap<ReloadState>,
    watch: ArcSwapOption<WatchStatus>,
    events: broadcast::Sender<Arc<Attempt>>,
}

/// Attempts kept for a slow subscriber before it starts missing some (it is told how many).
const EVENT_BACKLOG: usize = 32;

impl Reloader {
    pub fn new(store: Arc<FactStore>) -> Self {
        Self {
            store,
            state: ArcSwap::from_pointee(ReloadState::default()),
            watch: ArcSwapOption::empty(),
            events: broadcast::channel(EVENT_BACKLOG).0,
        }
    }

    pub fn store(&self) -> &Arc<FactStore> {
        &self.store
    }

    pub fn state(&self) -> Arc<ReloadState> {
        self.state.load_full()
    }

    pub fn watch_status(&self) -> Option<Arc<WatchStatus>> {
        self.watch.load_full()
    }

    pub(crate) fn set_watch_status(&self, status: Option<WatchStatus>) {
        self.watch.store(status.map(Arc::new));
    }

    /// What this process's heartbeat says about its facts: the live version, when it was
    /// loaded, and how the latest reload went (with its first error when it failed), so the
    /// fleet view can say which process is behind and why.
    pub fn facts_state(&self) -> FactsState {
        let snapshot = self.store.snapshot();
        let state = self.state();
        let last = state.last.as_deref();
        FactsState {
            version: snapshot.version.clone(),
            loaded_at: clock::unix_seconds(snapshot.loaded_at),
            last_reload: last.map(|attempt| {
                match attempt.result {
                    ReloadResult::Reloaded(_) => "reloaded",
                    ReloadResult::Unchanged { .. } => "unchanged",
                    ReloadResult::Failed { .. } => "failed",
                }
                .to_owned()
            }),
            reload_error: last.filter(|attempt| attempt.failed()).map(|attempt| {
                attempt.errors().first().map_or_else(
                    || "the facts did not load".to_owned(),
                    |diagnostic| diagnostic.to_string(),
                )
            }),
        }
    }

    /// Every attempt from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Attempt>> {
        self.events.subscribe()
    }

    /// Loads, validates and (when valid) swaps in the facts; blocking.
    ///
    /// The work runs on a thread of its own that ends with it: the diff, the lint and the
    /// report allocate and free a few MiB, and on a thread that lives on (tokio's blocking
    /// thread, the folder watcher) the allocator kept those pages after the first reload.
    pub fn reload_now(&self, trigger: Trigger) -> Arc<Attempt> {
        crate::threads::elsewhere(|| self.reload_here(trigger))
    }

    fn reload_here(&self, trigger: Trigger) -> Arc<Attempt> {
        let started = Instant::now();
        let at = SystemTime::now();
        let (result, warnings) = match self.store.reload() {
            Ok(report) if report.is_empty() => (
                ReloadResult::Unchanged {
                    version: report.version,
                },
                self.store.snapshot().lint(),
            ),
            Ok(report) => (ReloadResult::Reloaded(report), self.store.snapshot().lint()),
            Err(error) => (
                ReloadResult::Failed {
                    diagnostics: error.diagnostics().to_vec(),
                },
                Vec::new(),
            ),
        };
        let attempt = Arc::new(Attempt {
            trigger,
            at,
            took: started.elapsed(),
            result,
            warnings,
        });
        self.log(&attempt);
        self.state.rcu(|state| {
            let mut next = ReloadState::clone(state);
            next.attempts += 1;
            next.last = Some(Arc::clone(&attempt));
            match &attempt.result {
                ReloadResult::Failed { diagnostics } => {
                    next.failures += 1;
                    next.problems.clone_from(diagnostics);
                }
                _ => {
                    next.problems.clear();
                    next.last_success = Some(at);
                }
            }
            next
        });
        // No subscriber is fine: the bot may run without a log channel.
        let _ = self.events.send(Arc::clone(&attempt));
        attempt
    }

    /// [`Self::reload_now`] on a blocking thread, so loading a large folder never holds up
    /// the async workers answering members.
    pub async fn reload(self: &Arc<Self>, trigger: Trigger) -> Arc<Attempt> {
        let reloader = Arc::clone(self);
        match tokio::task::spawn_blocking(move || reloader.reload_now(trigger)).await {
            Ok(attempt) => attempt,
            // Loading panicked (a bug): report it as a failed attempt, keep the facts.
            Err(join) => {
                tracing::error!("reload failed unexpectedly: {join}");
                Arc::new(Attempt {
                    trigger,
                    at: SystemTime::now(),
                    took: Duration::ZERO,
                    result: ReloadResult::Failed {
                        diagnostics: Vec::new(),
                    },
                    warnings: Vec::new(),
                })
            }
        }
    }

    /// Starts watching the facts folder; reloads `debounce` after the last change of a burst.
    pub fn watch(self: &Arc<Self>, debounce: Duration) -> Result<Watcher, WatchError> {
        Watcher::start(Arc::clone(self), debounce)
    }

    fn log(&self, attempt: &Attempt) {
        let trigger = attempt.trigger.describe();
        let took_ms = attempt.took.as_millis();
        match &attempt.result {
            ReloadResult::Reloaded(report) => tracing::info!(
                trigger,
                took_ms,
                version = %report.version,
                added = ?report.added.iter().map(|id| id.as_str()).collect::<Vec<_>>(),
                changed = ?report.changed.iter().map(|id| id.as_str()).collect::<Vec<_>>(),
                removed = ?report.removed.iter().map(|id| id.as_str()).collect::<Vec<_>>(),
                "facts reloaded"
            ),
            ReloadResult::Unchanged { version } => {
                tracing::info!(trigger, took_ms, %version, "facts reloaded, nothing changed")
            }
            ReloadResult::Failed { diagnostics } => {
                tracing::warn!(
                    trigger,
                    errors = attempt.errors().len(),
                    "facts NOT reloaded: the last good facts stay live"
                );
                for diagnostic in diagnostics {
                    tracing::warn!("{diagnostic}");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::matcher::MatchSettings;

    fn fact(id: &str, answer: &str) -> String {
        format!("[[facts]]\nid = \"{id}\"\nquestions = [\"What about {id}?\"]\nanswer = \"{answer}\"\nsnippet = \"S\"\n")
    }

    fn write(dir: &Path, facts: &str) {
        let text = format!("[[sources]]\nid = \"s\"\npublisher = \"P\"\ntitle = \"T\"\npublished = 2024-07-04\n{facts}");
        std::fs::write(dir.join("f.toml"), text).unwrap();
    }

    fn reloader(dir: &Path) -> Arc<Reloader> {
        let store = FactStore::open(vec![dir.to_path_buf()], MatchSettings::default()).unwrap();
        Arc::new(Reloader::new(Arc::new(store)))
    }

    #[test]
    fn a_bad_edit_stays_open_until_fixed_and_the_good_facts_stay_live() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &(fact("a", "One.") + &fact("b", "Two.")));
        let reloader = reloader(dir.path());
        let mut events = reloader.subscribe();

        write(dir.path(), &(fact("a", "Uno.") + &fact("c", "Three.")));
        let attempt = reloader.reload_now(Trigger::Command);
        let ReloadResult::Reloaded(report) = &attempt.result else {
            panic!("{attempt:?}")
        };
        assert_eq!(
            (
                report.added[0].as_str(),
                report.changed[0].as_str(),
                report.removed[0].as_str()
            ),
            ("c", "a", "b")
        );
        assert!(events.try_recv().is_ok(), "published");

        write(dir.path(), "[[facts]]\nid = \"a\"\nanswr = \"x\"\n");
        let failed = reloader.reload_now(Trigger::FileChange);
        assert!(failed.failed());
        let state = reloader.state();
        assert!(!state.problems.is_empty());
        assert_eq!((state.attempts, state.failures), (2, 1));
        let live = reloader.store().snapshot();
        assert_eq!(
            live.base.get("a").unwrap().answer,
            "Uno.",
            "last good stays"
        );

        assert!(matches!(
            reloader.reload_now(Trigger::Signal).result,
            ReloadResult::Failed { .. }
        ));
        write(dir.path(), &(fact("a", "Uno.") + &fact("c", "Three.")));
        let fixed = reloader.reload_now(Trigger::Signal);
        assert!(
            matches!(fixed.result, ReloadResult::Unchanged { .. }),
            "{fixed:?}"
        );
        assert!(reloader.state().problems.is_empty(), "closed by the fix");
    }
}
