//! Facts files on disk to a validated [`FactBase`], with every problem of every file at once.
//!
//! Loading never stops at the first problem and never yields a half-valid base: either every
//! error-level diagnostic is absent and a base is built, or the caller gets all diagnostics and
//! keeps whatever base it had before (the running bot's last good state).

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::diag::{did_you_mean, Diagnostic, LineIndex, Severity, SourceMap};
use super::parse::{parse_file, RawFact, RawFile, Spanned};
use super::snippet::is_verbatim;
use super::{Fact, FactBase, FactId, FactStatus, Source, Synonym, Translation};
use crate::limits;

/// A loaded base and the warnings that did not block it.
#[derive(Debug)]
pub struct Loaded {
    pub base: FactBase,
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The files have errors; `diagnostics` holds all of them, warnings included.
    #[error("the facts files have {} error(s)", .diagnostics.iter().filter(|d| d.is_error()).count())]
    Invalid { diagnostics: Vec<Diagnostic> },
}

impl LoadError {
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Self::Invalid { diagnostics } => diagnostics,
        }
    }
}

/// Limits on what loading accepts, from the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadOptions {
    /// The largest facts file read, in bytes. A story's facts are a few hundred kilobytes; a
    /// file far larger is a mistake (a dump, a binary) and would hold the reload and the
    /// memory of the bot for nothing.
    pub max_file_bytes: u64,
}

impl LoadOptions {
    pub const DEFAULT_MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            max_file_bytes: Self::DEFAULT_MAX_FILE_BYTES,
        }
    }
}

/// Loads every facts file named by `paths` (files, or folders whose `*.toml` files are read in
/// name order) as one base, with the default [`LoadOptions`].
pub fn load(paths: &[PathBuf]) -> Result<Loaded, LoadError> {
    load_with(paths, LoadOptions::default())
}

/// [`load`] with the given limits.
pub fn load_with(paths: &[PathBuf], options: LoadOptions) -> Result<Loaded, LoadError> {
    load_edited(paths, options, &[])
}

