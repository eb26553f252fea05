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
    /// The answer gives a time of day ("9pm", "13:30", "noon").
    clock: bool,
    /// The answer gives a figure that is not a sum of money: it can say how many of something.
    counts: bool,
    /// The answer gives a sum of money ("$2.3 billion", "240 million soles"): it says what
    /// something costs, whether or not it says "cost".
    money: bool,
    /// The answer's figures as the question reader writes them ("48000", "eight"), years left
    /// out: none when it gives no quantity.
    figures: Vec<String>,
    /// The answer places something in time: a year, a day or month, "since", "two weeks ago";
    /// not a rate ("2.9 million pesos a month" says how much, not when).
    time: bool,
    /// The answer gives a span of time: "90 days", "since 2019", "from June 23 to 28".
    span: bool,
    /// The answer gives a rate: "daily", "twice a week", "per month".
    rate: bool,
    /// The answer places something: "in Shenzhen", "at Huawei's headquarters", "north of
    /// the capital".
    place: bool,
    /// The English stems of the answer's proper-name words ("javier", "shenzhen").
    names: Vec<String>,
    /// The English stems of every word the answer capitalises after its first word, ordinary
    /// words too ("china", "shipping"): in this story they name something, so they must
    /// match exactly, never by meaning.
    pub(crate) capitalised: Vec<String>,
    /// The English stems of the capitalised words the answer puts something in, at, near or
    /// from ("in Ciudad Valdecañas", "from Lima"): in this story they name places.
    pub(crate) placed: Vec<String>,
    /// The roles the answer mentions ("the Premier", "BYD's CEO"), each with the proper-name
    /// words beside it: a "who is the Premier?" is answered only where the Premier is named.
    pub(crate) titles: Vec<Titled>,
    /// How many items the answer's longest list could hold (one more than its commas,
    /// semicolons and "and"s): "which eight minerals?" asks for a list, not a count.
    list_items: usize,
    /// The answer looks ahead: what will, is due to, is expected or planned to happen, what
    /// holds until or by a time, a timetable in the present tense, or (see
    /// [`AnswerKinds::of_dated`]) a year after its source's.
    ahead: bool,
}

/// A role the answer mentions, and who holds it there.
#[derive(Debug, Clone, Default)]
pub(crate) struct Titled {
    /// The role word as written, lowercase ("premier").
    pub(crate) word: String,
    /// The terms a question reads the word as (filled in by the matcher, which knows how
    /// questions are read: "premier" may be "prime minister").
    pub(crate) terms: Vec<String>,
    /// The stems of the proper-name words right beside it ("Premier Li Qiang", "Li Qiang,
    /// Premier"), none when the answer leaves the holder unnamed.
    names: Vec<String>,
    /// The stem of a word that makes it another role ("*deputy* mayor", "*vice*-president"),
    /// if any: such a holder is not the one "who is the mayor?" asks for.
    modifier: Option<String>,
}

/// Words that make a role another one: the deputy mayor is not the mayor.
const ROLE_MODIFIERS: &[&str] = &[
    "deputy",
    "vice",
    "former",
    "acting",
    "assistant",
    "interim",
    "ex",
    "outgoing",
    "incoming",
];

/// Words for a role a person holds: "who is the X?" asks for a name, and only an answer that
/// names the X answers it.
pub(crate) const TITLE_WORDS: &[&str] = &[
    "president",
    "premier",
    "minister",
    "chancellor",
    "mayor",
    "governor",
    "senator",
    "ambassador",
    "secretary",
    "chairman",
    "chairwoman",
    "chairperson",
    "ceo",
    "founder",
    "director",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "author",
    "editor",
    "king",
    "queen",
    "pope",
    "judge",
    "commissioner",
    "councillor",
    "councilor",
    "coach",
    "captain",
    "leader",
    "chair",
    "manager",
    "shareholder",
    "owner",
    "chief",
    "executive",
    "officer",
    "analyst",
    "economist",
    "professor",
    "mediator",
    "negotiator",
    "delegate",
    "inspector",
    "lawyer",
    "attorney",
    "treasurer",
    "prosecutor",
    "rector",
    "dean",
    "auditor",
    "comptroller",
    "superintendent",
    "commander",
    "administrator",
    "trustee",
    "ombudsman",
];

/// How far a holder's name may stand after the role word ("President Xi", "CEO of BYD, Wang
/// Chuanfu"): a few words, within one clause.
const TITLE_REACH: usize = 4;

/// Number words that scale another figure ("38 million"): not a count on their own.
const SCALE_WORDS: &[&str] = &[
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "billions",
    "trillion",
];

/// Number words that are a figure of their own ("eight", "dozens", "half").
const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "dozen", "dozens", "half", "third",
    "quarter", "percent", "double", "twice",
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
/// Units of time: a time with a figure or "last", "next" ("two weeks ago", "last month"),
/// a rate after "a" or "per".
const TIME_UNITS: &[&str] = &[
    "day", "days", "week", "weeks", "month", "months", "year", "years", "decade",
];
/// Units of time and rates that [`TIME_UNITS`] leaves out (see [`is_time_unit`]).
const OTHER_TIME_UNITS: &[&str] = &[
    "hour",
    "hours",
    "minute",
    "minutes",
    "decades",
    "century",
    "centuries",
    "fortnight",
    "daily",
    "weekly",
    "fortnightly",
    "monthly",
    "quarterly",
    "yearly",
    "annual",
    "annually",
    "hourly",
];
/// Words that place something in time without naming the day.
const RELATIVE_TIME_WORDS: &[&str] = &[
    "since", "until", "ago", "earlier", "later", "recently", "soon", "coming",
];
/// Words that make the unit of time after them a rate ("a month", "per day", "every week").
const RATE_WORDS: &[&str] = &["a", "an", "per", "each", "every", "al", "por", "cada"];
/// Words between a rate word and its unit that keep it a rate ("every *working* day").
const RATE_QUALIFIERS: &[&str] = &[
    "working",
    "business",
    "school",
    "calendar",
    "single",
    "other",
    "financial",
    "fiscal",
];
/// Words that are a rate on their own.
const RATE_ADVERBS: &[&str] = &[
    "daily", "weekly", "monthly", "yearly", "annually", "hourly", "nightly",
];

