//! Watching the facts folder, so a moderator's saved edit is live (or refused) in seconds.
//!
//! `notify` reports raw file-system events; editors produce many per save (write a temporary
//! file, rename it over the original, touch a backup), and `git pull` touches many files. Since
//! every reload reads the whole folder anyway, the debouncing is the simplest kind: any
//! relevant event starts (or restarts) a quiet period, and one reload follows when the folder
//! has been quiet for `debounce`. A steady stream of events still gets a reload every
//! [`MAX_DELAY_FACTOR`] debounce periods.
//!
//! Both a folder and its parent are watched: the folder for its files, the parent so a folder
//! that is deleted (which counts as invalid: the last good facts stay) and created again is
//! noticed and watched anew. A watched file is watched through its folder, because an editor
//! that saves by renaming replaces the file's inode and a watch on the file would go stale.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use super::{Reloader, Trigger, WatchStatus};

/// A stream of changes longer than this many debounce periods still gets a reload.
const MAX_DELAY_FACTOR: u32 = 10;

#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("cannot watch {}: {source}", path.display())]
    Watch {
        path: PathBuf,
        source: notify::Error,
    },
    #[error("cannot start the file watcher: {0}")]
    Start(String),
}

enum Signal {
    Changed,
    Stop,
}

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    stop: mpsc::Sender<Signal>,
    thread: Option<JoinHandle<()>>,
}

/// What is watched for one configured facts path.
#[derive(Debug, Clone)]
struct Target {
    /// The configured path (a folder or a file).
    path: PathBuf,
    /// The folder whose events matter: the path itself, or a file's folder.
    folder: PathBuf,
    is_dir: bool,
}

impl Target {
    fn of(path: &Path) -> Self {
        let absolute = absolute(path);
        let is_dir = !absolute.is_file();
        let folder = if is_dir {
            absolute.clone()
        } else {
            absolute
                .parent()
                .map_or_else(|| absolute.clone(), Path::to_path_buf)
        };
        Self {
            path: absolute,
            folder,
            is_dir,
        }
    }

    /// Whether a change at `changed` can change what this target loads.
    fn concerns(&self, changed: &Path) -> bool {
        if self.is_dir {
            changed == self.path || (changed.starts_with(&self.path) && !is_scratch(changed))
        } else {
            changed == self.path
        }
    }
}

/// Editors' swap, backup and lock files, and databases: never facts, and written often.
fn is_scratch(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
        return false;
    };
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with(".#")
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
        || [".db", "-wal", "-shm", "-journal"]
            .iter()
            .any(|end| name.ends_with(end))
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Events that say something changed, not that something was read (loading the facts opens
/// every file, and must not trigger another reload).
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

impl Watcher {
    pub(super) fn start(reloader: Arc<Reloader>, debounce: Duration) -> Result<Self, WatchError> {
        let targets: Vec<Target> = reloader
            .store()
            .paths()
            .iter()
            .map(|p| Target::of(p))
            .collect();
        let (tx, rx) = mpsc::channel();
        let events = tx.clone();
        let filter = targets.clone();
        let mut watcher = RecommendedWatcher::new(
            move |event: notify::Result<Event>| match event {
                Ok(event) if is_change(&event.kind) => {
                    if event
                        .paths
                        .iter()
                        .any(|p| filter.iter().any(|t| t.concerns(p)))
                    {
                        let _ = events.send(Signal::Changed);
                    }
                }
                Ok(_) => {}
                Err(error) => tracing::warn!("file watcher: {error}"),
            },
            notify::Config::default(),
        )
        .map_err(|error| WatchError::Start(error.to_string()))?;
        for target in &targets {
            arm(&mut watcher, target, true)?;
        }
        reloader.set_watch_status(Some(WatchStatus {
            watching: targets
                .iter()
                .map(|t| t.path.display().to_string())
                .collect(),
            debounce,
        }));
        let thread = std::thread::Builder::new()
            .name("facts-watcher".into())
            .spawn(move || run(watcher, &targets, &rx, &reloader, debounce))
            .map_err(|error| WatchError::Start(error.to_string()))?;
        Ok(Self {
            stop: tx,
            thread: Some(thread),
        })
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.stop.send(Signal::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Watches `target`'s folder and that folder's parent. At start-up a folder that cannot be
/// watched is an error; later (re-arming after the folder came back) it is only logged.
fn arm(watcher: &mut RecommendedWatcher, target: &Target, strict: bool) -> Result<(), WatchError> {
    let mut watches = vec![(target.folder.clone(), RecursiveMode::Recursive)];
    if let Some(parent) = target.folder.parent().filter(|p| p.is_dir()) {
        watches.push((parent.to_path_buf(), RecursiveMode::NonRecursive));
    }
    for (path, mode) in watches {
        if !path.is_dir() {
            continue;
        }
        if let Err(source) = watcher.watch(&path, mode) {
            if strict {
                return Err(WatchError::Watch { path, source });
            }
            tracing::warn!("cannot watch {}: {source}", path.display());
        }
    }
    Ok(())
}

fn run(
    mut watcher: RecommendedWatcher,
    targets: &[Target],
    rx: &mpsc::Receiver<Signal>,
    reloader: &Reloader,
    debounce: Duration,
) {
    let max_delay = debounce * MAX_DELAY_FACTOR;
    loop {
        match rx.recv() {
            Ok(Signal::Changed) => {}
            Ok(Signal::Stop) | Err(_) => return,
        }
        let burst = Instant::now();
        loop {
            match rx.recv_timeout(debounce) {
                Ok(Signal::Changed) if burst.elapsed() < max_delay => continue,
                Ok(Signal::Changed) | Err(RecvTimeoutError::Timeout) => break,
                Ok(Signal::Stop) | Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        // A folder deleted and created again lost its watch with its old inode.
        for target in targets {
            let _ = arm(&mut watcher, target, false);
        }
        reloader.reload_now(Trigger::FileChange);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_files_and_reads_do_not_count() {
        let folder = Target {
            path: PathBuf::from("/srv/facts"),
            folder: PathBuf::from("/srv/facts"),
            is_dir: true,
        };
        assert!(folder.concerns(Path::new("/srv/facts")));
        assert!(folder.concerns(Path::new("/srv/facts/story.toml")));
        assert!(folder.concerns(Path::new("/srv/facts/texts/article.txt")));
        for scratch in [
            "/srv/facts/.story.toml.swp",
            "/srv/facts/story.toml~",
            "/srv/facts/4913",
            "/srv/facts/.#story.toml",
            "/srv/facts/factbot.db-wal",
        ] {
            assert!(!folder.concerns(Path::new(scratch)), "{scratch}");
        }
        assert!(!folder.concerns(Path::new("/srv/other.toml")));
        assert!(!folder.concerns(Path::new("/srv/facts-old/story.toml")));

        let file = Target {
            path: PathBuf::from("/srv/story.toml"),
            folder: PathBuf::from("/srv"),
            is_dir: false,
        };
        assert!(file.concerns(Path::new("/srv/story.toml")));
        assert!(!file.concerns(Path::new("/srv/factbot.db")));
        assert!(!file.concerns(Path::new("/srv/sub/story.toml")));

        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Any));
    }
}
