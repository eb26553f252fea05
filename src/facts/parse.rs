//! One facts file's TOML to raw records that keep their spans.
//!
//! This walks the TOML tree by hand instead of deriving serde, because serde stops at the first
//! problem and moderators need every problem of a file at once, each at its own line and column.
//! Nothing here looks across files: ids and references are checked by `load`.

use std::ops::Range;
use std::path::Path;

use toml_edit::{ImDocument, Item, TableLike, Value};

use super::diag::{did_you_mean, Diagnostic, Severity, SourceMap};
use super::FactId;

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
const SOURCE_KEYS: &[&str] = &["id", "publisher", "title", "published", "url", "text"];
const FACT_KEYS: &[&str] = &[
    "id",
    "questions",
    "answer",
    "snippet",
    "source",
    "follow_ups",
    "tags",
];

/// Parses one file, appending every problem found to `diagnostics`.
pub(crate) fn parse_file(path: &Path, text: &str, diagnostics: &mut Vec<Diagnostic>) -> RawFile {
    let mut reader = Reader {
        map: SourceMap::new(path, text),
        diagnostics,
    };
    let document = match ImDocument::parse(text) {
        Ok(document) => document,
        Err(error) => {
            let message = format!("invalid TOML: {}", error.message().trim_end());
            reader.error(
                error.span(),
                message,
                Some("check the quotes, brackets and commas around this spot".into()),
            );
            return RawFile::default();
        }
    };
    reader.file(document.as_table())
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
        Some(RawSource {
            id: id?,
            publisher: publisher?.value,
            title: title?.value,
            published: published?,
            url: url.map(|url| url.value),
            text,
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
        let partial_id = id.as_ref().map(|id| id.value.clone());
        match (id, questions, answer, snippet, follow_ups, tags) {
            (
                Some(id),
                Some(questions),
                Some(answer),
                Some(snippet),
                Some(follow_ups),
                Some(tags),
            ) => Ok(RawFact {
                id,
                questions,
                answer,
                snippet,
                source,
                follow_ups,
                tags: tags.into_iter().map(|tag| tag.value).collect(),
            }),
            _ => Err(partial_id),
        }
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
        parse_file(Path::new("t.toml"), text, &mut diagnostics);
        diagnostics.iter().map(ToString::to_string).collect()
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
    fn a_file_without_facts_is_an_error() {
        check(SOURCE, &["t.toml:1:1: error: this file has no [[facts]] (add at least one [[facts]] table, or remove the file)"]);
    }
}
