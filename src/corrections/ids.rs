//! Platform ids kept as numbers in the record of sent replies, and given back as the exact
//! text the platform gave.
//!
//! The record holds one reply's place per reply sent (up to 100,000): as two boxed strings
//! that is two heap blocks a reply, as numbers none. Discord's ids are decimal snowflakes,
//! Slack's channel ids base-36 (`C0123ABCD`) and a Slack message's `ts` a fixed-point number of
//! seconds (`1712345678.123456`), which `chat.update` needs back character for character. Each
//! form below reads only the texts it gives back unchanged (no leading zero, no lowercase,
//! exactly six decimals), so a number always turns back into the text it was read from; any
//! other text is kept as text.

/// How an id's text is written as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Form {
    /// `1234567890123456789`: Discord's snowflakes.
    Decimal,
    /// `C0123ABCD`: Slack's ids, uppercase letters and digits.
    Base36,
    /// `1712345678.123456`: a Slack message's `ts`, as microseconds.
    Micros,
}

/// Base-36 digits that always fit a `u64`.
const BASE36_DIGITS: usize = 12;
const MICROS: u64 = 1_000_000;

impl Form {
    /// The id as a number and the form that gives its text back, if any form does.
    pub(super) fn read(text: &str) -> Option<(Self, u64)> {
        [Self::Decimal, Self::Base36, Self::Micros]
            .into_iter()
            .find_map(|form| Some((form, form.parse(text)?)))
    }

    /// The text `number` was read from.
    pub(super) fn write(self, number: u64) -> Box<str> {
        match self {
            Self::Decimal => number.to_string(),
            Self::Base36 => base36(number),
            Self::Micros => format!("{}.{:06}", number / MICROS, number % MICROS),
        }
        .into_boxed_str()
    }

    fn parse(self, text: &str) -> Option<u64> {
        match self {
            Self::Decimal => decimal(text),
            Self::Base36 => {
                let canonical = text.len() <= BASE36_DIGITS
                    && !text.starts_with('0')
                    && text
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
                canonical.then(|| u64::from_str_radix(text, 36).ok())?
            }
            Self::Micros => {
                let (seconds, fraction) = text.split_once('.')?;
                let fraction = (fraction.len() == 6
                    && fraction.bytes().all(|b| b.is_ascii_digit()))
                .then(|| fraction.parse::<u64>().ok())??;
                decimal(seconds)?.checked_mul(MICROS)?.checked_add(fraction)
            }
        }
    }
}

/// A decimal number written as `to_string` writes it: digits only, no leading zero.
fn decimal(text: &str) -> Option<u64> {
    let canonical = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    canonical.then(|| text.parse().ok())?
}

fn base36(mut number: u64) -> String {
    let mut digits = Vec::with_capacity(BASE36_DIGITS);
    loop {
        let digit = u8::try_from(number % 36).unwrap_or(0);
        digits.push(if digit < 10 {
            b'0' + digit
        } else {
            b'A' + digit - 10
        });
        number /= 36;
        if number == 0 {
            break;
        }
    }
    digits.iter().rev().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_ids_come_back_as_the_same_text() {
        for (text, form) in [
            ("1234567890123456789", Form::Decimal),
            ("18446744073709551615", Form::Decimal),
            ("0", Form::Decimal),
            ("C0123ABCD", Form::Base36),
            ("D0ABCDEFGHIJ", Form::Base36),
            ("Z", Form::Base36),
            ("1712345678.123456", Form::Micros),
            ("1712345678.000001", Form::Micros),
            ("0.000000", Form::Micros),
        ] {
            let (read, number) = Form::read(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(read, form, "{text}");
            assert_eq!(&*form.write(number), text);
        }
    }

    #[test]
    fn texts_no_number_gives_back_are_not_read() {
        for text in [
            "",
            "0123",
            "18446744073709551616",
            "c0123abcd",
            "0C123",
            "C0123ABCDEFGH",
            "1712345678.12345",
            "1712345678.1234567",
            "01712345678.123456",
            "1712345678.12345a",
            "+12",
            "C-12",
        ] {
            assert_eq!(Form::read(text), None, "{text}");
        }
    }
}
