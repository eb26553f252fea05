//! One facts file's TOML to raw records that keep their spans.
//!
//! This walks the TOML tree by hand instead of deriving serde, because serde stops at the first
//! problem and moderators need every problem of a file at once, each at its own line and column.
//! Nothing here looks across files: ids and references are checked by `load`.

use std::ops::Range;
use std::path::Path;

use toml_edit::{ImDocument, Item, TableLike, Value};

use super::diag::{did_you_mean, Diagnostic, LineIndex, Severity, SourceMap};
use super::FactId;
use crate::chars::find_hidden;
use crate::lang::Lang;
use crate::limits;

/// A value and where it was written.
#[derive(Debug, Clone)]
pub(crate) struct Spanned<T> {
    pub(crate) value: T,
    pub(crate) span: Option<Range<usize>>,
}

#[derive(Debug)]
pub(crate) struct RawSource {
    pub(crate) id: Spanned<String>,
    pub(crate) publisher: String,
    pub(crate) title: String,
    pub(crate) published: String,
    pub(crate) url: Option<String>,
    pub(crate) text: Option<Spanned<String>>,
    pub(crate) as_of: Option<String>,
}

#[derive(Debug)]
pub(crate) struct RawFact {
    pub(crate) id: Spanned<String>,
    pub(crate) questions: Vec<Spanned<String>>,
    pub(crate) answer: Spanned<String>,
    pub(crate) snippet: Spanned<String>,
    pub(crate) source: Option<Spanned<String>>,
    pub(crate) follow_ups: Vec<Spanned<String>>,
    pub(crate) tags: Vec<String>,
    pub(crate) as_of: Option<String>,
    pub(crate) attribution: Option<String>,
    /// The note of a fact whose `status` is `"retracted"`.
    pub(crate) retracted: Option<String>,
    pub(crate) correction: Option<String>,
    pub(crate) translations: Vec<RawTranslation>,
}

/// One `[facts.translations.<code>]` table.
#[derive(Debug)]
pub(crate) struct RawTranslation {
    pub(crate) lang: Lang,
    pub(crate) title: Spanned<String>,
    pub(crate) answer: Spanned<String>,
    pub(crate) note: Option<String>,
    pub(crate) correction: Option<String>,
}

#[derive(Debug)]
pub(crate) struct RawSynonym {
    pub(crate) canonical: Spanned<String>,
    pub(crate) variants: Vec<Spanned<String>>,
}

/// What one file yielded. `partial_fact_ids` are ids of facts dropped for other errors: other
/// files may follow up to them, and reporting those follow-ups as unknown would only mislead.
#[derive(Debug, Default)]
pub(crate) struct RawFile {
    pub(crate) sources: Vec<RawSource>,
    pub(crate) facts: Vec<RawFact>,
    pub(crate) synonyms: Vec<RawSynonym>,
    pub(crate) partial_fact_ids: Vec<String>,
}

const TOP_KEYS: &[&str] = &["sources", "synonyms", "facts"];
const SOURCE_KEYS: &[&str] = &[
    "id",
    "publisher",
    "title",
    "published",
    "url",
    "text",
    "as_of",
];
const FACT_KEYS: &[&str] = &[
    "id",
    "questions",
    "answer",
    "snippet",
    "source",
    "follow_ups",
    "tags",
    "as_of",
    "attribution",
    "status",
    "note",
    "correction",
    "translations",
];
const TRANSLATION_KEYS: &[&str] = &["title", "answer", "note", "correction"];
/// The values `status` may take; leaving it out means "current".
const STATUSES: &[&str] = &["current", "retracted"];
/// Characters of an attribution at most: a name and an organisation, shown before the answer.
pub const ATTRIBUTION_MAX: usize = 200;
/// Characters of a retraction note at most: it is the whole reply when the fact is asked for.
pub const NOTE_MAX: usize = 1000;
/// Characters of a correction note at most: it is shown under the corrected answer.
pub const CORRECTION_MAX: usize = 500;

/// A file's parsed TOML once it has been read. Freeing it walks tens of thousands of tables
/// and strings for a large base, so the loader drops it while it does other work.
pub(crate) struct Syntax {
    _document: Option<ImDocument<String>>,
}

