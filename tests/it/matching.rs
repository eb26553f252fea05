//! How the matcher weighs a question's words, on small fact bases made for each case.

use factbot::matcher::{MatchSettings, Status};
use factbot::store::Snapshot;

use crate::support::facts_file;

/// A base of two facts about a government's economic plans.
const ECONOMY: &str = r#"
[[facts]]
id = "economic-focus"
questions = ["What is the government focused on?", "What are the economic priorities?"]
answer = "The government is focused on attracting investment."
snippet = "The government is focused on attracting investment."

[[facts]]
id = "port-opening"
questions = ["When does the port open?", "Where is the new port?"]
answer = "The port opens in November, north of the capital."
snippet = "The port opens in November, north of the capital."
follow_ups = ["economic-focus"]
"#;

fn snapshot(facts: &str, settings: &MatchSettings) -> Snapshot {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("story.toml");
    std::fs::write(&path, facts_file(facts)).expect("write facts");
    Snapshot::load(&[path], settings).expect("facts load")
}

fn ask(snapshot: &Snapshot, question: &str) -> (Status, Option<String>) {
    let outcome = snapshot.matcher.ask(question);
    let fact = outcome
        .answer()
        .map(|index| snapshot.base.facts[index].id.to_string());
    (outcome.status, fact)
}

#[test]
fn a_word_related_to_the_facts_wording_is_a_paraphrase_not_a_different_topic() {
    let question = "What is the government concentrating on?";
    let on = snapshot(ECONOMY, &MatchSettings::default());
    assert_eq!(
        ask(&on, question),
        (Status::Answered, Some("economic-focus".into()))
    );
    let off = snapshot(
        ECONOMY,
        &MatchSettings {
            related_word_credit: 0.0,
            meaning_credit: 0.0,
            ..MatchSettings::default()
        },
    );
    assert_ne!(ask(&off, question).0, Status::Answered);
}

/// A union's two facts, one naming its leader by the role's own word.
const UNION: &str = r#"
[[facts]]
id = "union-president"
questions = ["Who is the union's president?"]
answer = "Marta Quiroga is the president of the dockworkers' union Sindoport."
snippet = "Marta Quiroga, president of Sindoport"

[[facts]]
id = "strike-vote"
questions = ["When will the union vote on the strike?"]
answer = "Sindoport's members vote on the strike on Friday."
snippet = "members vote on Friday"
"#;

#[test]
fn a_question_about_who_leads_is_answered_by_the_fact_naming_the_leading_role() {
    let snapshot = snapshot(UNION, &MatchSettings::default());
    for question in [
        "Who heads Sindoport?",
        "who's in charge of the union?",
        "Who is the chief of the dockworkers' union?",
        "Who runs the union?",
        "Who is the union's boss?",
    ] {
        assert_eq!(
            ask(&snapshot, question),
            (Status::Answered, Some("union-president".into())),
            "{question}"
        );
    }
    // The other word asked about still counts: the union has no treasurer in its facts.
    assert_ne!(
        ask(&snapshot, "Who is the union's treasurer?").0,
        Status::Answered
    );
}

#[test]
fn related_words_alone_never_find_a_fact() {
    // "concentrate" relates to "focus", but nothing else of the question points anywhere.
    let snapshot = snapshot(ECONOMY, &MatchSettings::default());
    assert_eq!(
        ask(&snapshot, "Should chemists concentrate acids?"),
        (Status::Unknown, None)
    );
}

/// A port fact that names no one, a ceremony fact that names who attended, and a metro fact
/// that gives a cost and a name, so that "cost" and "name" are words the facts know.
const PORT_AND_CEREMONY: &str = r#"
[[facts]]
id = "metro"
questions = ["How much did the metro cost?", "What is the name of the metro line?"]
answer = "Metro Line Azul cost 5 billion dollars."
snippet = "Metro Line Azul cost 5 billion dollars."
follow_ups = ["port"]

[[facts]]
id = "port"
questions = ["Where is the new port north of Lima?", "Who is building the new port?"]
answer = "Cosco Shipping is building a port north of Lima."
snippet = "Cosco Shipping is building a port north of Lima."

[[facts]]
id = "ceremony"
questions = ["Who attended the signing ceremony?", "Which minister was at the ceremony?"]
answer = "Foreign Minister Javier Gonzalez attended the signing ceremony."
snippet = "Foreign Minister Javier Gonzalez attended the signing ceremony."
follow_ups = ["port"]
"#;

