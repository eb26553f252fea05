//! The languages the bot answers in: which one a question is asked in, and every fixed text
//! the bot says, in each of them.
//!
//! The fixed texts live in one catalogue file per language (`lang/<code>.toml`), never in code,
//! so a third language is a new file and one line in [`CATALOGUES`]. Facts carry their own
//! translations (`[facts.translations.<code>]`); this module only knows the codes.

mod catalogue;

use std::fmt;

pub use catalogue::Msg;

/// Every language with a catalogue, English first: its code and its catalogue's text. A
/// language code in a facts file or a Discord locale is only understood when it is listed here.
const CATALOGUES: &[(&str, &str)] = &[
    ("en", include_str!("en.toml")),
    ("es", include_str!("es.toml")),
];

/// A language the bot can answer in: an index into [`CATALOGUES`], so it is `Copy` and cheap
/// to carry in every reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Lang(u8);

impl Lang {
    /// The language the facts are written in, and the default.
    pub const EN: Self = Self(0);
    pub const ES: Self = Self(1);

    /// The language with this code (`"es"`), if it has a catalogue.
    pub fn from_code(code: &str) -> Option<Self> {
        CATALOGUES
            .iter()
            .position(|(known, _)| *known == code)
            .and_then(|index| u8::try_from(index).ok())
            .map(Self)
    }

