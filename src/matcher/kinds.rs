//! What kind of information a fact's answer can give: a number, a date or time, a name. A
//! question that asks for a kind the answer lacks is not answered by it, however many words
//! they share ("how many…?" by a fact with no figure, "what is the port's name?" by a fact
//! that names nothing new).

use rust_stemmers::{Algorithm, Stemmer};

use super::lexicon::LEXICON;
use super::text;

/// What a fact's answer contains, to tell "how many", "when" and "what is the name" questions
/// it cannot answer.
#[derive(Debug, Clone, Default)]
pub(crate) struct AnswerKinds {
    quantity: bool,
    time: bool,
    /// The English stems of the answer's proper-name words ("javier", "shenzhen").
    names: Vec<String>,
    /// The English stems of every word the answer capitalises after its first word, ordinary
    /// words too ("china", "shipping"): in this story they name something, so they must
    /// match exactly, never by meaning.
    pub(crate) capitalised: Vec<String>,
}

const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "fifteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "billions",
    "trillion",
    "dozen",
    "dozens",
    "half",
    "third",
    "quarter",
    "percent",
    "double",
    "twice",
];
/// Words that name one day or month: exact, like numbers ("June" is never "July").
const CALENDAR_WORDS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "tomorrow",
];
/// Words that place something in time without naming the day.
const RELATIVE_TIME_WORDS: &[&str] = &[
    "day", "days", "week", "weeks", "month", "months", "year", "years", "decade", "since", "until",
    "ago", "earlier", "later", "recently", "soon", "coming",
];

/// Whether a word names a figure or a day: such words match exactly or not at all.
pub(crate) fn is_number_or_date_word(word: &str) -> bool {
    NUMBER_WORDS.contains(&word) || CALENDAR_WORDS.contains(&word)
}

impl AnswerKinds {
    pub(crate) fn of(answer: &str) -> Self {
        let is_year = |t: &str| {
            t.len() == 4 && (t.starts_with("19") || t.starts_with("20")) && text::is_number(t)
        };
        let mut kinds = Self {
            names: names(answer),
            capitalised: capitalised(answer),
            ..Self::default()
        };
        text::each_token(answer, |t| {
            kinds.quantity |= (text::is_number(t) && !is_year(t)) || NUMBER_WORDS.contains(&t);
            kinds.time |=
                is_year(t) || CALENDAR_WORDS.contains(&t) || RELATIVE_TIME_WORDS.contains(&t);
        });
        kinds
    }

    pub(crate) fn fits(&self, question_word: &str) -> bool {
        match question_word {
            "quantity" => self.quantity,
            "when" => self.time,
            _ => true,
        }
    }

    /// Whether the answer names something the question does not: it can then answer "what is
    /// the *name* of…" or "in which *city*…". `question` holds the question's terms; a name
    /// the question already uses, or a form of it ("Brazil" for "Brazilian"), does not count.
    pub(crate) fn names_something_besides(&self, question: &[&str]) -> bool {
        self.names
            .iter()
            .any(|name| !question.iter().any(|term| term.starts_with(name.as_str())))
    }
}

/// The stems of the words of `text` written with a capital after its first word.
fn capitalised(text: &str) -> Vec<String> {
    let stemmer = Stemmer::create(Algorithm::English);
    let mut stems: Vec<String> = text
        .split_whitespace()
        .skip(1)
        .map(|raw| raw.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|word| word.chars().next().is_some_and(char::is_uppercase))
        .flat_map(text::tokens)
        .map(|word| stemmer.stem(&word).into_owned())
        .collect();
    stems.sort_unstable();
    stems.dedup();
    stems
}

/// The proper-name words of an answer: capitalised words that are not ordinary English
/// words ("Javier", "Shenzhen", "Cosco"; not "Foreign Minister" or "Shipping", which name a
/// role or a kind of thing rather than which one).
fn names(answer: &str) -> Vec<String> {
    let stemmer = Stemmer::create(Algorithm::English);
    let mut names: Vec<String> = Vec::new();
    for raw in answer.split_whitespace() {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
        if !word.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        for folded in text::tokens(word) {
            let ordinary = LEXICON.english_words.contains(&folded) || LEXICON.is_stopword(&folded);
            let stem = stemmer.stem(&folded).into_owned();
            if (!ordinary || LEXICON.names.contains(&folded)) && !names.contains(&stem) {
                names.push(stem);
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proper_names_count_roles_and_ordinary_words_do_not() {
        let kinds = AnswerKinds::of(
            "The ceremony was attended by Foreign Minister Javier Gonzalez and Huawei staff.",
        );
        assert_eq!(kinds.names, ["javier", "gonzalez", "huawei"]);
        assert!(kinds.names_something_besides(&["huawei", "foreign", "minist"]));
        let kinds = AnswerKinds::of("Cosco Shipping is due to open a port north of Lima.");
        assert!(!kinds.names_something_besides(&["cosco", "port", "lima"]));
        let kinds = AnswerKinds::of("BYD opened a monorail in Brazil.");
        assert!(kinds.names_something_besides(&["byd", "monorail"]));
        assert!(!kinds.names_something_besides(&["byd", "brazilian"]));
    }
}