/// Parses one file, appending every problem found to `diagnostics`; `lines` is the file's
/// line index, which the caller keeps for its own diagnostics.
pub(crate) fn parse_file(
    path: &Path,
    text: &str,
    lines: &LineIndex,
    diagnostics: &mut Vec<Diagnostic>,
) -> (RawFile, Syntax) {
    let mut reader = Reader {
        map: SourceMap::new(path, text, lines),
        diagnostics,
    };
    let document = match ImDocument::parse(text.to_owned()) {
        Ok(document) => document,
        Err(error) => {
            let message = format!("invalid TOML: {}", error.message().trim_end());
            reader.error(
                error.span(),
                message,
                Some("check the quotes, brackets and commas around this spot".into()),
            );
            return (RawFile::default(), Syntax { _document: None });
        }
    };
    let file = reader.file(document.as_table());
    (
        file,
        Syntax {
            _document: Some(document),
        },
    )
}

struct Reader<'a> {
    map: SourceMap<'a>,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    fn error(
        &mut self,
        span: Option<Range<usize>>,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let diagnostic = self.map.diagnostic(Severity::Error, span, message, hint);
        self.diagnostics.push(diagnostic);
    }

    fn file(&mut self, top: &dyn TableLike) -> RawFile {
        self.unknown_keys(top, TOP_KEYS, "at the top of a facts file");
        let mut file = RawFile::default();
        for (table, span) in self.tables(top, "sources") {
            if let Some(source) = self.source(table, span) {
                file.sources.push(source);
            }
        }
        for (table, span) in self.tables(top, "facts") {
            match self.fact(table, span.clone()) {
                Ok(fact) => file.facts.push(fact),
                Err(Some(id)) => file.partial_fact_ids.push(id),
                Err(None) => {}
            }
        }
        if let Some(item) = top.get("synonyms") {
            file.synonyms = self.synonyms(item);
        }
        if file.facts.is_empty() && file.partial_fact_ids.is_empty() {
            self.error(
                None,
                "this file has no [[facts]]",
                Some("add at least one [[facts]] table, or remove the file".into()),
            );
        }
        file
    }

    /// The tables of an array of tables (`[[facts]]`) or of an array of inline tables.
    fn tables<'t>(
        &mut self,
        top: &'t dyn TableLike,
        key: &str,
    ) -> Vec<(&'t dyn TableLike, Option<Range<usize>>)> {
        let Some(item) = top.get(key) else {
            return Vec::new();
        };
        if let Some(array) = item.as_array_of_tables() {
            return array
                .iter()
                .map(|table| {
                    (
                        table as &dyn TableLike,
                        table.span().or_else(|| self.header_span(table)),
                    )
                })
                .collect();
        }
        if let Some(array) = item.as_array() {
            let mut tables = Vec::new();
            for value in array.iter() {
                match value.as_inline_table() {
                    Some(table) => tables.push((table as &dyn TableLike, value.span())),
                    None => self.error(
                        value.span(),
                        format!("each entry of \"{key}\" must be a table"),
                        Some(format!("write it as [[{key}]] followed by its keys")),
                    ),
                }
            }
            return tables;
        }
        self.error(
            item.span(),
            format!("\"{key}\" must be a list of tables"),
            Some(format!("write each one as a [[{key}]] table")),
        );
        Vec::new()
    }

    /// toml_edit gives no span for a `[[table]]` header; find it before the table's first key,
    /// so "missing" errors point at the header a moderator would look at.
    fn header_span(&self, table: &toml_edit::Table) -> Option<Range<usize>> {
        let first_key = table
            .iter()
            .filter_map(|(key, _)| table.key(key).and_then(|key| key.span()))
            .map(|span| span.start)
            .min()?;
        let header = self.map.text()[..first_key].rfind("[[")?;
        Some(header..header + 2)
    }

    fn source(&mut self, table: &dyn TableLike, span: Option<Range<usize>>) -> Option<RawSource> {
        self.unknown_keys(table, SOURCE_KEYS, "in [[sources]]");
        let id = self.required_string(table, "id", &span);
        self.check_id(id.as_ref(), "source", "like \"lar-2024-07-04\"");
        let publisher = self.required_string(table, "publisher", &span);
        let title = self.required_string(table, "title", &span);
        let published = self.date(table, "published", &span);
        let url = self.optional_string(table, "url");
        if let Some(url) = &url {
            if !(url.value.starts_with("https://") || url.value.starts_with("http://")) {
                self.error(
                    url.span.clone(),
                    "url must start with https:// or http://",
                    None,
                );
            }
        }
        let text = self.optional_string(table, "text");
        let as_of = self.optional_date(table, "as_of");
        Some(RawSource {
            id: id?,
            publisher: publisher?.value,
            title: title?.value,
            published: published?,
            url: url.map(|url| url.value),
            text,
            as_of: as_of?,
        })
    }

    /// A fact, or the id of a fact that had other errors (so references to it stay quiet).
    fn fact(
        &mut self,
        table: &dyn TableLike,
        span: Option<Range<usize>>,
    ) -> Result<RawFact, Option<String>> {
        self.unknown_keys(table, FACT_KEYS, "in [[facts]]");
        let id = self.required_string(table, "id", &span);
        self.check_id(id.as_ref(), "fact", "like \"trip-dates\"");
        let questions = self.string_list(table, "questions", Some(&span));
        let answer = self.required_string(table, "answer", &span);
        let snippet = self.required_string(table, "snippet", &span);
        let source = self.optional_string(table, "source");
        let follow_ups = self.string_list(table, "follow_ups", None);
        let tags = self.string_list(table, "tags", None);
        let newsroom = self.newsroom(table, &id);
        let correction = self.correction(table);
        let translations = self.translations(table, newsroom.as_ref().map(|n| n.2.is_some()));
        let partial_id = id.as_ref().map(|id| id.value.clone());
        let (Some(correction), Some(translations)) = (correction, translations) else {
            return Err(partial_id);
        };
        match (id, questions, answer, snippet, follow_ups, tags, newsroom) {
            (
                Some(id),
                Some(questions),
                Some(answer),
                Some(snippet),
                Some(follow_ups),
                Some(tags),
                Some((as_of, attribution, retracted)),
            ) => Ok(RawFact {
                id,
                questions,
                answer,
                snippet,
                source,
                follow_ups,
                tags: tags.into_iter().map(|tag| tag.value).collect(),
                as_of,
                attribution,
                retracted,
                correction,
                translations,
            }),
            _ => Err(partial_id),
        }
    }

    /// A fact's optional newsroom fields: `as_of`, `attribution`, and `status` with its `note`.
    /// `None` when one of them has an error.
    #[allow(clippy::type_complexity)]
    fn newsroom(
        &mut self,
        table: &dyn TableLike,
        id: &Option<Spanned<String>>,
    ) -> Option<(Option<String>, Option<String>, Option<String>)> {
        let mut ok = true;
        let as_of = self.optional_date(table, "as_of");
        ok &= as_of.is_some();
        let attribution = self.optional_string(table, "attribution");
        if table.get("attribution").is_some() && attribution.is_none() {
            ok = false;
        }
        if let Some(attribution) = &attribution {
            let length = attribution.value.chars().count();
            if length > ATTRIBUTION_MAX {
                self.error(
                    attribution.span.clone(),
                    format!("attribution is {length} characters; it is shown before the answer and fits {ATTRIBUTION_MAX}"),
                    Some("keep it to the person and their organisation, like \"Martin Cassinelli, Atlantic Council\"".into()),
                );
                ok = false;
            }
        }
        let status = self.optional_string(table, "status");
        if table.get("status").is_some() && status.is_none() {
            ok = false;
        }
        let note = self.optional_string(table, "note");
        if table.get("note").is_some() && note.is_none() {
            ok = false;
        }
        if let Some(note) = &note {
            let length = note.value.chars().count();
            if length > NOTE_MAX {
                self.error(
                    note.span.clone(),
                    format!("note is {length} characters; a reply fits {NOTE_MAX}"),
                    Some(
                        "say briefly what was wrong and, if there is one, where the correction is"
                            .into(),
                    ),
                );
                ok = false;
            }
        }
        let retracted = match status.as_ref().map(|s| (s.value.as_str(), s.span.clone())) {
            None | Some(("current", _)) => {
                if let Some(note) = &note {
                    let diagnostic = self.map.diagnostic(
                        Severity::Warning,
                        note.span.clone(),
                        "note is only shown for a retracted fact; it is ignored here",
                        Some(
                            "add status = \"retracted\" to retract the fact, or remove the note"
                                .into(),
                        ),
                    );
                    self.diagnostics.push(diagnostic);
                }
                None
            }
            Some(("retracted", span)) => {
                match &note {
                    Some(note) => Some(note.value.clone()),
                    None => {
                        let what = id
                            .as_ref()
                            .map_or_else(String::new, |id| format!(" \"{}\"", id.value));
                        self.error(
                        span,
                        format!("retracted fact{what} has no \"note\" saying why"),
                        Some("add note = \"…\": members who ask are told it was retracted and why".into()),
                    );
                        ok = false;
                        None
                    }
                }
            }
            Some((other, span)) => {
                let hint = did_you_mean(other, STATUSES.iter().copied()).unwrap_or_else(|| {
                    "status is \"retracted\" (with a note), or leave it out for a current fact"
                        .to_owned()
                });
                self.error(span, format!("unknown status \"{other}\""), Some(hint));
                ok = false;
                None
            }
        };
        ok.then(|| (as_of.flatten(), attribution.map(|a| a.value), retracted))
    }

    /// The optional `correction` note: `Some(None)` when absent, `None` (reported) when wrong.
    fn correction(&mut self, table: &dyn TableLike) -> Option<Option<String>> {
        if table.get("correction").is_none() {
            return Some(None);
        }
        let correction = self.optional_string(table, "correction")?;
        self.within(&correction, "correction", CORRECTION_MAX, "say what the earlier answer got wrong, like \"An earlier version said 20,000; the agreement covers 25,000.\"")
            .then_some(Some(correction.value))
    }

    /// Reports `text` when it is longer than `max` characters; whether it fits.
    fn within(&mut self, text: &Spanned<String>, what: &str, max: usize, hint: &str) -> bool {
        let length = text.value.chars().count();
        if length <= max {
            return true;
        }
        self.error(
            text.span.clone(),
            format!("{what} is {length} characters; it fits {max}"),
            Some(hint.to_owned()),
        );
        false
    }

    fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// The `[facts.translations.<code>]` tables; `None` when one has an error. `retracted` says
    /// whether the fact is retracted (unknown when its status has an error).
    fn translations(
        &mut self,
        table: &dyn TableLike,
        retracted: Option<bool>,
    ) -> Option<Vec<RawTranslation>> {
        let Some(item) = table.get("translations") else {
            return Some(Vec::new());
        };
        let Some(languages) = item.as_table_like() else {
            self.error(
                item.span(),
                format!("\"translations\" must be a table of languages, not {}", describe(item)),
                Some(format!("write [facts.translations.{}] after the fact, then title = \"…\" and answer = \"…\"", Lang::ES)),
            );
            return None;
        };
        let errors_before = self.error_count();
        let mut translations = Vec::new();
        for (code, value) in languages.iter() {
            let key_span = languages.key(code).and_then(|key| key.span());
            let Some(lang) = Lang::from_code(code).filter(|lang| *lang != Lang::EN) else {
                self.unknown_language(code, key_span);
                continue;
            };
            if let Some(translation) = self.translation(lang, value, key_span, retracted) {
                translations.push(translation);
            }
        }
        (self.error_count() == errors_before).then_some(translations)
    }

    fn unknown_language(&mut self, code: &str, span: Option<Range<usize>>) {
        let known: Vec<&str> = Lang::translations().map(Lang::code).collect();
        let known = known.join(", ");
        // No "did you mean": every two-letter code is close to every other.
        let hint = if code == Lang::EN.code() {
            format!("the fact's own texts are the English ones; translations can be in: {known}")
        } else {
            format!("translations can be in: {known} (a language needs its catalogue in src/lang/)")
        };
        self.error(
            span,
            format!("unknown language \"{code}\" in translations"),
            Some(hint),
        );
    }

    fn translation(
        &mut self,
        lang: Lang,
        value: &Item,
        key_span: Option<Range<usize>>,
        retracted: Option<bool>,
    ) -> Option<RawTranslation> {
        let Some(fields) = value.as_table_like() else {
            self.error(
                value.span().or(key_span),
                format!("translations.{lang} must be a table, not {}", describe(value)),
                Some(format!("write [facts.translations.{lang}] followed by title = \"…\" and answer = \"…\"")),
            );
            return None;
        };
        let span = match value {
            Item::Table(table) => table.span().or_else(|| self.header_span(table)),
            _ => value.span(),
        }
        .or(key_span);
        self.unknown_keys(
            fields,
            TRANSLATION_KEYS,
            &format!("in [facts.translations.{lang}]"),
        );
        let title = self.required_string(fields, "title", &span);
        let answer = self.required_string(fields, "answer", &span);
        let note = self.optional_string(fields, "note");
        let correction = self.optional_string(fields, "correction");
        let mut ok = true;
        if let Some(title) = &title {
            ok &= self.within(
                title,
                "the title",
                limits::BUTTON_LABEL,
                "it is shown as a button label: shorten it",
            );
        }
        if let Some(note) = &note {
            ok &= self.within(note, "note", NOTE_MAX, "say briefly what was wrong");
            if retracted == Some(false) {
                let diagnostic = self.map.diagnostic(
                    Severity::Warning,
                    note.span.clone(),
                    "note is only shown for a retracted fact; it is ignored here",
                    Some("add status = \"retracted\" to the fact, or remove the note".into()),
                );
                self.diagnostics.push(diagnostic);
            }
        }
        if let Some(correction) = &correction {
            ok &= self.within(
                correction,
                "correction",
                CORRECTION_MAX,
                "say briefly what the earlier answer got wrong",
            );
        }
        Some(RawTranslation {
            lang,
            title: title?,
            answer: answer?,
            note: note.map(|note| note.value),
            correction: correction.map(|correction| correction.value),
        })
        .filter(|_| ok)
    }

    fn synonyms(&mut self, item: &Item) -> Vec<RawSynonym> {
        let Some(table) = item.as_table_like() else {
            self.error(
                item.span(),
                "\"synonyms\" must be a table",
                Some("write [synonyms] and then lines like: china = [\"chinese\", \"prc\"]".into()),
            );
            return Vec::new();
        };
        let mut synonyms = Vec::new();
        for (key, _) in table.iter() {
            let key_span = table.key(key).and_then(|key| key.span());
            if !self.no_hidden_characters(key, key_span.as_ref(), "synonyms") {
                continue;
            }
            let canonical = key.trim().to_lowercase();
            if canonical.is_empty() {
                self.error(
                    key_span.clone(),
                    "a synonym's canonical term is empty",
                    None,
                );
                continue;
            }
            if let Some(variants) = self.string_list(table, key, Some(&key_span)) {
                synonyms.push(RawSynonym {
                    canonical: Spanned {
                        value: canonical,
                        span: key_span,
                    },
                    variants,
                });
            }
        }
        synonyms
    }

    /// Reports a character that would hide or reorder text, or drive a terminal, at its own
    /// position when it is written as itself and at the value when it is written as an escape.
    fn no_hidden_characters(&mut self, text: &str, span: Option<&Range<usize>>, key: &str) -> bool {
        let Some(hidden) = find_hidden(text) else {
            return true;
        };
        let at = span.map(|span| {
            let written = self.map.text().get(span.clone()).unwrap_or_default();
            let start = written
                .find(hidden.char)
                .map_or(span.start, |i| span.start + i);
            start..span.end
        });
        let character = text[..hidden.offset].chars().count() + 1;
        self.error(
            at,
            format!(
                "\"{key}\" holds {} ({}) at character {character}",
                hidden.code(),
                hidden.name
            ),
            Some(
                "delete it: such characters hide or reorder text for readers and control terminals"
                    .into(),
            ),
        );
        false
    }

    fn check_id(&mut self, id: Option<&Spanned<String>>, what: &str, example: &str) {
        if let Some(id) = id.filter(|id| !FactId::is_valid(&id.value)) {
            let hint = Some(format!(
                "use only lowercase letters, digits and dashes, {example}"
            ));
            self.error(
                id.span.clone(),
                format!("{what} id \"{}\" is not valid", id.value),
                hint,
            );
        }
    }

    fn unknown_keys(&mut self, table: &dyn TableLike, allowed: &[&str], context: &str) {
        for (key, _) in table.iter() {
            if allowed.contains(&key) {
                continue;
            }
            let span = table.key(key).and_then(|key| key.span());
            let hint = did_you_mean(key, allowed.iter().copied()).unwrap_or_else(|| {
                format!("the keys allowed {context} are: {}", allowed.join(", "))
            });
            self.error(span, format!("unknown key \"{key}\" {context}"), Some(hint));
        }
    }

    fn required_string(
        &mut self,
        table: &dyn TableLike,
        key: &str,
        parent: &Option<Range<usize>>,
    ) -> Option<Spanned<String>> {
        let value = self.optional_string(table, key);
        if value.is_none() && table.get(key).is_none() {
            self.error(
                parent.clone(),
                format!("missing \"{key}\""),
                Some(format!("add {key} = \"…\" to this table")),
            );
        }
        value
    }

    /// A non-empty string, trimmed; reports a wrong type or an empty value.
    fn optional_string(&mut self, table: &dyn TableLike, key: &str) -> Option<Spanned<String>> {
        let item = table.get(key)?;
        let Some(text) = item.as_str() else {
            self.error(
                item.span(),
                format!("\"{key}\" must be a string, not {}", describe(item)),
                Some("put the text in double quotes".into()),
            );
            return None;
        };
        self.non_empty(text, item.span(), key)
    }

    fn non_empty(
        &mut self,
        text: &str,
        span: Option<Range<usize>>,
        key: &str,
    ) -> Option<Spanned<String>> {
        if !self.no_hidden_characters(text, span.as_ref(), key) {
            return None;
        }
        let text = text.trim();
        if text.is_empty() {
            self.error(
                span,
                format!("\"{key}\" is empty"),
                Some("write the text between the quotes, or remove the key".into()),
            );
            return None;
        }
        Some(Spanned {
            value: text.to_owned(),
            span,
        })
    }

    /// A list of non-empty strings. `required` holds the parent's span when the list must be
    /// present and non-empty; an absent optional list is an empty list.
    fn string_list(
        &mut self,
        table: &dyn TableLike,
        key: &str,
        required: Option<&Option<Range<usize>>>,
    ) -> Option<Vec<Spanned<String>>> {
        let Some(item) = table.get(key) else {
            if let Some(parent) = required {
                self.error(
                    parent.clone(),
                    format!("missing \"{key}\""),
                    Some(format!("add {key} = [\"…\"] with at least one entry")),
                );
                return None;
            }
            return Some(Vec::new());
        };
        let Some(array) = item.as_array() else {
            self.error(
                item.span(),
                format!(
                    "\"{key}\" must be a list of strings, not {}",
                    describe(item)
                ),
                Some(format!("write {key} = [\"…\", \"…\"]")),
            );
            return None;
        };
        if required.is_some() && array.is_empty() {
            self.error(
                item.span(),
                format!("\"{key}\" is empty"),
                Some("add at least one entry".into()),
            );
            return None;
        }
        let mut strings = Vec::new();
        let mut ok = true;
        for value in array.iter() {
            match value.as_str() {
                Some(text) => match self.non_empty(text, value.span(), key) {
                    Some(text) => strings.push(text),
                    None => ok = false,
                },
                None => {
                    self.error(
                        value.span(),
                        format!(
                            "each entry of \"{key}\" must be a string, not {}",
                            value.type_name()
                        ),
                        Some("put each entry in double quotes".into()),
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(strings)
    }

    fn date(
        &mut self,
        table: &dyn TableLike,
        key: &str,
        parent: &Option<Range<usize>>,
    ) -> Option<String> {
        let Some(item) = table.get(key) else {
            self.error(
                parent.clone(),
                format!("missing \"{key}\""),
                Some(format!("add {key} = 2024-07-04 (a date, without quotes)")),
            );
            return None;
        };
        match item.as_value().and_then(Value::as_datetime) {
            Some(datetime) if datetime.date.is_some() && datetime.time.is_none() => {
                Some(datetime.to_string())
            }
            _ => {
                self.error(
                    item.span(),
                    format!("\"{key}\" must be a date like 2024-07-04"),
                    Some("write the date without quotes and without a time".into()),
                );
                None
            }
        }
    }
}

impl Reader<'_> {
    /// An optional date: `Some(None)` when absent, `None` (reported) when not a date.
    fn optional_date(&mut self, table: &dyn TableLike, key: &str) -> Option<Option<String>> {
        if table.get(key).is_none() {
            return Some(None);
        }
        self.date(table, key, &None).map(Some)
    }
}

fn describe(item: &Item) -> &'static str {
    match item {
        Item::None => "nothing",
        Item::Value(value) => value.type_name(),
        Item::Table(_) => "a table",
        Item::ArrayOfTables(_) => "a list of tables",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> Vec<String> {
        let mut diagnostics = Vec::new();
        parse_file(
            Path::new("t.toml"),
            text,
            &LineIndex::new(text),
            &mut diagnostics,
        );
        diagnostics.iter().map(ToString::to_string).collect()
    }

    /// The raw records of a file that must have no problem at all.
    #[track_caller]
    fn parsed_cleanly(text: &str) -> RawFile {
        let mut diagnostics = Vec::new();
        let (file, _) = parse_file(
            Path::new("t.toml"),
            text,
            &LineIndex::new(text),
            &mut diagnostics,
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        file
    }

    #[track_caller]
    fn check(text: &str, expect: &[&str]) {
        assert_eq!(messages(text), expect);
    }

    const SOURCE: &str =
        "[[sources]]\nid = \"s\"\npublisher = \"P\"\ntitle = \"T\"\npublished = 2024-07-04\n";

    #[test]
    fn a_complete_file_has_no_problems() {
        let text = format!("{SOURCE}[[facts]]\nid = \"a\"\nquestions = [\"Q?\"]\nanswer = \"A.\"\nsnippet = \"S\"\n");
        check(&text, &[]);
    }

    #[test]
    fn syntax_errors_point_at_the_spot() {
        let found = messages("[[facts]]\nid = \"a\nanswer = 1\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("t.toml:2:"), "{found:?}");
        assert!(found[0].contains("invalid TOML"), "{found:?}");
    }

    #[test]
    fn every_problem_of_a_fact_is_reported() {
        let text = format!(
            "{SOURCE}[[facts]]\nid = \"a\"\nquestions = []\nanwser = \"A.\"\nsnippet = 3\n"
        );
        check(
            &text,
            &[
                "t.toml:9:1: error: unknown key \"anwser\" in [[facts]] (did you mean \"answer\"?)",
                "t.toml:8:13: error: \"questions\" is empty (add at least one entry)",
                "t.toml:6:1: error: missing \"answer\" (add answer = \"…\" to this table)",
                "t.toml:10:11: error: \"snippet\" must be a string, not integer (put the text in double quotes)",
            ],
        );
    }

    #[test]
    fn dates_must_be_toml_dates() {
        let text = "[[sources]]\nid = \"s\"\npublisher = \"P\"\ntitle = \"T\"\npublished = \"July 4\"\n[[facts]]\nid = \"a\"\nquestions = [\"Q?\"]\nanswer = \"A.\"\nsnippet = \"S\"\n";
        check(text, &["t.toml:5:13: error: \"published\" must be a date like 2024-07-04 (write the date without quotes and without a time)"]);
    }

    #[test]
    fn newsroom_fields_are_read_and_checked_where_written() {
        let ok = format!(
            "{SOURCE}as_of = 2024-07-05\n[[facts]]\nid = \"a\"\nquestions = [\"Q?\"]\nanswer = \"A.\"\nsnippet = \"S\"\nas_of = 2024-07-04\nattribution = \"Martin Cassinelli, Atlantic Council\"\nstatus = \"retracted\"\nnote = \"The figure was wrong.\"\n"
        );
        let file = parsed_cleanly(&ok);
        assert_eq!(file.sources[0].as_of.as_deref(), Some("2024-07-05"));
        let fact = &file.facts[0];
        assert_eq!(fact.as_of.as_deref(), Some("2024-07-04"));
        assert_eq!(
            fact.attribution.as_deref(),
            Some("Martin Cassinelli, Atlantic Council")
        );
        assert_eq!(fact.retracted.as_deref(), Some("The figure was wrong."));

        let facts =
            "[[facts]]\nid = \"a\"\nquestions = [\"Q?\"]\nanswer = \"A.\"\nsnippet = \"S\"\n";
        check(
            &format!("{SOURCE}{facts}as_of = \"July 4\"\nstatus = \"retraced\"\nattribution = \"\"\n"),
            &[
                "t.toml:11:9: error: \"as_of\" must be a date like 2024-07-04 (write the date without quotes and without a time)",
                "t.toml:13:15: error: \"attribution\" is empty (write the text between the quotes, or remove the key)",
                "t.toml:12:10: error: unknown status \"retraced\" (did you mean \"retracted\"?)",
            ],
        );
        check(
            &format!("{SOURCE}{facts}status = \"retracted\"\n"),
            &["t.toml:11:10: error: retracted fact \"a\" has no \"note\" saying why (add note = \"…\": members who ask are told it was retracted and why)"],
        );
        check(
            &format!("{SOURCE}{facts}note = \"Why\"\n"),
            &["t.toml:11:8: warning: note is only shown for a retracted fact; it is ignored here (add status = \"retracted\" to retract the fact, or remove the note)"],
        );
        let long = "x".repeat(ATTRIBUTION_MAX + 1);
        let found = messages(&format!("{SOURCE}{facts}attribution = \"{long}\"\n"));
        assert!(
            found.len() == 1
                && found[0].starts_with("t.toml:11:15: error: attribution is 201 characters"),
            "{found:?}"
        );
    }

    #[test]
    fn translations_are_read_and_checked_where_written() {
        let facts =
            "[[facts]]\nid = \"a\"\nquestions = [\"Q?\"]\nanswer = \"A.\"\nsnippet = \"S\"\ncorrection = \"It said B.\"\n";
        let ok = format!("{SOURCE}{facts}[facts.translations.es]\ntitle = \"¿P?\"\nanswer = \"R.\"\ncorrection = \"Decía B.\"\n");
        let file = parsed_cleanly(&ok);
        let fact = &file.facts[0];
        assert_eq!(fact.correction.as_deref(), Some("It said B."));
        let es = &fact.translations[0];
        assert_eq!(
            (es.lang, es.title.value.as_str(), es.answer.value.as_str()),
            (Lang::ES, "¿P?", "R.")
        );
        assert_eq!(es.correction.as_deref(), Some("Decía B."));

        check(
            &format!("{SOURCE}{facts}[facts.translations.fr]\ntitle = \"Q\"\nanswer = \"R\"\n[facts.translations.en]\ntitle = \"Q\"\nanswer = \"R\"\n[facts.translations.ex]\ntitle = \"Q\"\nanswer = \"R\"\n"),
            &[
                "t.toml:12:21: error: unknown language \"fr\" in translations (translations can be in: es (a language needs its catalogue in src/lang/))",
                "t.toml:15:21: error: unknown language \"en\" in translations (the fact's own texts are the English ones; translations can be in: es)",
                "t.toml:18:21: error: unknown language \"ex\" in translations (translations can be in: es (a language needs its catalogue in src/lang/))",
            ],
        );
        check(
            &format!("{SOURCE}{facts}[facts.translations.es]\ntitel = \"¿P?\"\nanswer = \"\"\n"),
            &[
                "t.toml:13:1: error: unknown key \"titel\" in [facts.translations.es] (did you mean \"title\"?)",
                "t.toml:12:1: error: missing \"title\" (add title = \"…\" to this table)",
                "t.toml:14:10: error: \"answer\" is empty (write the text between the quotes, or remove the key)",
            ],
        );
        let long = "x".repeat(crate::limits::BUTTON_LABEL + 1);
        check(
            &format!("{SOURCE}{facts}[facts.translations.es]\ntitle = \"{long}\"\nanswer = \"R\"\nnote = \"N\"\n"),
            &[
                "t.toml:13:9: error: the title is 81 characters; it fits 80 (it is shown as a button label: shorten it)",
                "t.toml:15:8: warning: note is only shown for a retracted fact; it is ignored here (add status = \"retracted\" to the fact, or remove the note)",
            ],
        );
        check(
            &format!("{SOURCE}{facts}translations = \"es\"\n"),
            &["t.toml:12:16: error: \"translations\" must be a table of languages, not string (write [facts.translations.es] after the fact, then title = \"…\" and answer = \"…\")"],
        );
        check(
            &format!("{SOURCE}{facts}translations = {{ es = 3 }}\n"),
            &["t.toml:12:23: error: translations.es must be a table, not integer (write [facts.translations.es] followed by title = \"…\" and answer = \"…\")"],
        );
    }

    #[test]
    fn hidden_and_control_characters_are_refused_where_they_are() {
        let facts = |answer: &str| {
            format!("{SOURCE}[[facts]]\nid = \"a\"\nquestions = [\"Q?\"]\nanswer = \"{answer}\"\nsnippet = \"S\"\n")
        };
        check(
            &facts("Paid \\u001b[31m20"),
            &["t.toml:9:10: error: \"answer\" holds U+001B (an escape character (ESC)) at character 6 (delete it: such characters hide or reorder text for readers and control terminals)"],
        );
        check(
            &facts("It cost 20 \u{202e}000,1"),
            &["t.toml:9:22: error: \"answer\" holds U+202E (a right-to-left override) at character 12 (delete it: such characters hide or reorder text for readers and control terminals)"],
        );
        check(
            &facts("\\u0085Lead"),
            &["t.toml:9:10: error: \"answer\" holds U+0085 (a C1 control character) at character 1 (delete it: such characters hide or reorder text for readers and control terminals)"],
        );
        let found = messages(&format!(
            "{SOURCE}[synonyms]\n\"hua\u{200b}wei\" = [\"x\"]\n[[facts]]\nid = \"a\"\nquestions = [\"Q\u{2066}?\"]\nanswer = \"A\"\nsnippet = \"S\"\n"
        ));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].starts_with("t.toml:10:16: error: \"questions\" holds U+2066"),
            "{found:?}"
        );
        assert!(
            found[1].starts_with("t.toml:7:5: error: \"synonyms\" holds U+200B"),
            "{found:?}"
        );
        check(
            &facts("Emoji \u{1f469}\u{200d}\u{1f4bb} and tabs\\tare fine"),
            &[],
        );
    }

    #[test]
    fn a_file_without_facts_is_an_error() {
        check(SOURCE, &["t.toml:1:1: error: this file has no [[facts]] (add at least one [[facts]] table, or remove the file)"]);
    }
}
