//! How the matcher weighs a question's words, on small fact bases made for each case.

use factbot::matcher::{MatchSettings, Status};
use factbot::store::Snapshot;

use crate::support::facts_file;

/// A base of two facts about a government's economic plans.
const ECONOMY: &str = r#"
[[facts]]
id = "economic-focus"
questions = ["What is the government focused on?", "What are the economic priorities?"]
answer = "The government is focused on attracting investment."
snippet = "The government is focused on attracting investment."

[[facts]]
id = "port-opening"
questions = ["When does the port open?", "Where is the new port?"]
answer = "The port opens in November, north of the capital."
snippet = "The port opens in November, north of the capital."
follow_ups = ["economic-focus"]
"#;

fn snapshot(facts: &str, settings: &MatchSettings) -> Snapshot {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("story.toml");
    std::fs::write(&path, facts_file(facts)).expect("write facts");
    Snapshot::load(&[path], settings).expect("facts load")
}

fn ask(snapshot: &Snapshot, question: &str) -> (Status, Option<String>) {
    let outcome = snapshot.matcher.ask(question);
    let fact = outcome
        .answer()
        .map(|index| snapshot.base.facts[index].id.to_string());
    (outcome.status, fact)
}

#[test]
fn a_word_related_to_the_facts_wording_is_a_paraphrase_not_a_different_topic() {
    let question = "What is the government concentrating on?";
    let on = snapshot(ECONOMY, &MatchSettings::default());
    assert_eq!(
        ask(&on, question),
        (Status::Answered, Some("economic-focus".into()))
    );
    let off = snapshot(
        ECONOMY,
        &MatchSettings {
            related_word_credit: 0.0,
            ..MatchSettings::default()
        },
    );
    assert_ne!(ask(&off, question).0, Status::Answered);
}

#[test]
fn related_words_alone_never_find_a_fact() {
    // "concentrate" relates to "focus", but nothing else of the question points anywhere.
    let snapshot = snapshot(ECONOMY, &MatchSettings::default());
    assert_eq!(
        ask(&snapshot, "Should chemists concentrate acids?"),
        (Status::Unknown, None)
    );
}