#[test]
fn an_attribute_the_fact_never_gives_stops_it_from_answering() {
    let snapshot = snapshot(PORT_AND_CEREMONY, &MatchSettings::default());
    assert_eq!(
        ask(&snapshot, "Who is building the new port north of Lima?"),
        (Status::Answered, Some("port".into()))
    );
    assert_eq!(
        ask(&snapshot, "What did the new port north of Lima cost?").1,
        None
    );
}

#[test]
fn a_name_is_given_only_by_an_answer_that_names_someone_new() {
    let snapshot = snapshot(PORT_AND_CEREMONY, &MatchSettings::default());
    assert_eq!(
        ask(
            &snapshot,
            "What is the name of the minister at the signing ceremony?"
        ),
        (Status::Answered, Some("ceremony".into()))
    );
    assert_eq!(
        ask(
            &snapshot,
            "What is the name of the new port Cosco is building north of Lima?"
        )
        .1,
        None
    );
}

#[test]
fn a_chatty_message_is_answered_by_its_question_sentence() {
    let snapshot = snapshot(PORT_AND_CEREMONY, &MatchSettings::default());
    let chatty = "omg just binged the whole podcast lol, my roommate kept laughing. \
                  who attended the signing ceremony? asking for my cousin who studies diplomacy";
    assert_eq!(
        ask(&snapshot, chatty),
        (Status::Answered, Some("ceremony".into()))
    );
}

#[test]
fn the_rest_of_a_chatty_message_still_counts_against_a_fact() {
    let snapshot = snapshot(PORT_AND_CEREMONY, &MatchSettings::default());
    // The same question sentence, but the chatter names a price the fact does not give.
    let chatty = "omg just binged the whole podcast lol, they kept talking about the \
                  price. who attended the signing ceremony? asking for my cousin who studies diplomacy";
    assert_eq!(ask(&snapshot, chatty).1, None);
    // A sentence about the member names nothing the question is about.
    let personal = "who attended the signing ceremony? my cousin lives in Arequipa lol";
    assert_eq!(
        ask(&snapshot, personal),
        (Status::Answered, Some("ceremony".into()))
    );
    let claim = "I read she went to Arequipa too. who attended the signing ceremony?";
    assert_eq!(ask(&snapshot, claim).1, None);
    // A question after chatter and a comma is a sentence of its own, read the same way.
    for (chatty, answer) in [
        (
            "hiya, my cousin lives in Arequipa, who attended the signing ceremony?",
            Some("ceremony"),
        ),
        (
            "I read she went to Arequipa too, who attended the signing ceremony?",
            None,
        ),
    ] {
        assert_eq!(ask(&snapshot, chatty).1.as_deref(), answer, "{chatty}");
    }
}

/// A story as a moderator writes it in a hurry: one question pattern a fact, no synonyms.
const ONE_PATTERN_EACH: &str = r#"
[[facts]]
id = "harbor-terminal"
questions = ["What is Cosco building?"]
answer = "Cosco is building a port terminal north of the capital."
snippet = "Cosco is building a port terminal north of the capital."

[[facts]]
id = "newspaper-criticism"
questions = ["Why was the president criticized?"]
answer = "The media criticized the president for avoiding interviews."
snippet = "The media criticized the president for avoiding interviews."
follow_ups = ["harbor-terminal"]
"#;

#[test]
fn a_word_close_in_meaning_counts_for_the_fact_that_uses_its_neighbour() {
    let on = snapshot(ONE_PATTERN_EACH, &MatchSettings::default());
    let question = "Why did the reporters criticize the leader?";
    assert_eq!(
        ask(&on, question),
        (Status::Answered, Some("newspaper-criticism".into()))
    );
    assert!(
        on.matcher.explain(question).contains("?leader:1.32≈presid"),
        "{}",
        on.matcher.explain(question)
    );
    let off = snapshot(
        ONE_PATTERN_EACH,
        &MatchSettings {
            meaning_credit: 0.0,
            ..MatchSettings::default()
        },
    );
    let without = off.matcher.ask(question);
    let with = on.matcher.ask(question);
    assert!(
        with.score() > without.score(),
        "{} !> {}",
        with.score(),
        without.score()
    );
}

#[test]
fn names_and_dates_are_never_matched_by_meaning() {
    let snapshot = snapshot(ONE_PATTERN_EACH, &MatchSettings::default());
    for question in [
        "What is Cosco building in Japan?",
        "What did Cosco build in 2019?",
    ] {
        assert_ne!(ask(&snapshot, question).0, Status::Answered, "{question}");
    }
}

