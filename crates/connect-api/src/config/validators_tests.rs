//! Tests of `validators.rs`: every validator and its Kafka message.

use super::*;
use crate::config::Password;

fn check(v: &dyn Validator, value: Option<ParsedValue>) -> Result<(), String> {
    v.ensure_valid("x", value.as_ref())
        .map_err(|e| e.to_string())
}

fn s(v: &str) -> Option<ParsedValue> {
    Some(ParsedValue::from(v))
}

#[test]
fn range_at_least() {
    let r = Range::at_least(1);
    assert_eq!(check(&r, Some(ParsedValue::Int(1))), Ok(()));
    assert_eq!(check(&r, Some(ParsedValue::Int(i32::MAX))), Ok(()));
    assert_eq!(
        check(&r, Some(ParsedValue::Int(0))),
        Err("Invalid value 0 for configuration x: Value must be at least 1".into())
    );
    assert_eq!(
        check(&r, Some(ParsedValue::Long(-5))),
        Err("Invalid value -5 for configuration x: Value must be at least 1".into())
    );
    assert_eq!(
        check(&r, None),
        Err("Invalid value null for configuration x: Value must be non-null".into())
    );
    assert_eq!(r.describe(), "[1,...]");
}

#[test]
fn range_between() {
    let r = Range::between(1, 10);
    assert_eq!(check(&r, Some(ParsedValue::Short(10))), Ok(()));
    assert_eq!(check(&r, Some(ParsedValue::Double(1.0))), Ok(()));
    assert_eq!(
        check(&r, Some(ParsedValue::Int(11))),
        Err("Invalid value 11 for configuration x: Value must be no more than 10".into())
    );
    assert_eq!(
        check(&r, Some(ParsedValue::Double(0.5))),
        Err("Invalid value 0.5 for configuration x: Value must be at least 1".into())
    );
    assert_eq!(r.describe(), "[1,...,10]");
    let d = Range::between(0.0, 1.5);
    assert_eq!(
        check(&d, Some(ParsedValue::Double(2.0))),
        Err("Invalid value 2.0 for configuration x: Value must be no more than 1.5".into())
    );
    assert_eq!(
        check(&d, Some(ParsedValue::Int(-1))),
        Err("Invalid value -1 for configuration x: Value must be at least 0.0".into())
    );
    assert_eq!(d.describe(), "[0.0,...,1.5]");
    let m = Range::at_most(5i64);
    assert_eq!(check(&m, Some(ParsedValue::Long(i64::MIN))), Ok(()));
    assert_eq!(m.describe(), "[...,5]");
    assert_eq!(Range::at_least(-1i16).describe(), "[-1,...]");
    assert_eq!(
        check(&r, s("5")),
        Err("Invalid value 5 for configuration x: Value must be a number, not a STRING".into())
    );
}

#[test]
fn valid_string() {
    let v = ValidString::one_of(["a", "b"]);
    assert_eq!(check(&v, s("a")), Ok(()));
    assert_eq!(
        check(&v, s("A")),
        Err("Invalid value A for configuration x: String must be one of: a, b".into())
    );
    assert_eq!(
        check(&v, s("")),
        Err("Invalid value  for configuration x: String must be one of: a, b".into())
    );
    assert_eq!(
        check(&v, None),
        Err("Invalid value null for configuration x: String must be one of: a, b".into())
    );
    assert_eq!(v.describe(), "[a, b]");
    assert_eq!(v.valid_values(), ["a".to_string(), "b".to_string()]);
    // golden case from Kafka's TimestampConverter: declaration order is kept
    let t = ValidString::one_of(["string", "unix", "Date", "Time", "Timestamp"]);
    assert_eq!(
        check(&t, s("timestamp")),
        Err("Invalid value timestamp for configuration x: String must be one of: string, unix, Date, Time, Timestamp".into())
    );
    assert_eq!(
        check(&v, Some(ParsedValue::Int(1))),
        Err("Invalid value 1 for configuration x: Value must be a string, not a INT".into())
    );
}

