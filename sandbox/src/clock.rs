//! Time helpers: the sandbox clock (wall clock + an adjustable offset) and date formatting
//! without a date crate.

use std::time::{SystemTime, UNIX_EPOCH};

/// Real Unix time in seconds.
pub fn real_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `(year, month 1..=12, day, hour, minute, second)` of a Unix time (UTC).
pub fn civil(ts: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = ts.div_euclid(86_400);
    let secs = ts.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = if m <= 2 { y + 1 } else { y };
    (
        y,
        m,
        d,
        (secs / 3600) as u32,
        (secs % 3600 / 60) as u32,
        (secs % 60) as u32,
    )
}

/// `2017-02-10T01:09:52Z`.
pub fn iso8601(ts: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(ts);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// Unix time of a civil UTC date-time (the inverse of [`civil`]).
pub fn from_civil(y: i64, m: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
    // Howard Hinnant's days-from-civil algorithm.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(s)
}

/// Parses an ISO 8601 / RFC 3339 UTC-or-offset date-time: `YYYY-MM-DDTHH:MM:SS` then optional
/// fractional seconds (dropped), then `Z` or `±HH:MM` (`±HHMM`). `None` for anything else,
/// including out-of-range fields.
pub fn parse_iso8601(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = text.get(r)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &text[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &frac[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hm = rest[1..].replace(':', "");
            if hm.len() != 4 || !hm.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let (oh, om): (i64, i64) = (hm[..2].parse().ok()?, hm[2..].parse().ok()?);
            if oh > 23 || om > 59 {
                return None;
            }
            sign * (oh * 3600 + om * 60)
        }
    };
    let days_in_month = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return None,
    };
    if d == 0 || d > days_in_month || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    Some(from_civil(i64::from(y), mo, d, h, mi, s) - offset)
}

/// `2017-11-25 23:21:39 UTC` (phone info message).
pub fn utc_text(ts: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(ts);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} UTC")
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` (the HTTP `Date` header, RFC 9110 IMF-fixdate).
pub fn http_date(ts: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    let (y, mo, d, h, mi, s) = civil(ts);
    let weekday = DAYS[ts.div_euclid(86_400).rem_euclid(7) as usize];
    let month = &month_name(mo)[..3];
    format!("{weekday}, {d:02} {month} {y:04} {h:02}:{mi:02}:{s:02} GMT")
}

/// English month name for 1..=12.
pub fn month_name(m: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[(m.clamp(1, 12) - 1) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_486_688_992), "2017-02-10T01:09:52Z");
        assert_eq!(utc_text(1_511_652_099), "2017-11-25 23:21:39 UTC");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(month_name(civil(1_420_070_400).1), "January");
        for ts in [
            0,
            951_782_400,
            1_486_688_992,
            1_893_554_045,
            -86_401,
            4_102_444_800,
        ] {
            assert_eq!(parse_iso8601(&iso8601(ts)), Some(ts), "{ts}");
        }
        assert_eq!(
            parse_iso8601("2030-01-02T03:04:05.123+01:30"),
            parse_iso8601("2030-01-02T01:34:05Z")
        );
        assert_eq!(
            parse_iso8601("2030-01-02T03:04:05-0100"),
            parse_iso8601("2030-01-02T04:04:05Z")
        );
        for bad in [
            "",
            "2030-01-02",
            "2030-01-02T03:04:05",
            "2030-02-30T03:04:05Z",
            "2031-02-29T00:00:00Z",
            "2030-01-02T24:00:00Z",
            "2030-01-02 03:04:05Z",
            "2030-01-02T03:04:05.Z",
            "2030-01-02T03:04:05+1:00",
            "2030-13-02T03:04:05Z",
            "2030-01-02T03:04:05Zjunk",
            "+030-01-02T03:04:05Z",
            "２030-01-02T03:04:05Z",
        ] {
            assert_eq!(parse_iso8601(bad), None, "{bad}");
        }
        assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        for ts in [0, 951_782_400, 1_486_688_992, 4_102_444_800] {
            assert_eq!(parse_iso8601(&iso8601(ts)), Some(ts));
        }
        for bad in [
            "2017-02-31T00:00:00Z",
            "2017-02-10 01:09:52Z",
            "2017-2-10T01:09:52Z",
            "",
        ] {
            assert_eq!(parse_iso8601(bad), None, "{bad}");
        }
    }
}