/// Whether the answer places something in time, and whether it gives a rate, from its words
/// as written (one-letter words count: "2.9 million pesos *a* month" is a rate, not a time).
fn time_and_rate(answer: &str) -> (bool, bool) {
    let words: Vec<String> = answer
        .split_whitespace()
        .map(|raw| bare(raw).to_lowercase())
        .collect();
    let (mut time, mut rate) = (false, false);
    for (at, word) in words.iter().enumerate() {
        let word = word.as_str();
        let is_rate_word = |at: usize| RATE_WORDS.contains(&words[at].as_str());
        let after_rate_word = at.checked_sub(1).is_some_and(|before| {
            is_rate_word(before)
                || (before > 0
                    && RATE_QUALIFIERS.contains(&words[before].as_str())
                    && is_rate_word(before - 1))
        });
        if RATE_ADVERBS.contains(&word) || (TIME_UNITS.contains(&word) && after_rate_word) {
            rate = true;
        } else if TIME_UNITS.contains(&word) || RELATIVE_TIME_WORDS.contains(&word) {
            time = true;
        }
    }
    (time, rate)
}

/// Whether the answer (and its `tokens`) run from one point to another: "from June 23 to
/// 28", "between 2019 and 2021", "2024-2029".
fn gives_a_range(answer: &str, tokens: &[String]) -> bool {
    let chars: Vec<char> = answer.chars().collect();
    let dashed = chars.windows(3).any(|w| {
        w[0].is_ascii_digit() && matches!(w[1], '-' | '\u{2013}') && w[2].is_ascii_digit()
    });
    let after = |first: &str, then: &[&str]| {
        tokens
            .iter()
            .position(|t| t == first)
            .is_some_and(|at| tokens[at + 1..].iter().any(|t| then.contains(&t.as_str())))
    };
    dashed || after("from", &["to", "until", "through"]) || after("between", &["and"])
}

/// Words for money beside a figure ("£1,000" is read "pound 1000").
pub(crate) const CURRENCY_WORDS: &[&str] = &[
    "dollar", "dollars", "euro", "euros", "pound", "pounds", "yuan", "sterling", "peso", "pesos",
    "soles", "sol", "franc", "francs", "yen", "rupee", "rupees", "usd", "eur", "gbp", "dolares",
    "libras",
];

/// Whether the answer's `tokens` give a figure (digits or a number word, a year aside, not a
/// word that only scales another) with no currency within two words of it.
fn counts_something(tokens: &[String]) -> bool {
    tokens.iter().enumerate().any(|(at, token)| {
        let figure = ((text::is_number(token) && !is_year(token))
            || NUMBER_WORDS.contains(&token.as_str()))
            && !is_day_of_month(tokens, at);
        figure && !currency_near(tokens, at) && !is_share(tokens, at)
    })
}

/// Whether the answer's `tokens` give a figure with a currency within two words of it.
fn gives_money(tokens: &[String]) -> bool {
    tokens.iter().enumerate().any(|(at, token)| {
        let figure = text::is_number(token) || NUMBER_WORDS.contains(&token.as_str());
        figure && currency_near(tokens, at)
    })
}

/// Whether a currency stands within two words of the token at `at`: the figure there is a
/// sum of money.
fn currency_near(tokens: &[String], at: usize) -> bool {
    tokens[at.saturating_sub(2)..(at + 3).min(tokens.len())]
        .iter()
        .any(|t| CURRENCY_WORDS.contains(&t.as_str()))
}

/// Whether the figure at `at` is a share ("94 per cent", "7.5%", "40 por ciento"): it says
/// what part of something, not how many of it.
fn is_share(tokens: &[String], at: usize) -> bool {
    let next = |n: usize| tokens.get(at + n).map_or("", String::as_str);
    matches!(next(0), "percent" | "cent")
        || next(1) == "percent"
        || (matches!(next(1), "per" | "por") && matches!(next(2), "cent" | "ciento"))
}

