//! Comparison of an expected JSON value (from a case) with what Ferry produced, as the cases'
//! README asks: maps and `[key, value]` pair lists without regard to order, struct fields and
//! arrays in order, floats numerically (a `float` after parsing the expected text as `f32`),
//! everything else exactly.

use std::fmt;

use connect_api::Decimal;
use connect_converters::json::JsonNode;
use num_bigint::BigInt;

use crate::out::{clip, node_text, Out};

/// The first difference found, with where it is (`$.payload.a[1]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    /// JSONPath-like location.
    pub path: String,
    /// What differs there.
    pub what: String,
}

impl fmt::Display for Diff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at {}: {}", self.path, self.what)
    }
}

/// Compares `expected` with `actual`; `Ok` when they agree.
pub fn compare(expected: &JsonNode, actual: &Out) -> Result<(), Diff> {
    let mut path = String::from("$");
    cmp(expected, actual, &mut path)
}

/// Whether `expected` and `actual` agree.
pub fn agrees(expected: &JsonNode, actual: &Out) -> bool {
    compare(expected, actual).is_ok()
}

fn differ(path: &str, expected: &JsonNode, actual: &Out) -> Diff {
    Diff {
        path: path.to_string(),
        what: format!(
            "expected {}, got {}",
            clip(&node_text(expected), 200),
            clip(&actual.to_string(), 200)
        ),
    }
}

fn with_path<T>(
    path: &mut String,
    segment: fmt::Arguments<'_>,
    f: impl FnOnce(&mut String) -> T,
) -> T {
    let len = path.len();
    let _ = fmt::Write::write_fmt(path, segment);
    let r = f(path);
    path.truncate(len);
    r
}

fn cmp(expected: &JsonNode, actual: &Out, path: &mut String) -> Result<(), Diff> {
    let same = match (expected, actual) {
        (JsonNode::Null, Out::Null) => true,
        (JsonNode::Bool(a), Out::Bool(b)) => a == b,
        (JsonNode::String(a), Out::Str(b)) => a == b,
        (e, Out::Int(v)) => integer_text(e).is_some_and(|t| same_integer(&t, &v.to_string())),
        (e, Out::BigInt(v)) => integer_text(e).is_some_and(|t| same_integer(&t, v)),
        (e, Out::F32(v)) => number_text(e)
            .and_then(|t| t.parse::<f32>().ok())
            .is_some_and(|x| x.to_bits() == v.to_bits()),
        (e, Out::F64(v)) => number_text(e)
            .and_then(|t| t.parse::<f64>().ok())
            .is_some_and(|x| x.to_bits() == v.to_bits()),
        (e, Out::Num(v)) => number_text(e).is_some_and(|t| same_number(&t, v)),
        (JsonNode::Array(items), Out::Arr(outs)) => {
            if items.len() != outs.len() {
                return Err(Diff {
                    path: path.clone(),
                    what: format!(
                        "expected {} elements, got {} (expected {}, got {})",
                        items.len(),
                        outs.len(),
                        clip(&node_text(expected), 200),
                        clip(&actual.to_string(), 200)
                    ),
                });
            }
            for (i, (e, a)) in items.iter().zip(outs).enumerate() {
                with_path(path, format_args!("[{i}]"), |p| cmp(e, a, p))?;
            }
            true
        }
        (JsonNode::Array(items), Out::Pairs(pairs)) => return cmp_pairs(items, pairs, path),
        (JsonNode::Object(exp), Out::Obj { entries, ordered }) => {
            return cmp_objects(exp, entries, *ordered, path)
        }
        _ => false,
    };
    if same {
        Ok(())
    } else {
        Err(differ(path, expected, actual))
    }
}

