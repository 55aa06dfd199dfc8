//! Tests of `parse.rs`: Java's parsing rules for every type.

use super::*;

fn ok(raw: &str, ty: ConfigType) -> ParsedValue {
    match parse_value("k", raw, ty) {
        Ok(v) => v,
        Err(e) => panic!("{raw:?} as {ty}: {e}"),
    }
}

fn err(raw: &str, ty: ConfigType) -> String {
    match parse_value("k", raw, ty) {
        Ok(v) => panic!("{raw:?} as {ty} parsed as {v:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn java_trim_strips_ascii_controls_and_spaces_only() {
    assert_eq!(java_trim("  a b \t\n\r"), "a b");
    assert_eq!(java_trim("\u{0}\u{1f}x\u{7}"), "x");
    assert_eq!(java_trim("\u{a0}x\u{2003}"), "\u{a0}x\u{2003}");
    assert_eq!(java_trim(""), "");
    assert_eq!(java_trim("   "), "");
}

#[test]
fn booleans() {
    for (raw, want) in [
        ("true", true),
        ("TRUE", true),
        ("True", true),
        (" tRuE ", true),
        ("false", false),
        ("FALSE", false),
        ("\tfalse\n", false),
        // Java's equalsIgnoreCase: U+017F (long s) upper-cases to 'S'
        ("fal\u{17f}e", false),
    ] {
        assert_eq!(
            ok(raw, ConfigType::Boolean),
            ParsedValue::Boolean(want),
            "{raw:?}"
        );
    }
    for raw in ["yes", "1", "0", "", "t", "truee", "tru e", "\u{a0}true"] {
        assert_eq!(
            err(raw, ConfigType::Boolean),
            format!("Invalid value {raw} for configuration k: Expected value to be either true or false")
        );
    }
}

#[test]
fn ints() {
    for (raw, want) in [
        ("5", 5),
        (" 5 ", 5),
        ("+5", 5),
        ("-5", -5),
        ("007", 7),
        ("-0", 0),
        ("2147483647", i32::MAX),
        ("-2147483648", i32::MIN),
        ("00000000000000000000000012", 12),
        // Java's Character.digit accepts every Unicode decimal digit of the BMP
        ("\u{661}\u{662}", 12),
        ("\u{ff11}\u{ff10}", 10),
        ("\u{966}\u{96f}", 9),
    ] {
        assert_eq!(ok(raw, ConfigType::Int), ParsedValue::Int(want), "{raw:?}");
    }
    for raw in [
        "",
        " ",
        "abc",
        "0x10",
        "0X10",
        "1.0",
        "1e3",
        "2147483648",
        "-2147483649",
        "+",
        "-",
        "+-1",
        "--1",
        "1_000",
        "1 000",
        "１a",
        "5L",
        "\u{a0}5",
        "\u{1d7ce}",
        "99999999999999999999999999999",
    ] {
        assert_eq!(
            err(raw, ConfigType::Int),
            format!("Invalid value {raw} for configuration k: Not a number of type INT")
        );
    }
}

#[test]
fn error_messages_show_the_raw_untrimmed_value() {
    assert_eq!(
        err(" abc ", ConfigType::Int),
        "Invalid value  abc  for configuration k: Not a number of type INT"
    );
    assert_eq!(
        err("", ConfigType::Long),
        "Invalid value  for configuration k: Not a number of type LONG"
    );
}

#[test]
fn shorts() {
    assert_eq!(ok("32767", ConfigType::Short), ParsedValue::Short(i16::MAX));
    assert_eq!(
        ok("-32768", ConfigType::Short),
        ParsedValue::Short(i16::MIN)
    );
    assert_eq!(ok(" 12 ", ConfigType::Short), ParsedValue::Short(12));
    for raw in ["32768", "-32769", "70000", "x", "0x1", "1.5"] {
        assert_eq!(
            err(raw, ConfigType::Short),
            format!("Invalid value {raw} for configuration k: Not a number of type SHORT")
        );
    }
}

#[test]
fn longs() {
    assert_eq!(
        ok("9223372036854775807", ConfigType::Long),
        ParsedValue::Long(i64::MAX)
    );
    assert_eq!(
        ok("-9223372036854775808", ConfigType::Long),
        ParsedValue::Long(i64::MIN)
    );
    assert_eq!(ok(" -1 ", ConfigType::Long), ParsedValue::Long(-1));
    assert_eq!(ok("60000", ConfigType::Long), ParsedValue::Long(60000));
    for raw in [
        "9223372036854775808",
        "-9223372036854775809",
        "18446744073709551616",
        "1L",
        "1e3",
    ] {
        assert_eq!(
            err(raw, ConfigType::Long),
            format!("Invalid value {raw} for configuration k: Not a number of type LONG")
        );
    }
}

fn double(raw: &str) -> f64 {
    match ok(raw, ConfigType::Double) {
        ParsedValue::Double(v) => v,
        other => panic!("{other:?}"),
    }
}

#[test]
fn doubles() {
    for (raw, want) in [
        ("1", 1.0),
        (" 1.5 ", 1.5),
        ("+1.5", 1.5),
        ("-1.5", -1.5),
        (".5", 0.5),
        ("5.", 5.0),
        ("1e3", 1000.0),
        ("1E+3", 1000.0),
        ("1.e3", 1000.0),
        ("2.5e-3", 0.0025),
        ("1.5f", 1.5),
        ("1.5F", 1.5),
        ("2d", 2.0),
        ("2D", 2.0),
        ("0.1", 0.1),
        ("00.25", 0.25),
        ("1e400", f64::INFINITY),
        ("-1e400", f64::NEG_INFINITY),
        ("1e-400", 0.0),
        ("1e99999999999999999999999", f64::INFINITY),
        ("Infinity", f64::INFINITY),
        ("+Infinity", f64::INFINITY),
        ("-Infinity", f64::NEG_INFINITY),
        ("1.7976931348623157E308", f64::MAX),
        ("4.9E-324", f64::from_bits(1)),
        ("0x1p0", 1.0),
        ("0x1.8p1", 3.0),
        ("0X10P-4", 1.0),
        ("0x.8p1", 1.0),
        ("0x1p-1074", f64::from_bits(1)),
        ("0x1p-1075", 0.0),
        ("0x1.8p-1075", f64::from_bits(1)),
        ("0x1.fffffffffffffp1023", f64::MAX),
        ("0x1p1024", f64::INFINITY),
        ("0x1.00000000000008p0", 1.0),
        ("0x1.000000000000080000001p0", 1.0 + f64::EPSILON),
        ("0x1.00000000000018p0", 1.0 + 2.0 * f64::EPSILON),
        ("0x0p0", 0.0),
        ("-0x1p1d", -2.0),
        ("0x1p1f", 2.0),
    ] {
        assert_eq!(double(raw), want, "{raw:?}");
    }
    assert!(double("NaN").is_nan());
    assert!(double("-NaN").is_nan());
    assert!(double("-0").is_sign_negative());
    for raw in [
        "",
        "abc",
        "1,5",
        "1.5.5",
        "e3",
        ".",
        "1e",
        "1e+",
        "1.5ff",
        "inf",
        "infinity",
        "nan",
        "INFINITY",
        "NaNf",
        "Infinityf",
        "0x",
        "0x1",
        "0x1.8",
        "0xp1",
        "0x1p",
        "1_0",
        "--1",
        "+-1",
        "1 0",
        "\u{661}",
        "0x1g",
        "1e3.5",
    ] {
        assert_eq!(
            err(raw, ConfigType::Double),
            format!("Invalid value {raw} for configuration k: Not a number of type DOUBLE")
        );
    }
}

#[test]
fn strings_and_passwords_are_trimmed() {
    assert_eq!(
        ok("  hello world \n", ConfigType::String),
        ParsedValue::from("hello world")
    );
    assert_eq!(ok("", ConfigType::String), ParsedValue::from(""));
    assert_eq!(
        ok(" s3cret ", ConfigType::Password),
        ParsedValue::Password(Password::new("s3cret"))
    );
}

fn list(raw: &str) -> Vec<String> {
    match ok(raw, ConfigType::List) {
        ParsedValue::List(v) => v,
        other => panic!("{other:?}"),
    }
}

#[test]
fn lists() {
    assert_eq!(list(""), Vec::<String>::new());
    assert_eq!(list("   "), Vec::<String>::new());
    assert_eq!(list("a"), ["a"]);
    assert_eq!(list("a,b,c"), ["a", "b", "c"]);
    assert_eq!(list(" a , b\t,\nc "), ["a", "b", "c"]);
    assert_eq!(list("a,,b"), ["a", "", "b"]);
    assert_eq!(list("a,b,"), ["a", "b", ""]);
    assert_eq!(list(","), ["", ""]);
    assert_eq!(list("a b,c"), ["a b", "c"]);
    // only Java's \s is stripped around commas
    assert_eq!(list("a\u{a0},b"), ["a\u{a0}", "b"]);
}

#[test]
fn classes() {
    assert_eq!(
        ok(
            " org.apache.kafka.connect.json.JsonConverter ",
            ConfigType::Class
        ),
        ParsedValue::Class("org.apache.kafka.connect.json.JsonConverter".into())
    );
    assert_eq!(
        ok("a.B$C", ConfigType::Class),
        ParsedValue::Class("a.B$C".into())
    );
    assert_eq!(
        err("", ConfigType::Class),
        "Invalid value  for configuration k: Class  could not be found."
    );
    assert_eq!(
        err("  ", ConfigType::Class),
        "Invalid value    for configuration k: Class    could not be found."
    );
    assert_eq!(
        err("a b", ConfigType::Class),
        "Invalid value a b for configuration k: Class a b could not be found."
    );
}

#[test]
fn defaults_are_coerced_like_java() {
    let c = |v: ParsedValue, ty| coerce_default("k", v, ty);
    assert_eq!(
        c(ParsedValue::from("5"), ConfigType::Int),
        Ok(ParsedValue::Int(5))
    );
    assert_eq!(
        c(ParsedValue::from("a, b"), ConfigType::List),
        Ok(ParsedValue::from(vec!["a", "b"]))
    );
    assert_eq!(
        c(ParsedValue::from(" x "), ConfigType::String),
        Ok(ParsedValue::from("x"))
    );
    assert_eq!(
        c(ParsedValue::from("C"), ConfigType::Class),
        Ok(ParsedValue::Class("C".into()))
    );
    assert_eq!(
        c(ParsedValue::from("pw"), ConfigType::Password),
        Ok(ParsedValue::Password(Password::new("pw")))
    );
    assert_eq!(
        c(ParsedValue::Int(5), ConfigType::Long),
        Ok(ParsedValue::Long(5))
    );
    assert_eq!(
        c(ParsedValue::Int(5), ConfigType::Short),
        Ok(ParsedValue::Short(5))
    );
    assert_eq!(
        c(ParsedValue::Int(5), ConfigType::Double),
        Ok(ParsedValue::Double(5.0))
    );
    assert_eq!(
        c(ParsedValue::Long(5), ConfigType::Int),
        Ok(ParsedValue::Int(5))
    );
    assert_eq!(
        c(ParsedValue::Short(5), ConfigType::Long),
        Ok(ParsedValue::Long(5))
    );
    assert_eq!(
        c(ParsedValue::Double(0.5), ConfigType::Double),
        Ok(ParsedValue::Double(0.5))
    );
    assert_eq!(
        c(ParsedValue::Boolean(true), ConfigType::Boolean),
        Ok(ParsedValue::Boolean(true))
    );
    assert_eq!(
        c(ParsedValue::Int(70000), ConfigType::Short).map_err(|e| e.to_string()),
        Err("Invalid value 70000 for configuration k: Not a number of type SHORT".to_string())
    );
    assert_eq!(
        c(ParsedValue::from("x"), ConfigType::Int).map_err(|e| e.to_string()),
        Err("Invalid value x for configuration k: Not a number of type INT".to_string())
    );
    let mismatch = |v: ParsedValue, ty| c(v, ty).map_err(|e| e.to_string()).unwrap_err();
    assert_eq!(
        mismatch(ParsedValue::Boolean(true), ConfigType::Int),
        "Invalid value true for configuration k: Expected value to be a 32-bit integer, but it was a java.lang.Boolean"
    );
    assert_eq!(
        mismatch(ParsedValue::Double(1.5), ConfigType::Long),
        "Invalid value 1.5 for configuration k: Expected value to be a 64-bit integer (long), but it was a java.lang.Double"
    );
    assert_eq!(
        mismatch(ParsedValue::Int(1), ConfigType::Boolean),
        "Invalid value 1 for configuration k: Expected value to be either true or false"
    );
    assert_eq!(
        mismatch(ParsedValue::Int(1), ConfigType::String),
        "Invalid value 1 for configuration k: Expected value to be a string, but it was a java.lang.Integer"
    );
    assert_eq!(
        mismatch(ParsedValue::Int(1), ConfigType::List),
        "Invalid value 1 for configuration k: Expected a comma separated list."
    );
    assert_eq!(
        mismatch(ParsedValue::Int(1), ConfigType::Class),
        "Invalid value 1 for configuration k: Expected a Class instance or class name."
    );
    assert_eq!(
        mismatch(ParsedValue::Boolean(false), ConfigType::Short),
        "Invalid value false for configuration k: Expected value to be a 16-bit integer (short), but it was a java.lang.Boolean"
    );
    assert_eq!(
        mismatch(ParsedValue::Boolean(false), ConfigType::Double),
        "Invalid value false for configuration k: Expected value to be a double, but it was a java.lang.Boolean"
    );
    // a typed password default of the wrong type never shows the secret
    assert_eq!(
        mismatch(ParsedValue::Password(Password::new("pw")), ConfigType::Int),
        "Invalid value [hidden] for configuration k: Expected value to be a 32-bit integer, but it was a org.apache.kafka.common.config.types.Password"
    );
}
