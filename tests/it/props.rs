//! Property tests of loading and matching: random and mutated facts files never panic the
//! loader, and every error it reports names a line and column inside the file; any question
//! gets the same valid outcome every time it is asked.
//!
//! CI runs a few dozen cases of each. For a long run (`benches/README.md` records them), set
//! `PROPTEST_CASES`, e.g. `PROPTEST_CASES=200000 nice -n 19 cargo test --test it props::`.

use std::path::PathBuf;

use std::sync::OnceLock;

use factbot::answer::Answer;
use factbot::facts::{load_sources, Diagnostic};
use factbot::matcher::MatchSettings;
use factbot::reply::Reply;
use factbot::store::Snapshot;
use proptest::prelude::*;

use crate::support::bundled_facts;

/// Cases per property: `PROPTEST_CASES`, or a few dozen for CI.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(48)
}

fn bundled_snapshot() -> &'static Snapshot {
    static SNAPSHOT: OnceLock<Snapshot> = OnceLock::new();
    SNAPSHOT.get_or_init(|| {
        Snapshot::load(&[bundled_facts()], &MatchSettings::default()).expect("bundled facts load")
    })
}

/// Asks `question` twice and checks what a member or `ask --json` would get from it.
fn ask_one(question: &str) {
    let snapshot = bundled_snapshot();
    let outcome = snapshot.matcher.ask(question);
    assert!(
        outcome
            .candidates
            .iter()
            .all(|c| (0.0..=1.0).contains(&c.score) && c.fact < snapshot.base.facts.len()),
        "{question:?}: {outcome:?}"
    );
    assert_eq!(outcome, snapshot.matcher.ask(question), "{question:?}");
    let reply = Reply::for_outcome(&snapshot.base, &outcome);
    assert!(!reply.to_text().trim().is_empty());
    serde_json::to_string(&Answer::new(&snapshot.base, question, &outcome)).expect("JSON");
    snapshot.matcher.normalized(question);
    snapshot.matcher.explain(question);
}

/// Questions made of the facts' own words, typos of them, and odd characters.
fn question() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        prop::sample::select(
            &[
                "when",
                "did",
                "boluarte",
                "china",
                "huawei",
                "port",
                "chancay",
                "xi",
                "how",
                "many",
                "what",
                "who",
                "¿cuándo",
                "viajó",
                "perú",
                "20,000",
                "2024",
                "june",
                "lol",
                "👋",
                "<@123>",
                "@everyone",
                "?",
                "!!",
                "it's",
                "didn't",
                "",
                " ",
                "\u{200b}",
                "\u{202e}",
            ][..]
        )
        .prop_map(str::to_owned),
        "\\PC{1,12}",
        "[a-z]{1,12}",
    ];
    prop::collection::vec(word, 0..24).prop_map(|words| words.join(" "))
}

fn bundled_text() -> String {
    let dir = bundled_facts();
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .find(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .expect("a bundled facts file");
    std::fs::read_to_string(file).unwrap()
}

/// Every error is positioned inside `text` (line 1.., column 1..); a warning may be anywhere.
#[track_caller]
fn check_positions(text: &str, diagnostics: &[Diagnostic]) {
    let lines = text.split('\n').count();
    for diagnostic in diagnostics.iter().filter(|d| d.is_error()) {
        assert!(
            diagnostic.line >= 1 && diagnostic.line <= lines && diagnostic.column >= 1,
            "{diagnostic} has no position inside the file ({lines} lines)"
        );
        let line = text.split('\n').nth(diagnostic.line - 1).unwrap_or("");
        assert!(
            diagnostic.column <= line.chars().count() + 1,
            "{diagnostic}: column past the end of {line:?}"
        );
    }
}

fn load_one(text: &str) {
    match load_sources(vec![(PathBuf::from("fuzz.toml"), text.to_owned())]) {
        Ok(loaded) => assert!(!loaded.base.facts.is_empty()),
        Err(error) => check_positions(text, error.diagnostics()),
    }
}

/// A mutation of a text: delete, duplicate or replace a range, or insert a snippet that TOML
/// and the loader find interesting.
#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize, usize),
    Duplicate(usize, usize),
    Insert(usize, &'static str),
}

const SNIPPETS: &[&str] = &[
    "\"",
    "'",
    "[",
    "]",
    "[[facts]]\n",
    "[[sources]]\n",
    "=",
    "\n",
    "\\",
    "\\u",
    "#",
    "{",
    "}",
    ",",
    "id = \"x\"\n",
    "follow_ups = [\"a\", 1]\n",
    "source = \"nope\"\n",
    "\u{202e}",
    "\u{1b}",
    "\\u001b",
    "\u{200b}",
    "é",
    "🇵🇪",
    "\r\n",
    "\t",
    "\"\"\"",
    "questions = []\n",
    "status = \"retracted\"\n",
    "as_of = 2024-02-30\n",
    "text = \"/dev/null\"\n",
    "[synonyms]\nx = [\"y\"]\n",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0usize..200).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (any::<usize>(), 0usize..400).prop_map(|(at, len)| Mutation::Duplicate(at, len)),
        (any::<usize>(), prop::sample::select(SNIPPETS))
            .prop_map(|(at, snippet)| Mutation::Insert(at, snippet)),
    ]
}

fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &mut String, mutation: &Mutation) {
    match *mutation {
        Mutation::Delete(at, len) => {
            let start = boundary(text, at);
            let end = boundary(text, (start + len).min(text.len()));
            text.replace_range(start..end.max(start), "");
        }
        Mutation::Duplicate(at, len) => {
            let start = boundary(text, at);
            let end = boundary(text, (start + len).min(text.len())).max(start);
            let copy = text[start..end].to_owned();
            text.insert_str(end, &copy);
        }
        Mutation::Insert(at, snippet) => {
            let at = boundary(text, at);
            text.insert_str(at, snippet);
        }
    }
}

/// What the long runs found, kept as cases of their own (benches/README.md lists the runs).
#[test]
fn findings_of_long_runs() {
    // A word ending in two equal bytes inside one character before an English suffix:
    // looking for its dictionary form cut the character in two and panicked.
    for question in ["ኊs", "ବs", "ꬬs", "𐭭s", "𥉉S𐶎", "when did ኊing happen"] {
        ask_one(question);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_question_gets_the_same_valid_outcome(question in question()) {
        ask_one(&question);
    }

    #[test]
    fn mutated_facts_files_never_panic_and_errors_have_positions(
        mutations in prop::collection::vec(mutation(), 1..8)
    ) {
        let mut text = bundled_text();
        for mutation in &mutations {
            apply(&mut text, mutation);
        }
        load_one(&text);
    }

    #[test]
    fn random_text_never_panics_and_errors_have_positions(text in "\\PC{0,400}") {
        load_one(&text);
    }

    #[test]
    fn random_toml_shaped_text_never_panics(
        lines in prop::collection::vec(
            prop_oneof![
                Just("[[facts]]".to_owned()),
                Just("[[sources]]".to_owned()),
                "(id|questions|answer|snippet|source|follow_ups|tags|publisher|title|published|url|text|as_of|status|note|attribution) = (\"[a-z \\-]{0,12}\"|\\[\"[a-z]{0,5}\"\\]|2024-07-0[1-9]|[0-9]{1,3}|true)",
            ],
            0..40,
        )
    ) {
        load_one(&lines.join("\n"));
    }
}
