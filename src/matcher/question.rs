//! Reading a question: its tokens, typo fixes, the relations of its unknown words, and the
//! terms the rest of the matcher compares.
//!
//! Each token is read once, in order: a word the facts know stays as it is; a word with two
//! letters swapped is unswapped; a real English word or a name stays (and an unknown English
//! word notes the facts' words it is related to); anything else is typo-fixed, split in two,
//! or kept as an honest unknown.

use super::analyzer::{self, Term};
use super::{cognates, kinds, lexicon, meaning, misspelt, related, surface, text, words, Matcher};

/// A question as the matcher reads it.
pub(super) struct Question {
    pub(super) terms: Vec<Term>,
    /// Unknown English words (as terms) with the facts' terms they are related to.
    pub(super) related: Vec<(String, Vec<u32>)>,
    /// When one sentence of a chatty message is asked alone: the whole message's numbers,
    /// names and attributes, which still count against a fact (see
    /// [`Matcher::vetoing_terms`]): each as the facts' terms that give it.
    pub(super) context: Vec<Vec<usize>>,
    /// "Who is/was…", "quién es…": the question asks who holds the role it names next, not
    /// who did something ("who met the CEO?").
    pub(super) asks_who_is: bool,
    /// "When will…", "when is it going to…", "cuándo van a…": it asks when something still to
    /// come happens, which an answer dating what has happened does not say.
    pub(super) asks_when_ahead: bool,
    /// "How many people…", "cuántos…": a count, which a sum of money does not give ("how many
    /// *euros*" asks for money and is not one).
    pub(super) asks_how_many: bool,
    /// "How many *troops*…": what is counted follows, and a fact that mentions it in no word
    /// of its own nor any close in meaning cannot give its number.
    pub(super) names_what_it_counts: bool,
    /// "How many *festival-goers*…", "how many *third-party* suppliers…": what is counted is
    /// a hyphenated compound, whose first word the reader keeps alone and which is not what
    /// is counted: neither it nor the word after must be in a fact.
    pub(super) counts_a_compound: bool,
    /// "Which *political party*…": how many words after "which" say what is picked.
    pub(super) picks_by: usize,
    /// A terse query: at most five words, none of them a question word or a verb that opens
    /// a question, and no question mark ("death toll", "mediator name").
    pub(super) terse: bool,
    /// Its letter trigrams, as the facts' are profiled (see `matcher::surface`).
    pub(super) surface: surface::Profile,
}

/// The most words a terse query has.
const TERSE_WORDS: usize = 5;

/// Words that make a message a question rather than a terse query, in either language.
const ASKING_WORDS: &[&str] = &[
    "what", "whats", "when", "where", "who", "whos", "why", "how", "which", "is", "are", "was",
    "were", "did", "does", "do", "can", "will", "has", "have", "que", "cuando", "donde", "quien",
    "cual", "cuanto", "cuantos", "cuanta", "cuantas", "por", "como", "hay", "es",
];

/// Whether `message`, read as `tokens`, is a terse query (see [`Question::terse`]).
fn is_terse(message: &str, tokens: &[String]) -> bool {
    !tokens.is_empty()
        && tokens.len() <= TERSE_WORDS
        && !message.contains(['?', '¿'])
        && !tokens
            .iter()
            .any(|token| ASKING_WORDS.contains(&token.as_str()))
}

/// Whether `tokens` ask how many of something other than money.
fn asks_how_many(tokens: &[String]) -> bool {
    counted_at(tokens).is_some()
}

/// Whether `tokens` ask how many and say right after it what is counted ("How many *troops*…",
/// not "How many *of* the minerals…", whose count is of something the question has named).
fn names_what_it_counts(tokens: &[String]) -> bool {
    counted_at(tokens).is_some_and(|at| {
        tokens
            .get(at)
            .is_some_and(|word| !lexicon::LEXICON.is_stopword(word))
    })
}

/// Whether what `message` asks how many of is a hyphenated compound (see
/// [`Question::counts_a_compound`]); a range of figures ("10-15") is no compound. Read from
/// the message's words, since its tokens no longer show which were joined by a hyphen.
fn counts_a_compound(message: &str) -> bool {
    if !message.contains('-') {
        return false;
    }
    let mut tokens = Vec::new();
    // Per token: whether it starts a hyphenated compound of words.
    let mut starts_compound = Vec::new();
    for word in message.split_whitespace() {
        let parts = text::question_tokens(word);
        let compound = parts.len() > 1
            && word.contains('-')
            && parts[0].chars().next().is_some_and(char::is_alphabetic);
        starts_compound.extend((0..parts.len()).map(|at| compound && at == 0));
        tokens.extend(parts);
    }
    counted_at(&tokens).is_some_and(|at| {
        let skipped = tokens[at.min(tokens.len())..]
            .iter()
            .take_while(|token| COUNT_MODIFIERS.contains(&token.as_str()))
            .count();
        starts_compound.get(at + skipped).copied().unwrap_or(false)
    })
}

/// Words between "how many" and what is counted that say how many more, not what.
pub(super) const COUNT_MODIFIERS: &[&str] =
    &["additional", "extra", "further", "new", "total", "separate"];

/// How many words after "which" say what is picked: those up to the next function word
/// ("Which *political party* does…": two; "which of the cities": none).
fn picked_words(tokens: &[String]) -> usize {
    tokens
        .iter()
        .position(|token| token == "which")
        .map_or(0, |at| {
            tokens[at + 1..]
                .iter()
                .take_while(|token| !lexicon::LEXICON.is_stopword(token))
                .count()
        })
}

/// Where what a "how many" question counts starts among `tokens`, if it asks how many of
/// something other than money.
fn counted_at(tokens: &[String]) -> Option<usize> {
    let not_money = |next: Option<&String>| {
        next.is_none_or(|word| {
            !kinds::CURRENCY_WORDS.contains(&word.as_str())
                && !matches!(word.as_str(), "money" | "dinero" | "plata")
        })
    };
    tokens.iter().enumerate().find_map(|(at, token)| {
        let before = |words: &[&str]| at > 0 && words.contains(&tokens[at - 1].as_str());
        let next_is = |word: &str| tokens.get(at + 1).is_some_and(|next| next == word);
        let after = match token.as_str() {
            "many" if before(&["how"]) => at + 1,
            "cuantos" | "cuantas" => at + 1,
            // "What is the number of miners…?", "el número de mineros", and a terse query's
            // "number of evacuees"
            "number" if next_is("of") && (at == 0 || before(&["the", "total"])) => at + 2,
            "numero" if next_is("de") && (at == 0 || before(&["el", "total"])) => at + 2,
            // A terse query's "shelters count", "hospitalisations number": what is counted
            // comes first, in the plural ("phone number" counts no phones).
            "number" | "count" | "total"
                if at + 1 == tokens.len() && at > 0 && counts_plural(&tokens[at - 1]) =>
            {
                at - 1
            }
            _ => return None,
        };
        not_money(tokens.get(after)).then_some(after)
    })
}

/// Whether `word` reads as a plural noun that can be counted: "shelters", "evacuees", not
/// "phone", "class", "bus" nor a stop word.
fn counts_plural(word: &str) -> bool {
    word.len() > 3
        && word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !lexicon::LEXICON.is_stopword(word)
}

/// "How much *dose* the airline owe?", "when *dos* the minister…": a slip for "does" that is a
/// word of its own, read as "does" only where nothing but the auxiliary fits, between a
/// question word and the subject. "What dose did they get?" keeps its dose.
fn unslip_does(tokens: &mut [String]) {
    const SLIPS: &[&str] = &["dose", "dos", "doe", "deos"];
    const BEFORE: &[&str] = &[
        "what", "when", "where", "why", "how", "who", "which", "much", "many", "long", "often",
    ];
    const SUBJECTS: &[&str] = &[
        "the", "it", "he", "she", "they", "this", "that", "these", "those", "his", "her", "their",
        "its", "we", "you", "there", "an",
    ];
    for at in 1..tokens.len().saturating_sub(1) {
        if SLIPS.contains(&tokens[at].as_str())
            && BEFORE.contains(&tokens[at - 1].as_str())
            && SUBJECTS.contains(&tokens[at + 1].as_str())
        {
            tokens[at] = "does".to_owned();
        }
    }
}

