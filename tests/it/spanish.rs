//! Spanish replies, seen from outside: `ask --json` says the reply's language, Spanish
//! questions get the bundled story's Spanish answers with the right figures, `chat` answers in
//! the language asked, and `check` holds translations to the same rules as the rest.

use std::path::Path;

use serde_json::Value;

use crate::support::{bundled_facts, facts_file, Test};

fn ask_json(questions: &[&str]) -> Vec<Value> {
    let out = Test::new()
        .args([
            "ask",
            "--json",
            "--facts",
            &bundled_facts().display().to_string(),
        ])
        .stdin(&questions.join("\n"))
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object a line"))
        .collect()
}

#[test]
fn the_dev_sets_spanish_questions_are_answered_in_spanish_with_the_right_figures() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/dev.jsonl");
    // The shared folder sits beside the repository here and in CI; the bundled facts' own
    // Spanish questions below cover a checkout without it.
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    let cases: Vec<Value> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).unwrap())
        .filter(|case: &Value| case["lang"] == "es")
        .collect();
    assert!(cases.len() >= 5, "the dev set has Spanish questions");
    let questions: Vec<&str> = cases.iter().map(|c| c["q"].as_str().unwrap()).collect();
    for (case, answer) in cases.iter().zip(ask_json(&questions)) {
        assert_eq!(answer["lang"], "es", "{answer}");
        if case.get("expect_fact").is_some_and(Value::is_null) {
            assert_ne!(answer["status"], "answered", "{answer}");
            continue;
        }
        let text = answer["answer"].as_str().unwrap_or_default().to_lowercase();
        let expected: Vec<String> = case["expect_any"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap().to_lowercase())
            .collect();
        assert!(
            expected.iter().any(|e| text.contains(e)),
            "{}: {text} has none of {expected:?}",
            case["q"]
        );
    }
}

#[test]
fn spanish_answers_carry_the_articles_figures_and_dates() {
    let cases = [
        (
            "¿Cuándo viajó Boluarte a China?",
            "del 23 al 28 de junio de 2024",
        ),
        (
            "cuantos profesionales va a capacitar huawei",
            "20 000 profesionales",
        ),
        (
            "¿Qué día volvió la presidenta a Lima?",
            "1 de julio de 2024",
        ),
        (
            "¿Cuánto comercio hay entre Perú y China?",
            "37 000 millones de dólares en 2023",
        ),
        ("¿cuánto creció la economía peruana?", "4 % en abril y mayo"),
        ("¿Cuántos minerales críticos tiene Perú?", "8 de los 17"),
        ("que porcentaje del territorio se ha explorado", "1,51 %"),
        (
            "¿Hace cuánto que Boluarte no habla con la prensa?",
            "más de 90 días",
        ),
    ];
    let questions: Vec<&str> = cases.iter().map(|(q, _)| *q).collect();
    for ((question, figure), answer) in cases.iter().zip(ask_json(&questions)) {
        assert_eq!(answer["lang"], "es", "{question}: {answer}");
        let text = answer["answer"].as_str().unwrap_or_default();
        assert!(text.contains(figure), "{question}: {text}");
    }
}

#[test]
fn english_questions_keep_the_english_contract() {
    let [answer] = &ask_json(&["When did Boluarte visit China?"])[..] else {
        panic!("one answer");
    };
    assert_eq!(answer["lang"], "en");
    assert_eq!(
        answer["answer"],
        "Peru's President Dina Boluarte was in China from June 23 to June 28, 2024, on a state visit."
    );
    assert_eq!(
        answer["follow_ups"][0]["question"],
        "Was the China visit Boluarte's first trip abroad in months?"
    );
}

#[test]
fn every_bundled_fact_has_a_spanish_title_and_answer() {
    let text = std::fs::read_to_string(bundled_facts().join("peru-china-visit-2024.toml")).unwrap();
    let facts = text.matches("\n[[facts]]\n").count();
    assert_eq!(text.matches("\n[facts.translations.es]\n").count(), facts);
}

#[test]
fn chat_answers_in_the_language_asked() {
    let out = Test::new()
        .args(["chat", "--facts", &bundled_facts().display().to_string()])
        .stdin("¿Qué hizo Boluarte en Shanghái?\n1\nWhat did Boluarte do in Shanghai?\nquit\n")
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let transcript = out.stdout;
    let spanish = transcript
        .find("En una conferencia en Shanghái")
        .expect(&transcript);
    let picked = transcript[spanish..]
        .find("Pregunta también:\n  1. ¿")
        .expect(&transcript);
    assert!(
        transcript[spanish..].contains("4 de julio de 2024"),
        "{transcript}"
    );
    let english = transcript
        .find("At a conference in Shanghai")
        .expect(&transcript);
    assert!(spanish + picked < english, "{transcript}");
    // The pick by number is answered in Spanish, like the reply it came from.
    let between = &transcript[spanish + picked..english];
    assert!(
        between.matches("Pregunta también:").count() >= 1,
        "{transcript}"
    );
    assert!(transcript[english..].contains("Ask next:"), "{transcript}");
}

#[test]
fn an_untranslated_fact_is_answered_in_english_with_a_spanish_note() {
    let facts = facts_file(
        "[[facts]]\nid = \"cost\"\nquestions = [\"How much did the port cost?\"]\nanswer = \"It cost $3.5 billion.\"\nsnippet = \"a $3.5 billion investment\"\n",
    );
    let out = Test::new()
        .file("facts/f.toml", &facts)
        .args([
            "ask",
            "--json",
            "--facts",
            "facts",
            "¿Cuánto costó el puerto?",
        ])
        .run();
    let answer: Value = serde_json::from_str(out.stdout.trim()).expect(&out.stderr);
    assert_eq!(answer["lang"], "en", "the answer is the English one");
    let out = Test::new()
        .file("facts/f.toml", &facts)
        .args(["ask", "--facts", "facts", "¿Cuánto costó el puerto?"])
        .run();
    assert!(
        out.stdout.starts_with(
            "It cost $3.5 billion.\n(Esta respuesta solo está disponible en inglés).\n"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn check_reports_translation_problems_with_line_and_column() {
    let facts = facts_file(
        "[[facts]]\nid = \"cost\"\nquestions = [\"How much did the port cost?\"]\nanswer = \"It cost $3.5 billion.\"\nsnippet = \"a $3.5 billion investment\"\n\n[facts.translations.es]\ntitle = \"¿Cuánto costó?\"\nanser = \"Costó 3500 millones.\"\n\n[facts.translations.pt]\ntitle = \"Quanto?\"\nanswer = \"Custou.\"\n",
    );
    let out = Test::new()
        .file("facts/f.toml", &facts)
        .args(["check", "facts"])
        .run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    let all = format!("{}{}", out.stdout, out.stderr);
    for expected in [
        "f.toml:16:1: error: unknown key \"anser\" in [facts.translations.es] (did you mean \"answer\"?)",
        "f.toml:14:1: error: missing \"answer\" (add answer = \"…\" to this table)",
        "f.toml:18:21: error: unknown language \"pt\" in translations",
    ] {
        assert!(all.contains(expected), "{expected}\n{all}");
    }
}