/// [`load_with`] as if the files in `edited` held the given texts: how an edit is validated
/// before it is written (see [`super::edit`]).
pub fn load_edited(
    paths: &[PathBuf],
    options: LoadOptions,
    edited: &[(PathBuf, String)],
) -> Result<Loaded, LoadError> {
    let mut diagnostics = Vec::new();
    let files = discover(paths, &mut diagnostics);
    let mut texts = Vec::new();
    for path in files {
        if let Some((_, text)) = edited.iter().find(|(edited, _)| *edited == path) {
            texts.push((path, text.clone()));
            continue;
        }
        match read_text(&path, options) {
            Ok(text) => texts.push((path, text)),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    load_texts(texts, diagnostics, options)
}

/// Loads facts files already read into memory, each with the path its diagnostics name; for
/// tests and fuzzing, which check loading without a file system.
pub fn load_sources(files: Vec<(PathBuf, String)>) -> Result<Loaded, LoadError> {
    load_texts(files, Vec::new(), LoadOptions::default())
}

fn load_texts(
    files: Vec<(PathBuf, String)>,
    mut diagnostics: Vec<Diagnostic>,
    options: LoadOptions,
) -> Result<Loaded, LoadError> {
    let mut parsed = Vec::new();
    let mut syntax = Vec::new();
    for (path, text) in files {
        let lines = LineIndex::new(&text);
        let (raw, tree) = parse_file(&path, &text, &lines, &mut diagnostics);
        syntax.push(tree);
        parsed.push(ParsedFile {
            path,
            text,
            lines,
            raw,
        });
    }
    // The syntax trees are freed on the other core while this one links.
    let (base, ()) = crate::threads::both(
        || Linker::new(&parsed, &mut diagnostics, options).link(),
        move || drop(syntax),
    );
    diagnostics.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(LoadError::Invalid { diagnostics });
    }
    Ok(Loaded {
        base,
        warnings: diagnostics,
    })
}

/// A facts file's text, unless it is too large, unreadable or not UTF-8 (then the diagnostic
/// says which, and where the first bad byte is).
fn read_text(path: &Path, options: LoadOptions) -> Result<String, Diagnostic> {
    let cannot_read = |error: std::io::Error| {
        Diagnostic::whole_file(path, format!("cannot read this file: {error}"), None)
    };
    let too_large = |size: u64| {
        Diagnostic::whole_file(
            path,
            format!(
                "this file is {size} bytes; a facts file may hold at most {} bytes",
                options.max_file_bytes
            ),
            Some("split it into several files in the facts folder, or raise max_facts_file_bytes in the config".into()),
        )
    };
    let file = fs::File::open(path).map_err(cannot_read)?;
    let size = file.metadata().map_err(cannot_read)?.len();
    if size > options.max_file_bytes {
        return Err(too_large(size));
    }
    // The file may grow between the size check and the read: never read past the limit.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, options.max_file_bytes + 1),
        &mut bytes,
    )
    .map_err(cannot_read)?;
    if bytes.len() as u64 > options.max_file_bytes {
        return Err(too_large(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|error| {
        let bytes = error.as_bytes();
        let valid = error.utf8_error().valid_up_to();
        // The valid prefix positions the bad byte: same line, next column.
        let before = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let (line, column) = super::line_column(before, valid);
        Diagnostic {
            line,
            column,
            ..Diagnostic::whole_file(
                path,
                format!("this file is not UTF-8 text (byte 0x{:02x})", bytes[valid]),
                Some("save it as UTF-8 in your editor".into()),
            )
        }
    })
}

fn discover(paths: &[PathBuf], diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = match fs::read_dir(path) {
                Ok(entries) => entries
                    .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                    .filter(|path| {
                        path.is_file() && path.extension().is_some_and(|ext| ext == "toml")
                    })
                    .collect(),
                Err(error) => {
                    diagnostics.push(Diagnostic::whole_file(
                        path,
                        format!("cannot read this folder: {error}"),
                        None,
                    ));
                    continue;
                }
            };
            if found.is_empty() {
                diagnostics.push(Diagnostic::whole_file(
                    path,
                    "this folder has no facts files",
                    Some("put one or more *.toml facts files in it".into()),
                ));
            }
            found.sort();
            files.extend(found);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            diagnostics.push(Diagnostic::whole_file(
                path,
                "no such file or folder",
                Some("check the path; facts are read from *.toml files".into()),
            ));
        }
    }
    if paths.is_empty() {
        diagnostics.push(Diagnostic::whole_file(
            Path::new("."),
            "no facts files were given",
            None,
        ));
    }
    files.dedup();
    files
}

struct ParsedFile {
    path: PathBuf,
    text: String,
    lines: LineIndex,
    raw: RawFile,
}

impl ParsedFile {
    fn map(&self) -> SourceMap<'_> {
        SourceMap::new(&self.path, &self.text, &self.lines)
    }

    fn line_column(&self, span: Option<&Range<usize>>) -> (usize, usize) {
        span.map_or((1, 1), |span| self.lines.position(&self.text, span.start))
    }
}

/// Where something was first defined, for "already defined at …" messages.
fn position(file: &ParsedFile, span: &Option<Range<usize>>) -> String {
    let (line, column) = file.line_column(span.as_ref());
    format!("{}:{line}:{column}", file.path.display())
}

/// Where each id was first defined: its file and span.
type FirstSeen<'a> = HashMap<&'a str, (&'a ParsedFile, &'a Option<Range<usize>>)>;

/// Resolves ids and references across all files and builds the base.
struct Linker<'a> {
    files: &'a [ParsedFile],
    diagnostics: &'a mut Vec<Diagnostic>,
    /// Fact id → (file index, fact index in file); facts with errors map to `None`.
    fact_ids: BTreeMap<&'a str, Option<(usize, usize)>>,
    source_ids: HashMap<&'a str, usize>,
    options: LoadOptions,
}

impl<'a> Linker<'a> {
    fn new(
        files: &'a [ParsedFile],
        diagnostics: &'a mut Vec<Diagnostic>,
        options: LoadOptions,
    ) -> Self {
        Self {
            files,
            diagnostics,
            fact_ids: BTreeMap::new(),
            source_ids: HashMap::new(),
            options,
        }
    }

    fn report(
        &mut self,
        file: &ParsedFile,
        severity: Severity,
        span: &Option<Range<usize>>,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let diagnostic = file.map().diagnostic(severity, span.clone(), message, hint);
        self.diagnostics.push(diagnostic);
    }

