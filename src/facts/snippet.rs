//! Checks that a snippet is quoted verbatim from its source text.
//!
//! Only whitespace and quote style may differ: editors retype curly quotes as straight ones and
//! rewrap lines, but a changed word would put words in a source's mouth.

/// Whether `snippet` occurs in `source_text` once whitespace runs and quote marks are folded.
pub fn is_verbatim(snippet: &str, source_text: &str) -> bool {
    let snippet = fold(snippet);
    !snippet.is_empty() && fold(source_text).contains(&snippet)
}

fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !folded.is_empty();
            continue;
        }
        if pending_space {
            folded.push(' ');
            pending_space = false;
        }
        folded.push(fold_quote(c));
    }
    folded
}

fn fold_quote(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{AB}' | '\u{BB}' => '"',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(snippet: &str, source: &str, expect: bool) {
        assert_eq!(
            is_verbatim(snippet, source),
            expect,
            "{snippet:?} in {source:?}"
        );
    }

    #[test]
    fn whitespace_and_quotes_may_differ_words_may_not() {
        let source = "Peru\u{2019}s President  Dina\nBoluarte said \u{201C}welcome\u{201D}.";
        check("Peru's President Dina Boluarte", source, true);
        check("said \"welcome\".", source, true);
        check("  Dina   Boluarte  ", source, true);
        check("Peru's president Dina", source, false);
        check("Boluarte said welcome", source, false);
        check("   ", source, false);
    }
}