/// "who was the judge on *this one*", "hey *quick one*": "one" standing for a thing just said
/// is no number, and left in it would weigh as a word no fact uses. Only after a word that
/// makes it a pronoun; "one of the miners", "one person" keep their number.
fn drop_pronoun_one(tokens: &mut Vec<String>) {
    // Not "the": "the one-year ban" keeps its number.
    const BEFORE: &[&str] = &["this", "that", "quick", "another", "which", "each", "every"];
    let mut at = 1;
    while at < tokens.len() {
        let pronoun = tokens[at] == "one"
            && BEFORE.contains(&tokens[at - 1].as_str())
            && tokens.get(at + 1).is_none_or(|next| next != "of");
        if pronoun {
            tokens.remove(at);
        } else {
            at += 1;
        }
    }
}

/// "What was the final tally *when* deputies voted?", "the event *where* she spoke", "¿qué pasó
/// con el hospital *donde* hacían las prácticas?": "when" or "where" ("cuando", "donde") after
/// the word that asks, in the same clause, not joined to it by "and" or "or" and not ending it,
/// opens a clause of the question instead of asking. Read as asking, it would want a date or a
/// place the fact need not give. "When and where did she land?", "who signed, and when?" and
/// a second question ("what happens next, when do they vote?") keep theirs.
/// A relative "who" stays: it also asks for a person, and dropping it measured worse.
fn drop_clause_question_words(question: &str, tokens: &mut Vec<String>) {
    const ASKING: &[&str] = &[
        "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "que", "cual",
        "cuales", "quien", "quienes", "cuanto", "cuanta", "cuantos", "cuantas", "cuando", "donde",
        "como",
    ];
    const CLAUSE: &[&str] = &["when", "where", "cuando", "donde"];
    const JOINING: &[&str] = &["and", "or", "but", "nor", "plus", "pero"];
    let asking = tokens
        .iter()
        .filter(|t| ASKING.contains(&t.as_str()))
        .count();
    if asking < 2 || !tokens[1..].iter().any(|t| CLAUSE.contains(&t.as_str())) {
        return;
    }
    // Each clause is read on its own, so a question word opening the next question is never
    // taken for one inside the last.
    let parts: Vec<Vec<String>> = text::sentences(question)
        .into_iter()
        .flat_map(clauses)
        .map(text::question_tokens)
        .collect();
    if !parts.iter().flatten().eq(tokens.iter()) {
        return;
    }
    let mut keep = Vec::with_capacity(tokens.len());
    for part in &parts {
        let mut asked = false;
        for (at, token) in part.iter().enumerate() {
            let word = token.as_str();
            let opens_a_clause = asked
                && CLAUSE.contains(&word)
                && at > 0
                && at + 1 < part.len()
                && !JOINING.contains(&part[at - 1].as_str())
                && !ASKING.contains(&part[at - 1].as_str());
            keep.push(!opens_a_clause);
            asked |= ASKING.contains(&word);
        }
    }
    let mut kept = keep.into_iter();
    tokens.retain(|_| kept.next().unwrap_or(true));
}

/// The parts of a sentence that a comma, a semicolon, a spaced dash or a Spanish "y", "o",
/// "e" or "u" set apart (one-letter words, which tokens leave out).
fn clauses(sentence: &str) -> Vec<&str> {
    let mut parts = vec![sentence];
    for separator in [",", ";", " - ", " y ", " o ", " e ", " u "] {
        parts = parts
            .into_iter()
            .flat_map(|part| part.split(separator))
            .collect();
    }
    parts
}

/// "*wait*, didn't this bank have problems before?", "ok *wait* how much did they steal": "wait"
/// opening a message before its question is an interjection, and left in it would weigh as
/// a word no fact uses; "how long will patients wait" keeps it.
fn drop_interjected_wait(tokens: &mut Vec<String>) {
    const NEXT: &[&str] = &[
        "when", "what", "how", "who", "where", "why", "which", "did", "does", "do", "is", "was",
        "are", "were", "has", "have", "so", "but", "can", "will", "really",
    ];
    let lexicon = &lexicon::LEXICON;
    let Some(at) = tokens
        .iter()
        .position(|token| !lexicon.filler.contains(token))
    else {
        return;
    };
    let interjected = tokens[at] == "wait"
        && tokens
            .get(at + 1)
            .is_some_and(|next| NEXT.contains(&next.as_str()));
    if interjected {
        tokens.remove(at);
    }
}

/// A word stretched for emphasis ("sooo", "holaaa", "pleeease"), as the word stretched: a run
/// of three or more of one letter shortened to two, or else to one, when that makes a word
/// of the word lists. Left as it is, it would be an unknown word, the heaviest kind.
fn unstretched(token: &str) -> Option<String> {
    let bytes = token.as_bytes();
    let stretched = bytes
        .windows(3)
        .any(|run| run[0] == run[1] && run[1] == run[2] && run[0].is_ascii_lowercase());
    if !stretched {
        return None;
    }
    let lexicon = &lexicon::LEXICON;
    [2, 1].into_iter().find_map(|keep| {
        let mut word = String::with_capacity(token.len());
        let mut run = 0;
        let mut last = None;
        for c in token.chars() {
            run = if Some(c) == last { run + 1 } else { 1 };
            last = Some(c);
            if run <= keep {
                word.push(c);
            }
        }
        let listed = lexicon.english_words.contains(&word)
            || lexicon.is_stopword(&word)
            || lexicon.generic.contains(&word);
        listed.then_some(word)
    })
}

/// Whether a "when" (or "cuando") that asks is followed, within a few words, by a word that
/// puts what is asked about ahead: "will", "would", "going to", "due", "expected",
/// "scheduled", "supposed", or Spanish "va/van" and an infinitive ("cuándo van a abrir").
/// "When does the season start?" is left alone: the present tense also asks about what has
/// started. A "when" opening a clause after the word that asks is gone by now.
fn asks_when_ahead(tokens: &[String]) -> bool {
    const AHEAD: &[&str] = &[
        "will",
        "would",
        "shall",
        "gonna",
        "due",
        "expected",
        "scheduled",
        "supposed",
    ];
    const REACH: usize = 6;
    let infinitive = |word: Option<&String>| {
        word.is_some_and(|w| {
            w.len() > 3 && (w.ends_with("ar") || w.ends_with("er") || w.ends_with("ir"))
        })
    };
    tokens.iter().enumerate().any(|(at, token)| {
        let asks = token == "when" || token == "cuando";
        let next = &tokens[at + 1..tokens.len().min(at + 1 + REACH)];
        asks && next.iter().enumerate().any(|(i, word)| {
            AHEAD.contains(&word.as_str())
                || (word == "going" && next.get(i + 1).is_some_and(|to| to == "to"))
                || ((word == "va" || word == "van") && infinitive(next.get(i + 1)))
        })
    })
}

/// Whether `tokens` hold "who" followed by a form of "to be" (English or Spanish) or by "the"
/// ("who's the CEO" arrives as "who the ceo": one-letter words are dropped).
fn asks_who_is(tokens: &[String]) -> bool {
    const TO_BE: &[&str] = &[
        "is", "are", "was", "were", "the", "es", "son", "era", "eran", "fue", "fueron",
    ];
    tokens.iter().any(|token| token == "whos")
        || tokens.windows(2).any(|pair| {
            matches!(pair[0].as_str(), "who" | "quien" | "quienes")
                && TO_BE.contains(&pair[1].as_str())
        })
}

