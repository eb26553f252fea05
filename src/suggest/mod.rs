//! Question patterns suggested from what members really asked: the facts learn from use.
//!
//! When a member clicks a fact on a "did you mean" or "I don't know" reply, the click is
//! recorded with the question that reply was for (see `history::Click::question`): the
//! member's own words for that fact, which its patterns were missing. [`Suggestions::build`]
//! groups those clicks by fact and by the matcher's reading of the question, counts the
//! questions resolved (one asking, one count, whoever clicked: no user is stored), cleans the
//! wording into a pattern ([`clean`]), and warns where the pattern, once added, would lead to
//! another fact more strongly than to its own (the same test as `check`'s lint). Questions
//! nobody resolved come as today's gaps, for a moderator to place on a fact by hand.
//!
//! Nothing here writes: a moderator accepts a suggestion by its id ([`SuggestionId`]) and
//! `facts::add_questions` writes it. Never automatically.

mod clean;

use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};

use serde::Serialize;

pub use clean::{pattern_of, PATTERN_MAX};

use crate::clock;
use crate::facts::{self, Addition, Edit, EditError, FactBase, FactId};
use crate::history::{Database, DbError, Gaps, ResolvedRow, GAP_ROWS};
use crate::matcher::{lint_message, MatchSettings, Matcher};
use crate::store::{FactStore, Snapshot};

/// Resolving clicks read at most (the newest): months of a busy bot.
pub const RESOLVED_ROWS: usize = 200_000;

/// A suggestion's id: a hash of its fact and of the matcher's reading of its wording, so the
/// same suggestion keeps its id from one run to the next (and a dismissal sticks) without
/// storing any text. Ten hexadecimal digits: short enough to type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SuggestionId(u64);

const ID_DIGITS: usize = 10;

impl SuggestionId {
    fn of(fact: &str, reading: &str) -> Self {
        // FNV-1a: stable across versions and platforms, unlike std's hasher.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in fact.bytes().chain([0]).chain(reading.bytes()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        Self(hash & ((1 << (4 * ID_DIGITS)) - 1))
    }

    /// Reads an id as shown (ten lowercase hexadecimal digits); anything else is `None`.
    pub fn parse(text: &str) -> Option<Self> {
        let well_formed = text.len() == ID_DIGITS
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        well_formed
            .then(|| u64::from_str_radix(text, 16).ok())
            .flatten()
            .map(Self)
    }
}

impl fmt::Display for SuggestionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:0width$x}", self.0, width = ID_DIGITS)
    }
}

/// A pattern proposed for a fact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub id: String,
    pub fact: String,
    /// The fact's title.
    pub fact_question: String,
    /// The pattern to add: the most asked wording, cleaned.
    pub pattern: String,
    /// Questions resolved to this fact with this reading (each asking counts once).
    pub count: u64,
    /// The other wordings seen, cleaned, most asked first.
    pub other_wordings: Vec<String>,
    pub last_clicked: String,
    /// Set when the pattern, added, would lead to another fact more strongly than to its own.
    pub warning: Option<Warning>,
}

/// Why a suggestion deserves a second look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The fact the pattern would lead to instead.
    pub leads_to: String,
    /// `check`'s words for it.
    pub message: String,
}

/// What `suggest` shows: the patterns proposed, best first, and the questions nobody resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestions {
    pub days: u32,
    /// The first day counted (UTC).
    pub since: String,
    pub suggestions: Vec<Suggestion>,
    /// Suggestions left out past the limit.
    pub more: usize,
    pub gaps: Gaps,
}

/// Which suggestions to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Query {
    pub days: u32,
    /// Unix seconds: clicks before are not counted.
    pub since: i64,
    /// Suggestions resolved fewer times than this are left out.
    pub min_count: u64,
    /// Suggestions shown at most (each shown one is checked with a rebuilt index).
    pub limit: usize,
    /// Gap groups shown at most.
    pub gaps: usize,
    /// Whether each suggestion is checked for a warning (an index rebuilt per suggestion):
    /// off when looking one up by id, which is then checked alone ([`Suggestion::check`]).
    pub warnings: bool,
}

impl Query {
    /// The last `days` days (today, UTC, included), every suggestion resolved `min_count`
    /// times or more, `limit` of them and `gaps` gap groups.
    pub fn last_days(days: u32, min_count: u64, limit: usize, gaps: usize) -> Self {
        Self {
            days,
            since: clock::days_back(clock::now(), days),
            min_count,
            limit,
            gaps,
            warnings: true,
        }
    }