    fn link(mut self) -> FactBase {
        let sources = self.collect_sources();
        self.collect_fact_ids();
        let synonyms = self.collect_synonyms();
        let mut facts = Vec::new();
        for (file_index, file) in self.files.iter().enumerate() {
            for (fact_index, raw) in file.raw.facts.iter().enumerate() {
                if let Some(fact) = self.fact((file_index, fact_index), raw, &sources) {
                    facts.push(fact);
                }
            }
        }
        self.warn_unreached(&facts);
        let files = self.files.iter().map(|file| file.path.clone()).collect();
        FactBase::new(
            facts,
            sources.into_iter().map(|(source, _)| source).collect(),
            synonyms,
            files,
        )
    }

    /// Sources with the text they quote, when the file names one.
    fn collect_sources(&mut self) -> Vec<(Source, Option<String>)> {
        let mut sources = Vec::new();
        let mut first_seen = FirstSeen::new();
        for file in self.files {
            for raw in &file.raw.sources {
                let id = raw.id.value.as_str();
                if !self.first_definition(
                    &mut first_seen,
                    file,
                    &raw.id,
                    "source id",
                    "give this source another id",
                ) {
                    continue;
                }
                let text = raw
                    .text
                    .as_ref()
                    .and_then(|text| self.read_source_text(file, text));
                self.source_ids.insert(id, sources.len());
                sources.push((
                    Source {
                        id: id.to_owned(),
                        publisher: raw.publisher.clone(),
                        title: raw.title.clone(),
                        published: raw.published.clone(),
                        url: raw.url.clone(),
                        as_of: raw.as_of.clone(),
                    },
                    text,
                ));
            }
        }
        sources
    }

    /// Records where `id` is first defined, or reports it as a duplicate of that definition
    /// (returning false) so that only the first definition is used.
    fn first_definition(
        &mut self,
        first_seen: &mut FirstSeen<'a>,
        file: &'a ParsedFile,
        id: &'a Spanned<String>,
        what: &str,
        fix: &str,
    ) -> bool {
        // Where it was is written out only for a duplicate: most ids have none.
        let Some(&(first_file, first_span)) = first_seen.get(id.value.as_str()) else {
            first_seen.insert(&id.value, (file, &id.span));
            return true;
        };
        let first = position(first_file, first_span);
        let message = format!("{what} \"{}\" is already used", id.value);
        self.report(
            file,
            Severity::Error,
            &id.span,
            message,
            Some(format!("first defined at {first}; {fix}")),
        );
        false
    }

    fn read_source_text(&mut self, file: &ParsedFile, text: &Spanned<String>) -> Option<String> {
        let path = file
            .path
            .parent()
            .unwrap_or(Path::new("."))
            .join(&text.value);
        // The same limits as a facts file: a source text is an article, and a path such as
        // /dev/zero must not hang or fill the bot.
        match read_text(&path, self.options) {
            Ok(contents) => Some(contents),
            Err(problem) => {
                let hint = problem
                    .hint
                    .unwrap_or_else(|| "the path is relative to this facts file".into());
                self.report(
                    file,
                    Severity::Error,
                    &text.span,
                    format!("the source text {}: {}", path.display(), problem.message),
                    Some(hint),
                );
                None
            }
        }
    }

    fn collect_fact_ids(&mut self) {
        let mut first_seen = FirstSeen::new();
        for (file_index, file) in self.files.iter().enumerate() {
            for (fact_index, raw) in file.raw.facts.iter().enumerate() {
                let id = raw.id.value.as_str();
                if !self.first_definition(
                    &mut first_seen,
                    file,
                    &raw.id,
                    "fact id",
                    "ids must be unique across all facts files",
                ) {
                    continue;
                }
                self.fact_ids.insert(id, Some((file_index, fact_index)));
            }
            for id in &file.raw.partial_fact_ids {
                self.fact_ids.entry(id.as_str()).or_insert(None);
            }
        }
    }