/// The words of `message` that start with a capital letter but not a sentence (after `.`, `?`,
/// `!`, `:`, a line break or the start, or opening with `¿` or `¡`), or none when most such
/// words are capitalised (Title Case, capitals throughout).
fn capitalised_words(message: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let (mut words, mut capitals) = (0, 0);
    for line in message.lines() {
        let mut starts_sentence = true;
        let mut previous = "";
        for raw in line.split_whitespace() {
            // A Spanish question opens its own sentence: "hola ¿Cuándo…?".
            starts_sentence |= raw.starts_with(['¿', '¡']);
            let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
            let first = word.chars().next().filter(|c| c.is_alphabetic());
            if let Some(first) = first.filter(|_| !starts_sentence) {
                words += 1;
                // "Hey Factbot, …", "thanks Ana!": whom the member greets, not what is asked.
                let greeted = || {
                    raw.ends_with([',', '!'])
                        && lexicon::LEXICON.filler.contains(&previous.to_lowercase())
                };
                if first.is_uppercase() && !greeted() {
                    capitals += 1;
                    found.push(word);
                }
            }
            starts_sentence = raw.ends_with(['.', '?', '!', ':']) || word.is_empty();
            previous = word;
        }
    }
    if 2 * capitals > words {
        return Vec::new();
    }
    found
}

/// The surface words of a question once typo fixes are made, before analysis.
#[derive(Default)]
struct Reading {
    tokens: Vec<String>,
    /// Per token: whether it is a typo fix.
    corrected: Vec<bool>,
    related: Vec<(String, Vec<u32>)>,
    /// The words written with a capital inside a sentence, as tokens: names, never read as
    /// another name a letter away (see [`Matcher::read_token`]).
    capitalised: Vec<String>,
}

impl Reading {
    fn push(&mut self, token: String, corrected: bool) {
        self.tokens.push(token);
        self.corrected.push(corrected);
    }
}

/// Whether reading `token` as `fixed` would make one name another: a word written with a
/// capital inside a sentence is a name, and a name a letter away from one of the facts'
/// ("Cusco", Cosco) is another name, though a name with a letter left out, added or two
/// swapped is a slip ("Fernada", Fernanda). Days and months are no such names ("Saterday").
fn another_name(token: &str, fixed: &str, capitalised: &[String]) -> bool {
    capitalised.iter().any(|name| name == token)
        && !kinds::is_number_or_date_word(fixed)
        && token.chars().count() == fixed.chars().count()
        && token
            .chars()
            .zip(fixed.chars())
            .filter(|(a, b)| a != b)
            .count()
            == 1
}

/// How close in meaning (cosine) a compound must be to its first part to stand for it.
const COMPOUND_MEANING: f32 = 0.5;

impl Matcher {
    /// A question's normalised form: its terms as the matcher reads them (case, accents,
    /// filler, synonyms, stems and typo fixes applied), sorted and deduplicated, so that
    /// "Did Boluarte visit Japan?" and "did boluarte visit japan??" group together. Falls back
    /// to the plain words when nothing is left.
    pub fn normalized(&self, question: &str) -> String {
        let mut terms: Vec<String> = self
            .question_terms(question)
            .into_iter()
            .map(|term| term.text)
            .collect();
        if terms.is_empty() {
            terms = words(question);
        }
        terms.sort();
        terms.dedup();
        terms.join(" ")
    }

