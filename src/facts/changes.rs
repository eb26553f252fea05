//! Which answers differ between two fact bases, in which languages: what a reload must
//! correct in the replies already sent.

use super::{Fact, FactBase, FactId};
use crate::lang::Lang;

/// A fact whose answer changed (in `langs`) or which was retracted (in every language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerChange {
    pub fact: FactId,
    /// The languages whose answer text changed; every language when the fact was retracted.
    pub langs: Vec<Lang>,
    pub retracted: bool,
}

impl AnswerChange {
    pub fn concerns(&self, fact: &FactId, lang: Lang) -> bool {
        self.fact == *fact && self.langs.contains(&lang)
    }
}

/// What changed between `old` and `new` for the replies already sent: a fact still in `new`
/// whose answer in some language reads differently (a change of spacing alone is no change),
/// or which `new` retracts. Facts added or removed change no earlier reply.
pub fn changed_answers(old: &FactBase, new: &FactBase) -> Vec<AnswerChange> {
    let mut changes = Vec::new();
    for fact in &new.facts {
        let Some(before) = old.get(fact.id.as_str()) else {
            continue;
        };
        if fact.is_retracted() {
            if !before.is_retracted() {
                changes.push(AnswerChange {
                    fact: fact.id.clone(),
                    langs: Lang::all().collect(),
                    retracted: true,
                });
            }
            continue;
        }
        let langs: Vec<Lang> = Lang::all()
            .filter(|&lang| !same_words(answer_in(before, lang), answer_in(fact, lang)))
            .collect();
        if !langs.is_empty() {
            changes.push(AnswerChange {
                fact: fact.id.clone(),
                langs,
                retracted: false,
            });
        }
    }
    changes
}

/// The answer a reply in `lang` shows: the translation's, else the English one.
fn answer_in(fact: &Fact, lang: Lang) -> &str {
    fact.translation(lang)
        .map_or(fact.answer.as_str(), |translation| {
            translation.answer.as_str()
        })
}

fn same_words(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(facts: &str) -> FactBase {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.toml");
        let source =
            "[[sources]]\nid = \"s\"\npublisher = \"P\"\ntitle = \"T\"\npublished = 2024-07-04\n";
        std::fs::write(&path, format!("{source}{facts}")).unwrap();
        crate::facts::load(&[path]).unwrap().base
    }

    fn fact(answer: &str, extra: &str) -> String {
        format!("[[facts]]\nid = \"a\"\nquestions = [\"Q?\"]\nanswer = \"{answer}\"\nsnippet = \"S\"\n{extra}")
    }

    const ES: &str = "[facts.translations.es]\ntitle = \"¿P?\"\nanswer = \"Veinte mil.\"\n";

    #[test]
    fn spacing_alone_is_no_change() {
        let old = base(&fact("It trains 20,000 people.", ES));
        let new = base(&fact("It  trains\\n20,000 people. ", ES));
        assert_eq!(changed_answers(&old, &new), []);
    }

    #[test]
    fn a_changed_answer_concerns_the_languages_that_show_it() {
        let old = base(&fact("It trains 20,000 people.", ES));
        let new = base(&fact("It trains 25,000 people.", ES));
        let changes = changed_answers(&old, &new);
        assert_eq!(changes.len(), 1);
        assert_eq!(
            changes[0].langs,
            [Lang::EN],
            "the Spanish answer did not change"
        );
        assert!(changes[0].concerns(&changes[0].fact, Lang::EN));

        let untranslated =
            changed_answers(&base(&fact("20,000.", "")), &base(&fact("25,000.", "")));
        assert_eq!(
            untranslated[0].langs,
            [Lang::EN, Lang::ES],
            "Spanish replies showed the English answer"
        );

        let spanish_only = base(&fact(
            "It trains 20,000 people.",
            &ES.replace("Veinte", "Veinticinco"),
        ));
        assert_eq!(changed_answers(&old, &spanish_only)[0].langs, [Lang::ES]);
    }

    #[test]
    fn a_retraction_concerns_every_language_once() {
        let old = base(&fact("20,000.", ""));
        let retracted = base(&fact(
            "20,000.",
            "status = \"retracted\"\nnote = \"Wrong figure.\"\n",
        ));
        let changes = changed_answers(&old, &retracted);
        assert!(changes[0].retracted);
        assert_eq!(changes[0].langs, Lang::all().collect::<Vec<_>>());
        assert_eq!(
            changed_answers(&retracted, &retracted),
            [],
            "already retracted"
        );
    }
}
