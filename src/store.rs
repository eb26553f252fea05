//! The live fact base: loaded, indexed, and swapped whole on reload.
//!
//! Readers take one [`Snapshot`] per request and use it for everything in that request, so an
//! answer, its buttons and its follow-ups always come from the same facts, and a reload never
//! waits on readers nor they on it. A reload that fails leaves the last good snapshot live.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use arc_swap::ArcSwap;

use crate::facts::{
    self, changed_answers, AnswerChange, Diagnostic, FactBase, FactId, LoadError, LoadOptions,
};
use crate::matcher::{MatchSettings, Matcher};
use crate::threads;

/// One consistent version of the facts and their index.
pub struct Snapshot {
    pub base: FactBase,
    pub matcher: Matcher,
    /// A short fingerprint of the facts' content, shown by `/facts status` so moderators can
    /// tell which version is live.
    pub version: String,
    pub loaded_at: SystemTime,
    /// Warnings from loading (see [`Snapshot::lint`] for the slower pattern checks).
    pub warnings: Vec<Diagnostic>,
    /// The thread that built this snapshot, kept until it is dropped. Declared last, so it is
    /// dropped after everything else (see [`BuildThread`]).
    builder: Option<BuildThread>,
}

/// Keeps the thread that built a snapshot alive, parked, for as long as the snapshot lives;
/// dropping it lets the thread end.
///
/// The allocator keeps memory in pages of the thread that allocated it. When that thread
/// ends, its pages are left for others to take over, and the threads answering questions did:
/// they put blocks of their own into the live snapshot's pages, so when a reload replaced it
/// those pages stayed resident, free space that was never given back (the first reload's step
/// of about 2 MiB in `benches/README.md`). While the thread lives no other thread takes its
/// pages; when the snapshot is freed they empty, and the thread ending gives them back.
struct BuildThread {
    /// Dropping it wakes the thread, which then ends.
    _done: std::sync::mpsc::Sender<()>,
    _handle: std::thread::JoinHandle<()>,
}

impl Snapshot {
    /// Loads, validates and indexes `paths`.
    ///
    /// The fingerprint is computed on another thread while the index is built: indexing
    /// leaves the second core idle for part of its time, and the fingerprint needs only the
    /// facts.
    pub fn load(paths: &[PathBuf], settings: &MatchSettings) -> Result<Self, LoadError> {
        Self::load_with(paths, settings, LoadOptions::default())
    }

    /// [`Snapshot::load`] with the config's limits on the files.
    ///
    /// The snapshot is built on a thread of its own, parked until the snapshot is dropped
    /// (see [`BuildThread`]), and what outlives it (the process-wide tables, the shared
    /// analyzer) on others. The allocator keeps memory in pages of the thread that allocated
    /// it, and a page goes back to the system only when all its blocks are free: a first
    /// snapshot built on the bot's main thread, beside the tables, stayed resident after a
    /// reload replaced it (about 3 MiB).
    pub fn load_with(
        paths: &[PathBuf],
        settings: &MatchSettings,
        options: LoadOptions,
    ) -> Result<Self, LoadError> {
        threads::elsewhere(crate::matcher::build_shared_tables);
        let (owned_paths, owned_settings) = (paths.to_vec(), settings.clone());
        let (done, parked) = std::sync::mpsc::channel::<()>();
        let (result, built) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("snapshot".into())
            .spawn(move || {
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    Self::build(&owned_paths, &owned_settings, options)
                }));
                let keep = matches!(outcome, Ok(Ok(_)));
                if result.send(outcome).is_ok() && keep {
                    // The pages that only held what building freed go back first: a parked
                    // thread's allocator would keep them for reuse. (A no-op where the
                    // process runs on another allocator, as the tests do.)
                    // SAFETY: mi_collect only frees this thread's unused pages.
                    unsafe { libmimalloc_sys::mi_collect(true) };
                    // Parked until the snapshot, and with it `done`, is dropped.
                    let _ = parked.recv();
                }
            });
        let Ok(handle) = spawned else {
            // No thread to be had (a process limit): build here, without the parked thread.
            return threads::elsewhere(|| Self::build(paths, settings, options));
        };
        match built.recv() {
            Ok(Ok(Ok(mut snapshot))) => {
                snapshot.builder = Some(BuildThread {
                    _done: done,
                    _handle: handle,
                });
                Ok(snapshot)
            }
            Ok(Ok(Err(error))) => Err(error),
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(_) => unreachable!("the build thread always sends its outcome"),
        }
    }

    fn build(
        paths: &[PathBuf],
        settings: &MatchSettings,
        options: LoadOptions,
    ) -> Result<Self, LoadError> {
        let loaded = facts::load_with(paths, options)?;
        let (matcher, version) = threads::both(
            || Matcher::new(&loaded.base, settings),
            || fingerprint(&loaded.base),
        );
        Ok(Self {
            version,
            base: loaded.base,
            matcher,
            loaded_at: SystemTime::now(),
            warnings: loaded.warnings,
            builder: None,
        })
    }

    /// The load warnings plus the matcher's lint of every pattern (a pattern that leads to
    /// another fact). The lint asks every pattern, so it runs for `check` and on reload
    /// reports, not on every load.
    pub fn lint(&self) -> Vec<Diagnostic> {
        let mut warnings = self.warnings.clone();
        warnings.extend(self.matcher.lint(&self.base));
        warnings.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
        warnings
    }
}