    /// Every suggestion, unchecked, no gaps: for finding some by id.
    #[must_use]
    pub fn all(self) -> Self {
        Self {
            min_count: 1,
            limit: usize::MAX,
            gaps: 0,
            warnings: false,
            ..self
        }
    }
}

/// Reads the suggestions from the question log `db` for the facts in `snapshot`.
pub fn read(
    db: &mut Database,
    snapshot: &Snapshot,
    settings: &MatchSettings,
    query: Query,
) -> Result<Suggestions, DbError> {
    let resolved = db.resolved(query.since, RESOLVED_ROWS)?;
    let dismissed: HashSet<String> = db.dismissed()?.into_iter().collect();
    let unanswered = db.unanswered(query.since, GAP_ROWS)?;
    let gaps = Gaps::build(
        &unanswered,
        Some(&snapshot.base),
        query.days,
        query.since,
        query.gaps,
    );
    Ok(Suggestions::build(
        &resolved, &dismissed, snapshot, settings, query, gaps,
    ))
}

/// Writes `additions` into the facts files `store` loads, validated like `check` and
/// atomically (see [`facts::add_questions`]); the running bot's watcher reloads them.
pub fn write(store: &FactStore, additions: &[Addition]) -> Result<Edit, EditError> {
    let snapshot = store.snapshot();
    let edit = facts::add_questions(store.paths(), store.options(), &snapshot.base, additions)?;
    edit.write()?;
    Ok(edit)
}

/// The clicks of one fact with one reading of the question.
struct Group {
    fact: usize,
    reading: String,
    questions: HashSet<i64>,
    /// Cleaned wording → (questions, latest click).
    wordings: HashMap<String, (u64, i64)>,
    last_at: i64,
}

impl Suggestions {
    /// The suggestions from `resolved` clicks and the facts in `snapshot` (indexed with
    /// `settings`), leaving out `dismissed` ids, facts no longer there or retracted, and
    /// wordings the facts already answer with that fact; `gaps` are today's gaps.
    pub fn build(
        resolved: &[ResolvedRow],
        dismissed: &HashSet<String>,
        snapshot: &Snapshot,
        settings: &MatchSettings,
        query: Query,
        gaps: Gaps,
    ) -> Self {
        let base = &snapshot.base;
        let mut groups = group(resolved, base);
        groups.sort_by(|a, b| {
            (b.questions.len(), b.last_at, &a.reading).cmp(&(
                a.questions.len(),
                a.last_at,
                &b.reading,
            ))
        });
        let mut suggestions = Vec::new();
        let mut more = 0;
        for group in groups {
            let Some(suggestion) = candidate(&group, base, &snapshot.matcher, dismissed) else {
                continue;
            };
            if suggestion.count < query.min_count {
                continue;
            }
            if suggestions.len() == query.limit {
                more += 1;
                continue;
            }
            suggestions.push(suggestion);
        }
        if query.warnings {
            for suggestion in &mut suggestions {
                suggestion.check(base, settings);
            }
        }
        Self {
            days: query.days,
            since: clock::date(query.since),
            suggestions,
            more,
            gaps,
        }
    }

    /// The suggestion with id `id`.
    pub fn find(&self, id: &str) -> Option<&Suggestion> {
        self.suggestions.iter().find(|s| s.id == id)
    }

    /// The suggestions resolved at least `count` times that carry no warning: what
    /// `--accept-all` takes (one with a warning is accepted only by its id, deliberately).
    pub fn above(&self, count: u64) -> impl Iterator<Item = &Suggestion> {
        self.suggestions
            .iter()
            .filter(move |s| s.count >= count && s.warning.is_none())
    }

    pub fn to_text(&self) -> String {
        let mut out = format!(
            "Suggested question patterns, last {} day(s) (since {} UTC): {}\n",
            self.days,
            self.since,
            self.suggestions.len() + self.more
        );
        if self.suggestions.is_empty() {
            out.push_str("\nNone: no member has clicked a fact on a \u{201C}did you mean\u{201D} or \u{201C}I don't know\u{201D} reply that the facts do not answer already.\n");
        }
        for (at, suggestion) in self.suggestions.iter().enumerate() {
            let _ = write!(out, "\n{}. ", at + 1);
            out.push_str(&suggestion.to_text());
        }
        if self.more > 0 {
            let _ = writeln!(out, "\n\u{2026} and {} more.", self.more);
        }
        if !self.gaps.groups.is_empty() {
            out.push('\n');
            out.push_str(&self.gaps.to_text());
        }
        out
    }
}

