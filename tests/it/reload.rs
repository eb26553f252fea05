//! Reloading the facts while answering: the folder watcher (valid, invalid, rename-saved and
//! deleted), bursts of edits, and replies that stay whole while the facts change under them.
//! Watcher tests use a short debounce; every wait is bounded.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use factbot::matcher::MatchSettings;
use factbot::reload::{Attempt, ReloadResult, Reloader, Trigger};
use factbot::reply::Reply;
use factbot::store::FactStore;
use tokio::sync::broadcast::Receiver;
use tokio::time::timeout;

use crate::support::facts_file;

/// Bound for every wait.
const T: Duration = Duration::from_secs(10);
const DEBOUNCE: Duration = Duration::from_millis(300);

fn fact(id: &str, question: &str, answer: &str, follow_ups: &[&str]) -> String {
    format!(
        "[[facts]]\nid = \"{id}\"\nquestions = [\"{question}\"]\nanswer = \"{answer}\"\nsnippet = \"{answer}\"\nfollow_ups = {follow_ups:?}\n\n"
    )
}

/// Version A of a small story; `answer` and `owner_follow_up` vary per version.
fn story(answer: &str, extra: &str) -> String {
    facts_file(&format!(
        "{}{}{extra}",
        fact(
            "port-cost",
            "How much did the Chancay port cost?",
            answer,
            &["port-owner"]
        ),
        fact(
            "port-owner",
            "Who owns the Chancay port?",
            "Cosco owns 60%.",
            &["port-cost"]
        ),
    ))
}

fn answer_to(reloader: &Reloader, question: &str) -> String {
    let snapshot = reloader.store().snapshot();
    Reply::for_outcome(&snapshot.base, &snapshot.matcher.ask(question)).text
}

struct Watched {
    dir: tempfile::TempDir,
    reloader: Arc<Reloader>,
    attempts: Receiver<Arc<Attempt>>,
    debounce: Duration,
    _watcher: factbot::reload::Watcher,
}

impl Watched {
    fn facts(&self) -> std::path::PathBuf {
        self.dir.path().join("facts")
    }

    fn story(&self) -> std::path::PathBuf {
        self.facts().join("story.toml")
    }

    async fn next_attempt(&mut self) -> Arc<Attempt> {
        timeout(T, self.attempts.recv())
            .await
            .expect("a reload within the bound")
            .expect("attempts channel open")
    }

    /// No attempt within a few debounce periods.
    async fn quiet(&mut self) {
        let extra = timeout(self.debounce * 4, self.attempts.recv()).await;
        assert!(extra.is_err(), "an unexpected reload: {extra:?}");
    }
}

fn watched() -> Watched {
    watched_with(DEBOUNCE)
}

fn watched_with(debounce: Duration) -> Watched {
    let dir = tempfile::tempdir().expect("tempdir");
    let facts = dir.path().join("facts");
    std::fs::create_dir(&facts).expect("mkdir");
    std::fs::write(facts.join("story.toml"), story("It cost $3.5 billion.", "")).expect("write");
    let store = FactStore::open(vec![facts], MatchSettings::default()).expect("facts load");
    let reloader = Arc::new(Reloader::new(Arc::new(store)));
    let attempts = reloader.subscribe();
    let watcher = reloader.watch(debounce).expect("watching");
    Watched {
        dir,
        reloader,
        attempts,
        debounce,
        _watcher: watcher,
    }
}

fn write_atomically(path: &Path, text: &str) {
    let tmp = path.with_extension("toml.tmp-save");
    std::fs::write(&tmp, text).expect("write temp");
    std::fs::rename(&tmp, path).expect("rename over");
}

const COST: &str = "How much did the Chancay port cost?";

#[tokio::test]
async fn a_valid_edit_is_picked_up_and_reported_by_id() {
    let mut w = watched();
    assert_eq!(answer_to(&w.reloader, COST), "It cost $3.5 billion.");
    std::fs::write(
        w.story(),
        story(
            "It cost $3.6 billion.",
            &fact(
                "port-jobs",
                "How many jobs?",
                "About 8,000.",
                &["port-cost"],
            ),
        ),
    )
    .expect("edit");
    let attempt = w.next_attempt().await;
    assert_eq!(attempt.trigger, Trigger::FileChange);
    let ReloadResult::Reloaded(report) = &attempt.result else {
        panic!("{attempt:?}")
    };
    let ids = |list: &[factbot::facts::FactId]| {
        list.iter()
            .map(|id| id.as_str().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&report.added), ["port-jobs"]);
    assert_eq!(ids(&report.changed), ["port-cost"]);
    assert!(report.removed.is_empty());
    assert_eq!(answer_to(&w.reloader, COST), "It cost $3.6 billion.");
    assert!(attempt.summary().contains("1 added: port-jobs"));
}

