//! Range checks for the config's numbers, run as each value is read so that an error points
//! at the value (file, line, column) and says what is allowed.
//!
//! The bounds are what makes sense for a chat bot, not what the types allow: a cooldown of a
//! year or a debounce of a day is a typo, and NaN or a negative time would break the code that
//! uses it.

use std::fmt::Display;

use serde::de::{Deserialize, Deserializer, Error};

const DAY_SECS: f64 = 86_400.0;

fn within<T, E>(value: T, min: T, max: T, unit: &str) -> Result<T, E>
where
    T: PartialOrd + Display + Copy,
    E: Error,
{
    if min <= value && value <= max {
        Ok(value)
    } else {
        Err(E::custom(format!(
            "{value} is out of range: use {min} to {max} {unit}"
        )))
    }
}

/// A time in seconds from 0 to a day, e.g. a member's cooldown.
pub(super) fn seconds<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    within(f64::deserialize(deserializer)?, 0.0, DAY_SECS, "seconds")
}

/// A time window in seconds, from 1 to a day (0 would divide by zero).
pub(super) fn window_seconds<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    within(f64::deserialize(deserializer)?, 1.0, DAY_SECS, "seconds")
}

/// A number of answers per window: 0 (no limit) to 10,000.
pub(super) fn answers<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    within(u32::deserialize(deserializer)?, 0, 10_000, "answers")
}

/// A debounce in milliseconds: 0 to a minute.
pub(super) fn milliseconds<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    within(u64::deserialize(deserializer)?, 0, 60_000, "milliseconds")
}

/// A retention in days: 0 (keep everything) to 100 years.
pub(super) fn days<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    within(u32::deserialize(deserializer)?, 0, 36_500, "days")
}

/// A facts file size in bytes: 1 KiB to 64 MiB.
pub(super) fn file_bytes<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    within(
        u64::deserialize(deserializer)?,
        1024,
        64 * 1024 * 1024,
        "bytes",
    )
}
