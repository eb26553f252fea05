//! Fuzzes asking the bundled facts a question: matching, the reply and the JSON answer built
//! from it, and the normalised form the history groups by, must hold for any input.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use factbot::answer::Answer;
use factbot::matcher::MatchSettings;
use factbot::reply::Reply;
use factbot::store::Snapshot;
use libfuzzer_sys::fuzz_target;

fn snapshot() -> &'static Snapshot {
    static SNAPSHOT: OnceLock<Snapshot> = OnceLock::new();
    SNAPSHOT.get_or_init(|| {
        let facts = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../facts");
        Snapshot::load(&[facts], &MatchSettings::default()).expect("the bundled facts load")
    })
}

fuzz_target!(|data: &[u8]| {
    let question = String::from_utf8_lossy(data);
    let snapshot = snapshot();
    let outcome = snapshot.matcher.ask(&question);
    assert!(outcome.candidates.iter().all(|c| (0.0..=1.0).contains(&c.score)));
    let again = snapshot.matcher.ask(&question);
    assert_eq!(outcome, again, "the same input must give the same outcome");
    let _ = Reply::for_outcome(&snapshot.base, &outcome).to_text();
    let _ = serde_json::to_string(&Answer::new(&snapshot.base, &question, &outcome));
    let _ = snapshot.matcher.normalized(&question);
    let _ = snapshot.matcher.explain(&question);
});
