//! Button ids: what a button stands for, written into the id itself.
//!
//! An id carries what it stands for (`fu:<fact-id>` answers a fact, `fr:<question>:<fact-id>`
//! answers a fact offered on a "did you mean" or "I don't know" reply to that recorded question,
//! `fp:<page>` turns a `/facts` page, `hy:<question>:<fact-id>` and `hn:…` say an answer was
//! helpful or not, `sa:<suggestion>` and `sd:<suggestion>` add or dismiss a suggested pattern),
//! never an index or a session key, so buttons keep working after a restart or a reload. Every
//! platform uses the same ids (Discord's `custom_id`, Slack's `action_id`); each checks its own
//! length limit with [`ButtonId::encode_within`] and leaves out a button that would not fit
//! ([`ButtonId::fact_within`] falls back to `fu:` rather than lose the button).

use crate::facts::FactId;
use crate::history::QuestionId;

const FOLLOW_UP: &str = "fu:";
const PAGE: &str = "fp:";
const HELPFUL: &str = "hy:";
const NOT_HELPFUL: &str = "hn:";
const RESOLVE: &str = "fr:";
const SUGGESTION_ADD: &str = "sa:";
const SUGGESTION_DISMISS: &str = "sd:";

/// What a button stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ButtonId {
    /// Answer this fact (it may have been removed since).
    FollowUp(String),
    /// Show this page of `/facts`.
    Page(usize),
    /// "Was this helpful?" answered for the answer to `question` (0: a follow-up's answer).
    Helpful {
        question: i64,
        fact: String,
        helpful: bool,
    },
    /// Answer this fact, offered on the reply to recorded question `question`: the click tells
    /// what that question meant.
    Resolve { question: i64, fact: String },
    /// A moderator adds the suggested pattern with this id.
    SuggestionAdd(String),
    /// A moderator dismisses the suggested pattern with this id.
    SuggestionDismiss(String),
}

impl ButtonId {
    pub fn follow_up(fact: &FactId) -> Self {
        Self::FollowUp(fact.as_str().to_owned())
    }

    /// "Helpful" or "Not helpful" for the answer with `fact` to `question` (`None`: a
    /// follow-up's answer, which was not recorded as a question).
    pub fn helpful(question: Option<QuestionId>, fact: &FactId, helpful: bool) -> Self {
        Self::Helpful {
            question: question.map_or(0, |q| q.0),
            fact: fact.as_str().to_owned(),
            helpful,
        }
    }

    /// The id of a button offering `fact` on a reply to `resolves` (a recorded question whose
    /// reply was "did you mean" or "I don't know"), within `max` bytes: the question's id when
    /// it fits, else a plain follow-up (the click still answers, only the link is lost); `None`
    /// when not even that fits.
    pub fn fact_within(fact: &FactId, resolves: Option<QuestionId>, max: usize) -> Option<String> {
        resolves
            .and_then(|question| {
                Self::Resolve {
                    question: question.0,
                    fact: fact.as_str().to_owned(),
                }
                .encode_within(max)
            })
            .or_else(|| Self::follow_up(fact).encode_within(max))
    }

    pub fn encode(&self) -> String {
        match self {
            Self::FollowUp(fact) => format!("{FOLLOW_UP}{fact}"),
            Self::Resolve { question, fact } => format!("{RESOLVE}{question}:{fact}"),
            Self::SuggestionAdd(id) => format!("{SUGGESTION_ADD}{id}"),
            Self::SuggestionDismiss(id) => format!("{SUGGESTION_DISMISS}{id}"),
            Self::Page(page) => format!("{PAGE}{page}"),
            Self::Helpful {
                question,
                fact,
                helpful,
            } => {
                let prefix = if *helpful { HELPFUL } else { NOT_HELPFUL };
                format!("{prefix}{question}:{fact}")
            }
        }
    }

    /// The id, or `None` when it is longer than `max` bytes (the button is then left out
    /// rather than sent broken).
    pub fn encode_within(&self, max: usize) -> Option<String> {
        Some(self.encode()).filter(|id| id.len() <= max)
    }

    /// Reads an id; anything forged or foreign is `None`.
    pub fn parse(id: &str) -> Option<Self> {
        parse(id)
    }
}

