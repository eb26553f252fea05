//! The moderators' two reports, built from the database's rows and the live facts: `gaps`,
//! what members asked that the facts did not answer, grouped, most asked first; and `stats`.
//!
//! Both are plain data (serialisable for `--json`) with a text rendering shared by the terminal
//! and Discord, which cuts it to fit with [`crate::limits::truncate_lines`].

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use serde::Serialize;

use super::db::{GapRow, StatsRows};
use crate::clock;
use crate::facts::FactBase;

/// Two groups whose normalised forms share at least this share of their terms (Jaccard) are
/// one gap: "boluarte japan visit" and "boluarte japan visit when".
const SIMILAR: f64 = 0.75;
/// Groups compared for merging at most; past the top ones, groups are only counted.
const MERGE_WINDOW: usize = 500;

/// A fact named in a report, with its title when it is still in the live facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopFact {
    pub id: String,
    pub question: Option<String>,
    pub count: u64,
}

impl TopFact {
    fn new(id: &str, count: u64, base: Option<&FactBase>) -> Self {
        Self {
            id: id.to_owned(),
            question: base
                .and_then(|base| base.get(id))
                .map(|fact| fact.title().to_owned()),
            count,
        }
    }

    fn describe(&self) -> String {
        match &self.question {
            Some(question) => format!("{} \u{201C}{question}\u{201D}", self.id),
            None => format!("{} (no longer in the facts)", self.id),
        }
    }
}

/// Questions the facts did not answer, asked the same way (in the matcher's reading).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub count: u64,
    pub unknown: u64,
    pub ambiguous: u64,
    /// The latest wording asked.
    pub example: String,
    pub normalized: String,
    pub last_asked: String,
    /// The fact most often closest to these questions: where an answer might be added.
    pub closest: Option<TopFact>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gaps {
    pub days: u32,
    /// The first day counted (UTC).
    pub since: String,
    /// Unanswered questions in the period.
    pub questions: u64,
    pub groups: Vec<Gap>,
    /// Groups left out past the limit.
    pub more: usize,
}

struct Group {
    terms: BTreeSet<String>,
    normalized: String,
    count: u64,
    unknown: u64,
    ambiguous: u64,
    example: String,
    last_at: i64,
    closest: HashMap<String, u64>,
}

impl Group {
    fn absorb(&mut self, other: Group) {
        self.count += other.count;
        self.unknown += other.unknown;
        self.ambiguous += other.ambiguous;
        if other.last_at > self.last_at {
            self.last_at = other.last_at;
            self.example = other.example;
        }
        for (id, n) in other.closest {
            *self.closest.entry(id).or_default() += n;
        }
    }

    fn similar(&self, other: &Group) -> bool {
        let shared = self.terms.intersection(&other.terms).count();
        let all = self.terms.union(&other.terms).count();
        all > 0 && shared as f64 / all as f64 >= SIMILAR
    }
}

impl Gaps {
    /// Groups `rows` (newest first) and keeps the `limit` most asked groups.
    pub fn build(
        rows: &[GapRow],
        base: Option<&FactBase>,
        days: u32,
        since: i64,
        limit: usize,
    ) -> Self {
        let mut by_form: HashMap<String, Group> = HashMap::new();
        for row in rows {
            let key = if row.normalized.trim().is_empty() {
                row.question.trim().to_lowercase()
            } else {
                row.normalized.clone()
            };
            let group = by_form.entry(key.clone()).or_insert_with(|| Group {
                terms: key.split_whitespace().map(str::to_owned).collect(),
                normalized: key,
                count: 0,
                unknown: 0,
                ambiguous: 0,
                example: row.question.clone(),
                last_at: row.at,
                closest: HashMap::new(),
            });
            group.count += 1;
            if row.ambiguous {
                group.ambiguous += 1;
            } else {
                group.unknown += 1;
            }
            if row.at > group.last_at {
                group.last_at = row.at;
                group.example.clone_from(&row.question);
            }
            if let Some(closest) = &row.closest {
                *group.closest.entry(closest.clone()).or_default() += 1;
            }
        }
        let mut groups: Vec<Group> = by_form.into_values().collect();
        sort(&mut groups);
        let mut kept: Vec<Group> = Vec::new();
        for group in groups {
            let window = kept.len().min(MERGE_WINDOW);
            match kept[..window].iter_mut().find(|k| k.similar(&group)) {
                Some(into) => into.absorb(group),
                None => kept.push(group),
            }
        }
        sort(&mut kept);
        let more = kept.len().saturating_sub(limit);
        kept.truncate(limit);
        Self {
            days,
            since: clock::date(since),
            questions: rows.len() as u64,
            groups: kept
                .into_iter()
                .map(|group| {
                    let closest = group
                        .closest
                        .iter()
                        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                        .map(|(id, &n)| TopFact::new(id, n, base));
                    Gap {
                        count: group.count,
                        unknown: group.unknown,
                        ambiguous: group.ambiguous,
                        example: group.example,
                        normalized: group.normalized,
                        last_asked: clock::date_time(group.last_at),
                        closest,
                    }
                })
                .collect(),
            more,
        }
    }

