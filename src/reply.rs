//! What the bot says back, independent of any chat platform.
//!
//! A `Reply` is built from the matcher's outcome and already fits every platform limit in
//! [`crate::limits`]: adapters (terminal, Discord, later Slack) only lay it out. Text is cut
//! here, where tests see it, never at send time.

use std::fmt::Write as _;

use crate::facts::{Fact, FactBase, FactId};
use crate::lang::{Lang, Msg};
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
    /// The fact asked for was retracted: said so, with the moderators' note saying why.
    Retracted,
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
    /// The language the member is addressed in: every fixed text and button label. The answer
    /// itself is in English when the fact has no translation (and the text says so).
    pub lang: Lang,
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
    /// "Latin America Reports, “Title”, 2024-07-04": the attribution line under a quote, in
    /// `lang` (the date is already written as `lang` writes dates).
    pub fn source_line(&self, lang: Lang) -> String {
        lang.text(
            Msg::SourceLine,
            &[
                ("publisher", &self.publisher),
                ("title", &self.title),
                ("date", &self.published),
            ],
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub fact: FactId,
    pub label: String,
}

impl Reply {
    /// The reply to a question whose outcome the matcher gave, in English.
    pub fn for_outcome(base: &FactBase, outcome: &Outcome) -> Self {
        Self::for_outcome_in(base, outcome, Lang::EN)
    }

    /// The reply to a question whose outcome the matcher gave, in `lang`.
    pub fn for_outcome_in(base: &FactBase, outcome: &Outcome, lang: Lang) -> Self {
        if let Some(fact) = outcome.answer() {
            return Self::for_fact_in(base, fact, lang);
        }
        match outcome.status {
            Status::Ambiguous => {
                let choices = buttons(base, outcome.candidates.iter().map(|c| c.fact), lang);
                if choices.is_empty() {
                    // Only retracted facts were close: nothing to offer, so nothing matched.
                    return Self::unknown(base, &Outcome::unknown(), lang);
                }
                Self {
                    kind: ReplyKind::Choice,
                    text: lang.text(Msg::Choice, &[]),
                    quote: None,
                    buttons: choices,
                    fact: None,
                    lang,
                }
            }
            // Answered without a candidate cannot be said as an answer: nothing is known.
            Status::Unknown | Status::Answered => Self::unknown(base, outcome, lang),
        }
    }

    /// The reply that answers fact `index`, e.g. after a follow-up button was clicked. An
    /// attributed answer is presented as that person's claim, and an "as of" date leads it;
    /// a retracted fact is not answered but explained.
    pub fn for_fact(base: &FactBase, index: usize) -> Self {
        Self::for_fact_in(base, index, Lang::EN)
    }

    /// [`Reply::for_fact`] in `lang`: the fact's translation when it has one, else its English
    /// answer with a note in `lang` saying that it is only in English.
    pub fn for_fact_in(base: &FactBase, index: usize, lang: Lang) -> Self {
        let fact = &base.facts[index];
        if let Some(note) = fact.retraction() {
            return Self::retracted(base, index, note, lang);
        }
        let source = base.source_of(fact);
        let budget = limits::EMBED_DESCRIPTION - limits::SNIPPET_FRAME;
        let text = truncate(&answer_text(base, fact, lang), budget / 2).into_owned();
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
                published: lang.date(&source.published),
                url: source.url.clone(),
            }),
            buttons: buttons(base, fact.follow_ups.iter().copied(), lang),
            fact: Some(fact.id.clone()),
            lang,
        }
    }

    /// What an earlier reply about fact `index` becomes once the fact changed: the current
    /// reply for it (the new answer, or the retraction notice and its note) with a visible
    /// marker saying it was corrected on `today` (ISO date) and the newsroom's correction note.
    pub fn corrected(base: &FactBase, index: usize, lang: Lang, today: &str) -> Self {
        let mut reply = Self::for_fact_in(base, index, lang);
        let fact = &base.facts[index];
        let note = (!fact.is_retracted())
            .then(|| {
                fact.translation(lang)
                    .and_then(|translation| translation.correction.as_deref())
                    .or(fact.correction.as_deref())
            })
            .flatten();
        let date = lang.short_date(today);
        let marker = match note {
            Some(note) => lang.text(Msg::CorrectedWithNote, &[("date", &date), ("note", note)]),
            None => lang.text(Msg::Corrected, &[("date", &date)]),
        };
        let room = (limits::EMBED_DESCRIPTION - limits::SNIPPET_FRAME) / 2;
        let room = room.saturating_sub(reply.text.chars().count() + 2);
        reply.text = format!("{}\n\n{}", reply.text, truncate(&marker, room));
        reply
    }

    /// The reply for a retracted fact: that it was retracted, the note saying why, and where
    /// to go next (never the retracted answer itself).
    fn retracted(base: &FactBase, index: usize, note: &str, lang: Lang) -> Self {
        let fact = &base.facts[index];
        let title = truncate(fact.title_in(lang), limits::BUTTON_LABEL);
        let note = fact
            .translation(lang)
            .and_then(|translation| translation.note.as_deref())
            .unwrap_or(note);
        let text = lang.text(
            Msg::Retracted,
            &[
                ("title", &title),
                ("note", &truncate(note, crate::facts::NOTE_MAX)),
            ],
        );
        let mut next = buttons(base, fact.follow_ups.iter().copied(), lang);
        if next.is_empty() {
            next = buttons(base, base.starting_points(STARTING_POINTS), lang);
        }
        Self {
            kind: ReplyKind::Retracted,
            text,
            quote: None,
            buttons: next,
            fact: Some(fact.id.clone()),
            lang,
        }
    }

    /// The reply for a follow-up whose fact no longer exists (the facts changed since the
    /// button was sent).
    pub fn gone(base: &FactBase) -> Self {
        Self::gone_in(base, Lang::EN)
    }

    /// [`Reply::gone`] in `lang`.
    pub fn gone_in(base: &FactBase, lang: Lang) -> Self {
        Self::starting_points(base, Msg::Gone, lang)
    }

    /// What the bot offers before any question: the facts most worth starting from.
    pub fn starting(base: &FactBase) -> Self {
        Self::starting_in(base, Lang::EN)
    }

    /// [`Reply::starting`] in `lang`.
    pub fn starting_in(base: &FactBase, lang: Lang) -> Self {
        Self::starting_points(base, Msg::Starting, lang)
    }

    fn starting_points(base: &FactBase, msg: Msg, lang: Lang) -> Self {
        Self {
            kind: ReplyKind::Unknown,
            text: lang.text(msg, &[]),
            quote: None,
            buttons: buttons(base, base.starting_points(STARTING_POINTS), lang),
            fact: None,
            lang,
        }
    }

    fn unknown(base: &FactBase, outcome: &Outcome, lang: Lang) -> Self {
        let topic = base.topic_in(lang);
        let topic = truncate(&topic, 300);
        let closest: Vec<usize> = if outcome.candidates.is_empty() {
            outcome.nearest.clone()
        } else {
            outcome.candidates.iter().map(|c| c.fact).collect()
        };
        let offered = buttons(base, closest, lang);
        let (msg, buttons) = if offered.is_empty() {
            let starting_points = base.starting_points(STARTING_POINTS);
            (Msg::UnknownStart, buttons(base, starting_points, lang))
        } else {
            (Msg::UnknownClosest, offered)
        };
        Self {
            kind: ReplyKind::Unknown,
            text: lang.text(msg, &[("topic", &topic)]),
            quote: None,
            buttons,
            fact: None,
            lang,
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
                quote.source_line(self.lang)
            );
            if let Some(url) = &quote.url {
                let _ = write!(out, " <{url}>");
            }
            out.push('\n');
        }
        if !self.buttons.is_empty() {
            out.push('\n');
            if matches!(self.kind, ReplyKind::Answer | ReplyKind::Retracted) {
                out.push_str(&self.lang.text(Msg::AskNext, &[]));
                out.push('\n');
            }
            for (number, button) in self.buttons.iter().enumerate() {
                let _ = writeln!(out, "  {}. {}", number + 1, button.label);
            }
        }
        out
    }
}