/// The months in English: the first twelve calendar words.
const ENGLISH_MONTHS: usize = 12;
/// Month names in Spanish, for answers written in Spanish.
const SPANISH_MONTHS: &[&str] = &[
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "setiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

/// Whether a word names a month, in English or Spanish: a number beside one is a day of the
/// month.
fn is_month(word: &str) -> bool {
    CALENDAR_WORDS[..ENGLISH_MONTHS].contains(&word) || SPANISH_MONTHS.contains(&word)
}

/// Whether the number at `at` is the day of a date ("April 23", "23 April", "23 de abril"),
/// which says when, not how many or how much, unless another day near it makes a span ("from
/// June 23 to June 28" tells how many days).
fn is_day_of_month(tokens: &[String], at: usize) -> bool {
    let near = at.saturating_sub(DAY_SPAN)..(at + DAY_SPAN + 1).min(tokens.len());
    is_dated_day(tokens, at)
        && !near
            .filter(|&other| other != at)
            .any(|other| is_dated_day(tokens, other))
}

/// How far apart two days may stand to make a span ("23 to June 28").
const DAY_SPAN: usize = 3;

/// Whether the number at `at` is written beside a month.
fn is_dated_day(tokens: &[String], at: usize) -> bool {
    let month = |offset: isize| {
        at.checked_add_signed(offset)
            .and_then(|i| tokens.get(i))
            .is_some_and(|t| is_month(t))
    };
    let day = tokens[at]
        .parse::<u8>()
        .is_ok_and(|day| (1..=31).contains(&day));
    day && (month(-1) || month(1) || (tokens.get(at + 1).is_some_and(|t| t == "de") && month(2)))
}

/// Whether a token is a year ("2024"), which says when, not how many.
fn is_year(token: &str) -> bool {
    token.len() == 4
        && (token.starts_with("19") || token.starts_with("20"))
        && text::is_number(token)
}

/// Whether a token gives a quantity: a number that is not a year, or a number word.
fn is_figure(token: &str) -> bool {
    (text::is_number(token) && !is_year(token)) || is_number_word(token)
}

/// Whether `answer` gives a time of day: a figure with am or pm ("9pm", "11 p.m."), hours
/// and minutes ("13:30"), noon, midnight or o'clock.
fn tells_the_time(answer: &str) -> bool {
    let lower = answer.to_lowercase();
    let bytes = lower.as_bytes();
    let after_digit = |at: usize| {
        let rest = lower[at..].trim_start();
        ["am", "pm", "a.m.", "p.m."].iter().any(|mark| {
            rest.strip_prefix(mark)
                .is_some_and(|tail| !tail.starts_with(|c: char| c.is_alphanumeric()))
        }) || (rest.starts_with(':') && rest[1..].starts_with(|c: char| c.is_ascii_digit()))
    };
    let figure_then_mark = (0..bytes.len()).any(|at| {
        bytes[at].is_ascii_digit()
            && !bytes.get(at + 1).is_some_and(u8::is_ascii_digit)
            && after_digit(at + 1)
    });
    figure_then_mark
        || ["noon", "midnight", "o'clock", "oclock"]
            .iter()
            .any(|word| lower.contains(word))
}

/// Words that make an answer look ahead: a future or a possibility ("will", "could"), what
/// is due, expected, planned or aimed at, what comes next or lasts until a time.
const AHEAD_WORDS: &[&str] = &[
    "will",
    "would",
    "shall",
    "could",
    "should",
    "might",
    "due",
    "expected",
    "expects",
    "expect",
    "plan",
    "plans",
    "planned",
    "planning",
    "scheduled",
    "schedule",
    "next",
    "upcoming",
    "coming",
    "until",
    "till",
    "aim",
    "aims",
    "aiming",
    "target",
    "targets",
    "hope",
    "hopes",
    "intends",
    "intend",
    "soon",
    "later",
    "pending",
    "forthcoming",
    "going",
    // The present tense of a timetable: "construction starts in March", "the season opens on
    // April 1".
    "starts",
    "begins",
    "opens",
    "reopens",
    "resumes",
    "ends",
    "closes",
    "finishes",
    "expires",
];

/// The year of a source's date ("2024-07-04"), if it has one.
fn published_year(published: &str) -> Option<u32> {
    published.get(..4).and_then(|year| year.parse().ok())
}

/// Whether an answer's tokens look ahead (see [`AHEAD_WORDS`]), say what is to be done by a
/// time ("by 2030", "by the end of the year", "by March"), or name a year after
/// `published_year`.
fn looks_ahead(tokens: &[String], published_year: Option<u32>) -> bool {
    let later = |token: &str| {
        published_year.is_some_and(|published| {
            is_year(token) && token.parse::<u32>().is_ok_and(|year| year > published)
        })
    };
    tokens.iter().enumerate().any(|(at, token)| {
        AHEAD_WORDS.contains(&token.as_str())
            || later(token)
            || (token == "by"
                && tokens.get(at + 1).is_some_and(|next| {
                    is_year(next)
                        || CALENDAR_WORDS.contains(&next.as_str())
                        || ["the", "end", "mid", "early", "late"].contains(&next.as_str())
                }))
    })
}

/// Whether a word names a figure, alone or scaling another ("eight", "million").
fn is_number_word(word: &str) -> bool {
    NUMBER_WORDS.contains(&word) || SCALE_WORDS.contains(&word)
}

/// Whether a word names a figure or a day: such words match exactly or not at all.
pub(crate) fn is_number_or_date_word(word: &str) -> bool {
    is_number_word(word) || CALENDAR_WORDS.contains(&word)
}

/// Whether `word` is a unit of time or its rate ("weeks", "monthly", "hours"): as precise as
/// a number, so a week is never a month, however alike the two are used.
pub(crate) fn is_time_unit(word: &str) -> bool {
    TIME_UNITS.contains(&word) || OTHER_TIME_UNITS.contains(&word)
}

impl AnswerKinds {
    pub(crate) fn of(answer: &str) -> Self {
        Self::of_dated(answer, "")
    }

    /// The kinds of an answer whose source was published on `published` ("2024-07-04"; "" when
    /// unknown): a year after the source's own lies ahead of it ("Construction begins in
    /// 2027").
    pub(crate) fn of_dated(answer: &str, published: &str) -> Self {
        let mut tokens: Vec<String> = Vec::new();
        text::each_token(answer, |t| tokens.push(t.to_owned()));
        let mut figures: Vec<String> = Vec::new();
        for (at, token) in tokens.iter().enumerate() {
            if !is_figure(token) || is_day_of_month(&tokens, at) {
                continue;
            }
            if !figures.contains(token) {
                figures.push(token.clone());
            }
        }
        let (relative_time, rate) = time_and_rate(answer);
        let span = relative_time || gives_a_range(answer, &tokens);
        let time = relative_time
            || tokens
                .iter()
                .any(|t| is_year(t) || CALENDAR_WORDS.contains(&t.as_str()));
        Self {
            clock: tells_the_time(answer),
            counts: counts_something(&tokens),
            money: gives_money(&tokens),
            figures,
            time,
            span,
            rate,
            names: names(answer),
            capitalised: capitalised(answer),
            placed: placed(answer),
            titles: titles(answer),
            list_items: list_items(answer),
            ahead: looks_ahead(&tokens, published_year(published)),
            place: places_something(answer),
        }
    }

    pub(crate) fn fits(&self, question_word: &str) -> bool {
        match question_word {
            "quantity" => !self.figures.is_empty(),
            "when" => self.time,
            // "How long…?": a span ("90 days", "since 2019") or a figure, not a day alone.
            "duration" => self.span || self.rate || !self.figures.is_empty(),
            // "What time…?": a time of day, not a date.
            "timeofday" => self.clock,
            // "How often…?": a rate ("every ten minutes", "twice a week", "daily").
            "frequency" => self.time || self.rate || !self.figures.is_empty(),
            "where" => self.place,
            "who" => !self.names.is_empty() || !self.titles.is_empty(),
            // "What position does she hold?": a role.
            "role" => !self.titles.is_empty(),
            _ => true,
        }
    }

    /// Whether the answer can say when something still to come happens: "the bridge will
    /// reopen in May" can, "the contract was signed on June 26" cannot.
    pub(crate) fn looks_ahead(&self) -> bool {
        self.ahead
    }

    /// Whether the answer can say how many of something: a fine "of up to £1,000" does not
    /// tell how many people were fined.
    pub(crate) fn counts(&self) -> bool {
        self.counts
    }

    /// Whether the answer gives a sum of money, and so what something costs.
    pub(crate) fn gives_money(&self) -> bool {
        self.money
    }

    /// Whether every figure the answer gives is one the question already states: "How many
    /// people live in the 48,000 homes?" is not answered by "the cuts affect 48,000 homes".
    pub(crate) fn only_echoes(&self, question: &[&str]) -> bool {
        !self.figures.is_empty() && self.figures.iter().all(|f| question.contains(&f.as_str()))
    }

    /// Whether the answer names someone or something the question does not, days and months
    /// aside: "Which councillors voted against?" is not answered by "on Tuesday, October 7".
    pub(crate) fn names_someone_besides(&self, question: &[&str]) -> bool {
        self.names.iter().any(|name| {
            !is_asked(name, question)
                && !CALENDAR_WORDS
                    .iter()
                    .any(|day| day.starts_with(name.as_str()))
        })
    }

    /// Whether the answer can say who, beyond whom the question names: it names someone else,
    /// or a role ("the company's spokesperson"). "Who owns Shannon Aero Leasing?" is not
    /// answered by "the planes were leased from Shannon Aero Leasing, an Irish lessor".
    pub(crate) fn tells_who_besides(&self, question: &[&str]) -> bool {
        self.names_someone_besides(question) || !self.titles.is_empty()
    }

    /// Whether the answer names something the question does not: it can then answer "what is
    /// the *name* of…" or "in which *city*…". `question` holds the question's terms; a name
    /// the question already uses, or a form of it ("Brazil" for "Brazilian"), does not count.
    pub(crate) fn names_something_besides(&self, question: &[&str]) -> bool {
        self.names.iter().any(|name| !is_asked(name, question))
    }

    /// Whether the answer mentions the role `term` asks about (a question term, see
    /// [`Titled::terms`]) but names nobody in it besides what the question names: "Who is
    /// China's Premier?" against "she met the Premier of the State Council and President Xi".
    pub(crate) fn leaves_unnamed(&self, term: &str, question: &[&str]) -> bool {
        let mut roles = self
            .titles
            .iter()
            .filter(|titled| titled.terms.iter().any(|t| t == term))
            .peekable();
        roles.peek().is_some()
            && roles.all(|titled| {
                titled.names.iter().all(|name| is_asked(name, question))
                    || titled
                        .modifier
                        .as_ref()
                        .is_some_and(|modifier| !is_asked(modifier, question))
            })
    }

    /// Whether the answer could list `count` things: a question for "which eight minerals" is
    /// not answered by "eight of the 17 critical minerals". Three items stand for a longer
    /// list, since an answer may list the first few.
    pub(crate) fn can_list(&self, count: usize) -> bool {
        self.list_items >= count.min(3)
    }
}

/// Whether the question already names `name` (or a form of it: "brazilian" for "brazil").
fn is_asked(name: &str, question: &[&str]) -> bool {
    question.iter().any(|term| term.starts_with(name))
}

/// The roles `answer` mentions, each with the proper-name words beside it: up to
/// [`TITLE_REACH`] words after it within its clause, or the word before it in apposition
/// ("Li Qiang, the Premier").
fn titles(answer: &str) -> Vec<Titled> {
    let stemmer = Stemmer::create(Algorithm::English);
    let words: Vec<&str> = answer.split_whitespace().collect();
    let mut titles = Vec::new();
    let mut compound: Option<(usize, Titled)> = None;
    for (at, raw) in words.iter().enumerate() {
        let word = bare(raw).to_lowercase();
        // "vice-president": the role after the hyphen, the word before it a modifier.
        let (joined, word) = match word.rsplit_once('-') {
            Some((before, role)) => (Some(before.to_owned()), role.to_owned()),
            None => (None, word),
        };
        if !TITLE_WORDS.contains(&word.as_str()) {
            continue;
        }
        let modifier = joined
            .or_else(|| {
                at.checked_sub(1)
                    .map(|before| bare(words[before]).to_lowercase())
            })
            .filter(|before| ROLE_MODIFIERS.contains(&before.as_str()))
            .map(|before| stemmer.stem(&before).into_owned());
        let mut names = Vec::new();
        let mut clause_ends = ends_clause(raw);
        for next in words.iter().skip(at + 1).take(TITLE_REACH) {
            if clause_ends || opens_aside(next) {
                break;
            }
            names.extend(proper_names(next, &stemmer));
            clause_ends = ends_clause(next);
        }
        // Only an apposition names the holder: in "Peru's President" or "the Chinese
        // Premier" the word before says whose.
        if let Some(before) = apposition_before(&words[..at]) {
            names.extend(proper_names(before, &stemmer));
        }
        names.extend(subject_of_copula(&words[..at], &stemmer));
        if names.is_empty() {
            names = holder_defining(&words[at + 1..], &stemmer);
        }
        if names.is_empty() && raw.ends_with(',') {
            names = apposition_after(&words[at + 1..], &stemmer);
        }
        let mut titled = Titled {
            word,
            terms: Vec::new(),
            names,
            modifier,
        };
        // "acting chief information security officer": one title of several role words,
        // held by whoever holds its first.
        if let Some((first_at, first)) = compound.filter(|(first_at, _): &(usize, Titled)| {
            at - first_at <= TITLE_REACH && !words[*first_at..at].iter().any(|raw| ends_clause(raw))
        }) {
            if titled.names.is_empty() {
                titled.names.clone_from(&first.names);
                titled.modifier = titled.modifier.or(first.modifier.clone());
            }
            compound = Some((first_at, first));
        } else {
            compound = Some((at, titled.clone()));
        }
        titles.push(titled);
    }
    titles
}

/// How many words may stand between an apposition's holder and its role ("Ana Ruiz, *the
/// hospital's new* director").
const APPOSITION_MODIFIERS: usize = 3;

/// Words that may stand between an apposition's comma and its role besides a possessive.
const APPOSITION_WORDS: &[&str] = &[
    "the", "a", "an", "its", "their", "new", "current", "longtime",
];

/// The holder written before a role in apposition: "Li Qiang, the Premier", "Dr Ana Ruiz, the
/// hospital's director". Between the comma and the role stand only articles, possessives and
/// "new" or "current" ("In Lima, she met Peru's President" names no President).
fn apposition_before<'w>(before_role: &[&'w str]) -> Option<&'w str> {
    let mut words = before_role.iter().rev();
    for _ in 0..=APPOSITION_MODIFIERS {
        let word = *words.next()?;
        if word.ends_with(',') {
            return Some(word);
        }
        let possessive = word.ends_with("'s") || word.ends_with("’s");
        let modifier =
            APPOSITION_WORDS.contains(&word.to_lowercase().as_str()) || is_compound_modifier(word);
        if ends_clause(word) || !(possessive || modifier) {
            return None;
        }
    }
    None
}