#[test]
fn case_insensitive_valid_string_lists_like_a_java_hash_set() {
    let v = CaseInsensitiveValidString::one_of(["BASE64", "NUMERIC"]);
    assert_eq!(check(&v, s("numeric")), Ok(()));
    assert_eq!(check(&v, s("Base64")), Ok(()));
    // golden case from Kafka's JsonConverter: a HashSet puts NUMERIC first
    assert_eq!(
        check(&v, s("bogus")),
        Err("Invalid value bogus for configuration x: String must be one of (case insensitive): NUMERIC, BASE64".into())
    );
    assert_eq!(
        check(&v, None),
        Err("Invalid value null for configuration x: String must be one of (case insensitive): NUMERIC, BASE64".into())
    );
    assert_eq!(v.describe(), "(case insensitive) [NUMERIC, BASE64]");
    let w = CaseInsensitiveValidString::one_of(["v1", "V2"]);
    assert_eq!(
        check(&w, s("V3")),
        Err("Invalid value V3 for configuration x: String must be one of (case insensitive): V1, V2".into())
    );
    assert_eq!(w.valid_values(), ["V1".to_string(), "V2".to_string()]);
}

#[test]
fn java_hash_set_order_matches_java() {
    assert_eq!(java_string_hash(""), 0);
    assert_eq!(java_string_hash("BASE64"), 1952093519);
    assert_eq!(java_string_hash("NUMERIC"), -1282431251);
    let order = |items: &[&str]| java_hash_set_order(items.iter().map(|s| s.to_string()).collect());
    assert_eq!(order(&["BASE64", "NUMERIC"]), ["NUMERIC", "BASE64"]);
    assert_eq!(order(&["A", "A", "B"]), ["A", "B"]);
    // "Aa" and "BB" collide: insertion order within the bucket
    assert_eq!(order(&["BB", "Aa"]), ["BB", "Aa"]);
    assert_eq!(order(&["Aa", "BB"]), ["Aa", "BB"]);
    // 'q' (113) and 'a' (97) share bucket 1 of 16 buckets: insertion order decides
    assert_eq!(order(&["q", "a"]), ["q", "a"]);
    assert_eq!(order(&["b", "q"]), ["q", "b"]);
    // 12 items keep 16 buckets ...
    let mut twelve = vec!["q".to_string()];
    twelve.extend(('a'..='k').map(String::from));
    assert_eq!(java_hash_set_order(twelve.clone()), twelve);
    // ... the 13th resizes the table to 32 buckets, where 'q' (113 & 31 = 17) comes last
    let mut thirteen = twelve;
    thirteen.push("l".to_string());
    let mut expected: Vec<String> = ('a'..='l').map(String::from).collect();
    expected.push("q".to_string());
    assert_eq!(java_hash_set_order(thirteen), expected);
}

#[test]
fn valid_list() {
    let v = ValidList::one_of(["a", "b"]);
    assert_eq!(
        check(&v, Some(ParsedValue::from(vec!["a", "b", "a"]))),
        Ok(())
    );
    assert_eq!(check(&v, Some(ParsedValue::List(vec![]))), Ok(()));
    assert_eq!(check(&v, None), Ok(()));
    assert_eq!(
        check(&v, Some(ParsedValue::from(vec!["a", "c", "d"]))),
        Err("Invalid value c for configuration x: String must be one of: a, b".into())
    );
    assert_eq!(v.describe(), "[a, b]");
    assert!(check(&v, s("a")).is_err());
}

#[test]
fn non_empty_string() {
    let v = NonEmptyString;
    assert_eq!(check(&v, s("a")), Ok(()));
    assert_eq!(check(&v, s(" ")), Ok(()));
    assert_eq!(check(&v, None), Ok(()));
    assert_eq!(
        check(&v, s("")),
        Err("Invalid value  for configuration x: String must be non-empty".into())
    );
    assert_eq!(
        check(&v, Some(ParsedValue::Password(Password::new("")))),
        Err("Invalid value [hidden] for configuration x: String must be non-empty".into())
    );
    assert_eq!(v.describe(), "non-empty string");
    assert!(check(&v, Some(ParsedValue::Int(1))).is_err());
}