#[tokio::test]
async fn an_invalid_edit_is_kept_out_and_reported_until_fixed() {
    let mut w = watched();
    let broken = story("It cost $9 billion.", "").replace(
        "follow_ups = [\"port-cost\"]",
        "follow_ups = [\"port-cots\"]",
    );
    std::fs::write(w.story(), broken).expect("edit");
    let attempt = w.next_attempt().await;
    assert!(attempt.failed(), "{attempt:?}");
    let errors: Vec<String> = attempt.errors().iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("story.toml:20:15: error: unknown follow-up \"port-cots\" (did you mean \"port-cost\"?)"),
        "{errors:?}"
    );
    assert_eq!(
        answer_to(&w.reloader, COST),
        "It cost $3.5 billion.",
        "the last good facts stay live"
    );
    assert_eq!(w.reloader.state().problems.len(), 1, "open until fixed");

    std::fs::write(w.story(), story("It cost $9 billion.", "")).expect("fix");
    let fixed = w.next_attempt().await;
    assert!(
        matches!(fixed.result, ReloadResult::Reloaded(_)),
        "{fixed:?}"
    );
    assert!(w.reloader.state().problems.is_empty());
    assert_eq!(answer_to(&w.reloader, COST), "It cost $9 billion.");
}

#[tokio::test]
async fn an_editor_that_saves_by_renaming_is_followed() {
    let mut w = watched();
    for (round, cost) in ["$4 billion", "$5 billion", "$6 billion"]
        .iter()
        .enumerate()
    {
        write_atomically(&w.story(), &story(&format!("It cost {cost}."), ""));
        let attempt = w.next_attempt().await;
        assert!(
            matches!(attempt.result, ReloadResult::Reloaded(_)),
            "round {round}: {attempt:?}"
        );
        assert_eq!(answer_to(&w.reloader, COST), format!("It cost {cost}."));
    }
    // Editors' swap and backup files alone never trigger a reload.
    std::fs::write(w.facts().join(".story.toml.swp"), "x").expect("swap");
    std::fs::write(w.facts().join("story.toml~"), "x").expect("backup");
    w.quiet().await;
}

#[tokio::test]
async fn a_deleted_folder_is_invalid_not_empty_and_its_return_is_noticed() {
    let mut w = watched();
    std::fs::remove_dir_all(w.facts()).expect("delete the folder");
    let attempt = w.next_attempt().await;
    assert!(attempt.failed(), "{attempt:?}");
    assert!(
        attempt.summary().contains("no such file or folder"),
        "{}",
        attempt.summary()
    );
    assert_eq!(answer_to(&w.reloader, COST), "It cost $3.5 billion.");

    std::fs::create_dir(w.facts()).expect("recreate");
    // An empty folder is invalid too.
    let attempt = w.next_attempt().await;
    assert!(
        attempt.summary().contains("this folder has no facts files"),
        "{}",
        attempt.summary()
    );
    std::fs::write(w.story(), story("It cost $7 billion.", "")).expect("write");
    let mut last = w.next_attempt().await;
    // The folder's creation and the file's may come as one burst or two.
    if last.failed() {
        last = w.next_attempt().await;
    }
    assert!(matches!(last.result, ReloadResult::Reloaded(_)), "{last:?}");
    assert_eq!(answer_to(&w.reloader, COST), "It cost $7 billion.");
    // Watched again after coming back: a later edit is still seen.
    std::fs::write(w.story(), story("It cost $8 billion.", "")).expect("edit");
    w.next_attempt().await;
    assert_eq!(answer_to(&w.reloader, COST), "It cost $8 billion.");
}

#[tokio::test]
async fn a_burst_of_edits_makes_one_reload() {
    // Longer than usual, so a slow test machine cannot split the burst.
    let mut w = watched_with(Duration::from_millis(600));
    let texts: Vec<String> = (0..25)
        .map(|i| story(&format!("It cost ${i} billion."), ""))
        .collect();
    for text in &texts {
        std::fs::write(w.story(), text).expect("edit");
    }
    let attempt = w.next_attempt().await;
    assert!(matches!(attempt.result, ReloadResult::Reloaded(_)));
    assert_eq!(
        answer_to(&w.reloader, COST),
        "It cost $24 billion.",
        "the last edit"
    );
    w.quiet().await;
    assert_eq!(w.reloader.state().attempts, 1);
}