/// The most words a person's name runs to ("João da Silva dos Santos").
const NAME_WORDS: usize = 5;

/// Lowercase words a person's name may hold ("João da Silva", "Ludwig van Beethoven").
const NAME_PARTICLES: &[&str] = &[
    "da", "das", "de", "del", "do", "dos", "la", "van", "von", "y",
];

/// The holder written after a role in apposition: "His lawyer, Patricia Rentería Solano,
/// said". Only a name closed by a comma or a full stop within [`NAME_WORDS`] words counts:
/// "Her lawyer, who spoke in Lima," and "The president, Lima and Cusco agreed" name nobody.
fn apposition_after(after_role: &[&str], stemmer: &Stemmer) -> Vec<String> {
    let mut names = Vec::new();
    for raw in after_role.iter().take(NAME_WORDS) {
        let word = bare(raw);
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        if !capitalised && !NAME_PARTICLES.contains(&word) {
            return Vec::new();
        }
        names.extend(proper_names(raw, stemmer));
        if raw.ends_with([',', '.']) {
            return names;
        }
        if ends_clause(raw) {
            return Vec::new();
        }
    }
    Vec::new()
}

/// A lowercase hyphenated word before a role ("anti-corruption", "long-serving"): part of how
/// the role is described, like "new" or "current".
fn is_compound_modifier(word: &str) -> bool {
    let mut parts = word.split('-');
    word.contains('-')
        && parts.all(|part| !part.is_empty() && part.chars().all(|c| c.is_lowercase()))
}