    /// How the matcher read a question: each term with its weight, `?` marking words the facts
    /// never mention and `~` typo fixes. For moderators wondering why a question missed.
    /// A word the facts lack but that means nearly what one of theirs does is followed by
    /// `≈` and the closest such word with its closeness ("harbor≈port:0.43").
    pub fn explain(&self, question: &str) -> String {
        self.question_terms(question)
            .iter()
            .map(|term| {
                let (id, weight, _) = self.weigh(term);
                let read = match id {
                    Some(_) => {
                        let mark = if term.corrected { "~" } else { "" };
                        format!("{mark}{}:{weight:.2}", term.text)
                    }
                    None if term.is_question_word => return format!("{}:-", term.text),
                    None => format!("?{}:{weight:.2}", term.text),
                };
                match self
                    .finds_by_meaning(id, term)
                    .then(|| self.closest_in_meaning(&term.text))
                    .flatten()
                {
                    Some((other, cosine)) => format!("{read}≈{other}:{cosine:.2}"),
                    None => read,
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The facts' term closest in meaning to `stem`, above `meaning_threshold`.
    fn closest_in_meaning(&self, stem: &str) -> Option<(&str, f32)> {
        let close = self
            .fact_words
            .close_to(stem, self.settings.meaning_threshold);
        let (id, cosine) = close.into_iter().max_by(|a, b| a.1.total_cmp(&b.1))?;
        let text = self
            .term_ids
            .iter()
            .find_map(|(text, &other)| (other == id).then_some(text.as_str()))?;
        Some((text, cosine))
    }

    /// The question's terms, with unknown words corrected or split where the facts' vocabulary
    /// allows.
    pub(super) fn question_terms(&self, question: &str) -> Vec<Term> {
        self.question(question).terms
    }

    pub(super) fn question(&self, question: &str) -> Question {
        let mut raw = text::question_tokens(question);
        let surface = self.surface.profile(&raw);
        let spanish = analyzer::is_spanish(&raw);
        drop_clause_question_words(question, &mut raw);
        if !spanish {
            unslip_does(&mut raw);
            drop_pronoun_one(&mut raw);
            drop_interjected_wait(&mut raw);
        }
        let asks_who_is = asks_who_is(&raw);
        let asks_when_ahead = asks_when_ahead(&raw);
        let asks_how_many = asks_how_many(&raw);
        let counts_a_compound = counts_a_compound(question);
        let names_what_it_counts = names_what_it_counts(&raw) && !counts_a_compound;
        let picks_by = picked_words(&raw);
        let terse = is_terse(question, &raw);
        let mut reading = Reading {
            tokens: Vec::with_capacity(raw.len()),
            corrected: Vec::with_capacity(raw.len()),
            related: Vec::new(),
            capitalised: capitalised_words(question)
                .iter()
                // "Huawei-backed": only the capitalised part.
                .filter_map(|word| text::question_tokens(word).into_iter().next())
                .collect(),
        };
        let mut raw = raw.into_iter().peekable();
        while let Some(token) = raw.next() {
            self.read_token(token, raw.peek().map(String::as_str), spanish, &mut reading);
        }
        if spanish {
            self.read_senses(&mut reading);
        }
        let Reading {
            tokens,
            corrected,
            related,
            capitalised,
        } = reading;
        let terms = self
            .analyzer
            .terms(tokens, &corrected, &|stem| self.term_ids.contains_key(stem));
        let mut terms = self.read_kind_nouns(terms);
        self.mark_capitalised_names(&capitalised, &mut terms);
        Question {
            terms,
            related,
            context: Vec::new(),
            asks_who_is,
            asks_when_ahead,
            asks_how_many,
            names_what_it_counts,
            counts_a_compound,
            picks_by,
            terse,
            surface,
        }
    }

    /// A word the facts never use, written with a capital inside a sentence ("How much trade
    /// does *Chile* do?", "Has *Ofwat* fined them?"), is a name: it stops any fact from being the
    /// answer, as a listed name does. Not in a message written in capitals or Title Case.
    /// `capitalised`: such words as tokens (see [`capitalised_words`]).
    fn mark_capitalised_names(&self, capitalised: &[String], terms: &mut [Term]) {
        if capitalised.is_empty() {
            return;
        }
        let stems: Vec<String> = capitalised
            .iter()
            .flat_map(|token| {
                [
                    self.analyzer.stem(token, false),
                    self.analyzer.stem(token, true),
                ]
            })
            .collect();
        for term in terms.iter_mut() {
            if !term.is_question_word
                && !self.term_ids.contains_key(&term.text)
                && stems.contains(&term.text)
            {
                term.is_name = true;
            }
        }
    }

    /// A noun that names the kind of answer asked for and that no fact uses ("trip *dates*")
    /// reads as the question word asking for that kind (see [`lexicon::KIND_NOUNS`]); once.
    fn read_kind_nouns(&self, terms: Vec<Term>) -> Vec<Term> {
        let mut read: Vec<Term> = Vec::with_capacity(terms.len());
        for mut term in terms {
            let asks = lexicon::KIND_NOUNS
                .iter()
                .find(|(noun, _)| *noun == term.text)
                .filter(|_| !term.is_question_word && !self.term_ids.contains_key(&term.text));
            if let Some(&(_, question_word)) = asks {
                term.text = question_word.to_owned();
                term.is_question_word = true;
            }
            if !read.iter().any(|other| other.text == term.text) {
                read.push(term);
            }
        }
        read
    }

    /// Reads one token into `reading`: kept, typo-fixed or split, see the module doc. `next` is
    /// the token after it, which may continue a phrase it starts.
    fn read_token(&self, token: String, next: Option<&str>, spanish: bool, reading: &mut Reading) {
        let token = match unstretched(&token) {
            Some(word) if !self.is_known(&token, spanish) => word,
            _ => token,
        };
        // Only a word the facts do not know looks for another form of itself.
        let stray = spanish
            && self.only_inside_other_phrases(&token, next, reading)
            && !self.facts_know(&token, spanish);
        let unknown_spanish = spanish && (!self.is_known(&token, spanish) || stray);
        if let Some(former) = unknown_spanish.then(|| self.former(&token)).flatten() {
            self.read_token("ex".to_owned(), Some(former), spanish, reading);
            self.read_token(former.to_owned(), next, spanish, reading);
            return;
        }
        let other_form = unknown_spanish
            .then(|| self.analyzer.spanish_form(&token))
            .flatten()
            .map(str::to_owned)
            .or_else(|| unknown_spanish.then(|| self.cognate(&token)).flatten());
        // A stray phrase word with no other form is as unknown as any word ("colectivo" of
        // "transporte colectivo" alone may be a slip for the facts' "collective").
        let known = match other_form {
            Some(ref form) => self.is_known(form, spanish),
            None => !stray && self.is_known(&token, spanish),
        };
        let token = other_form.unwrap_or(token);
        let name = lexicon::LEXICON.names.contains(&token);
        let real_word = lexicon::LEXICON.english_words.contains(&token) || name;
        let indexed = self
            .term_ids
            .contains_key(&self.analyzer.stem(&token, false));
        if let Some(compound) = (!spanish && !name && !indexed)
            .then(|| self.compound_starting(&token))
            .flatten()
        {
            reading.push(compound.to_owned(), true);
            return;
        }
        let unswapped = (!known && !name)
            .then(|| self.corrector.unswapped(&token))
            .flatten();
        if let Some(fixed) = unswapped {
            reading.push(fixed.to_owned(), true);
        } else if known || real_word {
            // A word known only inside longer phrases ("head" of "head of state") is related
            // only when it asks who leads: WordNet's relations of such words are too loose.
            let previous = reading.tokens.last().map(String::as_str);
            let asks_who_leads = !indexed && related::asks_who_leads(&token, previous);
            if spanish {
                self.relate_spanish_leader(&token, reading);
            } else if !known || asks_who_leads {
                self.relate(&token, reading);
            }
            reading.push(token, false);
        } else if let Some(fixed) = self
            .corrector
            .correct(&token)
            .filter(|fixed| !another_name(&token, fixed, &reading.capitalised))
        {
            match (!spanish)
                .then(|| misspelt::likelier_than(&token, fixed))
                .flatten()
            {
                Some(word) => {
                    self.relate(&word, reading);
                    reading.push(word, true);
                }
                None => reading.push(fixed.to_owned(), true),
            }
        } else if let Some(fixed) = (!spanish && !lexicon::LEXICON.short_words.contains(&token))
            .then(|| self.corrector.lengthened(&token))
            .flatten()
        {
            reading.push(fixed.to_owned(), true);
        } else if let Some((left, right)) = self.corrector.split(&token) {
            reading.push(left.to_owned(), true);
            reading.push(right.to_owned(), true);
        } else if let Some(word) = (!spanish).then(|| misspelt::meant(&token)).flatten() {
            self.relate(&word, reading);
            reading.push(word, true);
        } else {
            if !spanish {
                self.relate(&token, reading);
            }
            reading.push(token, false);
        }
    }

    /// The one word of the facts that is `word` followed by another English word ("hose" →
    /// "hosepipe", "rail" → "railway"): a compound names a kind of what its first part names.
    fn compound_starting(&self, word: &str) -> Option<&str> {
        if word.len() < 4 || lexicon::LEXICON.is_stopword(word) {
            return None;
        }
        // "home" is not "homeland", nor "head" "headquarters": only a compound that means
        // much what its first part means, or one too rare to have a meaning of its own.
        let stem = |w: &str| self.analyzer.stem(w, false);
        let meanings = &*crate::matcher::meaning::MEANINGS;
        let close = |compound: &str| {
            let compound = stem(compound);
            // A compound too rare for the table ("hosepipe") is read as its parts.
            meanings.vector(&compound).is_none()
                || meanings
                    .similarity(&stem(word), &compound)
                    .is_some_and(|cosine| cosine >= COMPOUND_MEANING)
        };
        let from = self
            .known_words
            .partition_point(|known| known.as_str() < word);
        let mut found = self.known_words[from..]
            .iter()
            .take_while(|known| known.starts_with(word))
            .filter(|known| {
                let rest = &known[word.len()..];
                rest.len() >= 3 && lexicon::LEXICON.english_words.contains(rest)
            })
            .filter(|known| close(known));
        match (found.next(), found.next()) {
            (Some(only), None) => Some(only.as_str()),
            _ => None,
        }
    }

    /// Notes in `reading` the facts' terms that an unknown English word, read after its
    /// tokens so far, is related to, if any, under the term the word becomes. A word asking who
    /// leads relates to the leading roles, whatever the word vectors say of "head" and "CEO".
    fn relate(&self, word: &str, reading: &mut Reading) {
        if self.settings.related_word_credit <= 0.0 {
            return;
        }
        let previous = reading.tokens.last().map(String::as_str);
        // The term the word becomes: "boss" is read as "ceo".
        let stem = match self.analyzer.analyze(word).as_slice() {
            [term] => term.text.clone(),
            _ => self.analyzer.stem(word, false),
        };
        let mut ids: Vec<u32> = if related::asks_who_leads(word, previous) {
            self.leading_role_ids.clone()
        } else {
            related::related_words(word)
                .into_iter()
                .filter_map(|other| match self.analyzer.analyze(other).as_slice() {
                    [term] if !far_in_meaning(&stem, &term.text) => {
                        self.term_ids.get(&term.text).copied()
                    }
                    _ => None,
                })
                .collect()
        };
        ids.sort_unstable();
        ids.dedup();
        if !ids.is_empty() {
            reading.related.push((stem, ids));
        }
    }

    /// A Spanish word whose English word asks who leads ("dirigió": lead, "jefe": chief)
    /// relates as that word does; no other Spanish word is related (WordNet is English).
    fn relate_spanish_leader(&self, token: &str, reading: &mut Reading) {
        let Some(mut english) = self.analyzer.word_mapping(token) else {
            return;
        };
        let (Some(word), None) = (english.next(), english.next()) else {
            return;
        };
        let indexed = self.term_ids.contains_key(&self.analyzer.stem(word, false));
        if !indexed && related::asks_who_leads(word, None) {
            self.relate(word, reading);
        }
    }

    /// Reads each word of a Spanish question whose glossary translation the facts lack as the
    /// word's other English rendering that they use ("diputados" as "deputies" when the facts
    /// say so, not "lawmakers"): a translator picks the word the story uses. Not a word of a
    /// phrase the glossary maps whole ("segunda vuelta", runoff).
    fn read_senses(&self, reading: &mut Reading) {
        let has_senses = |token: &String| !analyzer::spanish_senses(token).is_empty();
        if !reading.tokens.iter().any(has_senses) {
            return;
        }
        let inside = self.analyzer.inside_phrases(&reading.tokens);
        let renderings: Vec<Option<&str>> = (0..reading.tokens.len())
            .map(|at| {
                (!inside[at])
                    .then(|| self.sense_the_facts_use(&reading.tokens, at))
                    .flatten()
            })
            .collect();
        if renderings.iter().all(Option::is_none) {
            return;
        }
        let tokens = std::mem::take(&mut reading.tokens);
        let corrected = std::mem::take(&mut reading.corrected);
        for ((token, fixed), rendering) in tokens.into_iter().zip(corrected).zip(renderings) {
            match rendering {
                Some(sense) => sense
                    .split(' ')
                    .for_each(|word| reading.push(word.to_owned(), false)),
                None => reading.push(token, fixed),
            }
        }
    }

    /// The other English rendering of `tokens[at]` that the facts use where the question's
    /// other words meet them, when the glossary's own translation does not: in a fact that also
    /// has one of those words ("declararon en el juicio": testified, not said, when only the
    /// trial's fact says "testified"), or anywhere when the facts lack the translation and
    /// know no other word of the question ("¿cuándo fue el temporal?"). A rendering used only
    /// in facts about something else is another sense.
    fn sense_the_facts_use(&self, tokens: &[String], at: usize) -> Option<&'static str> {
        let token = &tokens[at];
        // Only renderings the facts use can be read; most words have none, and then the
        // question's other words need not be looked at.
        let rendered: Vec<(&String, Vec<u32>)> = analyzer::spanish_senses(token)
            .iter()
            .filter_map(|sense| self.facts_of(sense).map(|facts| (sense, facts)))
            .collect();
        if rendered.is_empty() {
            return None;
        }
        // A word the glossary writes as it is ("tension") has no mapping.
        let translation = match self.analyzer.word_mapping(token) {
            Some(words) => words.collect::<Vec<_>>().join(" "),
            None => token.clone(),
        };
        let translated = self.facts_of(&translation);
        let others: Vec<String> = tokens
            .iter()
            .enumerate()
            .filter(|&(other, _)| other != at)
            .map(|(_, word)| word.clone())
            .collect();
        let mut context: Vec<u32> = self
            .analyzer
            .terms(others, &[], &|stem| self.term_ids.contains_key(stem))
            .iter()
            .filter(|term| !term.is_question_word && !term.is_generic)
            .filter_map(|term| self.term_ids.get(&term.text))
            .flat_map(|&id| {
                self.fact_postings[id as usize]
                    .iter()
                    .map(|&(fact, _)| fact)
            })
            .collect();
        context.sort_unstable();
        context.dedup();
        let meets = |facts: &Vec<u32>| facts.iter().any(|fact| context.binary_search(fact).is_ok());
        if let Some(facts) = &translated {
            if context.is_empty() || meets(facts) {
                return None;
            }
        }
        rendered
            .into_iter()
            .find(|(_, facts)| context.is_empty() || meets(facts))
            .map(|(sense, _)| sense.as_str())
    }

    /// The facts that mention every term of the English `words`, if the facts know them all.
    fn facts_of(&self, words: &str) -> Option<Vec<u32>> {
        let terms = self.analyzer.analyze(words);
        let mut facts: Option<Vec<u32>> = None;
        for term in &terms {
            let id = *self.term_ids.get(&term.text)?;
            let mentioning = self.fact_postings[id as usize]
                .iter()
                .map(|&(fact, _)| fact);
            facts = Some(match facts {
                None => mentioning.collect(),
                Some(before) => mentioning.filter(|fact| before.contains(fact)).collect(),
            });
        }
        facts.filter(|facts| !facts.is_empty())
    }

    /// The English word of the facts that a Spanish word the glossary lacks shares a root
    /// with ("evacuados" for a fact about the evacuated), if any (see [`cognates`]).
    fn cognate(&self, word: &str) -> Option<String> {
        cognates::english_forms(word)
            .find(|form| self.term_ids.contains_key(&self.analyzer.stem(form, false)))
    }

    /// The role a Spanish "ex" is joined to, as the spelling rules have it ("exalcalde",
    /// "exministra"): read as "ex alcalde", "former mayor". Only a role: "exposición" is no
    /// former "posición".
    fn former<'t>(&self, token: &'t str) -> Option<&'t str> {
        let word = token.strip_prefix("ex")?;
        let listed = self.analyzer.spanish_form(word).unwrap_or(word);
        let terms = self
            .analyzer
            .terms(vec![listed.to_owned()], &[], &|_| false);
        let role = !terms.is_empty()
            && terms
                .iter()
                .all(|term| self.title_terms.binary_search(&term.text).is_ok());
        role.then_some(word)
    }

    /// Whether a word needs no typo fix. The Spanish stem counts only in a Spanish question:
    /// in an English one it would hide a typo ("yunbaa" stems to the Spanish "yunba").
    fn is_known(&self, token: &str, spanish: bool) -> bool {
        self.analyzer.is_phrase_word(token)
            || self.analyzer.knows_word(token)
            || text::is_number(token)
            || self.facts_know(token, spanish)
    }

    /// Whether the facts use `token`, as written or stemmed.
    fn facts_know(&self, token: &str, spanish: bool) -> bool {
        self.known_words
            .binary_search_by(|known| known.as_str().cmp(token))
            .is_ok()
            || self
                .term_ids
                .contains_key(&self.analyzer.stem(token, false))
            || (spanish && self.term_ids.contains_key(&self.analyzer.stem(token, true)))
    }

    /// Whether `token` is a word the glossary lists only inside longer phrases that it does
    /// not continue here: "tardó" of "cuánto tardó" in "¿cuántos días tardó el banco…?" is
    /// then read as any other form of its verb ("tardar": take), not left unknown; and
    /// "fiscal" of "fiscal general", followed by another word, as "fiscales" (prosecutor).
    fn only_inside_other_phrases(
        &self,
        token: &str,
        next: Option<&str>,
        reading: &Reading,
    ) -> bool {
        let starts_one_here = self.analyzer.starts_phrase(token)
            && next.is_some_and(|next| self.analyzer.begins_phrase(&format!("{token} {next}")));
        self.analyzer.is_phrase_word(token)
            && !self.analyzer.is_variant(token)
            && !starts_one_here
            && !lexicon::LEXICON.is_stopword(token)
            && reading
                .tokens
                .last()
                .is_none_or(|previous| !self.analyzer.begins_phrase(&format!("{previous} {token}")))
    }
}

/// How close in meaning (the word vectors' cosine) a word must lie to a word WordNet relates
/// it to for the relation to count: WordNet lists every sense of a word, and a question's word
/// meant in one sense is no paraphrase of a fact's word related through another ("lifted" a
/// ban is not "help", however a lift helps). Chosen on the tuning question sets.
const RELATED_MIN_MEANING: f32 = 0.3;

/// Whether two stems lie too far apart in meaning for a WordNet relation between them to
/// count; a stem without a vector keeps its relations.
fn far_in_meaning(stem: &str, other: &str) -> bool {
    meaning::MEANINGS
        .similarity(stem, other)
        .is_some_and(|cosine| cosine < RELATED_MIN_MEANING)
}

#[cfg(test)]
mod tests {
    use super::{far_in_meaning, related};
    use crate::matcher::testing::{load, load_with};
    use crate::matcher::{MatchSettings, Matcher};

