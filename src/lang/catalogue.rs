//! The catalogues: one TOML file per language, `key = "text"`, with `{name}` placeholders.
//!
//! TOML rather than Project Fluent: the facts authors already write TOML, the `toml` crate is
//! already a dependency, and none of these texts needs Fluent's plural or gender selectors (a
//! count is written as a figure: "Corrected 12 earlier answers", "corregidas: 12"). The tests
//! below hold every catalogue to English's keys and placeholders, so a missing or misspelt
//! entry fails `cargo test`, not a member's reply.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::{Lang, CATALOGUES};

macro_rules! messages {
    ($($(#[$doc:meta])* $variant:ident = $key:literal,)*) => {
        /// A fixed text the bot says: one entry of every catalogue.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg {
            $($(#[$doc])* $variant,)*
        }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$variant,)*];

            /// The entry's key in the catalogue files.
            pub fn key(self) -> &'static str {
                match self {
                    $(Msg::$variant => $key,)*
                }
            }
        }
    };
}

messages! {
    /// Several facts were close.
    Choice = "choice",
    /// Nothing matched; starting points follow. `{topic}`.
    UnknownStart = "unknown-start",
    /// Nothing matched; the closest topics follow. `{topic}`.
    UnknownClosest = "unknown-closest",
    /// What the facts are about when there are several sources.
    ThisStory = "this-story",
    /// A retracted fact was asked for. `{title}`, `{note}`.
    Retracted = "retracted",
    /// A follow-up button's fact is gone.
    Gone = "gone",
    /// What can be asked before any question.
    Starting = "starting",
    /// The heading of the follow-ups in plain text.
    AskNext = "ask-next",
    /// `{date}`, `{answer}`.
    AsOf = "as-of",
    /// `{who}`, `{answer}`.
    AccordingTo = "according-to",
    /// `{date}`, `{who}`, `{answer}`.
    AsOfAccordingTo = "as-of-according-to",
    /// The line under a quote. `{publisher}`, `{title}`, `{date}`.
    SourceLine = "source-line",
    /// Said after an English answer to a question in another language.
    Untranslated = "untranslated",
    /// A date in a source line. `{iso}`, `{year}`, `{month}`, `{day}`.
    Date = "date",
    /// A date in a correction marker. `{iso}`, `{year}`, `{month}`, `{day}`.
    ShortDate = "short-date",
    /// The twelve month names, separated by spaces.
    Months = "months",
    /// The twelve short month names, separated by spaces.
    ShortMonths = "short-months",
    /// The marker on an edited reply. `{date}`.
    Corrected = "corrected",
    /// The marker on an edited reply, with the newsroom's note. `{date}`, `{note}`.
    CorrectedWithNote = "corrected-with-note",
    /// A member asks too fast. `{seconds}`.
    CooldownMember = "cooldown-member",
    /// A channel is busy. `{seconds}`.
    CooldownChannel = "cooldown-channel",
    /// A handler failed.
    SomethingWentWrong = "something-went-wrong",
    /// `factbot chat`'s greeting. `{topic}`.
    ChatGreeting = "chat-greeting",
    /// `factbot chat`'s instructions.
    ChatHelp = "chat-help",
    /// The "Was this helpful?" buttons.
    Helpful = "helpful",
    NotHelpful = "not-helpful",
    /// The heading of a `/facts` page. `{topic}`.
    TopicsHeading = "topics-heading",
    /// Which page of the topics is shown. `{page}`, `{pages}`.
    TopicsPage = "topics-page",
    /// The buttons that turn the topics' pages.
    PreviousPage = "previous-page",
    NextPage = "next-page",
}

/// Every catalogue, parsed once, in the order of [`CATALOGUES`].
static PARSED: LazyLock<Vec<HashMap<String, String>>> = LazyLock::new(|| {
    CATALOGUES
        .iter()
        .map(|(code, text)| parse(text).unwrap_or_else(|error| panic!("lang/{code}.toml: {error}")))
        .collect()
});

fn parse(text: &str) -> Result<HashMap<String, String>, toml::de::Error> {
    toml::from_str(text)
}

/// The text of `msg` in `lang`, else in English (the tests make sure that never happens).
pub(super) fn get(lang: Lang, msg: Msg) -> &'static str {
    let catalogues = &*PARSED;
    catalogues[usize::from(lang.0)]
        .get(msg.key())
        .or_else(|| catalogues[0].get(msg.key()))
        .map_or("", String::as_str)
}

/// `template` with each `{name}` replaced by its value; a placeholder without a value stays.
pub(super) fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn placeholders(text: &str) -> BTreeSet<&str> {
        text.split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name))
            .collect()
    }

    #[test]
    fn every_catalogue_has_every_text_with_englishs_placeholders() {
        for (code, text) in CATALOGUES {
            let catalogue = parse(text).unwrap_or_else(|e| panic!("{code}: {e}"));
            for msg in Msg::ALL {
                let english = get(Lang::EN, *msg);
                let Some(own) = catalogue.get(msg.key()) else {
                    panic!("lang/{code}.toml has no \"{}\"", msg.key());
                };
                assert!(!own.trim().is_empty(), "{code}: {} is empty", msg.key());
                if matches!(msg, Msg::Date | Msg::ShortDate) {
                    let parts = BTreeSet::from(["iso", "year", "month", "day"]);
                    assert!(placeholders(own).is_subset(&parts), "{code}: {}", msg.key());
                    continue;
                }
                assert_eq!(
                    placeholders(own),
                    placeholders(english),
                    "{code}: {} has other placeholders than English",
                    msg.key()
                );
            }
            for key in catalogue.keys() {
                assert!(
                    Msg::ALL.iter().any(|msg| msg.key() == key),
                    "lang/{code}.toml has \"{key}\", which no code uses"
                );
            }
            for months in [Msg::Months, Msg::ShortMonths] {
                assert_eq!(catalogue[months.key()].split_whitespace().count(), 12);
            }
        }
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            fill("a {x} b {y}", &[("x", "1"), ("y", "{x}")]),
            "a 1 b {x}"
        );
        assert_eq!(fill("{missing} {", &[]), "{missing} {");
        assert_eq!(fill("ñ{x}ñ", &[("x", "é")]), "ñéñ");
    }

    #[test]
    fn spanish_texts_are_spanish() {
        let es = |msg| Lang::ES.text(msg, &[("topic", "T"), ("title", "Q"), ("note", "N")]);
        assert_eq!(
            es(Msg::UnknownStart),
            "No tengo eso en mis datos sobre T. Puedes preguntar por:"
        );
        assert_eq!(es(Msg::AskNext), "Pregunta también:");
        assert!(es(Msg::Choice).contains("¿Quisiste decir"));
    }
}
