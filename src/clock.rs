//! Wall-clock times as moderators read them: Unix seconds stored, UTC shown.
//!
//! The bot runs on servers in any time zone and its moderators live in others, so everything
//! recorded or shown is UTC, written out plainly ("2024-07-04 18:05 UTC"). The calendar
//! arithmetic is the proleptic Gregorian one (Howard Hinnant's `civil_from_days`), which is
//! all this needs: no time-zone database, no dependency.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

const DAY: i64 = 86_400;

/// Seconds since the Unix epoch (negative before it, which only a broken clock gives).
pub fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

/// Milliseconds since the Unix epoch (0 before it).
pub fn unix_millis(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |after| {
        i64::try_from(after.as_millis()).unwrap_or(i64::MAX)
    })
}

/// Now, in Unix seconds.
pub fn now() -> i64 {
    unix_seconds(SystemTime::now())
}

/// The start of the day `days` whole days before `now`'s day began, in Unix seconds: the lower
/// bound of "the last `days` days", today counting as the first.
pub fn days_back(now: i64, days: u32) -> i64 {
    let today = now.div_euclid(DAY) * DAY;
    today - (i64::from(days.max(1)) - 1) * DAY
}

/// Year, month (1-12) and day (1-31) of a day number counted from 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `2024-07-04`.
pub fn date(secs: i64) -> String {
    let (year, month, day) = civil_from_days(secs.div_euclid(DAY));
    format!("{year:04}-{month:02}-{day:02}")
}

/// `2024-07-04 18:05 UTC`.
pub fn date_time(secs: i64) -> String {
    let in_day = secs.rem_euclid(DAY);
    format!(
        "{} {:02}:{:02} UTC",
        date(secs),
        in_day / 3600,
        (in_day % 3600) / 60
    )
}

/// `2024-07-04 18:05 UTC (3 min ago)`.
pub fn date_time_ago(time: SystemTime, now: SystemTime) -> String {
    let ago = now.duration_since(time).unwrap_or(Duration::ZERO);
    format!("{} ({})", date_time(unix_seconds(time)), ago_text(ago))
}

/// "just now", "42 s ago", "3 min ago", "5 h ago", "2 days ago".
pub fn ago_text(ago: Duration) -> String {
    let secs = ago.as_secs();
    match secs {
        0..=4 => "just now".to_owned(),
        5..=119 => format!("{secs} s ago"),
        120..=7199 => format!("{} min ago", secs / 60),
        7200..=172_799 => format!("{} h ago", secs / 3600),
        _ => format!("{} days ago", secs / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_are_utc() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date_time(1_720_116_300), "2024-07-04 18:05 UTC");
        assert_eq!(date(951_782_400), "2000-02-29");
        assert_eq!(date(-1), "1969-12-31");
        assert_eq!(civil_from_days(19_908), (2024, 7, 4));
    }

    #[test]
    fn days_back_counts_today_as_the_first_day() {
        let noon = 1_720_094_400; // 2024-07-04 12:00 UTC
        assert_eq!(date(days_back(noon, 1)), "2024-07-04");
        assert_eq!(days_back(noon, 1) % DAY, 0);
        assert_eq!(date(days_back(noon, 7)), "2024-06-28");
        assert_eq!(days_back(noon, 0), days_back(noon, 1));
    }

    #[test]
    fn ago_reads_naturally() {
        assert_eq!(ago_text(Duration::from_secs(2)), "just now");
        assert_eq!(ago_text(Duration::from_secs(42)), "42 s ago");
        assert_eq!(ago_text(Duration::from_secs(600)), "10 min ago");
        assert_eq!(ago_text(Duration::from_secs(3 * 86_400)), "3 days ago");
        let t = UNIX_EPOCH + Duration::from_secs(1_720_116_300);
        assert_eq!(
            date_time_ago(t, t + Duration::from_secs(180)),
            "2024-07-04 18:05 UTC (3 min ago)"
        );
        assert_eq!(unix_seconds(t), 1_720_116_300);
    }
}
