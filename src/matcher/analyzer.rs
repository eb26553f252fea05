//! Tokens to terms: phrases and words mapped onto canonical English words, stop words and
//! filler dropped, the rest stemmed.
//!
//! Fact patterns and members' questions go through this same code, so whatever a mapping does
//! it does to both sides; the matcher only ever compares terms.

use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

use super::lexicon::{self, PhraseMap, LEXICON, QUESTION_WORDS};
use super::packed::{PackedMap, PackedSet, Span};
use super::spelling;
use super::text;
use crate::facts::Synonym;
use crate::threads;

/// A word of a text, reduced to what the matcher compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    pub(crate) text: String,
    /// `when`, `who`, `quantity`…: weighed lightly, see [`QUESTION_WORDS`].
    pub(crate) is_question_word: bool,
    /// The surface word was a typo fix, which `--explain` marks with "~" so a moderator sees it.
    pub(crate) corrected: bool,
    /// A conversational word (see `Lexicon::generic`).
    pub(crate) is_generic: bool,
    /// A name of a place, person or organisation (see `Lexicon::names`).
    pub(crate) is_name: bool,
}

pub(crate) struct Analyzer {
    phrases: PhraseMap,
    english: Stemmer,
    spanish: Stemmer,
    /// Every word of every mapped phrase, with the texts of its terms on its own (joined by
    /// spaces, a span of `phrase_word_terms`): a typo fix may land on such a word when all its
    /// terms are in the index.
    phrase_words: PackedMap<Span>,
    phrase_word_terms: PackedSet,
}

impl Analyzer {
    /// The analyzer for `synonyms`, built once and shared while they stay the same. Its
    /// built-in phrases (some 16,000, and the analyses of their words) cost more to set up than
    /// indexing a small fact base does, and a reload seldom changes the story's synonyms.
    pub(crate) fn shared(synonyms: &[Synonym]) -> Arc<Self> {
        static LAST: Mutex<Option<(Vec<Synonym>, Arc<Analyzer>)>> = Mutex::new(None);
        // A poisoned lock only means a build panicked; the slot holds a whole analyzer or none.
        let mut last = LAST.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((cached, analyzer)) = last.as_ref() {
            if cached.as_slice() == synonyms {
                return Arc::clone(analyzer);
            }
        }
        // Built on a thread of its own: it outlives the snapshot being built, and must not
        // share that snapshot's allocator pages (see `store::Snapshot::load_with`).
        let analyzer = threads::elsewhere(|| Arc::new(Self::new(synonyms)));
        *last = Some((synonyms.to_vec(), Arc::clone(&analyzer)));
        analyzer
    }

    /// An analyzer for one fact base: its synonyms first, then the built-in resources.
    pub(crate) fn new(synonyms: &[Synonym]) -> Self {
        let mut phrases = PhraseMap::default();
        for synonym in synonyms {
            for variant in &synonym.variants {
                phrases.insert(variant, &synonym.canonical);
            }
        }
        let english = lexicon::english_synonyms();
        let inflections = PhraseMap::inflections_of(&english);
        // Most of the glossary's 16,000 English words are repeats: each is looked up once.
        let mut read: FxHashMap<String, String> = FxHashMap::default();
        for (variant, canonical) in lexicon::spanish_to_english() {
            // A translation's word that is an inflection of an English variant reads as that
            // variant's canonical ("educación" → "education", listed as "educate").
            let mut read_as = String::with_capacity(canonical.len());
            for word in canonical.split(' ') {
                if !read_as.is_empty() {
                    read_as.push(' ');
                }
                if !read.contains_key(word) {
                    let inflected = inflections.word(word).unwrap_or(word).to_owned();
                    read.insert(word.to_owned(), inflected);
                }
                read_as.push_str(&read[word]);
            }
            phrases.insert(&variant, &read_as);
        }
        for (variant, canonical) in english {
            phrases.insert(&variant, &canonical);
        }
        phrases.resolve_chains();
        let mut analyzer = Self {
            phrases,
            english: Stemmer::create(Algorithm::English),
            spanish: Stemmer::create(Algorithm::Spanish),
            phrase_words: PackedMap::default(),
            phrase_word_terms: PackedSet::default(),
        };
        let (mut words, mut terms) = (PackedMap::default(), PackedSet::default());
        // Twenty thousand words, each read on its own: those of an odd length on another
        // core, which hands back their terms in one string (one allocation a word would
        // outlive the build as holes in the heap).
        let ((), odd) = threads::both(
            || {
                for word in analyzer.phrases.words().filter(|w| w.len() % 2 == 0) {
                    if !words.contains(word) {
                        let analysed = analyzer.terms_line(word, String::new());
                        words.insert(word, terms.insert(&analysed, ()));
                    }
                }
            },
            || analyzer.odd_phrase_words(),
        );
        for line in odd.lines() {
            let (word, analysed) = line.split_once('\t').unwrap_or((line, ""));
            words.insert(word, terms.insert(analysed, ()));
        }
        words.shrink_to_fit();
        terms.shrink_to_fit();
        (analyzer.phrase_words, analyzer.phrase_word_terms) = (words, terms);
        analyzer
    }