    const TRIP: &str = r#"
[[facts]]
id = "trip"
questions = ["When did Boluarte visit China?"]
answer = "From June 26 to July 2, 2024."
snippet = "S"
"#;

    const ECONOMY: &str = r#"
[[facts]]
id = "economic-focus"
questions = ["What is the government focused on?"]
answer = "The government is focused on attracting investment."
snippet = "S"
"#;

    #[test]
    fn a_misspelt_word_of_the_facts_is_fixed_and_marked() {
        let (_, matcher) = load(TRIP);
        let explained = matcher.explain("When did Boluarte vsit China?");
        assert!(explained.contains("~visit:"), "{explained}");
        assert!(!matcher
            .explain("When did Boluarte visit China?")
            .contains('~'));
    }

    /// A name written with a capital is not read as a name of the facts a letter away
    /// ("Cusco" is no "Cosco"), though a letter left out is a slip ("Fernada"), and so is a
    /// day's ("Saterday").
    #[test]
    fn a_capitalised_name_is_not_read_as_another_name_a_letter_away() {
        let (_, matcher) = load(
            r#"
[[facts]]
id = "port"
questions = ["Who runs the port?"]
answer = "Cosco runs it; Fernanda Ruiz said so on Saturday."
snippet = "S"
"#,
        );
        let explained =
            matcher.explain("did Fernada go to the port in Cusco last week on Saterday?");
        assert!(explained.contains("?cusco:"), "{explained}");
        assert!(explained.contains("~fernanda:"), "{explained}");
        assert!(explained.contains("~saturday:"), "{explained}");
        assert!(matcher.explain("is cusco the port").contains("~cosco:"));
    }