#[test]
fn the_answer_alone_finds_a_fact_with_one_pattern() {
    let snapshot = snapshot(ONE_PATTERN_EACH, &MatchSettings::default());
    assert_eq!(
        ask(&snapshot, "Where is the new port terminal?"),
        (Status::Answered, Some("harbor-terminal".into()))
    );
}

/// A fact that names a country only by its adjective, as answers often do.
const LEASED_PLANES: &str = r#"
[[facts]]
id = "leased-planes"
questions = ["Who leased the planes?"]
answer = "Nine of the planes were leased from Shannon Aero Leasing, an Irish lessor."
snippet = "nine of them leased from Shannon Aero Leasing, an Irish lessor"

[[facts]]
id = "fleet"
questions = ["How big is the fleet?"]
answer = "The airline flew 14 turboprops."
snippet = "a fleet of 14 turboprops"
"#;

#[test]
fn a_country_is_the_same_place_as_its_adjective_and_no_other() {
    let snapshot = snapshot(LEASED_PLANES, &MatchSettings::default());
    assert_eq!(
        ask(&snapshot, "How many planes were leased from Ireland?"),
        (Status::Answered, Some("leased-planes".into()))
    );
    assert_ne!(
        ask(&snapshot, "How many planes were leased from Scotland?").0,
        Status::Answered
    );
}

/// A fact that mentions roles and a count without naming or listing them, beside one that
/// names its role's holder.
const ROLES_AND_COUNTS: &str = r#"
[[facts]]
id = "beijing-meetings"
questions = ["Who did the president meet in Beijing?"]
answer = "In Beijing she met the Premier of the State Council and President Xi Jinping."
snippet = "She met the Premier of the State Council and President Xi Jinping."

[[facts]]
id = "mineral-wealth"
questions = ["How many critical minerals does the country have?"]
answer = "The country has eight of the 17 critical minerals."
snippet = "The country has eight of the 17 critical minerals."

[[facts]]
id = "carmaker-boss"
questions = ["Who runs the carmaker?"]
answer = "The carmaker's CEO Wang Chuanfu joined the talks."
snippet = "CEO Wang Chuanfu joined the talks."
"#;

#[test]
fn who_holds_a_role_is_answered_only_by_a_fact_that_names_the_holder() {
    let snapshot = snapshot(ROLES_AND_COUNTS, &MatchSettings::default());
    for question in ["Who is the Premier?", "What is the name of the Premier?"] {
        assert_ne!(ask(&snapshot, question).0, Status::Answered, "{question}");
    }
    assert_eq!(
        ask(&snapshot, "Who is the president?"),
        (Status::Answered, Some("beijing-meetings".into()))
    );
    assert_eq!(
        ask(&snapshot, "Who is the carmaker's CEO?"),
        (Status::Answered, Some("carmaker-boss".into()))
    );
}

#[test]
fn which_of_a_number_asks_for_a_list_not_the_count() {
    let snapshot = snapshot(ROLES_AND_COUNTS, &MatchSettings::default());
    assert_ne!(
        ask(
            &snapshot,
            "Which eight critical minerals does the country have?"
        )
        .0,
        Status::Answered
    );
    assert_eq!(
        ask(
            &snapshot,
            "How many critical minerals does the country have?"
        ),
        (Status::Answered, Some("mineral-wealth".into()))
    );
}

#[test]
fn small_talk_with_the_bot_is_not_a_question_about_the_facts() {
    let snapshot = snapshot(
        r#"
[[facts]]
id = "journey-time"
questions = ["How long will the journey take?"]
answer = "The journey will take 38 minutes, against 55 minutes by bus today."
snippet = "a journey time of 38 minutes, compared with about 55 minutes by bus today"

[[facts]]
id = "line-name"
questions = ["What is the name of the new line?"]
answer = "The new line is called the Green Line."
snippet = "the new line, called the Green Line"
"#,
        &MatchSettings::default(),
    );
    for chat in [
        "hi, how are you doing today?",
        "What's your name, bot?",
        "who are you?",
    ] {
        assert_eq!(ask(&snapshot, chat).0, Status::Unknown, "{chat}");
    }
    assert_eq!(
        ask(
            &snapshot,
            "hey how are you, how long will the journey take today?"
        ),
        (Status::Answered, Some("journey-time".into()))
    );
}