    /// The terms of a fact's text (no typo fixing: the facts are the reference spelling).
    pub(crate) fn analyze(&self, text: &str) -> Vec<Term> {
        self.terms(text::tokens(text), &[], &|_| false)
    }

    /// Each distinct phrase word of an odd length, a tab and its terms (see
    /// [`Analyzer::terms_line`]), a line each: the other core's share of [`Analyzer::new`].
    fn odd_phrase_words(&self) -> String {
        let (mut seen, mut lines) = (PackedSet::default(), String::new());
        for word in self.phrases.words().filter(|w| w.len() % 2 == 1) {
            if !seen.contains(word) {
                seen.insert(word, ());
                lines.push_str(word);
                lines.push('\t');
                lines = self.terms_line(word, lines);
                lines.push('\n');
            }
        }
        lines
    }

    /// `line` with the texts of `word`'s terms appended, joined by spaces.
    fn terms_line(&self, word: &str, mut line: String) -> String {
        for (n, term) in self.analyze(word).into_iter().enumerate() {
            if n > 0 {
                line.push(' ');
            }
            line.push_str(&term.text);
        }
        line
    }

    /// A fact's text (as tokens) as the index sees it: its terms, and the words that phrase mappings
    /// swallowed ("manufacturer" of "car manufacturer"), by which the fact may also be found,
    /// though less surely.
    pub(crate) fn analyze_for_index(&self, tokens: Vec<String>) -> (Vec<Term>, Vec<Term>) {
        let spanish = is_spanish(&tokens);
        let (mapped, swallowed) = self.phrases.apply(tokens);
        let terms = self.finish(mapped, spanish, &[], &|_| false);
        // One word at a time: together they would form the same phrase again.
        let swallowed = swallowed
            .into_iter()
            .flat_map(|word| self.terms(vec![word], &[], &|_| false))
            .collect();
        (terms, swallowed)
    }

    /// Terms of `tokens`, where `corrected[i]` says token `i` is a typo fix. `known` tells
    /// which stems the facts use: a word of a Spanish question that the facts spell the English
    /// way (a name, "china") takes the English stem, so it meets them.
    pub(crate) fn terms(
        &self,
        tokens: Vec<String>,
        corrected: &[bool],
        known: &dyn Fn(&str) -> bool,
    ) -> Vec<Term> {
        let spanish = is_spanish(&tokens);
        let was_corrected: Vec<String> = tokens
            .iter()
            .zip(corrected)
            .filter(|(_, fixed)| **fixed)
            .map(|(token, _)| token.clone())
            .collect();
        let (mapped, _) = self.phrases.apply(tokens);
        self.finish(mapped, spanish, &was_corrected, known)
    }

    /// Mapped tokens to terms: stop words dropped, the rest stemmed, duplicates removed.
    fn finish(
        &self,
        mapped_tokens: Vec<(String, bool)>,
        spanish: bool,
        was_corrected: &[String],
        known: &dyn Fn(&str) -> bool,
    ) -> Vec<Term> {
        let mut terms: Vec<Term> = Vec::with_capacity(mapped_tokens.len());
        for (token, mapped) in mapped_tokens {
            let corrected = was_corrected.contains(&token);
            let Some(term) = self.term(token, mapped, spanish, known) else {
                continue;
            };
            if !terms.iter().any(|other| other.text == term.text) {
                terms.push(Term { corrected, ..term });
            }
        }
        terms
    }