    pub fn to_text(&self) -> String {
        let mut out = format!(
            "Unanswered questions, last {} day(s) (since {} UTC): {} in {} group(s)\n",
            self.days,
            self.since,
            self.questions,
            self.groups.len() + self.more
        );
        if self.groups.is_empty() {
            out.push_str("\nNothing to do: every question was answered.\n");
            return out;
        }
        for (number, gap) in self.groups.iter().enumerate() {
            let _ = write!(
                out,
                "\n{}. {}\u{00D7} \u{201C}{}\u{201D}\n   {} unknown, {} ambiguous; last asked {}\n",
                number + 1,
                gap.count,
                gap.example,
                gap.unknown,
                gap.ambiguous,
                gap.last_asked
            );
            if let Some(closest) = &gap.closest {
                let _ = writeln!(out, "   closest fact: {}", closest.describe());
            }
        }
        if self.more > 0 {
            let _ = write!(out, "\n\u{2026} and {} smaller group(s).\n", self.more);
        }
        out
    }
}

fn sort(groups: &mut [Group]) {
    groups.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(b.last_at.cmp(&a.last_at))
            .then_with(|| a.normalized.cmp(&b.normalized))
    });
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatsDay {
    pub day: String,
    pub questions: u64,
    pub answered: u64,
    pub ambiguous: u64,
    pub unknown: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub days: u32,
    pub since: String,
    pub questions: u64,
    pub answered: u64,
    pub ambiguous: u64,
    pub unknown: u64,
    /// Shares of `questions`, 0..=1 (0 when there were none).
    pub answered_rate: f64,
    pub ambiguous_rate: f64,
    pub unknown_rate: f64,
    pub per_day: Vec<StatsDay>,
    pub top_facts: Vec<TopFact>,
    pub follow_up_clicks: u64,
    pub top_clicked: Vec<TopFact>,
    pub helpful: u64,
    pub not_helpful: u64,
}

impl Stats {
    pub fn build(rows: &StatsRows, base: Option<&FactBase>, days: u32, since: i64) -> Self {
        let per_day: Vec<StatsDay> = rows
            .days
            .iter()
            .map(|(day, answered, ambiguous, unknown)| StatsDay {
                day: day.clone(),
                questions: answered + ambiguous + unknown,
                answered: *answered,
                ambiguous: *ambiguous,
                unknown: *unknown,
            })
            .collect();
        let sum = |f: fn(&StatsDay) -> u64| per_day.iter().map(f).sum::<u64>();
        let (answered, ambiguous, unknown) = (
            sum(|d| d.answered),
            sum(|d| d.ambiguous),
            sum(|d| d.unknown),
        );
        let questions = answered + ambiguous + unknown;
        let rate = |n: u64| {
            if questions == 0 {
                0.0
            } else {
                n as f64 / questions as f64
            }
        };
        let top = |list: &[(String, u64)]| {
            list.iter()
                .map(|(id, n)| TopFact::new(id, *n, base))
                .collect()
        };
        Self {
            days,
            since: clock::date(since),
            questions,
            answered,
            ambiguous,
            unknown,
            answered_rate: rate(answered),
            ambiguous_rate: rate(ambiguous),
            unknown_rate: rate(unknown),
            per_day,
            top_facts: top(&rows.answered),
            follow_up_clicks: rows.clicks,
            top_clicked: top(&rows.clicked),
            helpful: rows.helpful,
            not_helpful: rows.not_helpful,
        }
    }