    /// A word of common use that the small word list lacks is a word, not a slip of another:
    /// "deployed" is not "deplored" (read as "condemned"), nor "layoffs" "payoffs".
    #[test]
    fn a_common_news_word_is_not_read_as_a_slip_of_another() {
        let (_, matcher) = load(TRIP);
        let explained = matcher.explain("How many police were deployed after the layoffs?");
        for wrong in ["condemn", "deplor", "payoff"] {
            assert!(!explained.contains(wrong), "{explained}");
        }
    }

    /// The question's tokens after `step`, joined by spaces.
    fn read_with(question: &str, step: impl Fn(&mut Vec<String>)) -> String {
        let mut tokens = super::text::question_tokens(question);
        step(&mut tokens);
        tokens.join(" ")
    }

    #[test]
    fn one_standing_for_a_thing_is_no_number() {
        let read = |question: &str| read_with(question, super::drop_pronoun_one);
        assert_eq!(
            read("who was the judge on this one"),
            "who was the judge on this"
        );
        assert_eq!(read("hey quick one, who won?"), "hey quick who won");
        assert_eq!(read("which one of the miners"), "which one of the miners");
        assert_eq!(read("one person died"), "one person died");
        assert_eq!(read("is the one-year ban over"), "is the one year ban over");
    }

    #[test]
    fn a_when_followed_by_what_is_to_come_asks_ahead() {
        let ahead = |question: &str| {
            let mut tokens = super::text::question_tokens(question);
            super::drop_clause_question_words(question, &mut tokens);
            super::asks_when_ahead(&tokens)
        };
        assert!(ahead("When will the bridge reopen?"));
        assert!(ahead("when is the pipeline going to be ready"));
        assert!(ahead("when are they supposed to start sending letters?"));
        assert!(ahead("¿Cuándo van a abrir el puente?"));
        assert!(!ahead("When did the bridge reopen?"));
        assert!(!ahead("When does the season start?"));
        assert!(!ahead("What will happen when the plant closes?"));
        assert!(!ahead("¿Cuándo va el presidente?"));
    }

    #[test]
    fn a_question_word_opening_a_clause_is_not_asked() {
        let read = |question: &str| {
            read_with(question, |tokens| {
                super::drop_clause_question_words(question, tokens)
            })
        };
        for (question, read_as) in [
            (
                "What was the final tally when deputies voted?",
                "what was the final tally deputies voted",
            ),
            (
                "what was the event where she spoke about mining",
                "what was the event she spoke about mining",
            ),
            (
                "what happens next, when do the senators vote?",
                "what happens next when do the senators vote",
            ),
            ("until when? and where to", "until when and where to"),
            (
                "¿Qué pasó con el hospital donde hacían las prácticas?",
                "que paso con el hospital hacian las practicas",
            ),
            (
                "que es el CIRA y cuando lo emitieron?",
                "que es el cira cuando lo emitieron",
            ),
            (
                "When and where did she land?",
                "when and where did she land",
            ),
            (
                "What was signed? When did she leave?",
                "what was signed when did she leave",
            ),
            (
                "what kicked this off - when did the old contract end?",
                "what kicked this off when did the old contract end",
            ),
            ("Who signed it, and when?", "who signed it and when"),
            ("When did the port open?", "when did the port open"),
        ] {
            assert_eq!(read(question), read_as, "{question}");
        }
    }

    #[test]
    fn wait_opening_a_question_is_an_interjection() {
        let read = |question: &str| read_with(question, super::drop_interjected_wait);
        assert_eq!(read("wait, didn't the bank know?"), "did not the bank know");
        assert_eq!(
            read("ok wait how much was stolen"),
            "ok how much was stolen"
        );
        assert_eq!(
            read("how long will patients wait?"),
            "how long will patients wait"
        );
        assert_eq!(read("wait times at the clinic"), "wait times at the clinic");
    }

    #[test]
    fn a_slip_for_does_that_is_a_word_reads_as_does_only_where_the_auxiliary_fits() {
        let read = |question: &str| read_with(question, |tokens| super::unslip_does(tokens));
        assert_eq!(
            read("how much dose the airline owe"),
            "how much does the airline owe"
        );
        assert_eq!(
            read("when dos the minister testify"),
            "when does the minister testify"
        );
        assert_eq!(
            read("What dose did the patients get?"),
            "what dose did the patients get"
        );
        assert_eq!(read("the dose the nurses gave"), "the dose the nurses gave");
    }

    #[test]
    fn spanish_words_of_a_disaster_read_as_their_english() {
        let (_, matcher) = load(
            r#"
[[facts]]
id = "stranded"
questions = ["How many passengers are stranded?"]
answer = "An estimated 6,800 passengers were stranded; the Red Cross handed out water."
snippet = "S"
"#,
        );
        let stranded = matcher.explain("¿Cuántos pasajeros quedaron varados?");
        assert!(
            stranded.contains("strand:") && !stranded.contains('?'),
            "{stranded}"
        );
        let red_cross = matcher.explain("que esta haciendo la cruz roja");
        assert!(red_cross.contains("cross:"), "{red_cross}");
    }

    #[test]
    fn a_spanish_word_reads_as_its_other_rendering_when_the_facts_use_only_that() {
        let facts = |answer: &str| {
            format!(
                "\n[[facts]]\nid = \"vote\"\nquestions = [\"How did the vote go?\"]\nanswer = \"{answer}\"\nsnippet = \"S\"\n"
            )
        };
        let (_, deputies) = load(&facts("Seventy-one deputies voted in favour."));
        let read = terms_line(&deputies, "¿Cuántos diputados votaron?");
        assert!(read.contains("deputi:"), "{read}");
        // The glossary's own word wins when the facts use it, even beside the other.
        let (_, both) = load(&facts(
            "Seventy-one lawmakers, deputies of the lower house, voted.",
        ));
        let read = terms_line(&both, "¿Cuántos diputados votaron?");
        let words: Vec<&str> = read.split(' ').collect();
        assert!(
            words.iter().any(|term| term.starts_with("lawmak:"))
                && !words.iter().any(|term| term.starts_with("deputi:")),
            "{read}"
        );
        // Neither: the glossary's word stays, unknown to the facts.
        let (_, neither) = load(&facts("The motion passed."));
        let read = terms_line(&neither, "¿Cuántos diputados votaron?");
        assert!(read.contains("?lawmak"), "{read}");
        // Not a rendering found only in a fact about something else than the question's
        // other words, nor a word of a phrase mapped whole ("segunda vuelta": runoff).
        let (_, elsewhere) = load(&format!(
            "{}\n[[facts]]\nid = \"trip\"\nquestions = [\"Where did the deputies go?\"]\nanswer = \"To Rome, for the second round of talks.\"\nsnippet = \"S\"\n",
            facts("The motion passed by 71 votes.")
        ));
        let read = terms_line(&elsewhere, "¿Cuántos diputados votaron?");
        assert!(read.contains("?lawmak"), "{read}");
        let read = terms_line(&elsewhere, "¿Quién ganó la segunda vuelta?");
        assert!(read.contains("runoff"), "{read}");
        // The glossary's word used only about something else gives way to the rendering a
        // fact shares with the question: "declarar" is "declare" (say), but at the trial
        // witnesses testify.
        let (_, trial) = load(
            r#"
[[facts]]
id = "witnesses"
questions = ["How many witnesses testified at the trial?"]
answer = "Sixty-four witnesses testified over the trial's nine months."
snippet = "S"

[[facts]]
id = "mayor"
questions = ["What did the mayor say?"]
answer = "The mayor said he would appeal."
snippet = "S"
"#,
        );
        let read = terms_line(&trial, "¿Cuántos testigos declararon en el juicio?");
        assert!(read.contains("testifi:"), "{read}");
        let read = terms_line(&trial, "¿Qué declaró el alcalde?");
        assert!(!read.contains("testifi:"), "{read}");
        // Only a Spanish question: an English one keeps its words.
        let read = terms_line(&deputies, "How many diputados voted?");
        assert!(read.contains("?lawmak"), "{read}");
    }

