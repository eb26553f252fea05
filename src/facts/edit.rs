//! Adding question patterns to facts files: the one place factbot writes a facts file.
//!
//! A moderator accepts a suggested pattern (`factbot suggest --accept`, or a button) and it
//! goes into its fact's `questions` array with `toml_edit`, so every other byte of the file
//! stays as written: comments, spacing, key order, quotes. The new line copies the indentation
//! of the line before it. The edited files are validated the way `check` loads them, and only
//! a valid result is written, atomically: a hidden temporary file in the same folder (which
//! the watcher ignores) renamed over the original, so a running bot sees one change and
//! reloads once, never a half-written file. A file changed by someone else since it was read
//! is left alone.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item, Value};

use super::load::load_edited;
use super::{Diagnostic, FactBase, FactId, LoadOptions};

/// One pattern to add to one fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addition {
    pub fact: FactId,
    pub question: String,
}

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("there is no fact \"{0}\" in the live facts")]
    UnknownFact(String),
    #[error("the question to add is empty")]
    Empty,
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot edit {}: {message}", path.display())]
    Shape { path: PathBuf, message: String },
    #[error("the facts would not load with this change, nothing was written: {}", first_error(.diagnostics))]
    Invalid { diagnostics: Vec<Diagnostic> },
    #[error("{} changed while it was being edited; nothing was written, try again", path.display())]
    Changed { path: PathBuf },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn first_error(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .find(|d| d.is_error())
        .map_or_else(|| "unknown problem".to_owned(), ToString::to_string)
}

/// Validated new texts for the files an edit touches, ready to [`Edit::write`].
#[derive(Debug)]
pub struct Edit {
    files: Vec<EditedFile>,
    /// The additions made (a question the fact already has is not added twice).
    pub added: Vec<Addition>,
    /// The facts as they will load once written.
    pub base: FactBase,
}

#[derive(Debug)]
struct EditedFile {
    path: PathBuf,
    old: String,
    new: String,
}

/// Adds each of `additions` to its fact's `questions`, in the file `base` says the fact is
/// in, and validates the facts named by `paths` with the edited texts. Nothing is written.
pub fn add_questions(
    paths: &[PathBuf],
    options: LoadOptions,
    base: &FactBase,
    additions: &[Addition],
) -> Result<Edit, EditError> {
    let mut files: Vec<(PathBuf, String, DocumentMut)> = Vec::new();
    let mut added = Vec::new();
    for addition in additions {
        let question = addition.question.trim();
        if question.is_empty() {
            return Err(EditError::Empty);
        }
        let fact = base
            .get(addition.fact.as_str())
            .ok_or_else(|| EditError::UnknownFact(addition.fact.to_string()))?;
        let at = match files.iter().position(|(path, _, _)| *path == fact.file) {
            Some(at) => at,
            None => {
                files.push(open(&fact.file)?);
                files.len() - 1
            }
        };
        let (path, _, document) = &mut files[at];
        if push_question(path, document, &addition.fact, question)? {
            added.push(Addition {
                fact: addition.fact.clone(),
                question: question.to_owned(),
            });
        }
    }
    let files: Vec<EditedFile> = files
        .into_iter()
        .map(|(path, old, document)| EditedFile {
            path,
            old,
            new: document.to_string(),
        })
        .filter(|file| file.new != file.old)
        .collect();
    let texts: Vec<(PathBuf, String)> = files
        .iter()
        .map(|file| (file.path.clone(), file.new.clone()))
        .collect();
    let loaded = load_edited(paths, options, &texts).map_err(|error| EditError::Invalid {
        diagnostics: error.diagnostics().to_vec(),
    })?;
    Ok(Edit {
        files,
        added,
        base: loaded.base,
    })
}

fn open(path: &Path) -> Result<(PathBuf, String, DocumentMut), EditError> {
    let text = fs::read_to_string(path).map_err(|source| EditError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let document = text
        .parse::<DocumentMut>()
        .map_err(|error| EditError::Shape {
            path: path.to_path_buf(),
            message: error.message().to_owned(),
        })?;
    Ok((path.to_path_buf(), text, document))
}

/// Appends `question` to fact `fact`'s `questions` in `document`, on a line of its own when
/// the array is written one question a line; false when the fact already has it.
fn push_question(
    path: &Path,
    document: &mut DocumentMut,
    fact: &FactId,
    question: &str,
) -> Result<bool, EditError> {
    let shape = |message: String| EditError::Shape {
        path: path.to_path_buf(),
        message,
    };
    let table = document
        .get_mut("facts")
        .and_then(Item::as_array_of_tables_mut)
        .and_then(|facts| {
            facts
                .iter_mut()
                .find(|table| table.get("id").and_then(Item::as_str) == Some(fact.as_str()))
        })
        .ok_or_else(|| shape(format!("no [[facts]] entry with id = \"{fact}\"")))?;
    let questions = table
        .get_mut("questions")
        .and_then(Item::as_array_mut)
        .ok_or_else(|| shape(format!("fact \"{fact}\" has no questions array")))?;
    let known = questions
        .iter()
        .filter_map(Value::as_str)
        .any(|q| q.trim().eq_ignore_ascii_case(question));
    if known {
        return Ok(false);
    }
    let prefix = questions.iter().last().map_or_else(String::new, |last| {
        let before = last
            .decor()
            .prefix()
            .and_then(|raw| raw.as_str())
            .unwrap_or(" ");
        // The last line's indentation, without a comment above it.
        before
            .rfind('\n')
            .map_or_else(|| " ".to_owned(), |at| before[at..].to_owned())
    });
    questions.push_formatted(Value::from(question).decorated(prefix, ""));
    Ok(true)
}

impl Edit {
    /// Whether the edit changes no file (every question was already there).
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The edited files.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|file| file.path.as_path())
    }

    /// Writes each edited file atomically, unless it changed since it was read.
    pub fn write(&self) -> Result<(), EditError> {
        for file in &self.files {
            write_atomically(&file.path, &file.old, &file.new)?;
        }
        Ok(())
    }
}

