//! Slack's ids (`T0123ABCD`, `C0123ABCD`, `U0123ABCD`) as the core's `u64` places and members.
//!
//! Slack ids are uppercase letters and digits, 9 to 11 characters today; read as base-36
//! numbers they fit a `u64` (and SQLite's `i64`) up to 12 characters, one-to-one, so the history
//! and the cooldowns key them without allocating. A longer or odd id (should Slack change its
//! format) is hashed with a fixed key instead: still stable across runs, no longer reversible.

use std::hash::{Hash as _, Hasher as _};

/// Base-36 digits fit in a `u64` up to this many.
const MAX_DIGITS: usize = 12;

pub(crate) fn number(id: &str) -> u64 {
    if id.len() <= MAX_DIGITS {
        if let Ok(value) = u64::from_str_radix(id, 36) {
            if id
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            {
                return value;
            }
        }
    }
    // SipHash with its default (zero) keys: the same number in every run.
    #[allow(deprecated)]
    let mut hasher = std::hash::SipHasher::new();
    id.hash(&mut hasher);
    hasher.finish() >> 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_map_one_to_one_and_fit_sqlite() {
        assert_eq!(
            number("C0123ABCD"),
            u64::from_str_radix("C0123ABCD", 36).unwrap()
        );
        assert_ne!(number("C0123ABCD"), number("C0123ABCE"));
        assert!(number("ZZZZZZZZZZZZ") <= i64::MAX as u64);
        let odd = number("c-lowercase-and-long-id");
        assert_eq!(odd, number("c-lowercase-and-long-id"));
        assert!(odd <= i64::MAX as u64);
    }
}