#[tokio::test]
async fn a_single_facts_file_is_followed_through_rename_saves() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("story.toml");
    std::fs::write(&file, story("It cost $3.5 billion.", "")).expect("write");
    let store = FactStore::open(vec![file.clone()], MatchSettings::default()).expect("load");
    let reloader = Arc::new(Reloader::new(Arc::new(store)));
    let mut attempts = reloader.subscribe();
    let _watcher = reloader.watch(DEBOUNCE).expect("watch");
    write_atomically(&file, &story("It cost $1 billion.", ""));
    timeout(T, attempts.recv())
        .await
        .expect("reloaded")
        .expect("open");
    assert_eq!(answer_to(&reloader, COST), "It cost $1 billion.");
    write_atomically(&file, &story("It cost $2 billion.", ""));
    timeout(T, attempts.recv())
        .await
        .expect("reloaded again")
        .expect("open");
    assert_eq!(answer_to(&reloader, COST), "It cost $2 billion.");
    // Other files beside it are not its business.
    std::fs::write(dir.path().join("notes.txt"), "x").expect("write");
    assert!(timeout(DEBOUNCE * 4, attempts.recv()).await.is_err());
}

/// Replies built while the facts are swapped many times over each come whole from one
/// version: the answer and its follow-up buttons never mix two versions.
#[test]
fn replies_in_flight_finish_on_the_snapshot_they_started_with() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("story.toml");
    let version = |n: u32| {
        let answer = format!("Version {n}.");
        let follow = if n.is_multiple_of(2) {
            "port-owner"
        } else {
            "port-jobs"
        };
        facts_file(&format!(
            "{}{}{}",
            fact("port-cost", COST, &answer, &[follow]),
            fact(
                "port-owner",
                "Who owns the Chancay port?",
                "Cosco.",
                &["port-cost"]
            ),
            fact(
                "port-jobs",
                "How many jobs will the port create?",
                "8,000.",
                &["port-cost"]
            ),
        ))
    };
    std::fs::write(&path, version(0)).expect("write");
    let store =
        Arc::new(FactStore::open(vec![path.clone()], MatchSettings::default()).expect("load"));

    // A reply that started before a reload finishes on its snapshot.
    let held = store.snapshot();
    std::fs::write(&path, version(1)).expect("write");
    store.reload().expect("reload");
    let old = Reply::for_outcome(&held.base, &held.matcher.ask(COST));
    assert_eq!(old.text, "Version 0.");
    assert_eq!(old.buttons[0].fact.as_str(), "port-owner");
    let fresh = store.snapshot();
    assert_eq!(
        Reply::for_outcome(&fresh.base, &fresh.matcher.ask(COST)).text,
        "Version 1."
    );

    let stop = Arc::new(AtomicBool::new(false));
    let askers: Vec<_> = (0..2)
        .map(|_| {
            let (store, stop) = (Arc::clone(&store), Arc::clone(&stop));
            std::thread::spawn(move || {
                let mut seen = 0;
                while !stop.load(Ordering::Relaxed) || seen == 0 {
                    let snapshot = store.snapshot();
                    let reply = Reply::for_outcome(&snapshot.base, &snapshot.matcher.ask(COST));
                    let n: u32 = reply
                        .text
                        .trim_start_matches("Version ")
                        .trim_end_matches('.')
                        .parse()
                        .expect("a version");
                    let expected = if n.is_multiple_of(2) {
                        "port-owner"
                    } else {
                        "port-jobs"
                    };
                    assert_eq!(reply.buttons[0].fact.as_str(), expected, "version {n}");
                    seen += 1;
                    // Leave the (2-core) machine to the reloads too.
                    std::thread::yield_now();
                }
                seen
            })
        })
        .collect();
    let started = std::time::Instant::now();
    for n in 2..12 {
        std::fs::write(&path, version(n)).expect("write");
        store.reload().expect("reload");
    }
    eprintln!("10 reloads under load took {:?}", started.elapsed());
    stop.store(true, Ordering::Relaxed);
    for asker in askers {
        assert!(asker.join().expect("no mixed reply") > 0);
    }
}