/// Words that put something somewhere when a place follows them.
const PLACE_PREPOSITIONS: &[&str] = &[
    "in", "at", "of", "near", "to", "from", "into", "inside", "outside", "across", "around", "en",
];
/// Places named without a capital ("north of the capital", "in 31 shelters"): settlements,
/// areas and the buildings people are sent to or gather in. Plurals count too.
const PLACE_NOUNS: &[&str] = &[
    "capital",
    "city",
    "town",
    "village",
    "neighbourhood",
    "neighborhood",
    "suburb",
    "headquarters",
    "port",
    "harbour",
    "harbor",
    "coast",
    "border",
    "region",
    "province",
    "state",
    "county",
    "district",
    "municipality",
    "area",
    "zone",
    "island",
    "airport",
    "station",
    "terminal",
    "hub",
    "base",
    "country",
    "shelter",
    "camp",
    "school",
    "church",
    "hospital",
    "clinic",
    "hall",
    "stadium",
    "centre",
    "center",
    "building",
    "office",
    "embassy",
    "palace",
    "campus",
    "plant",
    "factory",
    "mine",
    "site",
    "street",
    "square",
    "park",
];
/// Words that place something on their own ("her first trip abroad").
const PLACE_ADVERBS: &[&str] = &["abroad", "overseas"];

/// Whether the answer says where: a preposition followed, within two words, by a capitalised
/// word (a place or an organisation's site) or a place noun. A "where?" asked of a fact whose
/// answer places nothing ("an agreement to train 20,000 professionals") is not answered by it.
fn places_something(answer: &str) -> bool {
    let words: Vec<String> = answer
        .split_whitespace()
        .map(|raw| bare(raw).to_lowercase())
        .collect();
    let capitalised: Vec<bool> = answer
        .split_whitespace()
        .map(|raw| bare(raw).chars().next().is_some_and(char::is_uppercase))
        .collect();
    let places = |at: usize| capitalised[at] || is_place_noun(&words[at]);
    words.iter().enumerate().any(|(at, word)| {
        PLACE_PREPOSITIONS.contains(&word.as_str()) && (at + 1..words.len().min(at + 3)).any(places)
    }) || words
        .iter()
        .any(|word| PLACE_ADVERBS.contains(&word.as_str()))
}

/// A place noun, its plural or possessive ("shelters", "cities", "the town's").
fn is_place_noun(word: &str) -> bool {
    let word = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .unwrap_or(word);
    let singulars = [
        Some(word.to_string()),
        word.strip_suffix('s').map(str::to_string),
        word.strip_suffix("es").map(str::to_string),
        word.strip_suffix("ies").map(|stem| format!("{stem}y")),
    ];
    singulars
        .iter()
        .flatten()
        .any(|singular| PLACE_NOUNS.contains(&singular.as_str()))
}

/// A word as written without the punctuation around it ("Shenzhen," → "Shenzhen").
fn bare(raw: &str) -> &str {
    raw.trim_matches(|c: char| !c.is_alphanumeric())
}

/// Whether a word, as written, ends a clause: a role's holder is not named past it.
/// Words that make their subject the holder of the role after them ("Maya Okonjo *is* the
/// festival's director").
const COPULAS: &[&str] = &[
    "is", "was", "be", "become", "becomes", "became", "remain", "remains", "as",
];
/// How many words may stand between a copula and its role ("is *the festival's new* director").
const COPULA_REACH: usize = 3;

/// The proper names of the subject when the words before a role read "NAME is the …": the
/// holder is named before the role, not after it, when the answer is written as a definition.
fn subject_of_copula(before_role: &[&str], stemmer: &Stemmer) -> Vec<String> {
    let Some(copula) = before_role
        .iter()
        .rev()
        .take(COPULA_REACH + 1)
        .take_while(|raw| !ends_clause(raw))
        .position(|raw| COPULAS.contains(raw))
    else {
        return Vec::new();
    };
    let subject = without_apposition(&before_role[..before_role.len() - 1 - copula]);
    // "Esteban Alfaro Mena, will serve as": the verb before "as" is no part of the subject,
    // and the comma closing an apposition before it does not end the clause.
    let verbs = subject
        .iter()
        .rev()
        .take(VERBS_BEFORE_AS)
        .take_while(|raw| VERBS_OF_AS.split_whitespace().any(|verb| verb == **raw))
        .count();
    subject
        .iter()
        .rev()
        .skip(verbs)
        .take(TITLE_REACH)
        .enumerate()
        .take_while(|(at, raw)| *at == 0 || !ends_clause(raw))
        .flat_map(|(_, raw)| proper_names(raw, stemmer))
        .collect()
}

/// Words that may stand between a subject and "as" ("will *serve* as", "has *acted* as").
const VERBS_OF_AS: &str = "will would shall to also now still has have had been serve serves \
    served serving act acts acted acting continue continues continued stay stays stayed return \
    returns returned";
/// How many of them may stand there.
const VERBS_BEFORE_AS: usize = 3;

/// Words that join the parts of a title ("Minister *of* Education, Science *and* Innovation").
const TITLE_JOINERS: &[&str] = &["of", "and", "for", "the", "&"];
/// How many words a title may run to after its role word.
const TITLE_LENGTH: usize = 8;

/// The holder of a role whose title is the subject of a definition: "The Minister of
/// Education, Science and Innovation is Rui Valadares", "The company's chief executive is Dana
/// Holt". The words from the role to the copula must all belong to the title (capitalised,
/// role words or joiners): "The minister said the plan is Final" names nobody.
fn holder_defining(after_role: &[&str], stemmer: &Stemmer) -> Vec<String> {
    let Some(copula) = after_role
        .iter()
        .take(TITLE_LENGTH + 1)
        .position(|raw| COPULAS.contains(raw))
    else {
        return Vec::new();
    };
    let in_title = |raw: &&str| {
        let word = bare(raw);
        !raw.ends_with(['.', ';', ':', '(', ')'])
            && (word.chars().next().is_some_and(char::is_uppercase)
                || TITLE_JOINERS.contains(&word)
                || TITLE_WORDS.contains(&word))
    };
    if after_role[..copula].iter().any(|raw| !in_title(raw)) || after_role[copula] == "as" {
        return Vec::new();
    }
    let mut names = Vec::new();
    for raw in after_role[copula + 1..].iter().take(TITLE_REACH) {
        let found = proper_names(raw, stemmer);
        if found.is_empty() {
            break;
        }
        names.extend(found);
        if ends_clause(raw) {
            break;
        }
    }
    names
}

