//! Diagnostics about facts files: one problem, where it is, and how to fix it.
//!
//! Moderators are journalists, not programmers, so every diagnostic names the file, the
//! 1-based line and column, and carries a hint when one can be given. Nothing here reads files.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Errors stop a facts base from loading; warnings are shown but never block a load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a facts file, already resolved to a line and column. Line 0 means
/// the problem is with the file as a whole (it cannot be read, a folder has no files).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub(crate) fn whole_file(
        path: &Path,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            path: path.to_path_buf(),
            line: 0,
            column: 0,
            message: message.into(),
            hint,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.line == 0 {
            write!(f, "{}: {severity}: {}", self.path.display(), self.message)?;
        } else {
            write!(
                f,
                "{}:{}:{}: {severity}: {}",
                self.path.display(),
                self.line,
                self.column,
                self.message
            )?;
        }
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

/// Where each line of a file starts, so that turning an offset into a line and column costs
/// a binary search, not a scan of the file (a large facts file has thousands of positions).
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { starts }
    }

    /// 1-based line and column (in characters) of a byte offset; offsets past the end or inside
    /// a character are clamped, because a bad span must never turn a diagnostic into a panic.
    pub(crate) fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= offset);
        let line_start = self.starts[line - 1];
        (line, text[line_start..offset].chars().count() + 1)
    }
}

/// Turns byte offsets of one file into diagnostics, so callers only deal in spans.
pub(crate) struct SourceMap<'a> {
    path: &'a Path,
    text: &'a str,
    lines: &'a LineIndex,
}

impl<'a> SourceMap<'a> {
    pub(crate) fn new(path: &'a Path, text: &'a str, lines: &'a LineIndex) -> Self {
        Self { path, text, lines }
    }

    pub(crate) fn text(&self) -> &str {
        self.text
    }

    pub(crate) fn diagnostic(
        &self,
        severity: Severity,
        span: Option<Range<usize>>,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Diagnostic {
        let (line, column) = span.map_or((1, 1), |span| self.lines.position(self.text, span.start));
        Diagnostic {
            severity,
            path: self.path.to_path_buf(),
            line,
            column,
            message: message.into(),
            hint,
        }
    }
}

/// 1-based line and column (in characters) of a byte offset, as [`LineIndex::position`] gives
/// it, for one position; [`LineIndex`] is for many positions in the same text.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).position(text, offset)
}

/// "did you mean" for a misspelt id or key, capped so that wild guesses are not offered.
pub(crate) fn did_you_mean<'c>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<String> {
    let cap = (wrong.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|candidate| (strsim::levenshtein(wrong, candidate), candidate))
        .filter(|(distance, _)| *distance <= cap)
        .min()
        .map(|(_, candidate)| format!("did you mean \"{candidate}\"?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_position(text: &str, offset: usize, expect: (usize, usize)) {
        assert_eq!(line_column(text, offset), expect);
    }

    #[test]
    fn positions_are_one_based_and_count_characters() {
        check_position("abc", 0, (1, 1));
        check_position("abc\ndef", 5, (2, 2));
        check_position("é = 1", 3, (1, 3));
        check_position("abc", 99, (1, 4));
        check_position("éa", 1, (1, 1));
        check_position("ab\néa\n\nlast", 7, (3, 1));
        check_position("ab\néa\n\nlast", 9, (4, 2));
    }

    #[test]
    fn suggestions_only_for_close_words() {
        let ids = ["who-she-met", "trip-dates"];
        assert_eq!(
            did_you_mean("who-she-mt", ids).as_deref(),
            Some("did you mean \"who-she-met\"?")
        );
        assert_eq!(did_you_mean("cosco-port", ids), None);
    }

    #[test]
    fn display_names_file_line_column_and_hint() {
        let diagnostic = Diagnostic {
            severity: Severity::Error,
            path: PathBuf::from("facts/a.toml"),
            line: 3,
            column: 7,
            message: "unknown key \"anwser\"".into(),
            hint: Some("did you mean \"answer\"?".into()),
        };
        assert_eq!(
            diagnostic.to_string(),
            "facts/a.toml:3:7: error: unknown key \"anwser\" (did you mean \"answer\"?)"
        );
    }
}
