//! `factbot eval`: accuracy per kind, misses listed, and `--min` for moderators' CI.

use crate::support::{facts_file, Test};

fn facts() -> String {
    facts_file(
        "[[facts]]\nid = \"port\"\nquestions = [\"Where is the new port?\"]\nanswer = \"North of Lima.\"\nsnippet = \"just north of Lima\"\nfollow_ups = [\"trade\"]\n\n\
         [[facts]]\nid = \"trade\"\nquestions = [\"How much trade is there?\"]\nanswer = \"About $37 billion in 2023.\"\nsnippet = \"reached about $37 billion in 2023\"\nfollow_ups = [\"port\"]\n",
    )
}

const CASES: &str = r#"{"q": "where is the port", "kind": "keyword", "expect_fact": "port"}
{"q": "how much trade", "kind": "keyword", "expect_any": ["37 billion"]}
{"q": "Did she visit Japan?", "kind": "out_of_scope", "expect_fact": null}
{"q": "where is the port", "kind": "wrong_on_purpose", "expect_fact": "trade"}
"#;

#[test]
fn reports_accuracy_per_kind_and_lists_misses() {
    let out = Test::new()
        .file("facts/a.toml", &facts())
        .file("cases.jsonl", CASES)
        .args(["eval", "cases.jsonl", "--facts", "facts"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("[wrong_on_purpose] \"where is the port\"\n      expected fact trade; got answered port"), "{}", out.stdout);
    assert!(
        out.stdout.contains("keyword           2/2"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("out_of_scope      1/1"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("combined accuracy: 3/4 = 75.0%"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("time per question: median"),
        "{}",
        out.stdout
    );
}

#[test]
fn min_fails_below_the_bar() {
    let run = |min: &str| {
        Test::new()
            .file("facts/a.toml", &facts())
            .file("cases.jsonl", CASES)
            .args(["eval", "cases.jsonl", "--facts", "facts", "--min", min])
            .run()
    };
    assert_eq!(run("0.75").code, 0);
    let out = run("0.9");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("accuracy 75.0% is below the minimum 90.0%"),
        "{}",
        out.stderr
    );
}

#[test]
fn json_report_parses() {
    let out = Test::new()
        .file("facts/a.toml", &facts())
        .file("cases.jsonl", CASES)
        .args(["eval", "cases.jsonl", "--facts", "facts", "--json"])
        .run();
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["total"], 4);
    assert_eq!(report["right"], 3);
    assert_eq!(report["wrongly_answered"], 0);
    assert_eq!(report["by_kind"]["keyword"]["right"], 2);
}

#[test]
fn a_bad_eval_file_names_the_line() {
    let out = Test::new()
        .file("facts/a.toml", &facts())
        .file(
            "cases.jsonl",
            "{\"q\": \"a\", \"expect_fact\": null}\n{\"q\": \"b\"}\n",
        )
        .args(["eval", "cases.jsonl", "--facts", "facts"])
        .run();
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("cases.jsonl is not a valid eval file: line 2:"),
        "{}",
        out.stderr
    );
}

/// A case expecting a fact the facts do not have could never be right: it would count as a
/// miss in every run and hide a typo in the eval file or a renamed fact.
#[test]
fn a_case_expecting_a_fact_that_does_not_exist_names_the_line_and_the_ids() {
    assert_refused(
        "{\"q\": \"where is the port\", \"expect_fact\": \"port\"}\n{\"q\": \"how much trade\", \"expect_fact\": \"trades\"}\n",
        "line 2: \"expect_fact\": \"trades\" is not the id of any fact loaded (did you mean \"trade\"?)",
    );
}

/// An empty id is how some write "no fact": it must be `null`, and the message says so.
#[test]
fn an_empty_expected_fact_asks_for_null() {
    assert_refused(
        "{\"q\": \"Did she visit Japan?\", \"expect_fact\": \"\"}\n",
        "line 1: \"expect_fact\" is empty: write null for a question that must not be answered",
    );
}

/// `factbot eval` refuses `cases` against the two-fact base, saying `message`.
#[track_caller]
fn assert_refused(cases: &str, message: &str) {
    let out = Test::new()
        .file("facts/a.toml", &facts())
        .file("cases.jsonl", cases)
        .args(["eval", "cases.jsonl", "--facts", "facts"])
        .run();
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stderr.contains(message), "{}", out.stderr);
}
