//! Ids, secrets and dates, shared by the modules of the store.

use std::time::{SystemTime, UNIX_EPOCH};

use rand::RngCore as _;

/// An id in the style of Authing's: 24 lower-case hex digits, like a MongoDB ObjectId.
pub(crate) fn new_id() -> String {
    random_hex(12)
}

/// `n` random bytes as lower-case hex.
pub(crate) fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The current time as ISO-8601 UTC with milliseconds, the way Authing prints dates (`2024-05-09T07:29:33.186Z`).
pub(crate) fn now_iso() -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = now.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (proleptic Gregorian calendar).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        now.subsec_millis()
    )
}

/// Whether `s` is an ISO-8601 date (`2024-05-09`) or date-time (`2024-05-09T07:29:33.186Z`, with `T` or
/// a space, optional seconds and fraction, optional `Z` or `±HH:MM` / `±HHMM` / `±HH` offset).
pub(crate) fn is_iso_datetime(s: &str) -> bool {
    fn num(s: &str, range: std::ops::RangeInclusive<u32>) -> Option<u32> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok().filter(|n| range.contains(n))
    }
    fn valid_date(d: &str) -> Option<()> {
        let (y, rest) = d.split_once('-')?;
        let (m, day) = rest.split_once('-')?;
        if y.len() != 4 || m.len() != 2 || day.len() != 2 {
            return None;
        }
        let y = num(y, 0..=9999)?;
        let m = num(m, 1..=12)?;
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
        let days = match m {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        num(day, 1..=days).map(|_| ())
    }
    fn valid_offset(z: &str) -> Option<()> {
        if z.is_empty() || z.eq_ignore_ascii_case("z") {
            return Some(());
        }
        let body = z.strip_prefix('+').or_else(|| z.strip_prefix('-'))?;
        let (h, m) = match (body.len(), body.split_once(':')) {
            (5, Some((h, m))) => (h, m),
            (4, None) => body.split_at(2),
            (2, None) => (body, "00"),
            _ => return None,
        };
        (h.len() == 2 && m.len() == 2).then_some(())?;
        num(h, 0..=23)?;
        num(m, 0..=59).map(|_| ())
    }
    fn valid_time(t: &str) -> Option<()> {
        let zone_at = t.find(['Z', 'z', '+', '-']).unwrap_or(t.len());
        let (clock, zone) = t.split_at(zone_at);
        valid_offset(zone)?;
        let (hms, frac) = match clock.split_once('.') {
            Some((hms, frac)) => (hms, Some(frac)),
            None => (clock, None),
        };
        if let Some(frac) = frac {
            num(&frac[..frac.len().min(9)], 0..=999_999_999)?;
            (frac.len() <= 9).then_some(())?;
        }
        let parts: Vec<&str> = hms.split(':').collect();
        if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.len() != 2) {
            return None;
        }
        num(parts[0], 0..=23)?;
        num(parts[1], 0..=59)?;
        if frac.is_some() && parts.len() != 3 {
            return None;
        }
        match parts.get(2) {
            Some(sec) => num(sec, 0..=60).map(|_| ()),
            None => Some(()),
        }
    }
    let s = s.trim();
    let (date, time) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    valid_date(date).is_some() && time.is_none_or(|t| valid_time(t).is_some())
}

/// Unix seconds as ISO-8601 UTC with milliseconds (`2024-05-09T07:29:33.000Z`).
pub(crate) fn iso_from_unix(secs: u64) -> String {
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.000Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_look_right() {
        let s = now_iso();
        assert_eq!(s.len(), 24, "{s}");
        assert!(s.ends_with('Z') && s.as_bytes()[10] == b'T', "{s}");
        assert!(s.starts_with("20"), "{s}");
    }

    #[test]
    fn unix_seconds_as_iso() {
        assert_eq!(iso_from_unix(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_from_unix(1_715_239_773), "2024-05-09T07:29:33.000Z");
    }

    #[test]
    fn ids_are_24_hex() {
        let id = new_id();
        assert_eq!(id.len(), 24);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[test]
    fn iso_datetimes() {
        for ok in [
            "2024-05-09",
            "2024-05-09T07:29:33Z",
            "2024-05-09T07:29:33.186Z",
            "2024-05-09T07:29:33.186123",
            "2024-02-29 07:29",
            "2024-05-09T07:29:33+08:00",
            "2024-05-09T07:29:33-0530",
            &now_iso(),
        ] {
            assert!(is_iso_datetime(ok), "{ok}");
        }
        for bad in [
            "1715239773186",
            "",
            "2024-13-01",
            "2023-02-29",
            "2024-05-09T25:00",
            "2024-05-09T07:29:33.Z",
            "2024-05-09T07:29:33+8",
            "yesterday",
        ] {
            assert!(!is_iso_datetime(bad), "{bad}");
        }
    }
}
