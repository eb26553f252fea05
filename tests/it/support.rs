//! A small harness that runs the real `factbot` binary in a temporary folder.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The repository's bundled facts folder.
pub fn bundled_facts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("facts")
}

/// The article the bundled facts quote, when the shared folder is beside the repository.
pub fn seed_article() -> Option<String> {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed/article.txt"),
    )
    .ok()
}

pub struct Test {
    dir: tempfile::TempDir,
    args: Vec<String>,
    stdin: Vec<u8>,
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Test {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("tempdir"),
            args: Vec::new(),
            stdin: Vec::new(),
        }
    }

    /// Writes `contents` to `name` inside the test's folder (creating subfolders).
    pub fn file(self, name: &str, contents: &str) -> Self {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, contents).expect("write fixture");
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: AsRef<str>>(mut self, args: I) -> Self {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    pub fn stdin(self, input: &str) -> Self {
        self.stdin_bytes(input.as_bytes())
    }

    /// Standard input that need not be UTF-8.
    pub fn stdin_bytes(mut self, input: &[u8]) -> Self {
        self.stdin = input.to_vec();
        self
    }

    pub fn run(self) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_factbot"))
            .args(&self.args)
            .current_dir(self.dir.path())
            .env_remove("RUST_LOG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn factbot");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(&self.stdin)
            .expect("write stdin");
        let output = child.wait_with_output().expect("wait for factbot");
        Output {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// A minimal valid facts file: one source and the given facts tables.
pub fn facts_file(facts: &str) -> String {
    format!(
        "[[sources]]\nid = \"src\"\npublisher = \"Daily Test\"\ntitle = \"A test story\"\npublished = 2024-07-04\nurl = \"https://example.org/story\"\n\n{facts}"
    )
}

/// A copy of a facts folder as a moderator writes facts for a new story in a hurry: each fact
/// keeps only its first `keep` question patterns, and the story's `[synonyms]` are dropped.
/// Sources' `text` paths are made absolute, so snippets are still checked.
pub fn sparse_facts(folder: &Path, keep: usize) -> tempfile::TempDir {
    let copy = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(folder).expect("read facts folder") {
        let path = entry.expect("facts folder entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read facts file");
        let mut document: toml_edit::DocumentMut = text.parse().expect("valid TOML");
        document.remove("synonyms");
        let facts = document
            .get_mut("facts")
            .and_then(|item| item.as_array_of_tables_mut());
        for fact in facts.into_iter().flat_map(|t| t.iter_mut()) {
            if let Some(questions) = fact.get_mut("questions").and_then(|q| q.as_array_mut()) {
                while questions.len() > keep {
                    questions.remove(questions.len() - 1);
                }
            }
        }
        let dir = path.parent().expect("facts file has a folder");
        let sources = document
            .get_mut("sources")
            .and_then(|item| item.as_array_of_tables_mut());
        for source in sources.into_iter().flat_map(|t| t.iter_mut()) {
            if let Some(text) = source.get("text").and_then(|t| t.as_str()) {
                let absolute = dir.join(text).display().to_string();
                source["text"] = toml_edit::value(absolute);
            }
        }
        let name = path.file_name().expect("file name");
        std::fs::write(copy.path().join(name), document.to_string()).expect("write sparse copy");
    }
    copy
}

/// What the binary printed holds no character that could drive a terminal.
#[track_caller]
pub fn assert_no_control_characters(output: &str) {
    assert!(
        !output
            .chars()
            .any(|c| factbot::chars::control_name(c).is_some()),
        "{output:?}"
    );
}
