//! The newsroom fields of the facts format: `as_of`, `attribution`, and `status = "retracted"`
//! with its `note`, as `check` validates them and as members see them.

use serde_json::Value;

use crate::support::{facts_file, Test};

const STORY: &str = r#"
[[facts]]
id = "port-cost"
questions = ["How much did the Chancay port cost?"]
answer = "It cost $3.5 billion."
snippet = "a $3.5 billion investment"
as_of = 2024-07-01
follow_ups = ["port-owner", "first-estimate"]

[[facts]]
id = "port-owner"
questions = ["Who owns the Chancay port?"]
answer = "Cosco Shipping owns 60% of the port."
snippet = "Cosco Shipping, which owns 60%"
attribution = "Martin Cassinelli, Atlantic Council"
follow_ups = ["port-cost"]

[[facts]]
id = "first-estimate"
questions = ["What was the first estimate for the Chancay port?"]
answer = "It was $1 billion."
snippet = "an estimated $1 billion"
status = "retracted"
note = "The $1 billion figure was a misreading of the report; the cost was $3.5 billion."
follow_ups = ["port-cost"]
"#;

fn story() -> Test {
    Test::new().file("facts/story.toml", &facts_file(STORY))
}

#[test]
fn check_accepts_the_fields_and_warns_about_offering_a_retracted_fact() {
    let out = story().args(["check", "facts"]).run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(
            "facts/story.toml:15:29: warning: follow-up \"first-estimate\" is retracted and is never offered"
        ),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout
            .contains("no fact follows up to \"first-estimate\""),
        "a retracted fact is not meant to be reached: {}",
        out.stdout
    );
}

#[test]
fn check_reports_every_newsroom_mistake_at_its_line_and_column() {
    let broken = facts_file(
        r#"
[[facts]]
id = "a"
questions = ["Question a?"]
answer = "A."
snippet = "A"
as_of = "last week"
attribution = 42
status = "withdrawn"

[[facts]]
id = "b"
questions = ["Question b?"]
answer = "B."
snippet = "B"
status = "retracted"
follow_ups = ["a"]
"#,
    )
    .replace(
        "published = 2024-07-04",
        "published = 2024-07-04\nas_of = 2024-13-01",
    );
    let out = Test::new()
        .file("facts/story.toml", &broken)
        .args(["check", "facts"])
        .run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    // A date that does not exist is a TOML syntax error, reported alone; fix it, look again.
    assert!(
        out.stdout
            .starts_with("facts/story.toml:6:14: error: invalid TOML: invalid date-time"),
        "{}",
        out.stdout
    );

    let fixed = broken.replace("as_of = 2024-13-01", "as_of = 2024-07-05");
    let out = Test::new()
        .file("facts/story.toml", &fixed)
        .args(["check", "facts"])
        .run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    for expected in [
        "facts/story.toml:15:9: error: \"as_of\" must be a date like 2024-07-04",
        "facts/story.toml:16:15: error: \"attribution\" must be a string, not integer",
        "facts/story.toml:17:10: error: unknown status \"withdrawn\" (status is \"retracted\" (with a note), or leave it out for a current fact)",
        "facts/story.toml:24:10: error: retracted fact \"b\" has no \"note\" saying why",
    ] {
        assert!(out.stdout.contains(expected), "missing {expected:?} in:\n{}", out.stdout);
    }
}

#[test]
fn answers_say_as_of_and_whose_claim_they_are() {
    let out = story()
        .args(["ask", "--facts", "facts", "who owns the chancay port?"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("According to Martin Cassinelli, Atlantic Council: Cosco Shipping owns 60% of the port."),
        "{}",
        out.stdout
    );
    let out = story()
        .args([
            "ask",
            "--facts",
            "facts",
            "how much did the chancay port cost?",
        ])
        .run();
    assert!(
        out.stdout
            .starts_with("As of 2024-07-01: It cost $3.5 billion."),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("first estimate"),
        "a retracted fact is not a follow-up: {}",
        out.stdout
    );

    let json = story()
        .args(["ask", "--json", "--facts", "facts"])
        .stdin("who owns the chancay port?\nhow much did the chancay port cost?\n")
        .run();
    let answers: Vec<Value> = json
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON line"))
        .collect();
    assert_eq!(
        answers[0]["attribution"],
        "Martin Cassinelli, Atlantic Council"
    );
    assert!(answers[0].get("as_of").is_none());
    assert_eq!(
        answers[0]["answer"], "Cosco Shipping owns 60% of the port.",
        "the field stays the fact's own"
    );
    assert_eq!(answers[1]["as_of"], "2024-07-01");
    assert_eq!(
        answers[1]["follow_ups"],
        serde_json::json!([{"id": "port-owner", "question": "Who owns the Chancay port?"}])
    );
}

#[test]
fn a_retracted_fact_asked_directly_says_so_and_why_and_is_never_suggested() {
    let out = story()
        .args([
            "ask",
            "--facts",
            "facts",
            "what was the first estimate for the chancay port?",
        ])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with(
            "The answer to \u{201C}What was the first estimate for the Chancay port?\u{201D} has been retracted. The $1 billion figure was a misreading of the report; the cost was $3.5 billion."
        ),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("It was $1 billion"), "{}", out.stdout);
    assert!(out
        .stdout
        .contains("1. How much did the Chancay port cost?"));

    let json = story()
        .args([
            "ask",
            "--json",
            "--facts",
            "facts",
            "what was the first estimate for the chancay port?",
        ])
        .run();
    let answer: Value = serde_json::from_str(json.stdout.trim()).expect("JSON");
    assert_eq!(answer["fact"], "first-estimate");
    assert_eq!(
        answer["retracted"],
        "The $1 billion figure was a misreading of the report; the cost was $3.5 billion."
    );

    // Nowhere else: not among suggestions for an unknown question, not in the chat's list.
    let unknown = story()
        .args([
            "ask",
            "--facts",
            "facts",
            "What about the estimate of the weather?",
        ])
        .run();
    assert!(
        !unknown.stdout.contains("first estimate"),
        "{}",
        unknown.stdout
    );
    let chat = story()
        .args(["chat", "--facts", "facts"])
        .stdin("quit\n")
        .run();
    assert!(!chat.stdout.contains("first estimate"), "{}", chat.stdout);
}

#[test]
fn facts_without_newsroom_fields_answer_exactly_as_before() {
    let plain = facts_file(
        r#"
[[facts]]
id = "a"
questions = ["Who owns the Chancay port?"]
answer = "Cosco."
snippet = "Cosco"
"#,
    );
    let out = Test::new()
        .file("facts/story.toml", &plain)
        .args([
            "ask",
            "--json",
            "--facts",
            "facts",
            "who owns the chancay port",
        ])
        .run();
    let answer: Value = serde_json::from_str(out.stdout.trim()).expect("JSON");
    let mut keys: Vec<&str> = answer
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "answer",
            "candidates",
            "fact",
            "follow_ups",
            "lang",
            "question",
            "score",
            "snippet",
            "source",
            "status"
        ]
    );
}