#[test]
fn a_sparse_fact_answers_what_is_asked_for_in_words_it_lacks() {
    // One pattern each, as facts written in a hurry: neither says "dates" or "how long".
    let snapshot = snapshot(
        r#"
[[facts]]
id = "trip"
questions = ["When did the president visit China?"]
answer = "The president was in China from June 23 to June 28."
snippet = "from June 23 to June 28"

[[facts]]
id = "press"
questions = ["Has the president spoken to the press?"]
answer = "She has not held a press conference in more than 90 days."
snippet = "more than 90 days without a press conference"

[[facts]]
id = "port"
questions = ["Who runs the new port?"]
answer = "Cosco Shipping runs the new port."
snippet = "Cosco Shipping runs the new port"
"#,
        &MatchSettings::default(),
    );
    assert_eq!(
        ask(&snapshot, "president china trip dates"),
        (Status::Answered, Some("trip".into()))
    );
    assert_eq!(
        ask(
            &snapshot,
            "How long since the president spoke to the press?"
        ),
        (Status::Answered, Some("press".into()))
    );
    assert_ne!(
        ask(&snapshot, "How long is the new port?").0,
        Status::Answered,
        "the port's answer gives no span or figure"
    );
}

/// A tram story written the British way, with one pattern a fact, as a moderator writes it.
const TRAM: &str = r#"
[[facts]]
id = "tram-length"
questions = ["How long is the tram line?"]
answer = "The line will be 14.2 kilometres long and run through the city centre."
snippet = "a 14.2-kilometre line through the centre"

[[facts]]
id = "organiser"
questions = ["Who runs the tram?"]
answer = "The tram will be organised by LPP, the city's transport company."
snippet = "organised by LPP, the city's transport company"

[[facts]]
id = "emissions"
questions = ["How much will emissions fall?"]
answer = "The line should cut CO2 emissions by 21,000 tonnes a year."
snippet = "cut CO2 emissions by 21,000 tonnes a year"

[[facts]]
id = "deputy-mayor"
questions = ["What did the deputy mayor say?"]
answer = "Deputy Mayor Alenka Furlan said the city had waited long enough."
snippet = "Deputy Mayor Alenka Furlan said the city had waited long enough"

[[facts]]
id = "frequency"
questions = ["How often will the trams run?"]
answer = "Trams will run every five minutes at peak hours and every ten minutes in the evening."
snippet = "every five minutes at peak hours"
"#;

#[test]
fn a_british_spelling_meets_the_american_one() {
    let tram = snapshot(TRAM, &MatchSettings::default());
    assert_eq!(
        ask(
            &tram,
            "How many kilometers long is the line through the city center?"
        ),
        (Status::Answered, Some("tram-length".into()))
    );
    assert_eq!(
        ask(&tram, "what about the organization of the tram?"),
        (Status::Answered, Some("organiser".into()))
    );
}

#[test]
fn a_name_with_digits_is_one_word_not_a_number() {
    let tram = snapshot(TRAM, &MatchSettings::default());
    assert_eq!(
        ask(&tram, "how much co2 will the line cut?"),
        (Status::Answered, Some("emissions".into()))
    );
}

#[test]
fn a_deputy_does_not_answer_who_holds_the_role() {
    let tram = snapshot(TRAM, &MatchSettings::default());
    assert_ne!(ask(&tram, "Who is the mayor?").0, Status::Answered);
    assert_eq!(
        ask(&tram, "Who is the deputy mayor?"),
        (Status::Answered, Some("deputy-mayor".into()))
    );
}

#[test]
fn how_often_asks_for_a_rate_in_either_language() {
    let tram = snapshot(TRAM, &MatchSettings::default());
    for question in [
        "how frequently will the trams come?",
        "¿Cada cuánto pasa el tranvía en hora punta?",
    ] {
        assert_eq!(
            ask(&tram, question),
            (Status::Answered, Some("frequency".into())),
            "{question}"
        );
    }
}

const WATER: &str = r#"
[[facts]]
id = "chief-executive"
questions = ["Who runs the water company?"]
answer = "Dr Ana Ruiz, the company's chief executive, announced the cuts on Thursday."
snippet = "Dr Ana Ruiz, the company's chief executive"

[[facts]]
id = "homes"
questions = ["How many homes are affected?"]
answer = "The night-time cuts will affect 48,000 homes."
snippet = "affect 48,000 homes"

[[facts]]
id = "fine"
questions = ["What is the fine for breaking the ban?"]
answer = "Anyone caught breaking the hosepipe ban can be fined up to £1,000."
snippet = "fined up to £1,000"

