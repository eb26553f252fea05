//! `factbot check`: every problem at once, each at its file, line and column, with a hint.

use crate::support::{assert_no_control_characters, bundled_facts, facts_file, Test};

#[test]
fn the_bundled_facts_pass_without_warnings() {
    let out = Test::new()
        .args(["check", &bundled_facts().display().to_string()])
        .run();
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.starts_with("ok: "), "{}", out.stdout);
    assert!(out.stdout.contains(" 0 warning(s)"), "{}", out.stdout);
}

#[test]
fn problems_across_files_are_all_reported_with_positions() {
    let first = facts_file(
        "[[facts]]\nid = \"who-she-met\"\nquestions = [\"Who did she meet?\"]\nanswer = \"Xi.\"\nsnippet = \"met Xi\"\nfollow_ups = [\"trip-dates\", \"who-she-mt\", \"who-she-met\"]\nanwser = \"typo\"\n",
    );
    let second = facts_file(&format!(
        "[[facts]]\nid = \"who-she-met\"\nquestions = [\"{}\"]\nanswer = \"A.\"\nsnippet = \"S\"\n\n[[facts]]\nid = \"trip-dates\"\nquestions = [\"When?\"]\nanswer = \"June.\"\nsnippet = \"S\"\nsource = \"lar\"\n",
        "Q".repeat(81)
    ));
    let out = Test::new()
        .file("facts/a.toml", &first)
        .file("facts/b.toml", &second)
        .args(["check", "facts"])
        .run();
    assert_eq!(out.code, 1);
    let expected = [
        "facts/a.toml:13:29: error: unknown follow-up \"who-she-mt\" (did you mean \"who-she-met\"?)",
        "facts/a.toml:13:43: error: fact \"who-she-met\" follows up to itself (remove it from follow_ups)",
        "facts/a.toml:14:1: error: unknown key \"anwser\" in [[facts]] (did you mean \"answer\"?)",
        "facts/b.toml:2:6: error: source id \"src\" is already used (first defined at facts/a.toml:2:6; give this source another id)",
        "facts/b.toml:9:6: error: fact id \"who-she-met\" is already used (first defined at facts/a.toml:9:6; ids must be unique across all facts files)",
        "facts/b.toml:19:10: error: unknown source \"lar\" (add a [[sources]] table with this id)",
    ];
    for line in expected {
        assert!(
            out.stdout.contains(line),
            "missing {line:?} in:\n{}",
            out.stdout
        );
    }
    assert!(
        out.stdout
            .contains("failed: the facts files have 6 error(s)"),
        "{}",
        out.stdout
    );
}