/// Writes `new` to `path` through a hidden temporary file in the same folder, renamed over
/// it (atomic on one file system), keeping the file's permissions; refuses when the file no
/// longer holds `old`.
fn write_atomically(path: &Path, old: &str, new: &str) -> Result<(), EditError> {
    let write_error = |source| EditError::Write {
        path: path.to_path_buf(),
        source,
    };
    let current = fs::read_to_string(path).map_err(|source| EditError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if current != old {
        return Err(EditError::Changed {
            path: path.to_path_buf(),
        });
    }
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.factbot-{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(new.as_bytes())?;
        file.sync_all()?;
        if let Ok(metadata) = fs::metadata(path) {
            fs::set_permissions(&temp, metadata.permissions())?;
        }
        fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written.map_err(write_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"# The story's facts.
[[sources]]
id = "s"
publisher = "P"
title = "T"
published = 2024-07-04

[[facts]]
id = "port-cost"
questions = [
  "How much did the Chancay port cost?",   # the title
  # Short forms:
  'Chancay port cost',
]
answer = "It cost $3.5 billion."
snippet = "S"

[[facts]]
id = "port-owner"
questions = ["Who owns the port?"]  # inline
answer = "Cosco owns 60%."
snippet = "S"
"#;

    fn setup() -> (tempfile::TempDir, PathBuf, FactBase) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("story.toml");
        fs::write(&path, FILE).unwrap();
        let base = super::super::load(&[dir.path().to_path_buf()])
            .unwrap()
            .base;
        (dir, path, base)
    }

    fn addition(fact: &str, question: &str) -> Addition {
        Addition {
            fact: FactId::new_unchecked(fact),
            question: question.to_owned(),
        }
    }

    #[test]
    fn a_question_is_one_new_line_and_every_other_byte_stays() {
        let (dir, path, base) = setup();
        let paths = [dir.path().to_path_buf()];
        let edit = add_questions(
            &paths,
            LoadOptions::default(),
            &base,
            &[
                addition("port-cost", "What did the \"port\" cost?"),
                addition("port-owner", "Who is the owner?"),
                addition("port-owner", "who owns the port?"),
            ],
        )
        .unwrap();
        assert_eq!(edit.added.len(), 2, "a question already there is not added");
        edit.write().unwrap();
        let text = fs::read_to_string(&path).unwrap();
        let expect = FILE
            .replace(
                "  'Chancay port cost',\n",
                "  'Chancay port cost',\n  'What did the \"port\" cost?',\n",
            )
            .replace(
                "[\"Who owns the port?\"]",
                "[\"Who owns the port?\", \"Who is the owner?\"]",
            );
        assert_eq!(text, expect);
        assert_eq!(edit.base.get("port-cost").unwrap().questions.len(), 3);
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left");
    }

    #[test]
    fn an_edit_that_would_not_load_or_a_file_changed_meanwhile_writes_nothing() {
        let (dir, path, base) = setup();
        let paths = [dir.path().to_path_buf()];
        let error = add_questions(
            &paths,
            LoadOptions::default(),
            &base,
            &[addition("port-cost", "Bad \u{202E} text")],
        )
        .unwrap_err();
        assert!(matches!(error, EditError::Invalid { .. }), "{error}");
        assert!(matches!(
            add_questions(
                &paths,
                LoadOptions::default(),
                &base,
                &[addition("nope", "Q?")]
            ),
            Err(EditError::UnknownFact(_))
        ));
        let edit = add_questions(
            &paths,
            LoadOptions::default(),
            &base,
            &[addition("port-owner", "Who is the owner?")],
        )
        .unwrap();
        fs::write(&path, FILE.replace("60%", "61%")).unwrap();
        assert!(matches!(edit.write(), Err(EditError::Changed { .. })));
        assert!(fs::read_to_string(&path).unwrap().contains("61%"));
    }
}