[[facts]]
id = "stations"
questions = ["Where can people get bottled water?"]
answer = "Bottled water stations in 14 towns will be open from 7am to 9pm every day."
snippet = "open from 7am to 9pm"

[[facts]]
id = "public-meeting"
questions = ["Will there be a public meeting?"]
answer = "The company will hold a public meeting in the town hall on 27 August."
snippet = "a public meeting in the town hall on 27 August"

[[facts]]
id = "council-vote"
questions = ["How did the council vote?"]
answer = "The council backed the rota on Tuesday, October 7, by 28 votes to 13."
snippet = "backed the rota on Tuesday, October 7, by 28 votes to 13"

[[facts]]
id = "village"
questions = ["How big is Tor?"]
answer = "About 2,000 people live in the village of Tor."
snippet = "2,000 people live in the village"

[[facts]]
id = "operations"
questions = ["Who is the operations director?"]
answer = "Tom Bell is the company's operations director."
snippet = "Tom Bell, operations director"

[[facts]]
id = "permit"
questions = ["How much is a garden permit?"]
answer = "A garden watering permit costs £25 a month."
snippet = "permits cost £25 a month"

[[facts]]
id = "reservoir"
questions = ["How full is the reservoir?"]
answer = "The reservoir has fallen to 19 per cent of capacity."
snippet = "fallen to 19 per cent of capacity"
"#;

#[test]
fn a_role_the_fact_never_mentions_is_not_answered_by_another_role() {
    let water = snapshot(WATER, &MatchSettings::default());
    assert_ne!(
        ask(&water, "Who is the water company's spokesperson?").0,
        Status::Answered
    );
    assert_eq!(
        ask(&water, "Who is the water company's chief executive?"),
        (Status::Answered, Some("chief-executive".into()))
    );
}

#[test]
fn a_holder_named_before_the_role_answers_who_holds_it() {
    let water = snapshot(WATER, &MatchSettings::default());
    for question in [
        "Who is the operations director?",
        "who's the company's director of operations",
    ] {
        assert_eq!(
            ask(&water, question),
            (Status::Answered, Some("operations".into())),
            "{question}"
        );
    }
}

/// Facts worded plainly, for questions that say the same with a phrasal verb.
const PLAIN_WORDS: &str = r#"
[[facts]]
id = "attendance"
questions = ["How many people attended the festival?"]
answer = "Some 212,400 people attended the festival."
snippet = "212,400 people attended"

[[facts]]
id = "vote"
questions = ["How did the council vote?"]
answer = "The council backed the plan by 28 votes to 13, with four councillors abstaining."
snippet = "28 votes to 13, with four abstentions"

[[facts]]
id = "history"
questions = ["When was the festival first held?"]
answer = "The festival was founded in 2009 by three friends."
snippet = "founded in 2009"

[[facts]]
id = "abroad"
questions = ["Where did the band play last year?"]
answer = "Last year the band played abroad for the first time, in Lisbon."
snippet = "played abroad for the first time"

[[facts]]
id = "grant"
questions = ["How much did the council give?"]
answer = "The council funded the festival with a £50,000 grant in 2024."
snippet = "a £50,000 grant"

[[facts]]
id = "tickets"
questions = ["How much were tickets?"]
answer = "A day ticket cost £79."
snippet = "day tickets £79"

[[facts]]
id = "construction"
questions = ["When does construction start?"]
answer = "Construction starts in March 2027."
snippet = "Construction starts in March 2027"
"#;

#[test]
fn a_phrasal_verb_reads_as_the_word_it_means() {
    let plain = snapshot(PLAIN_WORDS, &MatchSettings::default());
    for (question, fact) in [
        ("how many people showed up at the festival?", "attendance"),
        ("How many councillors sat out the vote?", "vote"),
        ("When will they break ground?", "construction"),
    ] {
        assert_eq!(
            ask(&plain, question),
            (Status::Answered, Some(fact.into())),
            "{question}"
        );
    }
}

#[test]
fn everyday_spanish_news_words_reach_the_english_facts() {
    let plain = snapshot(PLAIN_WORDS, &MatchSettings::default());
    for (question, fact) in [
        ("en que año se fundo el festival", "history"),
        ("cuanto costaban las entradas", "tickets"),
        ("precio de las entradas", "tickets"),
        ("cuando toco la banda al extranjero", "abroad"),
    ] {
        assert_eq!(
            ask(&plain, question),
            (Status::Answered, Some(fact.into())),
            "{question}"
        );
    }
}