    #[test]
    fn a_word_starting_a_phrase_it_does_not_continue_reads_as_the_word_alone() {
        let (_, matcher) = load(
            r#"
[[facts]]
id = "deal"
questions = ["When did the collective agreement expire?"]
answer = "It expired in March, the prosecutor and the attorney general said."
snippet = "S"
"#,
        );
        let starts = |read: &str, term: &str| read.split(' ').any(|t| t.starts_with(term));
        // "fiscal general" is a phrase; "fiscal" alone reads as its plural's entry.
        let alone = terms_line(&matcher, "¿Quién es el fiscal del caso?");
        assert!(starts(&alone, "prosecutor:"), "{alone}");
        let phrase = terms_line(&matcher, "¿Qué dijo el fiscal general?");
        assert!(!starts(&phrase, "prosecutor:"), "{phrase}");
        // A word listed only inside phrases, with no form of its own, may still be a slip
        // for a word of the facts ("colectivo" of "convenio colectivo": collective).
        let stray = terms_line(&matcher, "¿Cuándo venció el acuerdo colectivo?");
        assert!(starts(&stray, "~collect:"), "{stray}");
    }

    /// The first line of `explain`: the question's terms as read.
    fn terms_line(matcher: &Matcher, question: &str) -> String {
        matcher.explain(question).lines().next().unwrap().to_owned()
    }

    #[test]
    fn a_spanish_ex_joined_to_a_role_reads_as_former() {
        let (_, matcher) = load(
            r#"
[[facts]]
id = "arrest"
questions = ["When was the former mayor arrested?"]
answer = "The former mayor was arrested on June 8, 2022."
snippet = "S"
"#,
        );
        let terms = |question: &str| terms_line(&matcher, question);
        assert_eq!(
            terms("¿Cuándo detuvieron al exalcalde?"),
            terms("¿Cuándo detuvieron al ex alcalde?")
        );
        assert_ne!(
            terms("¿Cuándo fue la exposicion?"),
            terms("¿Cuándo fue la ex posicion?"),
            "not a role"
        );
    }

    #[test]
    fn a_spanish_verb_form_listed_only_inside_a_phrase_reads_as_its_verb_elsewhere() {
        let (_, matcher) = load(
            r#"
[[facts]]
id = "delay"
questions = ["How many days did the bank take to announce the breach?"]
answer = "The bank took 23 days to announce the breach."
snippet = "S"
"#,
        );
        let terms = |question: &str| terms_line(&matcher, question);
        let read = terms("¿Cuántos días tardó el banco en anunciarlo?");
        assert!(read.contains(" take:") && !read.contains("tard"), "{read}");
        let phrase = terms("¿Cuánto tardó el banco en anunciarlo?");
        assert!(
            phrase.contains("durat") && !phrase.contains(" take:"),
            "{phrase}"
        );
    }

    #[test]
    fn a_hyphenated_compound_counted_is_read_as_one() {
        assert!(super::counts_a_compound(
            "How many festival-goers ended up in hospital?"
        ));
        assert!(super::counts_a_compound(
            "How many additional third-party suppliers were hit?"
        ));
        assert!(super::counts_a_compound(
            "¿Cuántos ex-empleados demandaron?"
        ));
        assert!(!super::counts_a_compound("How many suppliers were hit?"));
        assert!(!super::counts_a_compound("How many 10-tonne trucks left?"));
        assert!(!super::counts_a_compound("Was the well-known port built?"));
    }

    #[test]
    fn a_terse_query_has_a_few_words_and_nothing_that_asks() {
        let terse =
            |message: &str| super::is_terse(message, &super::text::question_tokens(message));
        assert!(terse("death toll"));
        assert!(terse("Mediator name"));
        assert!(terse("numero de evacuados"));
        assert!(!terse("death toll?"));
        assert!(!terse("what is the death toll"));
        assert!(!terse("how many died"));
        assert!(!terse("cuantos evacuados hay"));
        assert!(!terse("the death toll in the three northern towns so far"));
    }

    #[test]
    fn a_word_stretched_for_emphasis_reads_as_the_word() {
        assert_eq!(super::unstretched("sooo").as_deref(), Some("so"));
        assert_eq!(super::unstretched("pleeease").as_deref(), Some("please"));
        assert_eq!(super::unstretched("goood").as_deref(), Some("good"));
        assert_eq!(
            super::unstretched("soo"),
            None,
            "a run of two is a spelling"
        );
        assert_eq!(super::unstretched("zzzq"), None, "no word of the lists");
        let (_, matcher) = load(TRIP);
        let explained = matcher.explain("sooo when did Boluarte visit China");
        assert!(!explained.contains('?'), "{explained}");
    }

    #[test]
    fn who_is_asks_for_the_holder_of_the_role_named_next() {
        let asks = |q: &str| super::asks_who_is(&crate::matcher::text::question_tokens(q));
        assert!(asks("Who is the company's spokesperson?"));
        assert!(asks("who's the ceo"));
        assert!(asks("¿Quién es el portavoz?"));
        assert!(!asks("Who runs BYD, whose chief met the Peruvian leader?"));
        assert!(!asks("who met the ceo"));
    }

    #[test]
    fn how_many_asks_for_a_count_unless_it_counts_money() {
        let asks = |q: &str| super::asks_how_many(&crate::matcher::text::question_tokens(q));
        assert!(asks("How many people were fined?"));
        assert!(asks("¿Cuántas personas?"));
        assert!(!asks("How many euros will the EU pay?"));
        assert!(!asks("cuantos dolares cuesta"));
        assert!(!asks("How much is the fine?"));
        assert!(asks("What is the number of miners on strike?"));
        assert!(asks("¿Cuál es el número de mineros?"));
        assert!(!asks("What is the phone number of the hotline?"));
        assert!(asks("number of witnesses"));
        assert!(asks("shelters count"));
        assert!(asks("hospitalisations total"));
        assert!(!asks("hotline phone number"));
        assert!(!asks("bus number"));
        assert!(!asks("class count"));
    }

    #[test]
    fn the_words_after_which_say_what_is_picked() {
        let picks = |q: &str| super::picked_words(&crate::matcher::text::question_tokens(q));
        assert_eq!(picks("Which political party does she belong to?"), 2);
        assert_eq!(picks("Which stadium will host the final?"), 1);
        assert_eq!(picks("In which of the cities?"), 0);
        assert_eq!(picks("When did she arrive?"), 0);
    }

    #[test]
    fn what_is_counted_is_named_right_after_how_many() {
        let names =
            |q: &str| super::names_what_it_counts(&crate::matcher::text::question_tokens(q));
        assert!(names("How many troops are patrolling the hills?"));
        assert!(names("¿Cuántas viviendas se quemaron?"));
        assert!(names("What is the number of miners on strike?"));
        assert!(names("shelters count"));
        assert!(!names("How many of the critical minerals does Peru hold?"));
        assert!(!names(
            "Of the minerals deemed critical, how many can be found in Peru?"
        ));
        assert!(!names("How many euros will the EU pay?"));
    }