fn cmp_objects(
    expected: &[(String, JsonNode)],
    actual: &[(String, Out)],
    ordered: bool,
    path: &mut String,
) -> Result<(), Diff> {
    let keys = |it: &mut dyn Iterator<Item = &String>| {
        it.map(|k| k.as_str()).collect::<Vec<_>>().join(",")
    };
    for (k, _) in actual {
        if !expected.iter().any(|(e, _)| e == k) {
            return Err(Diff {
                path: path.clone(),
                what: format!("unexpected member \"{k}\""),
            });
        }
    }
    for (i, (k, e)) in expected.iter().enumerate() {
        let Some(pos) = actual.iter().position(|(a, _)| a == k) else {
            return Err(Diff {
                path: path.clone(),
                what: format!("missing member \"{k}\""),
            });
        };
        if ordered && pos != i {
            return Err(Diff {
                path: path.clone(),
                what: format!(
                    "field order differs: expected {}, got {}",
                    keys(&mut expected.iter().map(|(k, _)| k)),
                    keys(&mut actual.iter().map(|(k, _)| k))
                ),
            });
        }
        with_path(path, format_args!(".{k}"), |p| cmp(e, &actual[pos].1, p))?;
    }
    Ok(())
}

/// Pair lists match as multisets: each actual pair takes one distinct equal expected pair.
fn cmp_pairs(expected: &[JsonNode], actual: &[(Out, Out)], path: &mut String) -> Result<(), Diff> {
    let mut exp = Vec::with_capacity(expected.len());
    for (i, e) in expected.iter().enumerate() {
        match e {
            JsonNode::Array(kv) if kv.len() == 2 => exp.push((&kv[0], &kv[1])),
            _ => {
                return Err(Diff {
                    path: format!("{path}[{i}]"),
                    what: format!(
                        "expected entry {} is not a [key, value] pair",
                        clip(&node_text(e), 200)
                    ),
                })
            }
        }
    }
    if exp.len() != actual.len() {
        return Err(Diff {
            path: path.clone(),
            what: format!("expected {} map entries, got {}", exp.len(), actual.len()),
        });
    }
    let mut used = vec![false; exp.len()];
    for (k, v) in actual {
        let hit = exp
            .iter()
            .enumerate()
            .position(|(i, (ek, ev))| !used[i] && compare(ek, k).is_ok() && compare(ev, v).is_ok());
        match hit {
            Some(i) => used[i] = true,
            None => {
                return Err(Diff {
                    path: path.clone(),
                    what: format!("entry [{k},{v}] is not expected (map entries, any order)"),
                })
            }
        }
    }
    Ok(())
}

fn integer_text(node: &JsonNode) -> Option<String> {
    match node {
        JsonNode::Int(v) => Some(v.to_string()),
        JsonNode::BigInt(t) => Some(t.clone()),
        _ => None,
    }
}

fn number_text(node: &JsonNode) -> Option<String> {
    match node {
        JsonNode::Int(v) => Some(v.to_string()),
        JsonNode::BigInt(t) | JsonNode::Float(t) => Some(t.clone()),
        _ => None,
    }
}