#[test]
fn the_day_of_a_date_does_not_say_how_much() {
    let water = snapshot(WATER, &MatchSettings::default());
    assert_ne!(
        ask(&water, "How many people will attend the public meeting?").0,
        Status::Answered
    );
    assert_eq!(
        ask(&water, "When is the public meeting?"),
        (Status::Answered, Some("public-meeting".into()))
    );
}

#[test]
fn what_position_someone_holds_is_answered_by_their_role() {
    let water = snapshot(WATER, &MatchSettings::default());
    for question in [
        "What position does Ana Ruiz hold?",
        "que puesto tiene Ana Ruiz en la compañia",
        "What's Ana Ruiz's job?",
        "what is ana ruiz's role",
    ] {
        assert_eq!(
            ask(&water, question),
            (Status::Answered, Some("chief-executive".into())),
            "{question}"
        );
    }
}

#[test]
fn a_word_finds_the_compound_it_starts() {
    let water = snapshot(WATER, &MatchSettings::default());
    assert_eq!(
        ask(&water, "how much can you be fined for using a hose?"),
        (Status::Answered, Some("fine".into()))
    );
}

#[test]
fn the_price_of_a_thing_is_what_it_costs() {
    let water = snapshot(WATER, &MatchSettings::default());
    for question in ["What is the price of a watering permit?", "permit prices"] {
        assert_eq!(
            ask(&water, question),
            (Status::Answered, Some("permit".into())),
            "{question}"
        );
    }
    assert_ne!(
        ask(&water, "What is the price of the reservoir?").0,
        Status::Answered
    );
}

#[test]
fn a_count_is_not_answered_by_the_figure_the_question_already_gives() {
    let water = snapshot(WATER, &MatchSettings::default());
    assert_ne!(
        ask(&water, "How many people live in the 48,000 homes?").0,
        Status::Answered
    );
    assert_eq!(
        ask(&water, "how many homes will be affected by the cuts?"),
        (Status::Answered, Some("homes".into()))
    );
}

#[test]
fn how_deep_asks_for_a_depth_the_fact_never_gives() {
    let water = snapshot(WATER, &MatchSettings::default());
    assert_ne!(
        ask(&water, "How deep is the reservoir?").0,
        Status::Answered
    );
    assert_eq!(
        ask(&water, "how full is the reservoir now?"),
        (Status::Answered, Some("reservoir".into()))
    );
}

#[test]
fn a_sum_of_money_does_not_say_how_many() {
    let water = snapshot(WATER, &MatchSettings::default());
    assert_ne!(
        ask(
            &water,
            "How many people have been fined for breaking the hosepipe ban?"
        )
        .0,
        Status::Answered
    );
    assert_eq!(
        ask(
            &water,
            "how much can you be fined for breaking the hosepipe ban?"
        ),
        (Status::Answered, Some("fine".into()))
    );
}

#[test]
fn what_time_asks_for_a_time_of_day_not_a_date() {
    let water = snapshot(WATER, &MatchSettings::default());
    assert_ne!(
        ask(
            &water,
            "What time does the public meeting in the town hall start?"
        )
        .0,
        Status::Answered
    );
    assert_eq!(
        ask(
            &water,
            "until what time are the bottled water stations open?"
        ),
        (Status::Answered, Some("stations".into()))
    );
    assert_eq!(
        ask(&water, "When is the public meeting?"),
        (Status::Answered, Some("public-meeting".into()))
    );
}

#[test]
fn which_councillors_asks_for_names_a_tally_does_not_give() {
    let water = snapshot(WATER, &MatchSettings::default());
    assert_ne!(
        ask(&water, "Which councillors voted against the rota?").0,
        Status::Answered
    );
    assert_eq!(
        ask(&water, "how did the council vote on the rota?"),
        (Status::Answered, Some("council-vote".into()))
    );
}

#[test]
fn a_capitalised_word_the_facts_never_use_is_a_name_they_do_not_cover() {
    let water = snapshot(WATER, &MatchSettings::default());
    for question in [
        "How many homes in Tamarside are affected?",
        "What is the fine for breaking the hosepipe ban in Kernow?",
    ] {
        assert_ne!(ask(&water, question).0, Status::Answered, "{question}");
    }
    assert_eq!(
        ask(&water, "how many homes are affected?"),
        (Status::Answered, Some("homes".into()))
    );
}