/// How many words an apposition between a holder and "as" may hold ("Patricia Orellana, *head
/// of the Labour Directorate's mediation unit in the Antofagasta Region*, as mediator").
const APPOSITION_REACH: usize = 12;

/// The words before an apposition that ends them ("…appointed Patricia Orellana, head of the
/// unit, as" → "…appointed Patricia Orellana,"): the holder stands before the aside. A comma
/// that opens no aside ends the clause: nothing before it is the subject.
fn without_apposition<'a, 'w>(subject: &'a [&'w str]) -> &'a [&'w str] {
    let Some((last, before)) = subject.split_last() else {
        return subject;
    };
    if !last.ends_with(',') {
        return subject;
    }
    before
        .iter()
        .rev()
        .take(APPOSITION_REACH)
        .position(|raw| raw.ends_with(','))
        .map_or(&[], |back| &before[..before.len() - back])
}

fn ends_clause(raw: &str) -> bool {
    raw.ends_with([',', ';', ':', '.', ')', '('])
}

fn opens_aside(raw: &str) -> bool {
    raw.starts_with('(') || matches!(raw, "and" | "or" | "who" | "which" | "was" | "is")
}

/// The proper-name words in one written word ("Xi", "González-Olaechea", "Peru's"), as
/// stems; see [`names`].
fn proper_names(raw: &str, stemmer: &Stemmer) -> Vec<String> {
    let word = bare(raw);
    if !word.chars().next().is_some_and(char::is_uppercase) {
        return Vec::new();
    }
    text::tokens(word)
        .into_iter()
        .filter(|folded| {
            let ordinary = LEXICON.english_words.contains(folded) || LEXICON.is_stopword(folded);
            !ordinary || LEXICON.names.contains(folded)
        })
        .map(|folded| stemmer.stem(&folded).into_owned())
        .collect()
}

/// One more than the list separators of the answer's longest sentence.
fn list_items(answer: &str) -> usize {
    answer
        .split(". ")
        .map(|sentence| {
            let separators = sentence.matches([',', ';']).count()
                + sentence
                    .split_whitespace()
                    .filter(|w| matches!(*w, "and" | "y"))
                    .count();
            separators + 1
        })
        .max()
        .unwrap_or(1)
}

/// See [`AnswerKinds::placed`]: the capitalised words right after a preposition that puts
/// something somewhere, and the capitalised words that follow them.
fn placed(answer: &str) -> Vec<String> {
    let stemmer = Stemmer::create(Algorithm::English);
    let words: Vec<&str> = answer.split_whitespace().collect();
    let mut stems: Vec<String> = Vec::new();
    for (at, word) in words.iter().enumerate() {
        if !PUTTING_PREPOSITIONS.contains(&bare(word).to_lowercase().as_str()) {
            continue;
        }
        for &next in words[at + 1..]
            .iter()
            .take_while(|next| bare(next).chars().next().is_some_and(char::is_uppercase))
        {
            stems.extend(
                text::tokens(bare(next))
                    .iter()
                    .map(|w| stemmer.stem(w).into_owned()),
            );
            if next.ends_with([',', '.', ';', ':']) {
                break;
            }
        }
    }
    stems.sort_unstable();
    stems.dedup();
    stems
}

/// The prepositions of [`PLACE_PREPOSITIONS`] that put something in a place rather than
/// relate it to someone ("the owner *of* Luminotecnia", "a letter *to* Rourke").
const PUTTING_PREPOSITIONS: &[&str] = &[
    "in", "at", "near", "from", "inside", "outside", "across", "around",
];

