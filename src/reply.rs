//! What the bot says back, independent of any chat platform.
//!
//! A `Reply` is built from the matcher's outcome and already fits every platform limit in
//! [`crate::limits`]: adapters (terminal, Discord, later Slack) only lay it out. Text is cut
//! here, where tests see it, never at send time.

use std::fmt::Write as _;

use crate::facts::{FactBase, FactId};
use crate::limits::{self, truncate};
use crate::matcher::{Outcome, Status};

/// At most this many follow-up or suggestion buttons: two rows, so a reply stays readable.
pub const MAX_BUTTONS: usize = 2 * limits::BUTTONS_PER_ROW;
/// How many topics are offered when nothing matched at all.
pub const STARTING_POINTS: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyKind {
    /// A fact, with its quote and source.
    Answer,
    /// Several facts were close: "Did you mean…".
    Choice,
    /// Nothing matched: said plainly, with topics to try.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub kind: ReplyKind,
    /// The first line: the answer, or what the bot says instead of one.
    pub text: String,
    pub quote: Option<Quote>,
    /// Facts to ask next (follow-ups, candidates or starting points), labelled by their title.
    pub buttons: Vec<Button>,
    /// The answered fact, for logging and "was this helpful" records.
    pub fact: Option<FactId>,
}

/// A verbatim snippet and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub snippet: String,
    pub publisher: String,
    pub title: String,
    pub published: String,
    pub url: Option<String>,
}

impl Quote {
    /// "Latin America Reports, “Title”, 2024-07-04": the attribution line under a quote.
    pub fn attribution(&self) -> String {
        format!(
            "{}, \u{201C}{}\u{201D}, {}",
            self.publisher, self.title, self.published
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub fact: FactId,
    pub label: String,
}

impl Reply {
    /// The reply to a question whose outcome the matcher gave.
    pub fn for_outcome(base: &FactBase, outcome: &Outcome) -> Self {
        match outcome.status {
            Status::Answered => Self::for_fact(base, outcome.candidates[0].fact),
            Status::Ambiguous => Self {
                kind: ReplyKind::Choice,
                text: "I have a few facts close to that. Did you mean one of these?".to_owned(),
                quote: None,
                buttons: buttons(base, outcome.candidates.iter().map(|c| c.fact)),
                fact: None,
            },
            Status::Unknown => Self::unknown(base, outcome),
        }
    }

    /// The reply that answers fact `index`, e.g. after a follow-up button was clicked.
    pub fn for_fact(base: &FactBase, index: usize) -> Self {
        let fact = &base.facts[index];
        let source = base.source_of(fact);
        let budget = limits::EMBED_DESCRIPTION - limits::SNIPPET_FRAME;
        let text = truncate(&fact.answer, budget / 2).into_owned();
        let snippet = truncate(
            &fact.snippet,
            (budget - text.chars().count()).min(limits::EMBED_FIELD_VALUE),
        )
        .into_owned();
        Self {
            kind: ReplyKind::Answer,
            text,
            quote: Some(Quote {
                snippet,
                publisher: truncate(&source.publisher, 100).into_owned(),
                title: truncate(&source.title, 200).into_owned(),
                published: source.published.clone(),
                url: source.url.clone(),
            }),
            buttons: buttons(base, fact.follow_ups.iter().copied()),
            fact: Some(fact.id.clone()),
        }
    }

    /// The reply for a follow-up whose fact no longer exists (the facts changed since the
    /// button was sent).
    pub fn gone(base: &FactBase) -> Self {
        Self {
            kind: ReplyKind::Unknown,
            text: "That topic has been removed from my facts since this button was made. Here is what I can tell you about:".to_owned(),
            quote: None,
            buttons: buttons(base, base.starting_points(STARTING_POINTS)),
            fact: None,
        }
    }

    /// What the bot offers before any question: the facts most worth starting from.
    pub fn starting(base: &FactBase) -> Self {
        Self {
            kind: ReplyKind::Unknown,
            text: "Some things you can ask:".to_owned(),
            quote: None,
            buttons: buttons(base, base.starting_points(STARTING_POINTS)),
            fact: None,
        }
    }

    fn unknown(base: &FactBase, outcome: &Outcome) -> Self {
        let topic = truncate(base.topic(), 200);
        let (text, suggestions): (String, Vec<usize>) = if outcome.candidates.is_empty() {
            (
                format!("I don't have that in my facts about {topic}. You could ask about:"),
                base.starting_points(STARTING_POINTS),
            )
        } else {
            (
                format!("I don't have that in my facts about {topic}. The closest topics I have:"),
                outcome.candidates.iter().map(|c| c.fact).collect(),
            )
        };
        Self {
            kind: ReplyKind::Unknown,
            text,
            quote: None,
            buttons: buttons(base, suggestions),
            fact: None,
        }
    }

    /// Plain text for terminals and logs: the text, the quote, then numbered follow-ups.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        out.push_str(&self.text);
        out.push('\n');
        if let Some(quote) = &self.quote {
            let _ = write!(
                out,
                "\n  > \u{201C}{}\u{201D}\n  \u{2014} {}",
                quote.snippet,
                quote.attribution()
            );
            if let Some(url) = &quote.url {
                let _ = write!(out, " <{url}>");
            }
            out.push('\n');
        }
        if !self.buttons.is_empty() {
            out.push_str(if self.kind == ReplyKind::Answer {
                "\nAsk next:\n"
            } else {
                "\n"
            });
            for (number, button) in self.buttons.iter().enumerate() {
                let _ = writeln!(out, "  {}. {}", number + 1, button.label);
            }
        }
        out
    }
}

fn buttons(base: &FactBase, facts: impl IntoIterator<Item = usize>) -> Vec<Button> {
    facts
        .into_iter()
        .take(MAX_BUTTONS)
        .map(|index| {
            let fact = &base.facts[index];
            Button {
                fact: fact.id.clone(),
                label: truncate(fact.title(), limits::BUTTON_LABEL).into_owned(),
            }
        })
        .collect()
}
