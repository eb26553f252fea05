//! Characters that change how text is shown rather than what it says: control codes (which
//! drive terminals), bidirectional overrides and isolates (which reorder what a reader sees,
//! "Trojan Source"), and invisible joiners (which hide or split words from search and from
//! moderators' eyes).
//!
//! Facts files may not contain them (`facts::load` refuses them with their position), and the
//! terminal commands escape them in whatever they print, so neither an author's mistake nor a
//! member's question stored in the history can drive a moderator's terminal.

use std::borrow::Cow;

/// The name of `c` when it is a control character that reaches a terminal unescaped: C0 except
/// tab and newline, DEL, C1, and the bidirectional embeddings, overrides and isolates.
pub fn control_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\t' | '\n' => return None,
        '\u{1b}' => "an escape character (ESC)",
        '\r' => "a carriage return",
        '\u{0}'..='\u{1f}' | '\u{7f}' => "a control character",
        '\u{80}'..='\u{9f}' => "a C1 control character",
        '\u{202a}' => "a left-to-right embedding",
        '\u{202b}' => "a right-to-left embedding",
        '\u{202c}' => "a pop-directional-formatting mark",
        '\u{202d}' => "a left-to-right override",
        '\u{202e}' => "a right-to-left override",
        '\u{2066}'..='\u{2069}' => "a bidirectional isolate",
        _ => return None,
    })
}

/// The name of `c` when it is invisible and can hide text: zero-width spaces, word joiners, a
/// byte-order mark inside text, and the Mongolian vowel separator. The zero-width joiner and
/// non-joiner are judged by [`find_hidden`] with their neighbours.
fn invisible_name(c: char) -> Option<&'static str> {
    match c {
        '\u{200b}' => Some("a zero-width space"),
        '\u{2060}' => Some("a word joiner"),
        '\u{feff}' => Some("a zero-width no-break space (byte-order mark)"),
        '\u{180e}' => Some("a Mongolian vowel separator"),
        _ => None,
    }
}

/// A character that hides or rewrites text, and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hidden {
    /// Byte offset in the text.
    pub offset: usize,
    pub char: char,
    pub name: &'static str,
}

impl Hidden {
    /// How to write the character so a person can see it, like `U+202E`.
    pub fn code(&self) -> String {
        format!("U+{:04X}", u32::from(self.char))
    }
}

/// The first character of `text` that a facts file may not hold: a control character (see
/// [`control_name`]), an invisible one, or a zero-width joiner or non-joiner that is not
/// between two letters or symbols of a script that needs it. Joiners inside emoji sequences
/// (👩‍💻) and in scripts such as Persian or Devanagari stay allowed; next to ASCII, a space or
/// an edge they only hide a word from search.
pub fn find_hidden(text: &str) -> Option<Hidden> {
    let mut previous: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        let name = control_name(c).or_else(|| invisible_name(c)).or_else(|| {
            let joiner = match c {
                '\u{200c}' => "a zero-width non-joiner",
                '\u{200d}' => "a zero-width joiner",
                _ => return None,
            };
            let next = chars.peek().map(|&(_, next)| next);
            let joins =
                |side: Option<char>| side.is_some_and(|s| !s.is_ascii() && !s.is_whitespace());
            (!(joins(previous) && joins(next))).then_some(joiner)
        });
        if let Some(name) = name {
            return Some(Hidden {
                offset,
                char: c,
                name,
            });
        }
        previous = Some(c);
    }
    None
}

/// `text` with every control character escaped (`\u{1b}`), for a terminal: what it shows is
/// what the text holds, and nothing in it can move the cursor, recolour, retitle or reorder
/// the screen.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| control_name(c).is_some()) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if control_name(c).is_some() {
            escaped.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, expect: Option<(usize, &str)>) {
        let found = find_hidden(text).map(|hidden| (hidden.offset, hidden.code()));
        assert_eq!(
            found,
            expect.map(|(offset, code)| (offset, code.to_owned())),
            "{text:?}"
        );
    }

    #[test]
    fn control_and_bidi_characters_are_found_where_they_are() {
        check("plain text, with tab\tand\nnewline", None);
        check("red \u{1b}[31m", Some((4, "U+001B")));
        check("a\rb", Some((1, "U+000D")));
        check("é\u{9b}2J", Some((2, "U+009B")));
        check("user\u{202e}gnp.exe", Some((4, "U+202E")));
        check("x\u{2066}y", Some((1, "U+2066")));
        check("del\u{7f}", Some((3, "U+007F")));
    }

    #[test]
    fn invisible_characters_are_found_but_joiners_in_emoji_and_scripts_are_not() {
        check("Hua\u{200b}wei", Some((3, "U+200B")));
        check("\u{feff}text", Some((0, "U+FEFF")));
        check("Hua\u{200d}wei", Some((3, "U+200D")));
        check("end\u{200c}", Some((3, "U+200C")));
        check("\u{1f469}\u{200d}\u{1f4bb}", None);
        check(
            "\u{645}\u{6cc}\u{200c}\u{62e}\u{648}\u{627}\u{647}\u{645}",
            None,
        );
    }

    #[test]
    fn terminal_output_shows_control_characters_as_escapes() {
        assert_eq!(escape_controls("plain\tand\nfine"), "plain\tand\nfine");
        assert_eq!(escape_controls("\u{1b}[2Jgone"), "\\u{1b}[2Jgone");
        assert_eq!(escape_controls("a\u{202e}b\u{9b}"), "a\\u{202e}b\\u{9b}");
        assert!(matches!(escape_controls("ok"), Cow::Borrowed(_)));
    }
}