    /// One token's term once phrases are mapped, or `None` for a stop word; `mapped` says a
    /// mapping wrote it, `spanish` is the language of the whole text. Depends on nothing else
    /// (but `known`), which is what lets indexing read each distinct word once.
    pub(crate) fn term(
        &self,
        token: String,
        mapped: bool,
        spanish: bool,
        known: &dyn Fn(&str) -> bool,
    ) -> Option<Term> {
        if LEXICON.is_stopword(&token) {
            return None;
        }
        let is_question_word = QUESTION_WORDS.contains(&token.as_str());
        let is_generic = !mapped && LEXICON.generic.contains(&token);
        let is_name = !mapped && LEXICON.names.contains(&token);
        let english = mapped || !spanish || self.phrases.is_canonical(&token);
        let text = if is_question_word || text::is_number(&token) {
            token
        } else if english {
            self.stem(&token, false)
        } else {
            // The English stem only when the facts know it and not the Spanish one.
            let stem = self.stem(&token, true);
            if known(&stem) {
                stem
            } else {
                let english_stem = self.stem(&token, false);
                if known(&english_stem) {
                    english_stem
                } else {
                    stem
                }
            }
        };
        Some(Term {
            text,
            is_question_word,
            corrected: false,
            is_generic,
            is_name,
        })
    }

    /// What a word that no mapping wrote means on its own, before any neighbour is looked at:
    /// the canonical words it maps to, if any.
    pub(crate) fn word_mapping(&self, word: &str) -> Option<impl Iterator<Item = &str>> {
        self.phrases
            .word(word)
            .map(|canonical| canonical.split(' '))
    }

    /// Whether `word` is the first word of a multi-word variant.
    pub(crate) fn starts_phrase(&self, word: &str) -> bool {
        self.phrases.starts_phrase(word)
    }

    /// Whether some multi-word variant begins with the two words of `pair` ("first second").
    pub(crate) fn begins_phrase(&self, pair: &str) -> bool {
        self.phrases.begins_phrase(pair)
    }

    /// Per token: whether a phrase of several words that the glossary or the synonyms map
    /// whole covers it ("segunda vuelta").
    pub(crate) fn inside_phrases(&self, tokens: &[String]) -> Vec<bool> {
        self.phrases.inside_phrases(tokens)
    }

    /// Whether `word` is itself a variant, so that a mapping's output may be mapped again.
    pub(crate) fn is_variant(&self, word: &str) -> bool {
        self.phrases.contains_word(word)
    }

    /// The glossary's word for another number or gender of the Spanish `word` ("obras"
    /// when only "obra" is listed, "afectadas" for "afectado"), if the glossary lacks `word`
    /// itself. Only such endings: a stem shared by other forms may mean something else
    /// ("accionista", shareholder, is no "acción").
    pub(crate) fn spanish_form(&self, word: &str) -> Option<&str> {
        if self.phrases.contains_word(word) {
            return None;
        }
        let (singular, plural) = match word.strip_suffix("es") {
            Some(stem) => (stem, true),
            None => word
                .strip_suffix('s')
                .map_or((word, false), |stem| (stem, true)),
        };
        let mut forms = vec![singular.to_owned()];
        if plural {
            forms.push(word.strip_suffix('s').unwrap_or(word).to_owned());
        } else {
            forms.extend([format!("{word}s"), format!("{word}es")]);
        }
        let flips = if has_gender_form(word) {
            forms.len()
        } else {
            0
        };
        let gendered: Vec<String> = forms[..flips]
            .iter()
            .filter_map(|form| {
                let flipped = match form.strip_suffix('a') {
                    Some(stem) => format!("{stem}o"),
                    None => format!("{}a", form.strip_suffix('o')?),
                };
                Some(flipped)
            })
            .collect();
        forms.extend(gendered);
        forms
            .iter()
            .find_map(|form| SPANISH_WORDS.span(form).map(|span| SPANISH_WORDS.str(span)))
            .or_else(|| self.spanish_verb(word))
    }

