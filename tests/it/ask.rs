//! `factbot ask`: text and JSON answers, standard input, and bad input.

use crate::support::{assert_no_control_characters, bundled_facts, facts_file, sparse_facts, Test};

fn bundled() -> Vec<String> {
    vec!["--facts".to_owned(), bundled_facts().display().to_string()]
}

#[test]
fn answers_with_the_quote_its_source_and_follow_ups() {
    let out = Test::new()
        .args(["ask"])
        .args(bundled())
        .args(["When did Boluarte travel to China?"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("June 23"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("> \u{201C}Peru\u{2019}s President Dina Boluarte traveled to China")
            || out
                .stdout
                .contains("> \u{201C}Peru's President Dina Boluarte traveled to China"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("Latin America Reports"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("Ask next:\n  1. "), "{}", out.stdout);
}

#[test]
fn json_follows_the_fixed_contract() {
    let out = Test::new()
        .args(["ask", "--json"])
        .args(bundled())
        .args(["huawei training deal"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let answer: serde_json::Value =
        serde_json::from_str(out.stdout.trim()).expect("one JSON object");
    let mut keys: Vec<&str> = answer
        .as_object()
        .unwrap()
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
    assert!(out.stdout.starts_with("{\"question\":"), "{}", out.stdout);
    assert_eq!(answer["status"], "answered");
    assert_eq!(answer["fact"], "huawei-training");
    assert_eq!(answer["lang"], "en");
    assert!(answer["answer"].as_str().unwrap().contains("20,000"));
    let mut source: Vec<&str> = answer["source"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    source.sort_unstable();
    assert_eq!(source, ["id", "published", "publisher", "title", "url"]);
    assert_eq!(answer["source"]["published"], "2024-07-04");
    let score = answer["score"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&score));
    let follow_up = &answer["follow_ups"][0];
    assert!(follow_up["id"].is_string() && follow_up["question"].is_string());
    let candidate = &answer["candidates"][0];
    assert_eq!(candidate["id"], "huawei-training");
    assert!(candidate["score"].is_number());
}

#[test]
fn each_line_of_standard_input_gets_one_json_line_in_order() {
    let out = Test::new()
        .args(["ask", "--json"])
        .args(bundled())
        .stdin("when did boluarte go to china\n\nHow do I make a pisco sour?\nWhen did Boluarte return to Peru?\n")
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let answers = json_lines(&out.stdout);
    assert_eq!(answers.len(), 4);
    assert_eq!(answers[0]["question"], "when did boluarte go to china");
    assert_eq!(answers[1]["question"], "");
    for unknown in &answers[1..3] {
        assert_eq!(unknown["status"], "unknown");
        assert!(
            unknown["answer"].is_null()
                && unknown["snippet"].is_null()
                && unknown["source"].is_null()
        );
    }
    assert!(answers[3]["answer"].as_str().unwrap().contains("July 1"));
}

#[test]
fn blank_and_invalid_utf8_lines_keep_the_batch_in_step() {
    let mut input =
        b"when did boluarte go to china\n   \r\nwhen did \xff\xfeboluarte return to peru\r\n"
            .to_vec();
    input.extend_from_slice(b"\xc3\n\nhuawei training deal");
    let out = Test::new()
        .args(["ask", "--json"])
        .args(bundled())
        .stdin_bytes(&input)
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let answers = json_lines(&out.stdout);
    let questions: Vec<&str> = answers
        .iter()
        .map(|a| a["question"].as_str().unwrap())
        .collect();
    assert_eq!(
        questions,
        [
            "when did boluarte go to china",
            "   ",
            "when did \u{fffd}\u{fffd}boluarte return to peru",
            "\u{fffd}",
            "",
            "huawei training deal"
        ]
    );
    let statuses: Vec<&str> = answers
        .iter()
        .map(|a| a["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["answered", "unknown", "answered", "unknown", "unknown", "answered"]
    );
    assert!(answers[2]["answer"].as_str().unwrap().contains("July 1"));
    // Text output keeps one reply per line of input, too.
    let text = Test::new()
        .args(["ask"])
        .args(bundled())
        .stdin_bytes(b"\n\xff\n")
        .run();
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert_eq!(
        text.stdout
            .matches("I don't have that in my facts about")
            .count(),
        2,
        "{}",
        text.stdout
    );
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let facts = facts_file(
        "[[facts]]\nid = \"port\"\nquestions = [\"When does the port open?\"]\nanswer = \"Soon.\"\nsnippet = \"S1\"\n",
    );
    let question = "when does the port open \u{1b}]0;owned\u{7} \u{1b}[2J \u{202e} \u{9b}31m";
    for json in [false, true] {
        let out = Test::new()
            .file("facts/a.toml", &facts)
            .args(["ask", "--explain", "--facts", "facts"])
            .args(json.then_some("--json"))
            .stdin(question)
            .run();
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_no_control_characters(&out.stdout);
        if json {
            let line = out.stdout.lines().last().unwrap();
            let answer: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(answer["question"], question);
        }
    }
}

/// One JSON value per line of `stdout`.
fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// A question no fact scores for, on facts with one pattern each: `--explain` names the fact
/// it most likely means (the one to give another pattern) and `--json` lists it in `closest`.
#[test]
fn a_question_no_fact_scores_for_is_shown_the_facts_closest_in_meaning() {
    let sparse = sparse_facts(&bundled_facts(), 1);
    let facts = sparse.path().display().to_string();
    let out = Test::new()
        .args(["ask", "--explain", "--json", "--facts", &facts])
        .stdin("How long has the president gone without formally speaking to reporters?")
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("\ncandidates: \nclosest in meaning: press-silence"),
        "{}",
        out.stdout
    );
    let answer = &json_lines(out.stdout.lines().last().unwrap())[0];
    assert_eq!(answer["status"], "unknown");
    assert_eq!(answer["closest"][0]["id"], "press-silence", "{answer}");
    assert!(answer["candidates"].as_array().unwrap().is_empty());
}

#[test]
fn unknown_questions_say_so_and_offer_topics() {
    let out = Test::new()
        .args(["ask"])
        .args(bundled())
        .args(["Who won the football yesterday?"])
        .run();
    assert_eq!(out.code, 0);
    assert!(
        out.stdout
            .starts_with("I don't have that in my facts about"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("  1. "), "{}", out.stdout);
}

#[test]
fn close_facts_are_offered_as_a_choice() {
    let facts = facts_file(
        "[[facts]]\nid = \"port-opening\"\nquestions = [\"When does the port open?\"]\nanswer = \"Soon.\"\nsnippet = \"S1\"\n\n\
         [[facts]]\nid = \"port-closing\"\nquestions = [\"When does the port close?\"]\nanswer = \"Later.\"\nsnippet = \"S2\"\n",
    );
    let out = Test::new()
        .file("facts/a.toml", &facts)
        .args(["ask", "--json", "--facts", "facts", "port"])
        .run();
    let answer: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(answer["status"], "ambiguous", "{answer}");
    assert!(answer["fact"].is_null());
    assert_eq!(answer["candidates"].as_array().unwrap().len(), 2);
}

#[test]
fn hostile_input_never_crashes() {
    let long = "cosco port ".repeat(50_000);
    let weird = "\u{0}\u{7}<@<@!<#>>>\u{202E}🇵🇪🤔 ¿¡ %%% $$$ 1,2,3.4.5 \u{FEFF}";
    let out = Test::new()
        .args(["ask", "--json"])
        .args(bundled())
        .stdin(&format!("{long}\n{weird}\n👋\n"))
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 3);
}

#[test]
fn broken_facts_stop_with_every_problem_and_exit_2() {
    let out = Test::new()
        .file("facts/bad.toml", "[[facts]]\nid = \"Bad Id\"\n")
        .args(["ask", "--facts", "facts", "anything"])
        .run();
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("facts/bad.toml:2:6: error: fact id \"Bad Id\" is not valid"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("facts/bad.toml:1:1: error: missing \"questions\""),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("error: the facts files have"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_matching_setting_out_of_range_is_refused_at_its_line() {
    // answer_threshold = 0 with ambiguity_margin = 0 once answered a question that matched no
    // fact with an empty candidate list, and the reply panicked on it.
    let out = Test::new()
        .file(
            "c.toml",
            "[matching]\nanswer_threshold = 0.0\nambiguity_margin = 0.0\n",
        )
        .args(["ask", "--config", "c.toml"])
        .args(bundled())
        .args(["Do penguins live in Lima?"])
        .run();
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr.contains(
            "c.toml:3:20: [matching] ambiguity_margin cannot be 0 while answer_threshold is 0"
        ),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
}