    fn collect_synonyms(&mut self) -> Vec<Synonym> {
        let mut by_canonical: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut owner: HashMap<String, (String, String)> = HashMap::new();
        for file in self.files {
            for raw in &file.raw.synonyms {
                let canonical = raw.canonical.value.clone();
                for variant in &raw.variants {
                    let text = variant.value.to_lowercase();
                    if let Some((other, at)) = owner.get(&text) {
                        if *other != canonical {
                            let message = format!("synonym \"{text}\" is listed under both \"{other}\" and \"{canonical}\"");
                            let hint =
                                Some(format!("the first is at {at}; keep it under one term only"));
                            self.report(file, Severity::Error, &variant.span, message, hint);
                        }
                        continue;
                    }
                    owner.insert(
                        text.clone(),
                        (canonical.clone(), position(file, &variant.span)),
                    );
                    by_canonical
                        .entry(canonical.clone())
                        .or_default()
                        .push(text);
                }
            }
        }
        by_canonical
            .into_iter()
            .map(|(canonical, variants)| Synonym {
                canonical,
                variants,
            })
            .collect()
    }

    fn fact(
        &mut self,
        at: (usize, usize),
        raw: &RawFact,
        sources: &[(Source, Option<String>)],
    ) -> Option<Fact> {
        let file = &self.files[at.0];
        // A duplicate id keeps only its first definition.
        if self.fact_ids.get(raw.id.value.as_str()) != Some(&Some(at)) {
            return None;
        }
        let errors_before = self.error_count();
        let source = self.fact_source(file, raw);
        let follow_ups = self.follow_ups(file, raw);
        self.check_lengths(file, raw);
        if let Some(source) = source {
            if let Some(text) = &sources[source].1 {
                if !is_verbatim(&raw.snippet.value, text) {
                    self.report(file, Severity::Error, &raw.snippet.span, "snippet is not a verbatim quote of its source text", Some("copy it exactly from the source; only spacing and quote marks may differ".into()));
                }
            }
        }
        if self.error_count() > errors_before {
            return None;
        }
        Some(Fact {
            id: FactId::new_unchecked(raw.id.value.clone()),
            questions: raw.questions.iter().map(|q| q.value.clone()).collect(),
            answer: raw.answer.value.clone(),
            snippet: raw.snippet.value.clone(),
            source: source?,
            follow_ups,
            tags: raw.tags.clone(),
            file: file.path.clone(),
            question_positions: raw
                .questions
                .iter()
                .map(|q| file.line_column(q.span.as_ref()))
                .collect(),
            as_of: raw.as_of.clone(),
            attribution: raw.attribution.clone(),
            status: match &raw.retracted {
                Some(note) => FactStatus::Retracted { note: note.clone() },
                None => FactStatus::Current,
            },
            correction: raw.correction.clone(),
            translations: raw
                .translations
                .iter()
                .map(|raw| {
                    let translation = Translation {
                        title: raw.title.value.clone(),
                        answer: raw.answer.value.clone(),
                        note: raw.note.clone(),
                        correction: raw.correction.clone(),
                    };
                    (raw.lang, translation)
                })
                .collect(),
        })
    }

    fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    fn fact_source(&mut self, file: &ParsedFile, raw: &RawFact) -> Option<usize> {
        match &raw.source {
            Some(source) => {
                let found = self.source_ids.get(source.value.as_str()).copied();
                if found.is_none() {
                    let hint = did_you_mean(&source.value, self.source_ids.keys().copied())
                        .or_else(|| Some("add a [[sources]] table with this id".into()));
                    self.report(
                        file,
                        Severity::Error,
                        &source.span,
                        format!("unknown source \"{}\"", source.value),
                        hint,
                    );
                }
                found
            }
            None => match file.raw.sources.as_slice() {
                [only] => self.source_ids.get(only.id.value.as_str()).copied(),
                sources => {
                    let message = format!(
                        "this fact has no \"source\" and the file has {} sources",
                        sources.len()
                    );
                    self.report(
                        file,
                        Severity::Error,
                        &raw.id.span,
                        message,
                        Some("add source = \"<id of a [[sources]] table>\"".into()),
                    );
                    None
                }
            },
        }
    }