fn parse(custom_id: &str) -> Option<ButtonId> {
    if let Some(fact) = custom_id.strip_prefix(FOLLOW_UP) {
        return FactId::is_valid(fact).then(|| ButtonId::FollowUp(fact.to_owned()));
    }
    if let Some(rest) = custom_id.strip_prefix(RESOLVE) {
        let (question, fact) = question_and_fact(rest)?;
        return (question > 0).then_some(ButtonId::Resolve { question, fact });
    }
    for (prefix, helpful) in [(HELPFUL, true), (NOT_HELPFUL, false)] {
        if let Some(rest) = custom_id.strip_prefix(prefix) {
            let (question, fact) = question_and_fact(rest)?;
            return Some(ButtonId::Helpful {
                question,
                fact,
                helpful,
            });
        }
    }
    for (prefix, add) in [(SUGGESTION_ADD, true), (SUGGESTION_DISMISS, false)] {
        if let Some(id) = custom_id.strip_prefix(prefix) {
            let id = crate::suggest::SuggestionId::parse(id)?.to_string();
            return Some(if add {
                ButtonId::SuggestionAdd(id)
            } else {
                ButtonId::SuggestionDismiss(id)
            });
        }
    }
    let page = custom_id.strip_prefix(PAGE)?;
    page.parse()
        .ok()
        .filter(|_| page.bytes().all(|b| b.is_ascii_digit()))
        .map(ButtonId::Page)
}

/// `<question>:<fact-id>`: a question id of digits only, and a well-formed fact id.
fn question_and_fact(rest: &str) -> Option<(i64, String)> {
    let (question, fact) = rest.split_once(':')?;
    let question = question
        .parse()
        .ok()
        .filter(|q: &i64| *q >= 0 && question.bytes().all(|b| b.is_ascii_digit()))?;
    FactId::is_valid(fact).then(|| (question, fact.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_fit() {
        const MAX: usize = 100;
        let fact = FactId::new_unchecked("trip-dates");
        let id = ButtonId::follow_up(&fact).encode();
        assert_eq!(id, "fu:trip-dates");
        assert_eq!(parse(&id), Some(ButtonId::FollowUp("trip-dates".into())));
        assert_eq!(parse(&ButtonId::Page(3).encode()), Some(ButtonId::Page(3)));
        let question = Some(QuestionId(1_720_000_000_000_001));
        let yes = ButtonId::helpful(question, &fact, true).encode();
        assert_eq!(yes, "hy:1720000000000001:trip-dates");
        let no = ButtonId::helpful(question, &fact, false).encode();
        assert_eq!(
            parse(&no),
            Some(ButtonId::Helpful {
                question: 1_720_000_000_000_001,
                fact: "trip-dates".into(),
                helpful: false
            })
        );
        assert!(
            ButtonId::helpful(None, &FactId::new_unchecked("a".repeat(97)), true)
                .encode_within(MAX)
                .is_none()
        );
        let longest = FactId::new_unchecked("a".repeat(MAX - FOLLOW_UP.len()));
        assert_eq!(
            ButtonId::follow_up(&longest)
                .encode_within(MAX)
                .map(|id| id.len()),
            Some(MAX)
        );
        let too_long = FactId::new_unchecked("a".repeat(MAX));
        assert_eq!(ButtonId::follow_up(&too_long).encode_within(MAX), None);
    }

    #[test]
    fn a_fact_offered_on_a_recorded_reply_names_its_question_when_it_fits() {
        let fact = FactId::new_unchecked("cosco-port");
        let question = Some(QuestionId(1_720_000_000_000_001));
        let id = ButtonId::fact_within(&fact, question, 100).unwrap();
        assert_eq!(id, "fr:1720000000000001:cosco-port");
        assert_eq!(
            parse(&id),
            Some(ButtonId::Resolve {
                question: 1_720_000_000_000_001,
                fact: "cosco-port".into()
            })
        );
        assert_eq!(
            ButtonId::fact_within(&fact, None, 100).as_deref(),
            Some("fu:cosco-port")
        );
        // A fact id too long to carry the question still gets its button.
        let long = FactId::new_unchecked("a".repeat(90));
        let id = ButtonId::fact_within(&long, question, 100).unwrap();
        assert_eq!(id, format!("fu:{}", "a".repeat(90)));
        assert_eq!(ButtonId::fact_within(&long, question, 50), None);
        let add = ButtonId::SuggestionAdd("0123456789".into()).encode();
        assert_eq!(add, "sa:0123456789");
        assert_eq!(
            parse(&add),
            Some(ButtonId::SuggestionAdd("0123456789".into()))
        );
        assert_eq!(
            parse("sd:abcdef0123"),
            Some(ButtonId::SuggestionDismiss("abcdef0123".into()))
        );
    }

    #[test]
    fn forged_or_foreign_ids_are_refused() {
        for id in [
            "",
            "fu:",
            "fu:Trip",
            "fu:a b",
            "fu:../x",
            "fp:",
            "fp:-1",
            "fp:+1",
            "fp:1x",
            "other:1",
            "more",
            "hy:",
            "hy:1",
            "hy:-1:a",
            "hy:+1:a",
            "hn:1:A",
            "hy:x:a",
            "fr:0:a",
            "fr:1",
            "fr:1:A",
            "sa:",
            "sa:xyz",
            "sd:ABCDEF0123",
            "sa:0123456789a",
        ] {
            assert_eq!(parse(id), None, "{id}");
        }
    }
}