    pub fn code(self) -> &'static str {
        CATALOGUES[usize::from(self.0)].0
    }

    /// Every language with a catalogue, English first.
    pub fn all() -> impl Iterator<Item = Self> {
        (0..CATALOGUES.len()).filter_map(|index| u8::try_from(index).ok().map(Self))
    }

    /// The languages a fact may be translated into: all but English, which facts are written in.
    pub fn translations() -> impl Iterator<Item = Self> {
        Self::all().filter(|lang| *lang != Self::EN)
    }

    /// A Discord-style locale (`"es-ES"`, `"es-419"`, `"en-US"`) to the language it names.
    pub fn from_locale(locale: &str) -> Option<Self> {
        let code = locale.split(['-', '_']).next()?.to_ascii_lowercase();
        Self::from_code(&code)
    }

    /// The fixed text `msg` in this language, with each `{name}` replaced by its value in `args`.
    pub fn text(self, msg: Msg, args: &[(&str, &str)]) -> String {
        catalogue::fill(catalogue::get(self, msg), args)
    }

    /// An ISO date (`2024-07-04`) as this language writes it in a source line ("4 de julio de
    /// 2024"); anything that is not an ISO date is returned as it is.
    pub fn date(self, iso: &str) -> String {
        self.date_as(Msg::Date, Msg::Months, iso)
    }

    /// An ISO date written short, for the correction marker ("2 Dec 2026").
    pub fn short_date(self, iso: &str) -> String {
        self.date_as(Msg::ShortDate, Msg::ShortMonths, iso)
    }

    fn date_as(self, format: Msg, months: Msg, iso: &str) -> String {
        let mut parts = iso.splitn(3, '-');
        let (Some(year), Some(month), Some(day)) = (parts.next(), parts.next(), parts.next())
        else {
            return iso.to_owned();
        };
        let (Ok(month_number), Ok(day_number)) = (month.parse::<usize>(), day.parse::<u32>())
        else {
            return iso.to_owned();
        };
        let names = catalogue::get(self, months);
        let Some(month_name) = month_number
            .checked_sub(1)
            .and_then(|index| names.split_whitespace().nth(index))
        else {
            return iso.to_owned();
        };
        self.text(
            format,
            &[
                ("iso", iso),
                ("year", year),
                ("month", month_name),
                ("day", &day_number.to_string()),
            ],
        )
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl serde::Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// What a question says about its language beyond its words: an inverted question or
/// exclamation mark is Spanish only, and counts for two words.
const INVERTED_MARK_WEIGHT: i64 = 2;

/// The language to answer `question` in. Its words decide (the matcher's Spanish and English
/// function words and Spanish glossary, with or without accents); Spanish punctuation ("¿", "¡")
/// and letters ("ñ", "á") add to Spanish, and a member's Spanish `locale` (Discord sends one
/// with slash commands and buttons) tips a question whose words say nothing, such as "¿Yunba?"
/// or "Huawei 20000", towards Spanish. Ties go to English, the facts' own language.
pub fn detect(question: &str, locale: Option<&str>) -> Lang {
    let (spanish, english) = crate::matcher::language_votes(question);
    let mut score =
        i64::try_from(spanish).unwrap_or(i64::MAX) - i64::try_from(english).unwrap_or(i64::MAX);
    if question.contains(['¿', '¡']) {
        score += INVERTED_MARK_WEIGHT;
    }
    if question.chars().any(is_spanish_letter) {
        score += 1;
    }
    if locale.and_then(Lang::from_locale) == Some(Lang::ES) {
        score += 1;
    }
    if score > 0 {
        Lang::ES
    } else {
        Lang::EN
    }
}

fn is_spanish_letter(c: char) -> bool {
    matches!(
        c,
        'ñ' | 'Ñ' | 'á' | 'é' | 'í' | 'ó' | 'ú' | 'Á' | 'É' | 'Í' | 'Ó' | 'Ú' | 'ü'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(question: &str, locale: Option<&str>, expect: Lang) {
        assert_eq!(
            detect(question, locale),
            expect,
            "{question:?} ({locale:?})"
        );
    }

    #[test]
    fn spanish_is_detected_with_and_without_accents() {
        check("¿Qué hizo Boluarte en Shanghái?", None, Lang::ES);
        check("que hizo boluarte en shanghai", None, Lang::ES);
        check(
            "cuando fue la ultima vez que boluarte hablo con la prensa",
            None,
            Lang::ES,
        );
        check("¿Qué día volvió la presidenta a Lima?", None, Lang::ES);
        check("QUE DIA VOLVIO LA PRESIDENTA A LIMA", None, Lang::ES);
    }

    #[test]
    fn short_questions_are_detected() {
        check("¿Cuándo?", None, Lang::ES);
        check("cuando", None, Lang::ES);
        check("¿Yunba?", None, Lang::ES);
        check("¿y el puerto?", None, Lang::ES);
        check("When?", None, Lang::EN);
        check("Yunba?", None, Lang::EN);
        check("port cost", None, Lang::EN);
    }

    #[test]
    fn mixed_questions_go_with_most_words() {
        check(
            "What did Boluarte say at the conferencia in Shanghai?",
            None,
            Lang::EN,
        );
        check("¿Qué dijo Boluarte about the port?", None, Lang::ES);
        check("What did ComexPerú say about trade?", None, Lang::EN);
        check(
            "hey <@12> cuántos profesionales va a capacitar Huawei?",
            None,
            Lang::ES,
        );
    }

    #[test]
    fn the_locale_tips_questions_whose_words_say_nothing() {
        check("Huawei 20000", Some("es-ES"), Lang::ES);
        check("Huawei 20000", Some("es-419"), Lang::ES);
        check("Huawei 20000", Some("en-US"), Lang::EN);
        check("Huawei 20000", None, Lang::EN);
        check("What did she sign with Huawei?", Some("es-ES"), Lang::EN);
    }

    #[test]
    fn codes_and_locales() {
        assert_eq!(Lang::from_code("es"), Some(Lang::ES));
        assert_eq!(Lang::from_code("fr"), None);
        assert_eq!(Lang::from_locale("es-419"), Some(Lang::ES));
        assert_eq!(Lang::from_locale("en-GB"), Some(Lang::EN));
        assert_eq!(Lang::from_locale("pt-BR"), None);
        assert_eq!(Lang::ES.to_string(), "es");
        assert_eq!(Lang::translations().collect::<Vec<_>>(), [Lang::ES]);
    }

    #[test]
    fn dates_are_written_as_each_language_does() {
        assert_eq!(Lang::EN.date("2024-07-04"), "2024-07-04");
        assert_eq!(Lang::ES.date("2024-07-04"), "4 de julio de 2024");
        assert_eq!(Lang::EN.short_date("2026-12-02"), "2 Dec 2026");
        assert_eq!(Lang::ES.short_date("2026-12-02"), "2 dic 2026");
        assert_eq!(Lang::ES.date("July 4"), "July 4", "not a date: left alone");
        assert_eq!(Lang::ES.date("2024-13-04"), "2024-13-04");
    }
}
