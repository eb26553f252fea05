//! `factbot chat`: a conversation where numbers pick the suggested follow-ups.

use crate::support::{bundled_facts, Test};

#[test]
fn a_question_then_a_follow_up_by_number() {
    let out = Test::new()
        .args(["chat", "--facts", &bundled_facts().display().to_string()])
        .stdin("when did boluarte travel to china?\n1\nquit\n")
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let transcript = out.stdout;
    assert!(
        transcript.starts_with("factbot: ask me about "),
        "{transcript}"
    );
    let answer = transcript.find("June 23").expect("the trip answer");
    let ask_next = transcript[answer..]
        .find("Ask next:\n  1. ")
        .expect("numbered follow-ups")
        + answer;
    let first_follow_up = transcript[ask_next + "Ask next:\n  1. ".len()..]
        .lines()
        .next()
        .unwrap()
        .to_owned();
    // The follow-up picked by "1" is answered with its own quote and source.
    let after_pick = &transcript[ask_next..];
    assert!(
        after_pick.matches("Latin America Reports").count() >= 1,
        "{transcript}"
    );
    assert!(!first_follow_up.is_empty());
    assert_eq!(
        transcript.matches("\n> ").count(),
        3,
        "three prompts: question, pick, quit\n{transcript}"
    );
}

#[test]
fn end_of_input_ends_the_conversation() {
    let out = Test::new()
        .args(["chat", "--facts", &bundled_facts().display().to_string()])
        .stdin("")
        .run();
    assert_eq!(out.code, 0);
}