/// The answer to `fact` in `lang`, led by its "as of" date and attribution; an English answer
/// to a question in another language ends with a note saying it is only in English.
fn answer_text(base: &FactBase, fact: &Fact, lang: Lang) -> String {
    let translated = fact.translation(lang);
    let answer = translated.map_or(fact.answer.as_str(), |t| t.answer.as_str());
    let date = base.as_of(fact).map(|date| lang.date(date));
    let text = match (date, &fact.attribution) {
        (Some(date), Some(who)) => lang.text(
            Msg::AsOfAccordingTo,
            &[("date", &date), ("who", who), ("answer", answer)],
        ),
        (None, Some(who)) => lang.text(Msg::AccordingTo, &[("who", who), ("answer", answer)]),
        (Some(date), None) => lang.text(Msg::AsOf, &[("date", &date), ("answer", answer)]),
        (None, None) => answer.to_owned(),
    };
    if translated.is_none() && lang != Lang::EN {
        return format!("{text}\n{}", lang.text(Msg::Untranslated, &[]));
    }
    text
}

/// Buttons for `facts` labelled in `lang`, leaving out retracted ones: a retracted fact is
/// never offered.
fn buttons(base: &FactBase, facts: impl IntoIterator<Item = usize>, lang: Lang) -> Vec<Button> {
    facts
        .into_iter()
        .filter(|&index| base.is_offered(index))
        .take(MAX_BUTTONS)
        .map(|index| {
            let fact = &base.facts[index];
            Button {
                fact: fact.id.clone(),
                label: truncate(fact.title_in(lang), limits::BUTTON_LABEL).into_owned(),
            }
        })
        .collect()
}

