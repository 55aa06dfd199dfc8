//! The `en_US` date format symbols `SimpleDateFormat` formats and parses with (eras, month and
//! day names, AM/PM, zone names), and the parsing of names and zone offsets.

use super::calendar::{field, Fields};

pub(super) const ERAS: [&str; 2] = ["BC", "AD"];
pub(super) const MONTHS: [&str; 12] = [
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
pub(super) const SHORT_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
pub(super) const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
pub(super) const SHORT_WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
pub(super) const AM_PM: [&str; 2] = ["AM", "PM"];
/// Zone names whose offset is zero, as the JDK's zone strings spell them (the format's own
/// zone, UTC, is matched first).
pub(super) const UTC_ZONE_NAMES: [&str; 4] = [
    "Coordinated Universal Time",
    "UTC",
    "Greenwich Mean Time",
    "GMT",
];

/// Other zone names the JDK resolves, with the UTC offset in minutes it gives them for
/// present-day dates (a daylight name includes its daylight saving).
pub(super) const ZONE_NAMES: [(&str, i64); 63] = [
    ("EST", -300),
    ("EDT", -240),
    ("CST", -360),
    ("CDT", -300),
    ("MST", -420),
    ("MDT", -360),
    ("PST", -480),
    ("PDT", -420),
    ("AKST", -540),
    ("AKDT", -480),
    ("HST", -600),
    ("AST", -240),
    ("ADT", -180),
    ("NST", -210),
    ("NDT", -150),
    ("CET", 60),
    ("CEST", 120),
    ("EET", 120),
    ("EEST", 180),
    ("WET", 0),
    ("WEST", 60),
    ("BST", 60),
    ("MSK", 180),
    ("IST", 120),
    ("JST", 540),
    ("KST", 540),
    ("HKT", 480),
    ("SGT", 480),
    ("AWST", 480),
    ("AEST", 600),
    ("AEDT", 660),
    ("NZST", 720),
    ("NZDT", 780),
    ("SAST", 120),
    ("WAT", 60),
    ("CAT", 120),
    ("EAT", 180),
    ("PKT", 300),
    ("ICT", 420),
    ("WIB", 420),
    ("MET", 60),
    ("MEST", 120),
    ("ChST", 600),
    ("SST", -660),
    ("ART", -180),
    ("BRT", -180),
    ("Eastern Standard Time", -300),
    ("Eastern Daylight Time", -240),
    ("Central Standard Time", -360),
    ("Central Daylight Time", -300),
    ("Mountain Standard Time", -420),
    ("Mountain Daylight Time", -360),
    ("Pacific Standard Time", -480),
    ("Pacific Daylight Time", -420),
    ("Atlantic Standard Time", -240),
    ("Hawaii-Aleutian Standard Time", -600),
    ("Central European Standard Time", 60),
    ("Central European Summer Time", 120),
    ("Central European Time", 60),
    ("British Summer Time", 60),
    ("Moscow Standard Time", 180),
    ("Japan Standard Time", 540),
    ("India Standard Time", 330),
];

/// Java `String.regionMatches(true, …)` of one name at `start`.
pub(super) fn matches_ignore_case(text: &[char], start: usize, name: &str) -> bool {
    for (i, n) in (start..).zip(name.chars()) {
        let Some(&t) = text.get(i) else {
            return false;
        };
        let same = t == n
            || t.to_uppercase().eq(n.to_uppercase())
            || t.to_lowercase().eq(n.to_lowercase());
        if !same {
            return false;
        }
    }
    true
}

/// Java `SimpleDateFormat.matchString`: the longest of `names` at `start` (ignoring case) sets
/// `index` to its position plus `offset`.
pub(super) fn match_names(
    text: &[char],
    start: usize,
    names: &[&str],
    offset: i64,
    index: usize,
    fields: &mut Fields,
) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, name) in names.iter().enumerate() {
        let len = name.chars().count();
        if len > best.map_or(0, |b| b.1) && matches_ignore_case(text, start, name) {
            best = Some((i, len));
        }
    }
    let (i, len) = best?;
    fields.set(index, i as i64 + offset);
    Some(start + len)
}

/// The `z` and `Z` cases of `subParse`: `+hhmm`, `GMT[+-]h[h]:mm`, `GMT`, or a UTC zone name.
pub(super) fn parse_zone(
    text: &[char],
    start: usize,
    pos: usize,
    fields: &mut Fields,
) -> Option<usize> {
    let c = *text.get(pos)?;
    match c {
        '+' => numeric_zone(text, pos + 1, 1, 0, false, fields),
        '-' => numeric_zone(text, pos + 1, -1, 0, false, fields),
        'G' | 'g' if text.len() >= start + 3 && matches_ignore_case(text, start, "GMT") => {
            let after = start + 3;
            let sign = match text.get(after) {
                Some('+') => 1,
                Some('-') => -1,
                _ => {
                    fields.set(field::ZONE_OFFSET, 0);
                    fields.set(field::DST_OFFSET, 0);
                    return Some(after);
                }
            };
            numeric_zone(text, after + 1, sign, 0, true, fields)
        }
        _ => {
            // The UTC zone names: the offset stays that of the format's zone (UTC).
            if let Some(name) = UTC_ZONE_NAMES
                .iter()
                .find(|name| matches_ignore_case(text, pos, name))
            {
                return Some(pos + name.chars().count());
            }
            let (name, minutes) = ZONE_NAMES
                .iter()
                .filter(|(name, _)| matches_ignore_case(text, pos, name))
                .max_by_key(|(name, _)| name.len())?;
            fields.set(field::ZONE_OFFSET, minutes * 60_000);
            fields.set(field::DST_OFFSET, 0);
            Some(pos + name.chars().count())
        }
    }
}

/// Java `subParseNumericZone`: `hh[[:]mm]` after a sign; `count` is the `X` count (0 for `z`
/// and `Z`), `colon` whether minutes follow a colon.
pub(super) fn numeric_zone(
    text: &[char],
    start: usize,
    sign: i64,
    count: usize,
    colon: bool,
    fields: &mut Fields,
) -> Option<usize> {
    let digit = |i: usize| text.get(i).and_then(|c| c.to_digit(10)).map(i64::from);
    let mut i = start;
    let mut hours = digit(i)?;
    i += 1;
    match digit(i) {
        Some(d) => {
            hours = hours * 10 + d;
            i += 1;
        }
        None => {
            if count > 0 || !colon {
                return None;
            }
            text.get(i)?;
        }
    }
    if hours > 23 {
        return None;
    }
    let mut minutes = 0;
    if count != 1 {
        if colon {
            if text.get(i) != Some(&':') {
                return None;
            }
            i += 1;
        }
        let m1 = digit(i)?;
        let m2 = digit(i + 1)?;
        i += 2;
        minutes = m1 * 10 + m2;
        if minutes > 59 {
            return None;
        }
    }
    fields.set(field::ZONE_OFFSET, (hours * 60 + minutes) * 60_000 * sign);
    fields.set(field::DST_OFFSET, 0);
    Some(i)
}