    #[test]
    fn a_capital_inside_a_sentence_marks_a_name() {
        assert_eq!(
            super::capitalised_words("How much trade does Chile do? Has Ofwat acted"),
            ["Chile", "Ofwat"]
        );
        assert_eq!(super::capitalised_words("¿Qué dijo Kaur?"), ["Kaur"]);
        assert_eq!(
            super::capitalised_words("hola ¿Cuándo vino Kaur?"),
            ["Kaur"]
        );
        assert_eq!(
            super::capitalised_words("hey Factbot, when did Ana leave?"),
            ["Ana"]
        );
        assert!(super::capitalised_words("How Much Did The Port Cost?").is_empty());
        assert!(super::capitalised_words("WHEN IS IT").is_empty());
        let (_, matcher) = load(TRIP);
        let question = matcher.question("When did Boluarte visit Chile?");
        assert!(question
            .terms
            .iter()
            .any(|t| t.is_name && t.text == "chile"));
        let question = matcher.question("when did boluarte visit chile?");
        assert!(!question
            .terms
            .iter()
            .any(|t| t.is_name && t.text == "chile"));
    }

    #[test]
    fn explain_shows_the_weight_scoring_gives_a_word() {
        let (_, matcher) = load(TRIP);
        let weight = |explained: &str, word: &str| -> f32 {
            let at = explained.find(word).expect(word) + word.len();
            explained[at..]
                .split([' ', '≈'])
                .next()
                .unwrap()
                .parse()
                .unwrap()
        };
        let explained = matcher.explain("When did Boluarte visit Japan on her update?");
        // A vague word the facts lack weighs lightly; a name they lack weighs fully.
        assert!(
            weight(&explained, "?updat:") < weight(&explained, "?japan:") / 2.0,
            "{explained}"
        );
    }

    #[test]
    fn a_name_the_facts_never_mention_stays_an_honest_unknown() {
        let (_, matcher) = load(TRIP);
        let explained = matcher.explain("When did Boluarte visit Japan?");
        assert!(explained.contains("?japan:"), "{explained}");
        let question = matcher.question("When did Boluarte visit Japan?");
        assert!(question
            .terms
            .iter()
            .any(|t| t.is_name && t.text == "japan"));
        assert!(question.terms.iter().all(|t| !t.corrected));
    }

    #[test]
    fn an_unknown_english_word_notes_the_facts_words_it_is_related_to() {
        let asked = "What is the government concentrating on?";
        let (_, matcher) = load(ECONOMY);
        let related = matcher.question(asked).related;
        assert_eq!(related.len(), 1, "{related:?}");
        assert!(!related[0].1.is_empty());
        let off = MatchSettings {
            related_word_credit: 0.0,
            ..MatchSettings::default()
        };
        let (_, matcher) = load_with(ECONOMY, &off);
        assert!(matcher.question(asked).related.is_empty());
    }

    /// "head" is known only inside "head of state", so WordNet's loose relations of it stay
    /// unread; as a word asking who leads, it relates to the leading role the facts name.
    #[test]
    fn a_word_asking_who_leads_relates_to_the_leading_roles_of_the_facts() {
        let (_, matcher) = load(
            r#"
[[facts]]
id = "union"
questions = ["Who is the union's president?"]
answer = "Marta Quiroga is the union's president; she will take the case to court."
snippet = "S"
"#,
        );
        let president = matcher.term_ids["presid"];
        for asked in [
            "Who heads the union?",
            "who is in charge of the union",
            "¿Quién dirige el sindicato?",
        ] {
            let related = matcher.question(asked).related;
            assert_eq!(related.len(), 1, "{asked}: {related:?}");
            assert_eq!(related[0].1, vec![president], "{asked}: not take or court");
        }
        assert!(matcher
            .question("What is the charge for the union?")
            .related
            .iter()
            .all(|(word, _)| word != "charg"));
    }

    #[test]
    fn a_relation_through_another_sense_of_the_word_does_not_count() {
        // WordNet relates "lift" to "help" (a lift is a help); their meanings lie far apart.
        assert!(related::related_words("lift").contains(&"help"));
        assert!(far_in_meaning("lift", "help"));
        assert!(!far_in_meaning("concentr", "focus"));
        // A word without a vector keeps its relations.
        assert!(!far_in_meaning("zzqx", "help"));
    }

    #[test]
    fn a_word_reads_as_the_facts_compound_that_starts_with_it_and_means_it() {
        let (_, matcher) = load(
            r#"
[[facts]]
id = "ban"
questions = ["Is there a hosepipe ban?"]
answer = "A hosepipe ban is in force across the homeland, and headquarters will withdraw it."
snippet = "S"
"#,
        );
        assert_eq!(matcher.compound_starting("hose"), Some("hosepipe"));
        assert_eq!(
            matcher.compound_starting("home"),
            None,
            "a meaning of its own"
        );
        assert_eq!(
            matcher.compound_starting("head"),
            None,
            "a meaning of its own"
        );
        assert_eq!(matcher.compound_starting("with"), None, "a function word");
        assert_eq!(matcher.compound_starting("hosep"), None, "no word follows");
        let terms = matcher.question("can I use a garden hose?").terms;
        assert!(
            terms.iter().any(|t| t.text == "hosepip" && t.corrected),
            "{terms:?}"
        );
    }

    #[test]
    fn a_misspelt_english_word_no_fact_uses_is_read_as_the_word_meant() {
        let (_, matcher) = load(TRIP);
        let terms = matcher.question("did she actualy visit China?").terms;
        assert!(
            terms.iter().all(|t| !t.text.starts_with("actual")),
            "filler once spelt right: {terms:?}"
        );
        let terms = matcher.question("who was at the hospitl?").terms;
        assert!(
            terms.iter().any(|t| t.text == "hospit" && t.corrected),
            "{terms:?}"
        );
    }

    #[test]
    fn rewordings_share_a_normalised_form() {
        let (_, matcher) = load(TRIP);
        let form = matcher.normalized("Did Boluarte visit Japan?");
        assert_eq!(matcher.normalized("did boluarte VISIT japan??"), form);
        assert_ne!(matcher.normalized("Did Boluarte visit Korea?"), form);
        assert_eq!(matcher.normalized("¡¡!!"), "");
    }

    #[test]
    fn a_noun_naming_the_kind_asked_reads_as_its_question_word_unless_a_fact_uses_it() {
        let (_, matcher) = load(TRIP);
        let read = |matcher: &crate::matcher::Matcher, question: &str| -> Vec<(String, bool)> {
            let terms = matcher.question(question).terms;
            terms
                .into_iter()
                .map(|t| (t.text, t.is_question_word))
                .collect()
        };
        let terms = read(&matcher, "Boluarte China trip dates");
        assert!(terms.contains(&("when".into(), true)), "{terms:?}");
        assert!(terms.iter().all(|(text, _)| text != "date"), "{terms:?}");
        let terms = read(&matcher, "How long was Boluarte in China?");
        assert!(terms.contains(&("duration".into(), true)), "{terms:?}");
        for asked in [
            "What is Boluarte's job?",
            "her role",
            "What position does she hold?",
        ] {
            let terms = read(&matcher, asked);
            assert!(terms.contains(&("role".into(), true)), "{asked}: {terms:?}");
        }
        for (asked, kind) in [
            ("trade figure 2023", "quantity"),
            ("size of the delegation", "quantity"),
            ("total investment", "quantity"),
            ("report author", "who"),
            ("signing ceremony location", "where"),
            ("reason for the trip", "why"),
            ("how far is the port from Lima?", "quantity"),
        ] {
            let terms = read(&matcher, asked);
            assert!(terms.contains(&(kind.into(), true)), "{asked}: {terms:?}");
        }
        // "figure out" is a verb: it asks how, not for a figure.
        let terms = read(&matcher, "How did they figure out the port's problems?");
        assert!(!terms.contains(&("quantity".into(), true)), "{terms:?}");
        let terms = read(&matcher, "When exactly, what date?");
        assert_eq!(terms.iter().filter(|(text, _)| text == "when").count(), 1);
        let (_, matcher) = load(
            r#"
[[facts]]
id = "vote"
questions = ["Was a date set for the vote?"]
answer = "No date has been set."
snippet = "S"
"#,
        );
        let terms = read(&matcher, "vote date");
        assert!(terms.contains(&("date".into(), false)), "{terms:?}");
    }
}