impl Reply {
    /// An answer with a quote and `buttons` follow-ups, for the platforms' layout tests.
    #[cfg(test)]
    pub(crate) fn sample(text: &str, snippet: &str, buttons: usize) -> Self {
        Self {
            kind: ReplyKind::Answer,
            text: text.to_owned(),
            quote: Some(Quote {
                snippet: snippet.to_owned(),
                publisher: "Latin America Reports".to_owned(),
                title: "Key takeaways".to_owned(),
                published: "2024-07-04".to_owned(),
                url: Some("https://example.org/a".to_owned()),
            }),
            buttons: (0..buttons)
                .map(|i| Button {
                    fact: FactId::new_unchecked(format!("fact-{i}")),
                    label: format!("Question {i}?"),
                })
                .collect(),
            fact: Some(FactId::new_unchecked("trip-dates")),
            lang: Lang::EN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::Candidate;

    const STORY: &str = r#"
[[sources]]
id = "s"
publisher = "Daily Test"
title = "A story"
published = 2024-07-04
as_of = 2024-07-05

[[facts]]
id = "port-cost"
questions = ["How much did the port cost?"]
answer = "It cost $3.5 billion."
snippet = "a $3.5 billion investment"
follow_ups = ["port-owner", "old-cost"]

[[facts]]
id = "port-owner"
questions = ["Who owns the port?"]
answer = "Cosco owns 60%."
snippet = "Cosco, which owns 60%"
as_of = 2024-07-01
attribution = "Martin Cassinelli, Atlantic Council"
follow_ups = ["port-cost"]

[[facts]]
id = "old-cost"
questions = ["What was the first estimate of the cost?"]
answer = "It was $1 billion."
snippet = "an estimated $1 billion"
status = "retracted"
note = "The $1 billion figure was a misreading; see the port cost."
follow_ups = ["port-cost"]
"#;

    fn base() -> FactBase {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.toml");
        std::fs::write(&path, STORY).unwrap();
        crate::facts::load(&[path]).unwrap().base
    }

    fn candidates(base: &FactBase, ids: &[&str]) -> Vec<Candidate> {
        ids.iter()
            .map(|id| Candidate {
                fact: base.index_of(id).unwrap(),
                score: 0.6,
                missing_share: 0.0,
                evidence: 1.0,
                signals: crate::matcher::Signals::default(),
            })
            .collect()
    }

    #[test]
    fn as_of_and_attribution_lead_the_answer() {
        let base = base();
        let owner = Reply::for_fact(&base, base.index_of("port-owner").unwrap());
        assert_eq!(
            owner.text,
            "As of 2024-07-01, according to Martin Cassinelli, Atlantic Council: Cosco owns 60%."
        );
        let cost = Reply::for_fact(&base, base.index_of("port-cost").unwrap());
        assert_eq!(
            cost.text, "As of 2024-07-05: It cost $3.5 billion.",
            "the source's date when the fact has none"
        );
        assert!(cost.to_text().contains("As of 2024-07-05: It cost"));
    }

    #[test]
    fn a_retracted_fact_is_explained_and_never_offered() {
        let base = base();
        let cost = Reply::for_fact(&base, base.index_of("port-cost").unwrap());
        let offered: Vec<&str> = cost.buttons.iter().map(|b| b.fact.as_str()).collect();
        assert_eq!(offered, ["port-owner"], "not as a follow-up");
        assert!(!base
            .starting_points(10)
            .contains(&base.index_of("old-cost").unwrap()));

        let retracted = Reply::for_fact(&base, base.index_of("old-cost").unwrap());
        assert_eq!(retracted.kind, ReplyKind::Retracted);
        assert_eq!(
            retracted.text,
            "The answer to \u{201C}What was the first estimate of the cost?\u{201D} has been retracted. The $1 billion figure was a misreading; see the port cost."
        );
        assert!(
            retracted.quote.is_none(),
            "the retracted claim is not quoted"
        );
        assert_eq!(retracted.buttons[0].fact.as_str(), "port-cost");

        let ambiguous = Outcome {
            status: Status::Ambiguous,
            candidates: candidates(&base, &["old-cost", "port-cost"]),
            nearest: Vec::new(),
        };
        let choice = Reply::for_outcome(&base, &ambiguous);
        assert_eq!(
            choice
                .buttons
                .iter()
                .map(|b| b.fact.as_str())
                .collect::<Vec<_>>(),
            ["port-cost"]
        );
        let only_retracted = Outcome {
            status: Status::Ambiguous,
            candidates: candidates(&base, &["old-cost"]),
            nearest: Vec::new(),
        };
        let reply = Reply::for_outcome(&base, &only_retracted);
        assert_eq!(reply.kind, ReplyKind::Unknown);
        assert!(reply.buttons.iter().all(|b| b.fact.as_str() != "old-cost"));
        let unknown = Outcome {
            status: Status::Unknown,
            candidates: candidates(&base, &["old-cost"]),
            nearest: Vec::new(),
        };
        assert!(Reply::for_outcome(&base, &unknown)
            .buttons
            .iter()
            .all(|b| b.fact.as_str() != "old-cost"));
    }

    /// The story with Spanish translations of the owner and the retracted fact (not the cost).
    fn spanish_base() -> FactBase {
        let story = STORY
            .replace(
                "follow_ups = [\"port-cost\"]\n\n[[facts]]\nid = \"old-cost\"",
                "follow_ups = [\"port-cost\"]\n[facts.translations.es]\ntitle = \"¿De quién es el puerto?\"\nanswer = \"Cosco tiene el 60 %.\"\n\n[[facts]]\nid = \"old-cost\"",
            )
            + "[facts.translations.es]\ntitle = \"¿Cuál fue la primera estimación?\"\nanswer = \"Mil millones.\"\nnote = \"La cifra de mil millones era un error.\"\n";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.toml");
        std::fs::write(&path, story).unwrap();
        crate::facts::load(&[path]).unwrap().base
    }

    #[test]
    fn every_fixed_text_is_in_the_language_asked() {
        let base = spanish_base();
        let es = Lang::ES;
        let owner = Reply::for_fact_in(&base, base.index_of("port-owner").unwrap(), es);
        assert_eq!(
            owner.text,
            "A fecha de 1 de julio de 2024, según Martin Cassinelli, Atlantic Council: Cosco tiene el 60 %."
        );
        assert_eq!(owner.lang, es);
        let text = owner.to_text();
        assert!(
            text.contains("Daily Test, «A story», 4 de julio de 2024"),
            "{text}"
        );
        assert!(
            text.contains("Pregunta también:\n  1. How much did the port cost?"),
            "untranslated titles stay English: {text}"
        );

        let cost = Reply::for_fact_in(&base, base.index_of("port-cost").unwrap(), es);
        assert_eq!(
            cost.text,
            "A fecha de 5 de julio de 2024: It cost $3.5 billion.\n(Esta respuesta solo está disponible en inglés)."
        );
        assert_eq!(cost.buttons[0].label, "¿De quién es el puerto?");

        let retracted = Reply::for_fact_in(&base, base.index_of("old-cost").unwrap(), es);
        assert_eq!(
            retracted.text,
            "La respuesta a «¿Cuál fue la primera estimación?» ha sido retirada. La cifra de mil millones era un error."
        );

        let ambiguous = Outcome {
            status: Status::Ambiguous,
            candidates: candidates(&base, &["port-cost", "port-owner"]),
            nearest: Vec::new(),
        };
        let choice = Reply::for_outcome_in(&base, &ambiguous, es);
        assert_eq!(
            choice.text,
            "Tengo varios datos parecidos. ¿Quisiste decir alguno de estos?"
        );
        let unknown = |candidates| {
            Reply::for_outcome_in(
                &base,
                &Outcome {
                    status: Status::Unknown,
                    candidates,
                    nearest: Vec::new(),
                },
                es,
            )
        };
        assert_eq!(
            unknown(Vec::new()).text,
            "No tengo eso en mis datos sobre “A story” (Daily Test). Puedes preguntar por:"
        );
        assert_eq!(
            unknown(candidates(&base, &["port-cost"])).text,
            "No tengo eso en mis datos sobre “A story” (Daily Test). Los temas más cercanos que tengo:"
        );
        assert_eq!(
            Reply::starting_in(&base, es).text,
            "Algunas cosas que puedes preguntar:"
        );
        assert!(Reply::gone_in(&base, es)
            .text
            .starts_with("Ese tema se ha quitado de mis datos"));
        assert_eq!(
            Reply::for_fact(&base, base.index_of("port-owner").unwrap()).text,
            "As of 2024-07-01, according to Martin Cassinelli, Atlantic Council: Cosco owns 60%.",
            "English stays as it was"
        );
    }

    #[test]
    fn a_corrected_reply_shows_the_new_answer_with_a_marker_and_the_note() {
        let base = spanish_base();
        let cost = base.index_of("port-cost").unwrap();
        let english = Reply::corrected(&base, cost, Lang::EN, "2026-12-02");
        assert_eq!(
            english.text,
            "As of 2024-07-05: It cost $3.5 billion.\n\nCorrected on 2 Dec 2026."
        );
        assert_eq!(
            english.buttons,
            Reply::for_fact(&base, cost).buttons,
            "its buttons stay valid"
        );
        assert!(english.quote.is_some());

        let retracted = base.index_of("old-cost").unwrap();
        let spanish = Reply::corrected(&base, retracted, Lang::ES, "2026-12-02");
        assert_eq!(
            spanish.text,
            "La respuesta a «¿Cuál fue la primera estimación?» ha sido retirada. La cifra de mil millones era un error.\n\nCorregido el 2 dic 2026."
        );
        assert_eq!(spanish.kind, ReplyKind::Retracted);

        let story = STORY.replace(
            "answer = \"It cost $3.5 billion.\"",
            "answer = \"It cost $3.5 billion.\"\ncorrection = \"An earlier version said $2 billion.\"",
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.toml");
        std::fs::write(&path, story).unwrap();
        let base = crate::facts::load(&[path]).unwrap().base;
        let noted = Reply::corrected(
            &base,
            base.index_of("port-cost").unwrap(),
            Lang::EN,
            "2026-12-02",
        );
        assert!(
            noted
                .text
                .ends_with("\n\nCorrected on 2 Dec 2026: An earlier version said $2 billion."),
            "{}",
            noted.text
        );
    }

    /// A question no fact scored for is offered the facts closest to it in meaning, in their
    /// order; when none is (or only a retracted one), the story's starting points.
    #[test]
    fn nothing_scored_offers_the_facts_closest_in_meaning_else_the_starting_points() {
        let base = base();
        let index = |id| base.index_of(id).unwrap();
        let unknown = |nearest| Outcome {
            status: Status::Unknown,
            candidates: Vec::new(),
            nearest,
        };
        let ids = |reply: &Reply| -> Vec<String> {
            reply.buttons.iter().map(|b| b.fact.to_string()).collect()
        };
        let closest = Reply::for_outcome(
            &base,
            &unknown(vec![index("port-owner"), index("port-cost")]),
        );
        assert_eq!(ids(&closest), ["port-owner", "port-cost"]);
        assert!(
            closest.text.ends_with("The closest topics I have:"),
            "{}",
            closest.text
        );
        let starting_points = Reply::for_outcome(&base, &unknown(Vec::new()));
        assert!(starting_points.text.ends_with("You could ask about:"));
        assert!(!starting_points.buttons.is_empty());
        let only_retracted = Reply::for_outcome(&base, &unknown(vec![index("old-cost")]));
        assert_eq!(ids(&only_retracted), ids(&starting_points));
        let json = serde_json::to_value(crate::answer::Answer::new(
            &base,
            "q",
            &unknown(vec![index("port-cost"), index("old-cost")]),
        ))
        .unwrap();
        assert_eq!(json["closest"][0]["id"], "port-cost");
        assert_eq!(
            json["closest"].as_array().unwrap().len(),
            1,
            "no retracted fact"
        );
        let json =
            serde_json::to_value(crate::answer::Answer::new(&base, "q", &unknown(Vec::new())))
                .unwrap();
        assert!(json.get("closest").is_none(), "absent when there is none");
    }

    #[test]
    fn an_answer_without_a_candidate_is_said_as_unknown() {
        // The matcher never gives one (see `matcher::decide`), but a reply never trusts that.
        let base = base();
        let empty = Outcome {
            status: Status::Answered,
            candidates: Vec::new(),
            nearest: Vec::new(),
        };
        let reply = Reply::for_outcome(&base, &empty);
        assert_eq!(reply.kind, ReplyKind::Unknown);
        assert!(reply.fact.is_none());
        assert!(!reply.buttons.is_empty(), "starting points are offered");
    }

    #[test]
    fn the_json_answer_carries_newsroom_fields_only_when_set() {
        let base = base();
        let answered = |id: &str| Outcome {
            status: Status::Answered,
            candidates: candidates(&base, &[id]),
            nearest: Vec::new(),
        };
        let json = |id: &str| {
            serde_json::to_value(crate::answer::Answer::new(&base, "q", &answered(id))).unwrap()
        };
        let owner = json("port-owner");
        assert_eq!(owner["as_of"], "2024-07-01");
        assert_eq!(owner["attribution"], "Martin Cassinelli, Atlantic Council");
        assert!(owner.get("retracted").is_none());
        let old = json("old-cost");
        assert_eq!(
            old["retracted"],
            "The $1 billion figure was a misreading; see the port cost."
        );
        assert_eq!(json("port-cost")["follow_ups"].as_array().unwrap().len(), 1);
    }
}