#[test]
fn long_titles_and_quotes_not_in_the_source_are_errors() {
    let facts = "[[sources]]\nid = \"s\"\npublisher = \"P\"\ntitle = \"T\"\npublished = 2024-07-04\ntext = \"article.txt\"\n\n\
                 [[facts]]\nid = \"a\"\nquestions = [\"When did it happen, and why, and who was there, and what was said, and how much??\"]\nanswer = \"A.\"\nsnippet = \"It happened on Monday.\"\n";
    let out = Test::new()
        .file("facts/a.toml", facts)
        .file("facts/article.txt", "It happened on Tuesday.")
        .args(["check", "facts"])
        .run();
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("facts/a.toml:10:14: error: the first question is 81 characters; it is shown as a button label, which fits 80"), "{}", out.stdout);
    assert!(
        out.stdout.contains(
            "facts/a.toml:12:11: error: snippet is not a verbatim quote of its source text"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn quotes_that_differ_only_in_spacing_and_quote_marks_pass() {
    let facts = "[[sources]]\nid = \"s\"\npublisher = \"P\"\ntitle = \"T\"\npublished = 2024-07-04\ntext = \"article.txt\"\n\n\
                 [[facts]]\nid = \"a\"\nquestions = [\"What did she say?\"]\nanswer = \"A.\"\nsnippet = \"She said \\\"welcome\\\"  to Peru's\\nfriends.\"\n";
    let out = Test::new()
        .file("facts/a.toml", facts)
        .file(
            "facts/article.txt",
            "She said \u{201C}welcome\u{201D} to Peru\u{2019}s friends.",
        )
        .args(["check", "facts"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn syntax_errors_point_at_the_line() {
    let out = Test::new()
        .file("facts/a.toml", "[[facts]]\nid = \"a\nquestions = []\n")
        .args(["check", "facts"])
        .run();
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("facts/a.toml:2:"), "{}", out.stdout);
    assert!(out.stdout.contains("invalid TOML"), "{}", out.stdout);
}

#[test]
fn a_missing_or_empty_folder_is_an_error_not_an_empty_bot() {
    let out = Test::new().args(["check", "nowhere"]).run();
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains("nowhere: error: no such file or folder"),
        "{}",
        out.stdout
    );
    let out = Test::new()
        .file("facts/readme.txt", "not facts")
        .args(["check", "facts"])
        .run();
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains("facts: error: this folder has no facts files"),
        "{}",
        out.stdout
    );
}

#[test]
fn warnings_do_not_fail_the_check() {
    let facts = facts_file(
        "[[facts]]\nid = \"a\"\nquestions = [\"When did the port open?\"]\nanswer = \"In May.\"\nsnippet = \"S\"\nfollow_ups = [\"b\"]\n\n\
         [[facts]]\nid = \"b\"\nquestions = [\"Who runs the port?\"]\nanswer = \"Cosco.\"\nsnippet = \"S\"\n",
    );
    let out = Test::new()
        .file("facts/a.toml", &facts)
        .args(["check", "facts"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout.contains("warning: no fact follows up to \"a\""),
        "{}",
        out.stdout
    );
}

#[test]
fn files_over_the_size_limit_are_refused_with_the_setting_to_change() {
    let padding = format!("# {}\n", "x".repeat(3 * 1024 * 1024));
    let big = facts_file(&format!(
        "{padding}[[facts]]\nid = \"a\"\nquestions = [\"Q?\"]\nanswer = \"A.\"\nsnippet = \"S\"\n"
    ));
    let out = Test::new()
        .file("facts/big.toml", &big)
        .args(["check", "facts"])
        .run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    let expected = format!(
        "facts/big.toml: error: this file is {} bytes; a facts file may hold at most 2097152 bytes (split it into several files in the facts folder, or raise max_facts_file_bytes in the config)",
        big.len()
    );
    assert!(out.stdout.contains(&expected), "{}", out.stdout);

    let small = facts_file(
        "[[facts]]\nid = \"a\"\nquestions = [\"Q?\"]\nanswer = \"A.\"\nsnippet = \"S\"\n",
    );
    let limited = Test::new()
        .file("facts/a.toml", &small)
        .file("c.toml", "max_facts_file_bytes = 1024\n")
        .args(["--config", "c.toml", "check", "facts"]);
    let out = limited.run();
    assert_eq!(out.code, 0, "{}", out.stdout);
    let padded = facts_file(&format!(
        "# {}\n[[facts]]\nid = \"a\"\nquestions = [\"Q?\"]\nanswer = \"A.\"\nsnippet = \"S\"\n",
        "y".repeat(1100)
    ));
    let out = Test::new()
        .file("facts/a.toml", &padded)
        .file("c.toml", "max_facts_file_bytes = 1024\n")
        .args(["--config", "c.toml", "check", "facts"])
        .run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout
            .contains("a facts file may hold at most 1024 bytes"),
        "{}",
        out.stdout
    );
}

#[test]
fn hidden_characters_and_bad_bytes_are_refused_at_their_position() {
    let facts = facts_file(
        "[[facts]]\nid = \"a\"\nquestions = [\"When was the \u{202e}deal\u{202c} signed?\"]\nanswer = \"In June.\\u001b[8m\"\nsnippet = \"S\"\n",
    );
    let out = Test::new()
        .file("facts/a.toml", &facts)
        .args(["check", "facts"])
        .run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    for line in [
        "facts/a.toml:10:28: error: \"questions\" holds U+202E (a right-to-left override) at character 14",
        "facts/a.toml:11:10: error: \"answer\" holds U+001B (an escape character (ESC)) at character 9",
    ] {
        assert!(out.stdout.contains(line), "missing {line:?} in:\n{}", out.stdout);
    }
    assert_no_control_characters(&out.stdout);

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.toml"), b"[[facts]]\nid = \"a\xff\"\n").unwrap();
    let out = Test::new()
        .args(["check", &dir.path().join("bad.toml").display().to_string()])
        .run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("bad.toml:2:8: error: this file is not UTF-8 text (byte 0xff) (save it as UTF-8 in your editor)"),
        "{}",
        out.stdout
    );
}