fn same_integer(a: &str, b: &str) -> bool {
    match (a.parse::<BigInt>(), b.parse::<BigInt>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Equal decimal values, whatever the notation (`1.50` = `1.5` = `15E-1`).
fn same_number(a: &str, b: &str) -> bool {
    if let (Ok(x), Ok(y)) = (Decimal::parse(a), Decimal::parse(b)) {
        let scale = x.scale().max(y.scale());
        let spread = |d: &Decimal| (i64::from(scale) - i64::from(d.scale())).abs();
        // Rescaling by a huge power of ten would be slow; such values compare as doubles.
        if spread(&x) <= 4096 && spread(&y) <= 4096 {
            return x.with_scale_exact(scale) == y.with_scale_exact(scale);
        }
    }
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(text: &str) -> JsonNode {
        JsonNode::parse(text.as_bytes()).unwrap()
    }

    fn map(entries: &[(&str, Out)]) -> Out {
        Out::obj(entries.iter().cloned())
    }

    #[test]
    fn maps_compare_without_order_structs_with_order() {
        let expected = node(r#"{"a":1,"b":"x"}"#);
        let unordered = map(&[("b", Out::str("x")), ("a", Out::Int(1))]);
        assert_eq!(compare(&expected, &unordered), Ok(()));
        let Out::Obj { entries, .. } = unordered else {
            unreachable!()
        };
        let ordered = Out::Obj {
            entries,
            ordered: true,
        };
        let err = compare(&expected, &ordered).unwrap_err();
        assert!(err.what.contains("field order"), "{err}");
        let missing = map(&[("a", Out::Int(1))]);
        assert!(compare(&expected, &missing)
            .unwrap_err()
            .what
            .contains("missing member \"b\""));
        let extra = map(&[("a", Out::Int(1)), ("b", Out::str("x")), ("c", Out::Null)]);
        assert!(compare(&expected, &extra)
            .unwrap_err()
            .what
            .contains("unexpected member \"c\""));
    }

    #[test]
    fn pair_lists_compare_as_multisets() {
        let expected = node(r#"[[1,"a"],[2,"b"],[1,"a"]]"#);
        let pairs = |v: &[(i64, &str)]| {
            Out::Pairs(
                v.iter()
                    .map(|(k, s)| (Out::Int(*k), Out::str(*s)))
                    .collect(),
            )
        };
        assert!(agrees(&expected, &pairs(&[(2, "b"), (1, "a"), (1, "a")])));
        assert!(!agrees(&expected, &pairs(&[(2, "b"), (2, "b"), (1, "a")])));
        assert!(!agrees(&expected, &pairs(&[(2, "b"), (1, "a")])));
        // An array is ordered.
        let arr = Out::Arr(vec![Out::Int(2), Out::Int(1)]);
        assert!(!agrees(&node("[1,2]"), &arr));
    }

    #[test]
    fn floats_compare_numerically_by_their_width() {
        assert!(agrees(&node("1e+40"), &Out::F64(1.0e40)));
        assert!(agrees(&node("1.0E40"), &Out::F64(1.0e40)));
        assert!(agrees(&node("2.0"), &Out::F64(2.0)));
        // Float.toString(2^53) = 9.0071993E15, re-serialized as a double.
        assert!(agrees(
            &node("9007199300000000.0"),
            &Out::F32(9_007_199_254_740_992.0)
        ));
        assert!(agrees(&node("0.10000000149011612"), &Out::F32(0.1)));
        assert!(agrees(&node("0.1"), &Out::F32(0.1)));
        assert!(!agrees(&node("0.1"), &Out::F64(f64::from(0.1f32))));
        // Java Double.equals: the sign of zero matters.
        assert!(!agrees(&node("0.0"), &Out::F64(-0.0)));
        assert!(agrees(&node("-0.0"), &Out::F64(-0.0)));
        assert!(agrees(&node(r#""NaN""#), &Out::f64(f64::NAN)));
        assert!(agrees(
            &node(r#""-Infinity""#),
            &Out::f32(f32::NEG_INFINITY)
        ));
        // A Long is not a Double.
        assert!(!agrees(&node("1.0"), &Out::Int(1)));
    }

    #[test]
    fn integers_and_number_text() {
        assert!(agrees(&node("-9223372036854775808"), &Out::Int(i64::MIN)));
        assert!(agrees(
            &node("123456789012345678901234567890"),
            &Out::BigInt("123456789012345678901234567890".into())
        ));
        assert!(!agrees(&node("1"), &Out::Int(2)));
        // Numbers in JSON Ferry wrote (schema defaults) compare by decimal value.
        assert!(agrees(&node("1.5"), &Out::Num("1.50".into())));
        assert!(agrees(&node("1200"), &Out::Num("1.2E+3".into())));
        assert!(agrees(&node("1e400"), &Out::Num("10E+399".into())));
        assert!(!agrees(&node("1.5"), &Out::Num("1.51".into())));
        assert!(!agrees(&node("\"1.5\""), &Out::Num("1.5".into())));
    }

    #[test]
    fn diff_names_the_path() {
        let expected = node(r#"{"payload":{"a":[1,{"b":true}]}}"#);
        let actual = map(&[(
            "payload",
            map(&[(
                "a",
                Out::Arr(vec![Out::Int(1), map(&[("b", Out::Bool(false))])]),
            )]),
        )]);
        let d = compare(&expected, &actual).unwrap_err();
        assert_eq!(d.path, "$.payload.a[1].b");
        assert_eq!(d.what, "expected true, got false");
    }
}