/// The stems of the words of `text` written with a capital after its first word.
fn capitalised(text: &str) -> Vec<String> {
    let stemmer = Stemmer::create(Algorithm::English);
    let mut stems: Vec<String> = text
        .split_whitespace()
        .skip(1)
        .map(bare)
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
    for stem in answer
        .split_whitespace()
        .flat_map(|raw| proper_names(raw, &stemmer))
    {
        if !names.contains(&stem) {
            names.push(stem);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_that_says_what_is_to_come_looks_ahead() {
        let ahead = |answer: &str| AnswerKinds::of(answer).looks_ahead();
        assert!(ahead("The bridge will reopen in May."));
        assert!(ahead("Cosco is due to open the port in the coming months."));
        assert!(ahead("Classes stay online until March 3."));
        assert!(ahead("Every bus must be electric by 2030."));
        assert!(!ahead("The training deal was signed on June 26, 2024."));
        assert!(!ahead("The strike began two weeks ago."));
        assert!(ahead("Construction starts in March."));
        let dated = |answer: &str| AnswerKinds::of_dated(answer, "2024-07-04").looks_ahead();
        assert!(dated("The line was approved for 2027."));
        assert!(!dated("The line was approved in 2024."));
    }

    #[test]
    fn the_capitalised_words_an_answer_puts_something_in_are_places() {
        let kinds = AnswerKinds::of(
            "Owned by Cosco, the plant opened in Ciudad Valdecanas, near Durango, on Monday.",
        );
        assert_eq!(kinds.placed, ["ciudad", "durango", "valdecana"]);
    }

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

    /// The kinds of `answer`, its role words read as typed (see [`read_as_typed`]).
    fn typed(answer: &str) -> AnswerKinds {
        let mut kinds = AnswerKinds::of(answer);
        read_as_typed(&mut kinds);
        kinds
    }

    /// `titles` reads the words; the matcher fills in how questions read them.
    fn read_as_typed(kinds: &mut AnswerKinds) {
        for titled in &mut kinds.titles {
            titled.terms = vec![titled.word.clone()];
        }
    }

    #[test]
    fn a_role_counts_as_named_only_with_its_holder_beside_it() {
        let kinds = typed(
            "She met the Chairman of the Standing Committee, the Premier of the State Council \
             (executive branch) and President Xi Jinping.",
        );
        assert!(kinds.leaves_unnamed("premier", &["china", "premier"]));
        assert!(kinds.leaves_unnamed("chairman", &["chairman"]));
        assert!(!kinds.leaves_unnamed("president", &["china", "president"]));
        // A role the answer does not mention is not this check's to veto.
        assert!(!kinds.leaves_unnamed("mayor", &["mayor"]));
        // Nor is a holder the question already names.
        assert!(kinds.leaves_unnamed("president", &["president", "xi", "jinping"]));
    }

    #[test]
    fn a_holder_in_apposition_names_the_role_and_a_possessive_does_not() {
        let kinds = typed("Li Qiang, the Premier, hosted Peru's President.");
        assert!(!kinds.leaves_unnamed("premier", &["premier"]));
        assert!(kinds.leaves_unnamed("president", &["president"]));
    }

    #[test]
    fn a_holder_defined_by_the_role_names_it() {
        let kinds = typed("Maya Okonjo is the festival's director. She spoke.");
        assert!(!kinds.leaves_unnamed("director", &["festiv", "director"]));
        let kinds = typed("She is the festival's director.");
        assert!(kinds.leaves_unnamed("director", &["director"]));
        // The copula may say the holder takes the role now or will.
        let kinds =
            typed("Mitchell Rourke, Halvard's managing partner, becomes the club's chairman.");
        assert!(!kinds.leaves_unnamed("chairman", &["chairman"]));
        let kinds = typed("Ana Ruiz will become the hospital's director in May.");
        assert!(!kinds.leaves_unnamed("director", &["director"]));
        let kinds = typed("Ana Ruiz will be the new director.");
        assert!(!kinds.leaves_unnamed("director", &["director"]));
        let kinds = typed("Tickets sold out, Okonjo said, and the director left.");
        assert!(kinds.leaves_unnamed("director", &["director"]));
    }

    #[test]
    fn a_role_defined_by_its_holder_names_it() {
        let answer = "The Minister of Education, Science and Innovation is Rui Valadares.";
        let kinds = typed(answer);
        assert!(!kinds.leaves_unnamed("minister", &["minist", "educ"]));
        let kinds = typed("The company's chief executive is Dana Holt.");
        assert!(!kinds.leaves_unnamed("chief", &["chief"]));
        // A title ends where a clause of its own begins: "said" is no part of it.
        let kinds = typed("The minister said the new plan is Rui's idea.");
        assert!(kinds.leaves_unnamed("minister", &["minist"]));
        let kinds = typed("The minister is expected in Lisbon.");
        assert!(kinds.leaves_unnamed("minister", &["minist"]));
        // A holder in apposition before "will serve as" names the role too.
        let answer =
            "Her running mate, economist Esteban Alfaro Mena, will serve as first vice-president.";
        assert!(!typed(answer).leaves_unnamed("president", &["first", "vice", "presid"]));
        let kinds = typed("In Lima, the delegation will serve as president of the summit.");
        assert!(kinds.leaves_unnamed("president", &["presid"]));
    }

    #[test]
    fn a_holder_in_apposition_before_a_possessive_role_names_it() {
        let answer = "Dr Alejandro Ferrer, the hospital's director, said the wing is open.";
        let kinds = typed(answer);
        assert!(!kinds.leaves_unnamed("director", &["hospit", "director"]));
        let kinds = typed("The hospital's director said the wing is open.");
        assert!(kinds.leaves_unnamed("director", &["director"]));
        let kinds = typed("In Lima, she met the hospital's director.");
        assert!(kinds.leaves_unnamed("director", &["director"]));
        // A compound modifier may stand between them too.
        let answer = "Laura Espinoza, the state's anti-corruption prosecutor, said so.";
        assert!(!typed(answer).leaves_unnamed("prosecutor", &["prosecutor"]));
        let kinds = typed("In Lima, she met the state's anti-corruption prosecutor.");
        assert!(kinds.leaves_unnamed("prosecutor", &["prosecutor"]));
    }

    #[test]
    fn a_holder_in_apposition_after_the_role_names_it() {
        let answer = "His lawyer, Patricia Rentería Solano, said the audit was wrong.";
        assert!(!typed(answer).leaves_unnamed("lawyer", &["valdivia", "lawyer"]));
        let answer = "The union's president, João da Silva dos Santos, called the strike.";
        assert!(!typed(answer).leaves_unnamed("president", &["union", "president"]));
        // Only a name closed by a comma or a full stop is an apposition, and only a name.
        let kinds = typed("Her lawyer, who spoke in Lima, said nothing.");
        assert!(kinds.leaves_unnamed("lawyer", &["lawyer"]));
        let kinds = typed("The president, Lima and Cusco agreed on the plan.");
        assert!(kinds.leaves_unnamed("president", &["president"]));
        let kinds = typed("The lawyer, however, declined to comment.");
        assert!(kinds.leaves_unnamed("lawyer", &["lawyer"]));
    }

    #[test]
    fn a_title_of_several_role_words_is_held_by_the_holder_of_its_first() {
        let answer = "Daniel Okafor is the bank's acting chief information security officer.";
        let kinds = typed(answer);
        assert!(!kinds.leaves_unnamed("officer", &["act", "chief", "officer"]));
        let kinds = typed("Chief Ana Ruiz said the officer left.");
        assert!(kinds.leaves_unnamed("officer", &["officer"]));
    }

    #[test]
    fn a_holder_appointed_as_the_role_is_named_across_an_apposition() {
        let answer =
            "The ministry appointed Ana Ruiz, head of the regional mediation unit, as mediator.";
        let kinds = typed(answer);
        assert!(!kinds.leaves_unnamed("mediator", &["mediator"]));
        let kinds = typed("In the end, as mediator, she stayed.");
        assert!(kinds.leaves_unnamed("mediator", &["mediator"]));
    }

    #[test]
    fn a_deputy_is_not_the_holder_of_the_role_unless_asked_for() {
        let kinds = typed("Deputy Mayor Alenka Furlan backs the tram.");
        assert!(kinds.leaves_unnamed("mayor", &["mayor", "ljubljana"]));
        assert!(!kinds.leaves_unnamed("mayor", &["deputi", "mayor"]));
        let kinds = typed("She met Huawei vice-president Ken Hu.");
        assert!(kinds.leaves_unnamed("president", &["huawei", "president"]));
        assert!(!kinds.leaves_unnamed("president", &["vice", "president"]));
        let kinds = typed("Mayor Zoran Jankovic and his deputy spoke.");
        assert!(!kinds.leaves_unnamed("mayor", &["mayor"]));
    }

    #[test]
    fn the_day_of_a_date_is_not_a_quantity() {
        for dated in [
            "The bank reports its earnings on April 23.",
            "It reports on 23 April.",
            "Publica sus resultados el 23 de abril.",
        ] {
            let kinds = AnswerKinds::of(dated);
            assert!(!kinds.fits("quantity"), "{dated}");
            assert!(!kinds.counts(), "{dated}");
        }
        let span = AnswerKinds::of("She was in China from June 23 to June 28, 2024.");
        assert!(span.fits("quantity") && span.counts());
        let counted = AnswerKinds::of("It cut 23 jobs in April and 40 in May.");
        assert!(counted.fits("quantity") && counted.counts());
        assert!(AnswerKinds::of("On May 3, 450 people attended.").counts());
    }

    #[test]
    fn a_count_is_not_a_list() {
        let count = AnswerKinds::of("Peru has eight of the 17 critical minerals.");
        assert!(!count.can_list(8));
        let list = AnswerKinds::of("Its eight minerals include copper, zinc, silver and gold.");
        assert!(list.can_list(8));
        assert!(count.can_list(1));
    }

    #[test]
    fn what_time_is_answered_by_a_time_of_day_not_a_date() {
        for timed in [
            "Stations open from 7am to 9pm.",
            "Supplies are cut at 11 p.m. each night.",
            "The meeting starts at 18:30.",
            "Trains stop at midnight.",
        ] {
            assert!(AnswerKinds::of(timed).fits("timeofday"), "{timed}");
        }
        assert!(!AnswerKinds::of("The meeting is on 27 August.").fits("timeofday"));
        assert!(AnswerKinds::of("Ana Ruiz, the chief executive, spoke.").fits("role"));
        assert!(!AnswerKinds::of("Ana Ruiz spoke on Thursday.").fits("role"));
        assert!(!AnswerKinds::of("It rose 9 per cent to 210 passengers.").fits("timeofday"));
    }

    #[test]
    fn a_day_or_a_month_names_nobody() {
        let vote = AnswerKinds::of("The council approved it on Tuesday, October 7, by 28 votes.");
        assert!(!vote.names_someone_besides(&["which", "councillor"]));
        let named = AnswerKinds::of("Councillors Marko Kos and Ana Novak voted against it.");
        assert!(named.names_someone_besides(&["which", "councillor"]));
    }

    #[test]
    fn a_figure_beside_a_currency_is_a_sum_of_money() {
        assert!(typed("It will cost about 240 million soles.").gives_money());
        assert!(typed("A $2.3 billion project is at risk.").gives_money());
        assert!(!typed("Some 9,000 dockworkers are on strike.").gives_money());
        assert!(!typed("The price was not disclosed.").gives_money());
    }

    #[test]
    fn a_sum_of_money_does_not_say_how_many() {
        assert!(!AnswerKinds::of("Anyone caught can be fined up to £1,000.").counts());
        assert!(!AnswerKinds::of("It costs 38 million euros.").counts());
        assert!(!AnswerKinds::of("It costs $3.6 billion.").counts());
        assert!(AnswerKinds::of("It will cost £38m and hire 120 staff.").counts());
        assert!(AnswerKinds::of("Eight of the 17 minerals.").counts());
        assert!(!AnswerKinds::of("It opened in 2024.").counts());
    }

    #[test]
    fn a_share_does_not_say_how_many() {
        let occupancy = "Hotel occupancy reached 94 per cent, against a usual 71%.";
        assert!(!AnswerKinds::of(occupancy).counts());
        assert!(!AnswerKinds::of("El 40 por ciento votó a favor.").counts());
        assert!(AnswerKinds::of("94 percent of its 2,840 members voted.").counts());
    }

    #[test]
    fn an_answer_echoes_when_the_question_states_its_every_figure() {
        let homes = AnswerKinds::of("The cuts will affect 48,000 homes.");
        assert!(homes.only_echoes(&["quantity", "peopl", "48000", "home"]));
        assert!(!homes.only_echoes(&["quantity", "home"]));
        let minerals = AnswerKinds::of("Peru holds eight of the world's 17 critical minerals.");
        assert!(!minerals.only_echoes(&["quantity", "17", "miner"]));
        assert!(!AnswerKinds::of("It opened in 2024.").only_echoes(&["2024"]));
    }

    #[test]
    fn where_is_answered_only_by_an_answer_that_places_something() {
        for placed in [
            "The ceremony took place at Huawei's headquarters in Shenzhen.",
            "The terminal lies 80 kilometres north of the capital.",
            "She travelled abroad for the first time in seven months.",
            "About 6,800 evacuees are sleeping in 31 shelters set up in schools and churches.",
            "Classes moved to the town's two remaining libraries and a sports hall.",
        ] {
            assert!(AnswerKinds::of(placed).fits("where"), "{placed}");
        }
        let unplaced = AnswerKinds::of(
            "On June 26 she presided over the signing of an agreement between the ministry \
             and Huawei to train 20,000 professionals in information technologies.",
        );
        assert!(!unplaced.fits("where"));
        assert!(unplaced.fits("when"));
    }

    #[test]
    fn who_is_answered_only_by_an_answer_that_names_someone_or_a_role() {
        assert!(AnswerKinds::of("The deal was signed by Liang Hua.").fits("who"));
        assert!(AnswerKinds::of("The deal was signed by the foreign minister.").fits("who"));
        assert!(!AnswerKinds::of("The deal will train 20,000 professionals.").fits("who"));
    }

    #[test]
    fn how_long_is_answered_by_a_span_or_a_figure() {
        assert!(
            AnswerKinds::of("She has not given a press conference in 90 days.").fits("duration")
        );
        assert!(AnswerKinds::of("It had been stagnant for two years.").fits("duration"));
        assert!(!AnswerKinds::of("The port is run by Cosco Shipping.").fits("duration"));
        assert!(AnswerKinds::of("She was in China from June 23 to 28, 2024.").fits("duration"));
        assert!(AnswerKinds::of("The Joint Action Plan 2024-2029.").fits("duration"));
        assert!(AnswerKinds::of("Cuts between 2019 and 2021.").fits("duration"));
        let day = AnswerKinds::of("Dr Kaur, the chief executive, spoke on Thursday 13 August.");
        assert!(day.fits("when"));
        assert!(!day.fits("duration"), "a day alone does not say how long");
        assert!(AnswerKinds::of("Trams will run every ten minutes.").fits("frequency"));
        assert!(AnswerKinds::of("The market is held weekly.").fits("frequency"));
        assert!(!AnswerKinds::of("The port is run by Cosco Shipping.").fits("frequency"));
    }

    #[test]
    fn a_rate_says_how_often_not_when() {
        let wage = AnswerKinds::of("Members earn an average of 2.9 million pesos a month.");
        assert!(!wage.fits("when"));
        assert!(wage.fits("frequency"));
        assert!(!AnswerKinds::of("The market is held weekly.").fits("when"));
        let commute = AnswerKinds::of("140,000 people commute into the city every working day.");
        assert!(!commute.fits("when"));
        assert!(commute.fits("frequency"));
        assert!(AnswerKinds::of("The strike began two weeks ago.").fits("when"));
        assert!(AnswerKinds::of("It opened last month.").fits("when"));
    }
}