impl Suggestion {
    /// Three to five lines: id and pattern, the fact, the count, other wordings, the warning;
    /// the first line is left for a number before it.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "{}  add \u{201C}{}\u{201D}\n   to {} \u{201C}{}\u{201D}\n   {} question(s) resolved by a click, last {}\n",
            self.id, self.pattern, self.fact, self.fact_question, self.count, self.last_clicked
        );
        if !self.other_wordings.is_empty() {
            let _ = writeln!(out, "   also asked as: {}", quoted(&self.other_wordings));
        }
        if let Some(warning) = &self.warning {
            let _ = writeln!(out, "   WARNING: {}", warning.message);
        }
        out
    }

    /// Sets [`Self::warning`]: `check`'s lint for the pattern, with the facts of `base`
    /// indexed again with it added.
    pub fn check(&mut self, base: &FactBase, settings: &MatchSettings) {
        self.warning = warning(base, settings, &self.fact, &self.pattern);
    }

    /// What accepting it adds.
    pub fn addition(&self) -> Addition {
        Addition {
            fact: FactId::new(&self.fact).unwrap_or_else(|| FactId::new_unchecked(&self.fact)),
            question: self.pattern.clone(),
        }
    }
}

fn quoted(wordings: &[String]) -> String {
    wordings
        .iter()
        .map(|w| format!("\u{201C}{w}\u{201D}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The clicks grouped by fact and reading, for facts still in `base`.
fn group(resolved: &[ResolvedRow], base: &FactBase) -> Vec<Group> {
    let mut groups: HashMap<(usize, String), Group> = HashMap::new();
    for row in resolved {
        let Some(fact) = base.index_of(&row.fact) else {
            continue;
        };
        let Some(wording) = pattern_of(&row.question) else {
            continue;
        };
        let reading = if row.normalized.trim().is_empty() {
            wording.to_lowercase()
        } else {
            row.normalized.clone()
        };
        let group = groups
            .entry((fact, reading.clone()))
            .or_insert_with(|| Group {
                fact,
                reading,
                questions: HashSet::new(),
                wordings: HashMap::new(),
                last_at: row.at,
            });
        let first_click = group.questions.insert(row.question_id);
        let seen = group.wordings.entry(wording).or_insert((0, row.at));
        seen.0 += u64::from(first_click);
        seen.1 = seen.1.max(row.at);
        group.last_at = group.last_at.max(row.at);
    }
    groups.into_values().collect()
}

/// The suggestion of `group`, unless it is dismissed, for a retracted fact, or already answered
/// with its fact.
fn candidate(
    group: &Group,
    base: &FactBase,
    matcher: &Matcher,
    dismissed: &HashSet<String>,
) -> Option<Suggestion> {
    let fact = &base.facts[group.fact];
    let id = SuggestionId::of(fact.id.as_str(), &group.reading).to_string();
    if fact.is_retracted() || dismissed.contains(&id) {
        return None;
    }
    let mut wordings: Vec<(&String, &(u64, i64))> = group.wordings.iter().collect();
    wordings.sort_by(|a, b| (b.1 .0, b.1 .1, a.0).cmp(&(a.1 .0, a.1 .1, b.0)));
    let pattern = wordings.first()?.0.clone();
    let known = fact
        .questions
        .iter()
        .any(|q| q.trim().eq_ignore_ascii_case(&pattern));
    if known || matcher.ask(&pattern).answer() == Some(group.fact) {
        return None;
    }
    Some(Suggestion {
        id,
        fact: fact.id.to_string(),
        fact_question: fact.title().to_owned(),
        pattern,
        count: group.questions.len() as u64,
        other_wordings: wordings
            .iter()
            .skip(1)
            .take(3)
            .map(|w| w.0.clone())
            .collect(),
        last_clicked: clock::date_time(group.last_at),
        warning: None,
    })
}

/// `check`'s lint for `pattern` as a pattern of `fact`: the facts indexed again with it added.
fn warning(
    base: &FactBase,
    settings: &MatchSettings,
    fact: &str,
    pattern: &str,
) -> Option<Warning> {
    let index = base.index_of(fact)?;
    let mut with = base.clone();
    with.facts[index].questions.push(pattern.to_owned());
    with.facts[index].question_positions.push((0, 0));
    let matcher = Matcher::new(&with, settings);
    let other = matcher.leads_elsewhere(&with, index, pattern)?;
    let other_id = &with.facts[other].id;
    Some(Warning {
        leads_to: other_id.to_string(),
        message: format!(
            "{}: members asking this way would get that fact's answer",
            lint_message(pattern, other_id, &with.facts[index].id)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FACTS: &str = "[[sources]]\nid = \"s\"\npublisher = \"P\"\ntitle = \"T\"\npublished = 2024-07-04\n\
        [[facts]]\nid = \"port-cost\"\nquestions = [\"How much did the Chancay port cost?\"]\nanswer = \"$3.5 billion.\"\nsnippet = \"S\"\n\
        [[facts]]\nid = \"port-owner\"\nquestions = [\"Who owns the Chancay port?\"]\nanswer = \"Cosco.\"\nsnippet = \"S\"\n\
        [[facts]]\nid = \"old\"\nquestions = [\"What was the first estimate?\"]\nanswer = \"$1 billion.\"\nsnippet = \"S\"\nstatus = \"retracted\"\nnote = \"Wrong.\"\n";

    fn snapshot() -> Snapshot {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("story.toml");
        std::fs::write(&path, FACTS).unwrap();
        Snapshot::load(&[path], &MatchSettings::default()).unwrap()
    }

    fn row(snapshot: &Snapshot, question_id: i64, at: i64, text: &str, fact: &str) -> ResolvedRow {
        ResolvedRow {
            at,
            fact: fact.into(),
            question_id,
            question: text.into(),
            normalized: snapshot.matcher.normalized(text),
        }
    }

    fn query() -> Query {
        Query {
            days: 7,
            since: 0,
            min_count: 1,
            limit: 10,
            gaps: 0,
            warnings: true,
        }
    }

    #[test]
    fn questions_resolved_to_a_fact_are_counted_once_each_and_the_most_resolved_come_first() {
        let snapshot = snapshot();
        let rows = [
            row(
                &snapshot,
                1,
                10,
                "<@5> which firm runs the harbour",
                "port-owner",
            ),
            row(
                &snapshot,
                1,
                11,
                "<@5> which firm runs the harbour",
                "port-owner",
            ),
            row(
                &snapshot,
                2,
                12,
                "Which firm runs the harbour??",
                "port-owner",
            ),
            row(
                &snapshot,
                3,
                13,
                "hey what did it set them back",
                "port-cost",
            ),
            row(&snapshot, 4, 14, "what did it set them back", "old"),
            row(&snapshot, 5, 15, "who owns the chancay port", "port-owner"),
            row(&snapshot, 6, 16, "something", "gone-fact"),
        ];
        let settings = MatchSettings::default();
        let empty = Gaps::build(&[], None, 7, 0, 0);
        let built = Suggestions::build(
            &rows,
            &HashSet::new(),
            &snapshot,
            &settings,
            query(),
            empty.clone(),
        );
        let found: Vec<(&str, &str, u64)> = built
            .suggestions
            .iter()
            .map(|s| (s.fact.as_str(), s.pattern.as_str(), s.count))
            .collect();
        assert_eq!(
            found,
            [
                ("port-owner", "Which firm runs the harbour?", 2),
                ("port-cost", "What did it set them back", 1),
            ],
            "a click twice on one reply counts once; retracted, removed and already answered facts are left out"
        );
        assert_eq!(
            built.suggestions[0].other_wordings,
            ["Which firm runs the harbour"]
        );
        let dismissed: HashSet<String> = [built.suggestions[0].id.clone()].into();
        let again = Suggestions::build(
            &rows,
            &dismissed,
            &snapshot,
            &settings,
            query(),
            empty.clone(),
        );
        assert_eq!(again.suggestions.len(), 1);
        assert_eq!(again.suggestions[0].fact, "port-cost");
        let at_least_two = Query {
            min_count: 2,
            ..query()
        };
        let few = Suggestions::build(
            &rows,
            &HashSet::new(),
            &snapshot,
            &settings,
            at_least_two,
            empty,
        );
        assert_eq!(few.suggestions.len(), 1);
        let text = few.to_text();
        assert!(text.contains("1. "), "{text}");
        assert!(text.contains("add \u{201C}Which firm runs the harbour?\u{201D}\n   to port-owner \u{201C}Who owns the Chancay port?\u{201D}\n   2 question(s) resolved by a click"), "{text}");
    }

    #[test]
    fn ids_are_stable_short_and_read_back() {
        let id = SuggestionId::of("cosco-port", "cosco happen");
        assert_eq!(id, SuggestionId::of("cosco-port", "cosco happen"));
        assert_ne!(id, SuggestionId::of("cosco-rights", "cosco happen"));
        let text = id.to_string();
        assert_eq!(text.len(), ID_DIGITS);
        assert_eq!(SuggestionId::parse(&text), Some(id));
        for bad in ["", "123", "ABCDEF0123", "0123456789a", "012345678g"] {
            assert_eq!(SuggestionId::parse(bad), None, "{bad}");
        }
    }
}