    pub fn to_text(&self) -> String {
        let percent = |rate: f64| format!("{:.1}%", rate * 100.0);
        let mut out = format!(
            "Questions, last {} day(s) (since {} UTC): {}\n",
            self.days, self.since, self.questions
        );
        if self.questions > 0 {
            let _ = writeln!(
                out,
                "answered {} ({}), ambiguous {} ({}), unknown {} ({})",
                self.answered,
                percent(self.answered_rate),
                self.ambiguous,
                percent(self.ambiguous_rate),
                self.unknown,
                percent(self.unknown_rate)
            );
            out.push_str("\nPer day (answered / ambiguous / unknown):\n");
            for day in &self.per_day {
                let _ = writeln!(
                    out,
                    "  {}  {:>5}  ({} / {} / {})",
                    day.day, day.questions, day.answered, day.ambiguous, day.unknown
                );
            }
        }
        if !self.top_facts.is_empty() {
            out.push_str("\nMost answered facts:\n");
            for (number, fact) in self.top_facts.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "  {}. {}\u{00D7} {}",
                    number + 1,
                    fact.count,
                    fact.describe()
                );
            }
        }
        let _ = writeln!(out, "\nFollow-up clicks: {}", self.follow_up_clicks);
        for (number, fact) in self.top_clicked.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {}. {}\u{00D7} {}",
                number + 1,
                fact.count,
                fact.describe()
            );
        }
        if self.helpful + self.not_helpful > 0 {
            let _ = writeln!(
                out,
                "\nWas this helpful? yes {}, no {}",
                self.helpful, self.not_helpful
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(at: i64, question: &str, normalized: &str, closest: Option<&str>) -> GapRow {
        GapRow {
            at,
            question: question.to_owned(),
            normalized: normalized.to_owned(),
            ambiguous: false,
            closest: closest.map(str::to_owned),
        }
    }

    #[test]
    fn gaps_group_similar_questions_most_asked_first() {
        let rows = [
            row(
                9,
                "did she visit japan?",
                "boluart japan visit",
                Some("trip"),
            ),
            row(
                8,
                "Did Boluarte visit Japan?",
                "boluart japan visit",
                Some("trip"),
            ),
            row(7, "pisco sour recipe", "pisco recip sour", None),
            row(
                6,
                "when did boluarte visit japan",
                "boluart japan visit when",
                Some("dates"),
            ),
            row(
                5,
                "Did Boluarte visit Korea?",
                "boluart korea visit",
                Some("trip"),
            ),
            row(4, "¿¿??", "", None),
        ];
        let gaps = Gaps::build(&rows, None, 7, 0, 3);
        assert_eq!(gaps.questions, 6);
        let first = &gaps.groups[0];
        assert_eq!(first.count, 3, "{gaps:?}");
        assert_eq!(first.example, "did she visit japan?", "the latest wording");
        assert_eq!(first.closest.as_ref().map(|c| c.id.as_str()), Some("trip"));
        assert_eq!(first.closest.as_ref().map(|c| c.count), Some(2));
        assert_eq!(gaps.groups.len(), 3);
        assert_eq!(
            gaps.more, 1,
            "korea, pisco and the empty one are separate groups"
        );
        let text = gaps.to_text();
        assert!(
            text.contains("1. 3\u{00D7} \u{201C}did she visit japan?\u{201D}"),
            "{text}"
        );
        assert!(text.contains("closest fact: trip (no longer in the facts)"));
        assert!(text.contains("and 1 smaller group(s)"));
    }

    #[test]
    fn stats_add_up_and_rate() {
        let rows = StatsRows {
            days: vec![
                ("2024-07-03".into(), 3, 1, 0),
                ("2024-07-04".into(), 5, 0, 1),
            ],
            answered: vec![("trip".into(), 6), ("port".into(), 2)],
            clicks: 4,
            clicked: vec![("port".into(), 4)],
            helpful: 2,
            not_helpful: 1,
        };
        let stats = Stats::build(&rows, None, 7, 1_720_051_200);
        assert_eq!(
            (
                stats.questions,
                stats.answered,
                stats.ambiguous,
                stats.unknown
            ),
            (10, 8, 1, 1)
        );
        assert!((stats.answered_rate - 0.8).abs() < 1e-9);
        let text = stats.to_text();
        assert!(
            text.contains("answered 8 (80.0%), ambiguous 1 (10.0%), unknown 1 (10.0%)"),
            "{text}"
        );
        assert!(text.contains("  2024-07-04      6  (5 / 0 / 1)"), "{text}");
        assert!(text.contains("Follow-up clicks: 4"), "{text}");
        assert!(text.contains("yes 2, no 1"), "{text}");
        let empty = Stats::build(&StatsRows::default(), None, 1, 0);
        assert_eq!(empty.answered_rate, 0.0);
        assert!(empty.to_text().contains(": 0\n"));
    }
}
