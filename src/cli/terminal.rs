//! Everything the commands print goes through here, so no text (a facts file, a member's
//! question from the history, a file name) can put a control code on a moderator's terminal.
//!
//! Escaping is done on the way out rather than at each print, because the sources are many
//! and a missed one is a hole; it applies whether or not the output is a terminal, since a
//! pipe often ends in one (`| less -R`, `| tee`).

use std::borrow::Cow;
use std::io::{self, Write};

use crate::chars::{control_name, escape_controls};

/// How an escaped character is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    /// `\u{1b}`, readable in text.
    Text,
    /// `\u001b`, a valid JSON escape: the JSON writer only leaves control characters raw
    /// inside strings (C1 and the bidirectional marks), where this keeps the same value.
    Json,
}

/// A writer that escapes control characters (see [`control_name`]) in what passes through.
/// Bytes of a character split across two writes are held until the character is whole;
/// bytes that are not UTF-8 at all are written as `\x..`.
pub(super) struct Escaping<W: Write> {
    inner: W,
    style: Style,
    pending: Vec<u8>,
}

impl<W: Write> Escaping<W> {
    pub(super) fn new(inner: W, style: Style) -> Self {
        Self {
            inner,
            style,
            pending: Vec::new(),
        }
    }

    fn write_text(&mut self, text: &str) -> io::Result<()> {
        match self.style {
            Style::Text => self.inner.write_all(escape_controls(text).as_bytes()),
            Style::Json => self.inner.write_all(json_escaped(text).as_bytes()),
        }
    }

    /// Writes the whole characters of `pending`; an incomplete last character stays unless
    /// `all` is set.
    fn drain(&mut self, all: bool) -> io::Result<()> {
        let pending = std::mem::take(&mut self.pending);
        let mut rest = pending.as_slice();
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => return self.write_text(text),
                Err(error) => {
                    let (valid, after) = rest.split_at(error.valid_up_to());
                    // `from_utf8` vouched for this prefix.
                    self.write_text(std::str::from_utf8(valid).unwrap_or_default())?;
                    let bad = match error.error_len() {
                        Some(len) => len,
                        None if !all => {
                            self.pending = after.to_vec();
                            return Ok(());
                        }
                        None => after.len(),
                    };
                    for byte in &after[..bad] {
                        write!(self.inner, "\\x{byte:02x}")?;
                    }
                    rest = &after[bad..];
                }
            }
        }
    }
}

impl<W: Write> Write for Escaping<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        self.drain(false)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.drain(true)?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for Escaping<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

fn json_escaped(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| control_name(c).is_some()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match control_name(c) {
                Some(_) => format!("\\u{:04x}", u32::from(c)),
                None => c.to_string(),
            })
            .collect(),
    )
}

/// Standard output, escaped in `style`.
pub(super) fn stdout(style: Style) -> Escaping<io::StdoutLock<'static>> {
    Escaping::new(io::stdout().lock(), style)
}

/// Standard output for text, or for JSON when `json` is set.
pub(super) fn stdout_for(json: bool) -> Escaping<io::StdoutLock<'static>> {
    stdout(if json { Style::Json } else { Style::Text })
}

/// `text` escaped for standard error (diagnostics, errors).
pub(crate) fn safe(text: &str) -> Cow<'_, str> {
    escape_controls(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(style: Style, pieces: &[&[u8]]) -> String {
        let mut out = Vec::new();
        {
            let mut escaping = Escaping::new(&mut out, style);
            for piece in pieces {
                escaping.write_all(piece).unwrap();
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn control_characters_never_pass() {
        assert_eq!(
            written(Style::Text, &[b"a\x1b[31mred\n"]),
            "a\\u{1b}[31mred\n"
        );
        assert_eq!(
            written(Style::Json, &["\"x\u{202e}y\u{9b}\"".as_bytes()]),
            "\"x\\u202ey\\u009b\""
        );
    }

    #[test]
    fn characters_split_across_writes_are_kept_whole() {
        let rlo = "\u{202e}".as_bytes();
        assert_eq!(
            written(Style::Text, &[b"a", &rlo[..1], &rlo[1..], "é".as_bytes()]),
            "a\\u{202e}é"
        );
        assert_eq!(
            written(Style::Text, &[b"bad \xff byte", b"\xe2"]),
            "bad \\xff byte\\xe2"
        );
    }

    #[test]
    fn json_stays_valid_and_keeps_its_value() {
        let value = serde_json::json!({ "q": "a\u{1b}b\u{202e}c\u{85}" });
        let mut out = Vec::new();
        {
            let mut escaping = Escaping::new(&mut out, Style::Json);
            serde_json::to_writer(&mut escaping, &value).unwrap();
        }
        let text = String::from_utf8(out).unwrap();
        assert!(text.chars().all(|c| control_name(c).is_none()), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