    /// The glossary's infinitive of which the Spanish `word` is another form ("ahorraria",
    /// "caben", "desmantelo", as the matcher sees them without accents): the glossary lists a
    /// few forms of each verb, members use them all. The word's ending is taken off and each
    /// infinitive ending tried, the longest ending first; the stem kept has three letters or
    /// more. (The Spanish stemmer cannot do this: its endings carry the accents members leave
    /// out.)
    fn spanish_verb(&self, word: &str) -> Option<&'static str> {
        Self::verb_form(word).or_else(|| {
            // "pagarle", "inscribirse", "dándoles": the pronoun joined to the verb's end.
            ENCLITICS
                .iter()
                .filter_map(|pronoun| word.strip_suffix(pronoun))
                .filter(|verb| {
                    ["ar", "er", "ir", "ando", "iendo"]
                        .iter()
                        .any(|end| verb.ends_with(end))
                })
                .find_map(|verb| {
                    SPANISH_WORDS
                        .span(verb)
                        .map(|span| SPANISH_WORDS.str(span))
                        .or_else(|| Self::verb_form(verb))
                })
        })
    }

    /// A conjugated form's listed infinitive (see [`Analyzer::spanish_verb`]).
    fn verb_form(word: &str) -> Option<&'static str> {
        VERB_ENDINGS
            .iter()
            .filter_map(|ending| word.strip_suffix(ending))
            .filter(|stem| stem.chars().count() >= 3)
            .find_map(|stem| {
                ["ar", "er", "ir"].iter().find_map(|infinitive| {
                    let key = format!("{stem}{infinitive}");
                    SPANISH_WORDS.span(&key).map(|span| SPANISH_WORDS.str(span))
                })
            })
    }

    pub(crate) fn stem(&self, word: &str, spanish: bool) -> String {
        if spanish {
            self.spanish.stem(word).into_owned()
        } else {
            let word = LEXICON.base_form(word).unwrap_or(word);
            self.english.stem(&spelling::american(word)).into_owned()
        }
    }

    /// Whether a surface word is understood without the facts' vocabulary: a stop word, filler,
    /// or part of a mapped phrase. Such words are never "corrected" into something else.
    pub(crate) fn knows_word(&self, word: &str) -> bool {
        LEXICON.is_stopword(word) || self.phrases.contains_word(word)
    }

    /// Every word that appears in a mapped phrase, with the texts of its terms on its own.
    pub(crate) fn phrase_words(&self) -> impl Iterator<Item = (&str, impl Iterator<Item = &str>)> {
        self.phrase_words.iter().map(|(word, &terms)| {
            let terms = self.phrase_word_terms.str(terms);
            (word, terms.split(' ').filter(|term| !term.is_empty()))
        })
    }

    /// Whether `word` appears in a mapped phrase.
    pub(crate) fn is_phrase_word(&self, word: &str) -> bool {
        self.phrase_words.contains(word)
    }
}

/// Spanish words that differ from a listed word only by "o" and "a" but are other words
/// ("plaza" is no "plazo", "cuadro" no "cuadra", "libras" no "libros"), frequent ones found by
/// flipping every glossary key, and names ("Ana", "Julia"). Their own entry, if any, is the
/// glossary's to give; without one they stay unknown rather than be read as the wrong word.
const NOT_GENDER_FORMS: &[&str] = &[
    "ana", "banda", "barca", "bombo", "calzada", "capo", "cara", "caras", "cargo", "cargos",
    "centra", "cera", "cerco", "cerda", "correa", "costas", "cuadro", "cuadros", "cuento",
    "cuentos", "dana", "das", "duela", "filo", "gata", "giro", "giros", "gradas", "huerta",
    "hueva", "io", "julia", "juntas", "libras", "listo", "listos", "madero", "manga", "mangas",
    "marco", "marcos", "maya", "medias", "modo", "modos", "molina", "monta", "mota", "na", "ora",
    "parejo", "partida", "partidas", "pela", "perra", "perras", "pica", "pisa", "plato", "platos",
    "plaza", "plazas", "polla", "presas", "puebla", "puesta", "puntas", "punto", "puntos", "quito",
    "ramo", "raya", "reino", "ria", "rita", "romo", "rota", "temo", "tinto", "trama", "tramas",
    "veto", "vido", "zapata",
];