#[test]
fn non_empty_string_without_control_chars() {
    let v = NonEmptyStringWithoutControlChars;
    assert_eq!(check(&v, s("my-connector é 😀")), Ok(()));
    assert_eq!(check(&v, None), Ok(()));
    assert_eq!(
        check(&v, s("")),
        Err("Invalid value  for configuration x: String may not be empty".into())
    );
    assert_eq!(
        check(&v, s("a\nb\rc\u{7f}\u{85}")),
        Err("Invalid value a\nb\rc\u{7f}\u{85} for configuration x: String may not contain control sequences but had the following ASCII chars: 10, 13, 127, 133".into())
    );
    assert_eq!(
        v.describe(),
        "non-empty string without ISO control characters"
    );
}

#[test]
fn non_null() {
    let v = NonNullValidator;
    assert_eq!(check(&v, s("")), Ok(()));
    assert_eq!(check(&v, Some(ParsedValue::Int(0))), Ok(()));
    assert_eq!(
        check(&v, None),
        Err("Invalid value null for configuration x: entry must be non null".into())
    );
    assert_eq!(v.describe(), "non-null string");
}

#[test]
fn list_size() {
    let v = ListSize::at_most(2);
    assert_eq!(check(&v, Some(ParsedValue::from(vec!["a", "b"]))), Ok(()));
    assert_eq!(check(&v, None), Ok(()));
    assert_eq!(
        check(&v, Some(ParsedValue::from(vec!["a", "b", "c"]))),
        Err(
            "Invalid value [a, b, c] for configuration x: exceeds maximum list size of [2].".into()
        )
    );
    assert_eq!(v.describe(), "List containing maximum of 2 elements");
    assert!(check(&v, s("a")).is_err());
}

#[test]
fn composite_reports_the_first_failure() {
    let v = CompositeValidator::new()
        .and(NonEmptyString)
        .and(ValidString::one_of(["a"]));
    assert_eq!(check(&v, s("a")), Ok(()));
    assert_eq!(
        check(&v, s("")),
        Err("Invalid value  for configuration x: String must be non-empty".into())
    );
    assert_eq!(
        check(&v, s("b")),
        Err("Invalid value b for configuration x: String must be one of: a".into())
    );
    assert_eq!(v.describe(), "non-empty string, [a]");
    assert_eq!(
        format!("{v:?}"),
        "CompositeValidator(non-empty string, [a])"
    );
    assert_eq!(check(&CompositeValidator::new(), None), Ok(()));
}

#[test]
fn lambda() {
    let v = LambdaValidator::new(
        |name, value| match value {
            Some(ParsedValue::String(s)) if s.contains(':') => Ok(()),
            Some(other) => Err(ConfigIssue::invalid_value(
                name,
                other.to_string(),
                "Invalid rename mapping",
            )),
            None => Ok(()),
        },
        "a:b pairs",
    );
    assert_eq!(check(&v, s("a:b")), Ok(()));
    assert_eq!(
        check(&v, s("ab")),
        Err("Invalid value ab for configuration x: Invalid rename mapping".into())
    );
    assert_eq!(v.describe(), "a:b pairs");
    assert_eq!(format!("{v:?}"), "LambdaValidator(a:b pairs)");
    let boxed: Arc<dyn Validator> = Arc::new(v.clone());
    assert_eq!(format!("{boxed:?}"), "Validator(a:b pairs)");
}

#[test]
fn validators_never_show_passwords() {
    let secret = Some(ParsedValue::Password(Password::new("s3cret")));
    let v = ValidString::one_of(["a"]);
    let message = check(&v, secret.clone()).unwrap_err();
    assert_eq!(
        message,
        "Invalid value [hidden] for configuration x: String must be one of: a"
    );
    let c = CaseInsensitiveValidString::one_of(["a"]);
    assert!(!check(&c, secret.clone()).unwrap_err().contains("s3cret"));
    let n = NonEmptyStringWithoutControlChars;
    let with_control = Some(ParsedValue::Password(Password::new("s3\ncret")));
    assert!(!check(&n, with_control).unwrap_err().contains("s3"));
    assert!(!check(&Range::at_least(1), secret)
        .unwrap_err()
        .contains("s3cret"));
}

#[test]
fn default_describe_is_empty() {
    struct Anything;
    impl Validator for Anything {
        fn ensure_valid(&self, _: &str, _: Option<&ParsedValue>) -> Result<(), ConfigIssue> {
            Ok(())
        }
    }
    assert_eq!(Anything.describe(), "");
}
