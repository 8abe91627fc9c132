//! The clock: the one place that reads the system time (waivers and date rules are judged
//! against today's date, `report --timestamp` stamps the time). Everything else takes the date
//! or time as an argument, so tests pass a fixed one.

use kientruc_dsl::syntax::Date;

/// Seconds since 1970-01-01T00:00:00Z now (0 on a clock set before it).
pub fn now_unix_seconds() -> i64 {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    i64::try_from(seconds).unwrap_or(0)
}

/// Today's date in Vietnam (UTC+7): between 00:00 and 07:00 there, UTC is still on the day
/// before. `kientruc check` passes the time itself so that `utc-offset` in `kientruc.toml` can
/// choose another zone.
pub fn today() -> Date {
    kientruc_checker::local_date(
        now_unix_seconds(),
        kientruc_checker::VIETNAM_UTC_OFFSET_MINUTES,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn today_is_after_the_tool_was_written() {
        assert!(super::today() >= kientruc_dsl::syntax::Date::parse("2025-01-01").unwrap());
    }
}
