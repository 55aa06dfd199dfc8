use super::*;

/// 2023-11-14T22:13:20.123Z, a Tuesday.
const T: i64 = 1_700_000_000_123;

fn fmt(pattern: &str, millis: i64) -> String {
    SimpleDateFormat::new(pattern).unwrap().format(millis)
}

fn parse(pattern: &str, text: &str) -> Result<i64, ParseError> {
    SimpleDateFormat::new(pattern).unwrap().parse(text)
}

#[test]
fn compile_errors_are_javas() {
    assert_eq!(
        SimpleDateFormat::new("invalid Q").unwrap_err(),
        "Illegal pattern character 'i'"
    );
    assert_eq!(
        SimpleDateFormat::new("yyyy-xx").unwrap_err(),
        "Illegal pattern character 'x'"
    );
    assert_eq!(
        SimpleDateFormat::new("yyyy 'at").unwrap_err(),
        "Unterminated quote"
    );
    assert_eq!(
        SimpleDateFormat::new("XXXX").unwrap_err(),
        "invalid ISO 8601 format: length=4"
    );
    // Quoted letters are literal; '' is a quote.
    assert!(SimpleDateFormat::new("'invalid' yyyy ''x''").is_err());
    assert_eq!(fmt("'invalid' yyyy ''", T), "invalid 2023 '");
    assert_eq!(fmt("'it''s' yyyy", T), "it's 2023");
    assert_eq!(SimpleDateFormat::new("yyyy").unwrap().to_pattern(), "yyyy");
}

#[test]
fn formats_like_java() {
    assert_eq!(fmt("yyyy-MM-dd HH:mm:ss.SSS", T), "2023-11-14 22:13:20.123");
    assert_eq!(
        fmt("EEE, d MMM yyyy HH:mm:ss Z", T),
        "Tue, 14 Nov 2023 22:13:20 +0000"
    );
    assert_eq!(fmt("D", T), "318");
    assert_eq!(fmt("yyyyMMdd", T), "20231114");
    assert_eq!(fmt("EEE", T), "Tue");
    assert_eq!(fmt("EEEE MMMM", T), "Tuesday November");
    assert_eq!(fmt("yy y yyy yyyyy", T), "23 2023 2023 02023");
    assert_eq!(fmt("G", T), "AD");
    assert_eq!(fmt("h:mm a K k", T), "10:13 PM 10 22");
    assert_eq!(fmt("k K h", 0), "24 0 12");
    assert_eq!(fmt("w W F u", T), "46 3 2 2");
    assert_eq!(
        fmt("z zzzz X XX XXX", T),
        "UTC Coordinated Universal Time Z Z Z"
    );
    assert_eq!(fmt("S SSSS", T), "123 0123");
    assert_eq!(fmt("L LLL", T), "11 Nov");
    assert_eq!(fmt("yyyyMMdd", -1), "19691231");
    assert_eq!(fmt("yyyyMMdd", 253_402_300_799_999), "99991231");
    assert_eq!(fmt("YYYY-ww", 1_703_980_800_000), "2024-01");
    assert_eq!(
        fmt("yyyy-MM-dd G", -62_135_769_600_000 - 86_400_000),
        "0001-12-31 BC"
    );
}

#[test]
fn parses_like_java() {
    assert_eq!(parse("yyyy-MM-dd", "2023-11-14"), Ok(1_699_920_000_000));
    assert_eq!(
        parse("yyyy-MM-dd HH:mm:ss.SSS", "2023-11-14 22:13:20.123"),
        Ok(T)
    );
    assert_eq!(parse("dd/MM/yyyy", "14/11/2023"), Ok(1_699_920_000_000));
    assert_eq!(parse("s", "1700000000"), Ok(1_700_000_000_000));
    // Lenient fields and trailing text.
    assert_eq!(parse("yyyy-MM-dd", "2023-13-45"), Ok(1_707_868_800_000));
    assert_eq!(
        parse("yyyy-MM-dd", "2023-11-14 extra"),
        Ok(1_699_920_000_000)
    );
    // Spaces before a field are skipped, not before a literal.
    assert_eq!(parse("yyyy-MM-dd", " 2023- 11-14"), Ok(1_699_920_000_000));
    assert!(parse("yyyy-MM-dd", "2023 -11-14").is_err());
    // Adjacent numeric fields obey their counts.
    assert_eq!(parse("yyyyMMdd", "20231114"), Ok(1_699_920_000_000));
    assert_eq!(
        parse("yyyyMMddHHmm", "202311142213"),
        Ok(1_700_000_000_000 - 20_000)
    );
    // Month and day names, any case.
    assert_eq!(
        parse(
            "EEE, d MMM yyyy HH:mm:ss Z",
            "Tue, 14 Nov 2023 22:13:20 +0000"
        ),
        Ok(1_700_000_000_000)
    );
    assert_eq!(
        parse("d MMMM yyyy", "14 NOVEMBER 2023"),
        Ok(1_699_920_000_000)
    );
    assert_eq!(
        parse("d MMM yyyy", "14 November 2023"),
        Ok(1_699_920_000_000)
    );
    // Negative numbers and exponents are numbers to DecimalFormat.
    assert_eq!(parse("s", "-1"), Ok(-1000));
    assert_eq!(parse("s", "1E3"), Ok(1_000_000));
    assert_eq!(parse("yyyy.MM.dd", "2023.11.14"), Ok(1_699_920_000_000));
}