/// Facts that give a year only as the article's "last year" (the test source is of 2024).
const RELATIVE_YEAR: &str = r#"
[[facts]]
id = "copper-output"
questions = ["How much copper does Chile produce?"]
answer = "Chile mined about 5.5 million tonnes of copper last year."
snippet = "S"

[[facts]]
id = "mine-jobs"
questions = ["How many people work at the mine?"]
answer = "The mine employs 2,840 people."
snippet = "S"
"#;

#[test]
fn a_year_the_answer_names_as_last_year_is_the_year_before_its_source() {
    let facts = snapshot(RELATIVE_YEAR, &MatchSettings::default());
    assert_eq!(
        ask(&facts, "How many tonnes of copper did Chile mine in 2023?"),
        (Status::Answered, Some("copper-output".into()))
    );
    assert_ne!(
        ask(&facts, "How many tonnes of copper did Chile mine in 2021?").0,
        Status::Answered
    );
}

/// A fact whose own pattern asks "where" while its answer names no place the way the matcher
/// reads places.
const OWN_PATTERN: &str = r#"
[[facts]]
id = "water-stations"
questions = ["Where can people get bottled water?"]
answer = "Bottled water is handed out at six collection stations run by volunteers."
snippet = "S"

[[facts]]
id = "water-ban"
questions = ["When did the water ban start?"]
answer = "The water ban started on 2 July."
snippet = "S"

[[facts]]
id = "minister-visit"
questions = ["Who did the minister see at the reservoir?"]
answer = "The minister met engineers from the water board at the reservoir."
snippet = "S"
"#;

#[test]
fn a_question_asked_word_for_word_as_a_facts_pattern_is_answered_by_it() {
    let facts = snapshot(OWN_PATTERN, &MatchSettings::default());
    assert_eq!(
        ask(&facts, "Where can people get bottled water?"),
        (Status::Answered, Some("water-stations".into()))
    );
    assert_eq!(
        ask(&facts, "Who did the minister see at the reservoir?"),
        (Status::Answered, Some("minister-visit".into())),
        "a generic word (see) weighs in the pattern as in the question"
    );
    assert_ne!(
        ask(&facts, "Where did the water ban start?").0,
        Status::Answered,
        "another fact's wording with another question word is still read for its kind"
    );
}

/// Facts whose words no Spanish glossary lists.
const RARE_WORDS: &str = r#"
[[facts]]
id = "missing-oncologists"
questions = ["How many specialists are missing?"]
answer = "The wing still lacks 12 oncologists and four radiophysicists."
snippet = "S"

[[facts]]
id = "opening"
questions = ["When did the wing open?"]
answer = "The wing opened on 10 March."
snippet = "S"
"#;

#[test]
fn a_spanish_word_no_glossary_lists_is_read_as_its_english_cognate_the_facts_use() {
    let facts = snapshot(RARE_WORDS, &MatchSettings::default());
    assert_eq!(
        ask(&facts, "¿Cuántos oncólogos faltan en el ala?"),
        (Status::Answered, Some("missing-oncologists".into()))
    );
}

#[test]
fn a_typo_fix_never_makes_a_number() {
    // "docs" is one letter from the Spanish "doce" (twelve), and a fact says 12.
    let facts = snapshot(RARE_WORDS, &MatchSettings::default());
    let read = facts.matcher.normalized("are the docs going to strike?");
    assert!(!read.split_whitespace().any(|term| term == "12"), "{read}");
}

#[test]
fn which_city_asks_for_a_named_place() {
    let wing = snapshot(
        r#"
[[facts]]
id = "plan"
questions = ["How many regional cancer centres does the government plan?"]
answer = "The wing is one of nine regional cancer centres the federal government plans to open by the end of 2027, and the first in the north of the country."
snippet = "S"

[[facts]]
id = "hospital"
questions = ["Which hospital opened the wing?"]
answer = "The wing is at the Hospital General Regional in Ciudad Valdecañas, Durango."
snippet = "S"
"#,
        &MatchSettings::default(),
    );
    assert_ne!(
        ask(&wing, "In which town is the new cancer centre?").1,
        Some("plan".into()),
        "the north of the country names no town"
    );
    assert_ne!(
        ask(&wing, "In which city is the new cancer centre?").1,
        Some("plan".into())
    );
}