/// Whether `word` may be read as a listed word of the other gender: not a gerund
/// ("viviendo" is no "vivienda"), nor one of [`NOT_GENDER_FORMS`].
fn has_gender_form(word: &str) -> bool {
    !word.ends_with("ando")
        && !word.ends_with("iendo")
        && NOT_GENDER_FORMS.binary_search(&word).is_err()
}

/// The glossary's one-word Spanish keys, for forms it does not list (see
/// [`Analyzer::spanish_form`]) and for telling a text's language: one table a process.
pub(super) static SPANISH_WORDS: LazyLock<PackedSet> = LazyLock::new(|| {
    let translations = lexicon::spanish_to_english();
    translations
        .iter()
        .map(|(spanish, _)| spanish.as_str())
        .filter(|spanish| !spanish.contains(' '))
        .collect()
});

/// The endings of Spanish verb forms without their accents, longest first within each
/// tense: conditional, future, imperfect, preterite, present, subjunctive, gerund and
/// participle. Only tried on a word of a Spanish question that neither the facts nor the
/// glossary know.
/// Pronouns Spanish joins to the end of an infinitive or a gerund ("pagar*le*",
/// "inscribir*se*").
const ENCLITICS: &[&str] = &[
    "les", "los", "las", "nos", "le", "lo", "la", "se", "me", "te",
];

const VERB_ENDINGS: &[&str] = &[
    "ariamos", "eriamos", "iriamos", "arian", "erian", "irian", "arias", "erias", "irias", "aria",
    "eria", "iria", "aremos", "eremos", "iremos", "aran", "eran", "iran", "aras", "eras", "iras",
    "ara", "era", "ira", "are", "ere", "ire", "abamos", "aban", "abas", "aba", "iamos", "ian",
    "ias", "ia", "aron", "ieron", "aste", "iste", "amos", "emos", "imos", "ando", "iendo", "ados",
    "adas", "ado", "ada", "idos", "idas", "ido", "ida", "io", "an", "en", "as", "es", "o", "a",
    "e",
];

/// Other English renderings of the glossary's Spanish words, in order
/// (`lexicon/es_en_senses.txt`): the glossary gives a word one translation ("diputado":
/// lawmaker), an English article may use another ("deputy"). See [`spanish_senses`].
static SPANISH_SENSES: LazyLock<PackedMap<Vec<String>>> = LazyLock::new(|| {
    let mut senses = PackedMap::default();
    for (spanish, english) in lexicon::spanish_senses() {
        senses.insert(&spanish, english);
    }
    senses.shrink_to_fit();
    senses
});

/// The other English renderings of the Spanish `word` or, when it is not listed, of its other
/// number or gender ("diputadas" for "diputado"); empty when it has none.
pub(crate) fn spanish_senses(word: &str) -> &'static [String] {
    if let Some(senses) = SPANISH_SENSES.get(word) {
        return senses;
    }
    let singular = [word.strip_suffix("es"), word.strip_suffix('s')];
    let numbers = std::iter::once(word).chain(singular.into_iter().flatten());
    let flipped = |form: &str| match form.strip_suffix('a') {
        Some(stem) => Some(format!("{stem}o")),
        None => form.strip_suffix('o').map(|stem| format!("{stem}a")),
    };
    numbers
        .flat_map(|form| std::iter::once(form.to_owned()).chain(flipped(form)))
        .find_map(|form| SPANISH_SENSES.get(&form))
        .map_or(&[], Vec::as_slice)
}

/// Builds [`SPANISH_WORDS`] and [`SPANISH_SENSES`] (see `matcher::build_shared_tables`).
pub(super) fn build_tables() {
    LazyLock::force(&SPANISH_WORDS);
    LazyLock::force(&SPANISH_SENSES);
}

/// Spanish when the text has more Spanish-only than English-only function words, so the
/// right stemmer conflates its word forms (`capacitará`, `capacitar`).
pub(crate) fn is_spanish(tokens: &[String]) -> bool {
    tokens.iter().map(|token| language_vote(token)).sum::<i32>() > 0
}