#[test]
fn parses_zones_and_hours() {
    assert_eq!(
        parse("yyyy-MM-dd HH:mm Z", "2023-11-14 23:13 +0100"),
        Ok(1_700_000_000_000 - 20_000)
    );
    assert_eq!(
        parse("yyyy-MM-dd HH:mm z", "2023-11-14 23:13 GMT+01:00"),
        Ok(1_700_000_000_000 - 20_000)
    );
    assert_eq!(
        parse("yyyy-MM-dd HH:mm z", "2023-11-14 22:13 UTC"),
        Ok(1_700_000_000_000 - 20_000)
    );
    assert_eq!(
        parse("yyyy-MM-dd'T'HH:mmXXX", "2023-11-14T20:13-02:00"),
        Ok(1_700_000_000_000 - 20_000)
    );
    assert_eq!(
        parse("yyyy-MM-dd'T'HH:mmX", "2023-11-14T22:13Z"),
        Ok(1_700_000_000_000 - 20_000)
    );
    assert!(parse("yyyy-MM-dd HH:mm Z", "2023-11-14 23:13 +01").is_err());
    assert_eq!(
        parse("yyyy-MM-dd hh:mm a", "2023-11-14 10:13 pm"),
        Ok(1_700_000_000_000 - 20_000)
    );
    assert_eq!(
        parse("yyyy-MM-dd hh a", "2023-11-14 12 AM"),
        Ok(1_699_920_000_000)
    );
    assert_eq!(
        parse("yyyy-MM-dd kk", "2023-11-14 24"),
        Ok(1_699_920_000_000)
    );
    assert_eq!(parse("yyyy D", "2023 318"), Ok(1_699_920_000_000));
}

#[test]
fn two_digit_years_pivot_on_now() {
    let sdf = SimpleDateFormat::new("yy-MM-dd").unwrap();
    let pivot = sdf.century_start_year % 100;
    let year_of = |text: &str| calendar::broken_down(sdf.parse(text).unwrap()).year;
    // A year below the pivot is in the century after the pivot's, one above it before.
    let below = format!("{:02}-06-01", (pivot + 99) % 100);
    let expected = sdf.century_start_year / 100 * 100 + (pivot + 99) % 100;
    let expected = if (pivot + 99) % 100 < pivot {
        expected + 100
    } else {
        expected
    };
    assert_eq!(year_of(&below), expected);
    // Three digits or more are literal.
    assert_eq!(year_of("123-06-01"), 123);
    assert_eq!(calendar::broken_down(parse("yyyy", "23").unwrap()).year, 23);
}

#[test]
fn unparseable_dates() {
    let e = parse("yyyy-MM-dd", "not a date").unwrap_err();
    assert_eq!(e.to_string(), "Unparseable date: \"not a date\"");
    assert!(parse("yyyy-MM-dd", "2023-11").is_err());
    assert!(parse("yyyy-MM-dd", "").is_err());
    assert!(parse("EEE", "Xyz").is_err());
    assert!(parse("yyyy", "+2023").is_err());
}

#[test]
fn values_date_text() {
    let text = |ms: i64| {
        let mut s = String::new();
        push_values_date_text(&mut s, ms);
        s
    };
    assert_eq!(text(0), "00:00:00.000Z");
    assert_eq!(text(-1), "23:59:59.999Z");
    assert_eq!(text(3_723_004), "01:02:03.004Z");
    assert_eq!(text(86_400_000), "1970-01-02");
    assert_eq!(text(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
}