/// "Which organisation", "which body": a class whose members go by their names, so a fact
/// that names one answers, though no fact says "organisation".
#[test]
fn which_organisation_asks_for_a_name_not_the_word() {
    let audit = snapshot(
        r#"
[[facts]]
id = "audit"
questions = ["Who is investigating the contracts?"]
answer = "The Contraloría opened an audit of the three contracts in March."
snippet = "S"

[[facts]]
id = "cost"
questions = ["How much were the contracts worth?"]
answer = "The three contracts were worth 41 million pesos."
snippet = "S"
"#,
        &MatchSettings::default(),
    );
    for question in [
        "Which body is investigating the contracts?",
        "Which organisation is looking into the contracts?",
    ] {
        assert_eq!(
            ask(&audit, question),
            (Status::Answered, Some("audit".into())),
            "{question}"
        );
    }
    assert_ne!(
        ask(&audit, "Which organisation paid for the contracts?").0,
        Status::Answered,
        "no fact says who paid"
    );
}

#[test]
fn a_unit_the_fact_never_states_stops_it_from_answering() {
    let tram = snapshot(
        r#"
[[facts]]
id = "line"
questions = ["How long is the new tram line?"]
answer = "The line will run 14 stops across the city, from Stozice to Rudnik."
snippet = "S"

[[facts]]
id = "cost"
questions = ["How much will the tram cost?"]
answer = "The tram will cost 412 million euros."
snippet = "S"
"#,
        &MatchSettings::default(),
    );
    assert_eq!(
        ask(&tram, "how long is the tram line"),
        (Status::Answered, Some("line".into()))
    );
    assert_ne!(
        ask(&tram, "How many kilometres long is the tram line?").0,
        Status::Answered,
        "14 stops is no distance"
    );
}

/// Two facts whose ids name their topics in words their patterns and answers do not use.
fn festival_facts(occupancy_id: &str, sales_id: &str) -> String {
    format!(
        r#"
[[facts]]
id = "{occupancy_id}"
questions = ["How full were the hotels?"]
answer = "Hotels in the city were 94 per cent full during the festival week."
snippet = "Hotels in the city were 94 per cent full during the festival week."

[[facts]]
id = "{sales_id}"
questions = ["How many tickets were sold?"]
answer = "The organisers sold 50,000 tickets for the four days."
snippet = "The organisers sold 50,000 tickets for the four days."
"#
    )
}

#[test]
fn the_words_of_a_facts_id_count_as_its_own() {
    let question = "What was the occupancy rate?";
    let named = snapshot(
        &festival_facts("hotel-occupancy", "ticket-sales"),
        &MatchSettings::default(),
    );
    assert_eq!(
        ask(&named, question),
        (Status::Answered, Some("hotel-occupancy".into()))
    );
    let numbered = snapshot(
        &festival_facts("fact-1", "fact-2"),
        &MatchSettings::default(),
    );
    assert_ne!(ask(&numbered, question).0, Status::Answered);
    // A counter's number in an id is no figure of the fact.
    let counted = snapshot(
        &festival_facts("item-2024", "item-2025"),
        &MatchSettings::default(),
    );
    assert_ne!(ask(&counted, "item 2024").0, Status::Answered);
}

/// A chain's two counts of places, each with a Spanish title when `translated`.
fn chain_facts(translated: bool) -> String {
    let translation = |title: &str| {
        if translated {
            format!("[facts.translations.es]\ntitle = \"{title}\"\nanswer = \"Véase arriba.\"\n")
        } else {
            String::new()
        }
    };
    format!(
        r#"
[[facts]]
id = "store-count"
questions = ["How many stores does the chain have?"]
answer = "Cordillera runs 412 stores across Chile."
snippet = "Cordillera runs 412 stores across Chile."
{}
[[facts]]
id = "warehouse-count"
questions = ["How many warehouses does the chain have?"]
answer = "Cordillera runs 9 warehouses across Chile."
snippet = "Cordillera runs 9 warehouses across Chile."
{}"#,
        translation("¿Cuántas sucursales tiene Cordillera?"),
        translation("¿Cuántos centros de distribución tiene Cordillera?"),
    )
}

#[test]
fn a_translated_title_counts_as_a_pattern_in_its_language() {
    // "sucursales" is in no glossary: only the moderator's Spanish title says it.
    let question = "cuantas sucursales tiene cordillera?";
    let translated = snapshot(&chain_facts(true), &MatchSettings::default());
    assert_eq!(
        ask(&translated, question),
        (Status::Answered, Some("store-count".into()))
    );
    let untranslated = snapshot(&chain_facts(false), &MatchSettings::default());
    assert_ne!(ask(&untranslated, question).0, Status::Answered);
}