/// What a successful reload changed, by fact id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReloadReport {
    pub added: Vec<FactId>,
    pub changed: Vec<FactId>,
    pub removed: Vec<FactId>,
    pub version: String,
    /// The facts whose answer changed (beyond spacing) or which were retracted: the earlier
    /// replies about them are corrected.
    pub corrections: Vec<AnswerChange>,
}

impl ReloadReport {
    /// Whether the reload changed nothing a member could see.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

pub struct FactStore {
    /// The files and folders every reload reads again.
    paths: Vec<PathBuf>,
    settings: MatchSettings,
    options: LoadOptions,
    /// Swapped whole, never locked: readers on the hot path only bump a reference count.
    current: ArcSwap<Snapshot>,
    /// Held by a reload from load to swap, so two reloads (a file change and a moderator's
    /// command at once) cannot report their changes against the same old snapshot. Readers
    /// never take it.
    reloading: Mutex<()>,
}

impl FactStore {
    pub fn open(paths: Vec<PathBuf>, settings: MatchSettings) -> Result<Self, LoadError> {
        Self::open_with(paths, settings, LoadOptions::default())
    }

    /// [`FactStore::open`] with the config's limits on the files, kept for every reload.
    pub fn open_with(
        paths: Vec<PathBuf>,
        settings: MatchSettings,
        options: LoadOptions,
    ) -> Result<Self, LoadError> {
        let snapshot = Snapshot::load_with(&paths, &settings, options)?;
        Ok(Self {
            paths,
            settings,
            options,
            current: ArcSwap::from_pointee(snapshot),
            reloading: Mutex::new(()),
        })
    }

    /// The files and folders the facts are read from.
    pub fn paths(&self) -> &[PathBuf] {
        &self.paths
    }

    /// How the facts are indexed (for checking a pattern before it is added).
    pub fn settings(&self) -> &MatchSettings {
        &self.settings
    }

    /// The limits every load applies (for validating an edit before it is written).
    pub fn options(&self) -> LoadOptions {
        self.options
    }

    /// The live snapshot, owned so it may be held across `.await`.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current.load_full()
    }

    /// Loads everything again and swaps it in; on error the live snapshot stays. Blocking
    /// (it reads and indexes every file): async callers run it on a blocking thread.
    pub fn reload(&self) -> Result<ReloadReport, LoadError> {
        // A poisoned lock only means another reload panicked; the snapshot is still whole.
        let _one_at_a_time = self
            .reloading
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let next = Snapshot::load_with(&self.paths, &self.settings, self.options)?;
        let mut report = diff(&self.snapshot().base, &next.base, &next.version);
        report.corrections = changed_answers(&self.snapshot().base, &next.base);
        self.current.store(Arc::new(next));
        Ok(report)
    }
}

fn diff(old: &FactBase, new: &FactBase, version: &str) -> ReloadReport {
    let by_id = |base: &FactBase| -> BTreeMap<FactId, String> {
        base.facts
            .iter()
            .map(|fact| (fact.id.clone(), fact_content(base, fact)))
            .collect()
    };
    let (old, new) = (by_id(old), by_id(new));
    let mut report = ReloadReport {
        version: version.to_owned(),
        ..ReloadReport::default()
    };
    for (id, content) in &new {
        match old.get(id) {
            None => report.added.push(id.clone()),
            Some(previous) if previous != content => report.changed.push(id.clone()),
            Some(_) => {}
        }
    }
    report.removed = old
        .keys()
        .filter(|id| !new.contains_key(*id))
        .cloned()
        .collect();
    report
}

/// Everything a member can see of a fact, as one string to compare or hash.
fn fact_content(base: &FactBase, fact: &facts::Fact) -> String {
    let source = base.source_of(fact);
    let follow_ups: Vec<&str> = fact
        .follow_ups
        .iter()
        .map(|&i| base.facts[i].id.as_str())
        .collect();
    format!(
        "{}\u{1}{}\u{1}{}\u{1}{}\u{1}{:?}\u{1}{:?}\u{1}{:?}\u{1}{:?}\u{1}{:?}\u{1}{:?}\u{1}{:?}\u{1}{:?}",
        fact.id,
        fact.questions.join("\u{2}"),
        fact.answer,
        fact.snippet,
        source,
        follow_ups,
        fact.tags,
        fact.as_of,
        fact.attribution,
        fact.status,
        fact.correction,
        fact.translations
    )
}

fn fingerprint(base: &FactBase) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let synonyms = format!("{:?}", base.synonyms);
    let contents = base.facts.iter().map(|fact| fact_content(base, fact));
    for text in contents.chain(std::iter::once(synonyms)) {
        for byte in text.bytes().chain([0]) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{:012x}", hash & 0xffff_ffff_ffff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_thread_lives_as_long_as_its_snapshot() {
        let facts = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/facts"));
        let mut snapshot = Snapshot::load(&[facts], &MatchSettings::default()).unwrap();
        let BuildThread {
            _done: done,
            _handle: handle,
        } = snapshot.builder.take().expect("a build thread");
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(!handle.is_finished(), "parked while the snapshot lives");
        drop(done);
        handle
            .join()
            .expect("the thread ends once its snapshot is dropped");
    }
}
