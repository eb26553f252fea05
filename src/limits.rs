//! Chat platforms' size limits, as named constants.
//!
//! The facts loader rejects text that could not fit, and the reply model truncates to these, so
//! no adapter ever sends something the platform refuses (serenity checks only a few of them, and
//! when one fails the member sees "the application did not respond"). The unprefixed values are
//! Discord's, the tightest platform served, and the reply model cuts to them; Slack's, prefixed
//! `SLACK_`, are checked again by the Slack adapter after escaping (which lengthens text).

/// Characters in a message's content.
pub const MESSAGE_CONTENT: usize = 2000;
/// Characters in an embed's description.
pub const EMBED_DESCRIPTION: usize = 4096;
/// Characters in an embed's title.
pub const EMBED_TITLE: usize = 256;
/// Characters in an embed field's value.
pub const EMBED_FIELD_VALUE: usize = 1024;
/// Characters in an embed's author name.
pub const EMBED_AUTHOR_NAME: usize = 256;
/// Characters in an embed's footer.
pub const EMBED_FOOTER: usize = 2048;
/// Characters in all of a message's embeds together.
pub const EMBED_TOTAL: usize = 6000;
/// Characters in a button's label.
pub const BUTTON_LABEL: usize = 80;
/// Characters in a component's custom id.
pub const CUSTOM_ID: usize = 100;
/// Buttons in one action row.
pub const BUTTONS_PER_ROW: usize = 5;
/// Action rows in one message.
pub const ROWS_PER_MESSAGE: usize = 5;
/// Choices in an autocomplete answer.
pub const AUTOCOMPLETE_CHOICES: usize = 25;
/// Characters in an autocomplete choice's name and value.
pub const AUTOCOMPLETE_CHOICE: usize = 100;

/// Slack: characters in a section block's text (Block Kit).
pub const SLACK_SECTION_TEXT: usize = 3000;
/// Slack: blocks in one message.
pub const SLACK_BLOCKS: usize = 50;
/// Slack: characters in a button's text.
pub const SLACK_BUTTON_TEXT: usize = 75;
/// Slack: characters in an `action_id`.
pub const SLACK_ACTION_ID: usize = 255;
/// Slack: characters in a button's `value`.
pub const SLACK_BUTTON_VALUE: usize = 2000;
/// Slack: elements in one actions block.
pub const SLACK_ACTIONS_ELEMENTS: usize = 25;
/// Slack: characters of a message's top-level `text` (the notification fallback) kept; Slack
/// itself cuts at 40,000.
pub const SLACK_FALLBACK_TEXT: usize = 3000;

/// Room kept in the embed description for the quote marks and line breaks around the snippet.
pub const SNIPPET_FRAME: usize = 16;
/// Room kept before an answer for each of "As of 2024-07-04, " and "according to …: ".
pub const LEAD_IN_FRAME: usize = 24;

/// Cuts `text` to at most `max` characters, at a word boundary when one is near, with an
/// ellipsis, so truncated text still reads as text.
pub fn truncate(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if text.chars().count() <= max {
        return text.into();
    }
    if max == 0 {
        return "".into();
    }
    let keep: String = text.chars().take(max - 1).collect();
    let cut = match keep.rfind(char::is_whitespace) {
        Some(space) if space * 5 >= keep.len() * 3 => keep[..space].trim_end(),
        _ => keep.trim_end(),
    };
    format!("{cut}…").into()
}

/// Cuts a multi-line report to at most `max` characters at a line boundary, saying how many
/// lines were left out, so a long list stays readable instead of ending mid-word.
pub fn truncate_lines(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if text.chars().count() <= max {
        return text.into();
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut kept = String::new();
    for (index, line) in lines.iter().enumerate() {
        let note = format!("\n\u{2026} {} more line(s)", lines.len() - index);
        if kept.chars().count() + line.chars().count() + 1 + note.chars().count() > max {
            if kept.is_empty() {
                return truncate(text, max);
            }
            kept.push_str(&note);
            return kept.into();
        }
        if index > 0 {
            kept.push('\n');
        }
        kept.push_str(line);
    }
    kept.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, max: usize, expect: &str) {
        let cut = truncate(text, max);
        assert_eq!(cut, expect);
        assert!(cut.chars().count() <= max);
    }

    #[test]
    fn truncation_prefers_word_boundaries_and_never_exceeds() {
        check("short", 10, "short");
        check("exactly10!", 10, "exactly10!");
        check("one two three four", 12, "one two…");
        check("abcdefghijklmnop", 5, "abcd…");
        check("ñandú ñandú ñandú", 7, "ñandú…");
        check("anything", 0, "");
        check("ab", 1, "…");
    }

    #[test]
    fn reports_are_cut_at_whole_lines() {
        let report = (1..=50)
            .map(|i| format!("line {i}"))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(truncate_lines(&report, 1000), report);
        let cut = truncate_lines(&report, 60);
        assert!(cut.chars().count() <= 60, "{cut}");
        assert!(cut.starts_with("line 1\nline 2\n"), "{cut}");
        assert!(cut.ends_with("more line(s)"), "{cut}");
        let one_long_line = "word ".repeat(100);
        assert!(truncate_lines(&one_long_line, 20).chars().count() <= 20);
    }
}