    fn follow_ups(&mut self, file: &ParsedFile, raw: &RawFact) -> Vec<usize> {
        let mut resolved = Vec::new();
        for follow_up in &raw.follow_ups {
            let id = follow_up.value.as_str();
            if id == raw.id.value {
                self.report(
                    file,
                    Severity::Error,
                    &follow_up.span,
                    format!("fact \"{id}\" follows up to itself"),
                    Some("remove it from follow_ups".into()),
                );
                continue;
            }
            match self.fact_ids.get(id) {
                Some(Some((target_file, target_fact))) => {
                    let index = self.global_index(*target_file, *target_fact);
                    if self.files[*target_file].raw.facts[*target_fact]
                        .retracted
                        .is_some()
                    {
                        self.report(
                            file,
                            Severity::Warning,
                            &follow_up.span,
                            format!("follow-up \"{id}\" is retracted and is never offered"),
                            Some(
                                "remove it from follow_ups, or follow up to its correction".into(),
                            ),
                        );
                    }
                    if resolved.contains(&index) {
                        self.report(
                            file,
                            Severity::Warning,
                            &follow_up.span,
                            format!("follow-up \"{id}\" is listed twice"),
                            None,
                        );
                    } else {
                        resolved.push(index);
                    }
                }
                Some(None) => {}
                None => {
                    let hint = did_you_mean(id, self.fact_ids.keys().copied())
                        .or_else(|| Some("follow_ups takes ids of facts in any facts file".into()));
                    self.report(
                        file,
                        Severity::Error,
                        &follow_up.span,
                        format!("unknown follow-up \"{id}\""),
                        hint,
                    );
                }
            }
        }
        resolved
    }

    /// The index a fact will have in the base: its place in file order. A fact is only ever
    /// dropped for an error, and a base with errors is never handed out, so the numbering of a
    /// base that is handed out has no gaps.
    fn global_index(&self, file: usize, fact: usize) -> usize {
        self.files[..file]
            .iter()
            .map(|f| f.raw.facts.len())
            .sum::<usize>()
            + fact
    }

    fn check_lengths(&mut self, file: &ParsedFile, raw: &RawFact) {
        if let Some(title) = raw.questions.first() {
            let length = title.value.chars().count();
            if length > limits::BUTTON_LABEL {
                self.report(file, Severity::Error, &title.span, format!("the first question is {length} characters; it is shown as a button label, which fits {}", limits::BUTTON_LABEL), Some("shorten it, or move a shorter question first".into()));
            }
        }
        for question in raw.questions.iter().skip(1) {
            let length = question.value.chars().count();
            if length > limits::AUTOCOMPLETE_CHOICE {
                self.report(
                    file,
                    Severity::Error,
                    &question.span,
                    format!(
                        "this question is {length} characters; suggestions fit {}",
                        limits::AUTOCOMPLETE_CHOICE
                    ),
                    Some("shorten it".into()),
                );
            }
        }
        let answers = std::iter::once(&raw.answer).chain(
            raw.translations
                .iter()
                .map(|translation| &translation.answer),
        );
        for answer in answers {
            let body = answer.value.chars().count()
                + raw.snippet.value.chars().count()
                + limits::SNIPPET_FRAME
                + raw
                    .attribution
                    .as_ref()
                    .map_or(0, |a| a.chars().count() + limits::LEAD_IN_FRAME)
                + raw.as_of.as_ref().map_or(0, |_| limits::LEAD_IN_FRAME);
            if body > limits::EMBED_DESCRIPTION {
                self.report(file, Severity::Error, &answer.span, format!("answer and snippet together are {body} characters with their framing; a reply fits {}", limits::EMBED_DESCRIPTION), Some("shorten the answer or quote a shorter snippet".into()));
            }
        }
    }

    fn warn_unreached(&mut self, facts: &[Fact]) {
        // With errors, facts were dropped and follow-up indices no longer line up.
        if facts.len() < 2 || self.error_count() > 0 {
            return;
        }
        let mut reached = vec![false; facts.len()];
        for fact in facts {
            for &target in &fact.follow_ups {
                if let Some(flag) = reached.get_mut(target) {
                    *flag = true;
                }
            }
        }
        for (fact, reached) in facts.iter().zip(reached) {
            if reached || fact.is_retracted() {
                continue;
            }
            let (line, column) = fact.question_positions.first().copied().unwrap_or((1, 1));
            self.diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                path: fact.file.clone(),
                line,
                column,
                message: format!("no fact follows up to \"{}\"", fact.id),
                hint: Some("add its id to another fact's follow_ups so members can find it".into()),
            });
        }
    }
}