/// What one word says about a text's language: 1 for a Spanish-only function word, -1 for an
/// English-only one, else 0. A text is Spanish when the sum over its words is positive.
pub(crate) fn language_vote(token: &str) -> i32 {
    let es = LEXICON.spanish_stopwords.contains(token);
    let en = LEXICON.english_stopwords.contains(token);
    i32::from(es && !en) - i32::from(en && !es)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyzer() -> Analyzer {
        Analyzer::new(&[Synonym {
            canonical: "beijing".into(),
            variants: vec!["pekin".into()],
        }])
    }

    #[track_caller]
    fn check(input: &str, expect: &[&str]) {
        let terms: Vec<String> = analyzer()
            .analyze(input)
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(terms, expect, "{input:?}");
    }

    #[test]
    fn stop_words_and_filler_go_content_words_are_stemmed() {
        check("hey bot, what are the agreements about?", &["agreement"]);
        check("The ports were opening", &["port", "open"]);
        check("good morning! which ports?", &["which", "port"]);
        check("buenos dias, cuales puertos?", &["which", "port"]);
        check("morning trains", &["morn", "train"]);
        check("how many lost their lives", &["quantity", "die"]);
        check("is it closed as well?", &["close"]);
    }

    /// The terms' texts of `text`, to compare two wordings.
    fn read(text: &str) -> Vec<String> {
        analyzer()
            .analyze(text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn a_pay_rise_is_a_wage_increase_and_going_back_a_return() {
        assert_eq!(read("the pay rise"), read("the wage increase"));
        assert_ne!(read("the pay rise"), read("the payment grew"));
        assert_eq!(read("they go back to court"), read("they return to court"));
    }

    #[test]
    fn an_acting_head_is_an_interim_one_and_the_upper_house_the_senate() {
        assert_eq!(read("the acting CEO"), read("the interim CEO"));
        assert_eq!(read("the upper house"), read("the senate"));
        assert_eq!(read("la camara alta"), read("the senate"));
        assert_eq!(read("the prof"), read("the professor"));
    }

    #[test]
    fn a_translation_reads_as_the_english_word_it_inflects() {
        // "educación" is "education", which the paraphrase groups list as "educate".
        let english = analyzer().analyze("the minister of education");
        let spanish = analyzer().analyze("el ministro de educación");
        assert_eq!(english, spanish);
        // So does each word of a phrase's translation ("número de teléfono": phone number).
        let english = analyzer().analyze("a phone number");
        let spanish = analyzer().analyze("un número de teléfono");
        assert_eq!(english, spanish);
    }

    #[test]
    fn an_irregular_form_reads_as_its_base_word() {
        check("who took the money", &["who", "take", "money"]);
        check("what was taken", &["take"]);
        check("children caught", &["child", "catch"]);
        // Forms that are words of their own, and plurals of a regular noun, are left alone.
        check("who left the port", &["who", "left", "port"]);
        check("new taxes", &["new", "tax"]);
        assert_eq!(LEXICON.base_form("media"), None);
        assert_eq!(LEXICON.base_form("stole"), Some("steal"));
    }

    #[test]
    fn a_spanish_word_finds_the_glossary_entry_for_its_other_number_or_gender() {
        let analyzer = Analyzer::new(&[]);
        assert_eq!(analyzer.spanish_form("afectadas"), Some("afectado"));
        assert_eq!(analyzer.spanish_form("afectada"), Some("afectado"));
        // Listed words are read as listed; a noun's other endings are never guessed.
        assert_eq!(analyzer.spanish_form("afectados"), None);
        assert_eq!(analyzer.spanish_form("accion"), None);
    }

    #[test]
    fn a_noun_that_differs_by_its_last_vowel_is_another_word() {
        let analyzer = Analyzer::new(&[]);
        // "plazo" (time limit) and "cuadra" (block) are listed; places and paintings are not.
        assert_eq!(analyzer.spanish_form("plazas"), None);
        assert_eq!(analyzer.spanish_form("cuadros"), None);
        assert_ne!(analyzer.spanish_form("viviendo"), Some("vivienda"));
        assert_eq!(analyzer.spanish_form("peligrosas"), Some("peligroso"));
    }

    #[test]
    fn a_spanish_verb_form_finds_the_glossary_entry_for_its_infinitive() {
        let analyzer = Analyzer::new(&[]);
        assert_eq!(analyzer.spanish_form("afectando"), Some("afectar"));
        assert_eq!(analyzer.spanish_form("ahorrarian"), Some("ahorrar"));
        assert_eq!(analyzer.spanish_form("ahorrariamos"), Some("ahorrar"));
        assert_eq!(analyzer.spanish_form("empezaria"), Some("empezar"));
        assert_eq!(analyzer.spanish_form("zzzaria"), None, "no such infinitive");
        assert_eq!(analyzer.spanish_form("pagarle"), Some("pagar"));
        assert_eq!(analyzer.spanish_form("afectandoles"), Some("afectar"));
        assert_eq!(analyzer.spanish_form("inscribirse"), Some("inscribir"));
        assert_eq!(analyzer.spanish_form("tardo"), Some("tardar"));
    }

    #[test]
    fn everyday_spanish_words_and_greetings_read_as_english() {
        check(
            "oe cuando regreso la presidenta",
            &["when", "return", "presid"],
        );
        check(
            "cuantos sillones de quimioterapia",
            &["quantity", "chair", "chemotherapi"],
        );
        check("cuales son los pasos", &["which", "step"]);
        // "querer" is want, a word that says nothing about the topic.
        check("que quieren los criticos", &["critic"]);
    }

    #[test]
    fn a_question_phrase_typed_in_a_hurry_still_asks_what_it_asks() {
        // Three-letter slips are too many to correct word by word; beside "how" they are sure.
        check("how mny people", &["quantity", "peopl"]);
        check("how muh money", &["quantity", "money"]);
        check("hwo long did it last", &["durat", "last"]);
    }

    #[test]
    fn demonyms_unions_and_enrolment_read_as_the_english_a_fact_uses() {
        // A union in a Spanish question is the facts' "union", not "trade" and "union".
        check("que pide el sindicato", &["request", "union"]);
        check("cuantos estan inscritos", &["quantity", "enrol"]);
        check("que dijeron los eslovenos", &["say", "slovenia"]);
        check("que dijo la concejala", &["say", "councilor"]);
    }

    #[test]
    fn cases_sentences_and_waiting_lists_read_as_the_news_says_them() {
        // "casos" is no form of "casa" (house), nor "pena" a pen.
        check("cuantos casos hay", &["quantity", "case"]);
        check("recibio una pena menor", &["receiv", "sentenc", "smaller"]);
        check("cuantos en lista de espera", &["quantity", "wait", "list"]);
        check("pago a la subcontratista", &["payment", "subcontractor"]);
    }

    #[test]
    fn story_synonyms_and_spanish_meet_english() {
        check(
            "¿Qué día estuvo Boluarte en Pekín?",
            &["when", "boluart", "beij"],
        );
        // "al extranjero" is abroad, not "foreign"; "fundó" founded, not "fund".
        check("¿Viajó al extranjero?", &["visit", "abroad"]);
        check("¿En qué año se fundó?", &["when", "creat"]);
    }

    #[test]
    fn a_shared_analyzer_uses_its_own_storys_synonyms() {
        let synonyms = |canonical: &str| {
            vec![Synonym {
                canonical: canonical.into(),
                variants: vec!["pekin".into()],
            }]
        };
        let read = |analyzer: &Analyzer| {
            let terms = analyzer.analyze("Pekín");
            terms.into_iter().map(|t| t.text).collect::<Vec<_>>()
        };
        for _ in 0..2 {
            assert_eq!(read(&Analyzer::shared(&synonyms("beijing"))), ["beij"]);
            assert_eq!(read(&Analyzer::shared(&synonyms("capital"))), ["capit"]);
        }
    }

    #[test]
    fn chat_phrases_say_nothing_about_the_topic() {
        check("hi, quick one: what was it worth in the end?", &["valu"]);
    }

    #[test]
    fn numbers_and_question_words_are_kept_whole() {
        check("How many of the 17 minerals?", &["quantity", "17", "miner"]);
        // "the two" points at both parties: no figure a fact must give.
        check("ties between the two countries", &["relat", "nation"]);
    }
}
