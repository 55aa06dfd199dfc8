//! Judging one case: Ferry's outcome against Kafka's expected output.
//!
//! Outputs are compared with [`crate::compare`]. Errors are compared by outcome and kind, not
//! by Java's message text: an expected `ConfigException`, or any error at stage `configure` /
//! `configurePredicate`, must be a Ferry error raised while building the plugin; any other
//! expected exception (`DataException`, `SchemaBuilderException`, `NumberFormatException`,
//! `IllegalArgumentException`, …) must be a Ferry error that is not a config error, at the
//! same stage (`convert` when the case names none) and transform index. A skeleton's "not
//! implemented" error never agrees.

use std::fmt;

use connect_converters::json::JsonNode;

use crate::compare::compare;
use crate::out::{clip, node_text};
use crate::outcome::{Failure, FerryError, FerryErrorKind, Outcome, Produced, Stage};

/// How a case came out.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Ferry agrees with Kafka.
    Agree,
    /// Ferry differs; why.
    Disagree(String),
    /// The op (or the Ferry code it needs) is not implemented yet.
    NotImplemented(String),
    /// The case could not be run; why.
    Invalid(String),
}

impl Verdict {
    /// Whether this is an agreement.
    pub fn is_agree(&self) -> bool {
        matches!(self, Verdict::Agree)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Agree => f.write_str("agree"),
            Verdict::Disagree(r) => f.write_str(r),
            Verdict::NotImplemented(r) => write!(f, "not implemented: {r}"),
            Verdict::Invalid(r) => write!(f, "invalid case: {r}"),
        }
    }
}

/// An error Kafka raised, as a case records it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedError {
    /// The Java exception class (`org.apache.kafka.connect.errors.DataException`).
    pub class: String,
    /// The stage, if the case names one.
    pub stage: Option<Stage>,
    /// The transform index, if the case names one.
    pub transform_index: Option<i64>,
}

impl ExpectedError {
    /// The error an expected output records, if it is one.
    pub fn of(expected: &JsonNode) -> Option<ExpectedError> {
        let Some(JsonNode::String(text)) = expected.get("error") else {
            return None;
        };
        let class = text.split_once(": ").map_or(text.as_str(), |(c, _)| c);
        let stage = match expected.get("stage") {
            Some(JsonNode::String(s)) => Some(Stage::from_name(s)),
            _ => None,
        };
        let transform_index = match expected.get("transformIndex") {
            Some(JsonNode::Int(i)) => Some(*i),
            _ => None,
        };
        Some(ExpectedError {
            class: class.trim().to_string(),
            stage,
            transform_index,
        })
    }

    /// Whether Kafka failed while building a plugin.
    pub fn is_construction(&self) -> bool {
        self.stage.as_ref().is_some_and(Stage::is_construction)
            || self.class.ends_with(".ConfigException")
    }

    fn simple_class(&self) -> &str {
        self.class.rsplit('.').next().unwrap_or(&self.class)
    }
}

impl fmt::Display for ExpectedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.simple_class())?;
        if let Some(s) = &self.stage {
            write!(f, " at stage {s}")?;
        }
        if let Some(i) = self.transform_index {
            write!(f, " (transform {i})")?;
        }
        Ok(())
    }
}

/// Judges Ferry's outcome against the expected output.
pub fn judge(expected: &JsonNode, outcome: &Outcome) -> Verdict {
    let expected_error = ExpectedError::of(expected);
    match (expected_error, outcome) {
        (_, Err(Failure::Invalid(r))) => Verdict::Invalid(r.clone()),
        (_, Err(Failure::NotImplemented(r))) => Verdict::NotImplemented(r.clone()),
        (_, Err(Failure::Panic(m))) => Verdict::Disagree(format!("Ferry panicked: {m}")),
        (
            _,
            Err(Failure::Ferry {
                stage,
                error:
                    FerryError {
                        kind: FerryErrorKind::NotImplemented,
                        message,
                    },
                ..
            }),
        ) => Verdict::NotImplemented(format!("{message} (stage {stage})")),
        (Some(exp), Ok(p)) => Verdict::Disagree(format!(
            "expected {exp}, but Ferry succeeded: {}",
            clip(&p.out.to_string(), 300)
        )),
        (None, Err(f)) => Verdict::Disagree(format!(
            "expected {}, but {f}",
            clip(&node_text(expected), 300)
        )),
        (Some(exp), Err(f @ Failure::Ferry { .. })) => judge_error(&exp, f),
        (None, Ok(p)) => judge_output(expected, p),
    }
}

fn judge_error(exp: &ExpectedError, failure: &Failure) -> Verdict {
    let Failure::Ferry {
        stage,
        transform_index,
        error,
    } = failure
    else {
        return Verdict::Disagree(format!("expected {exp}, but {failure}"));
    };
    let stage_ok = if exp.is_construction() {
        match &exp.stage {
            Some(s) if s.is_construction() => s == stage,
            _ => stage.is_construction(),
        }
    } else {
        error.kind != FerryErrorKind::Config
            && *stage == exp.stage.clone().unwrap_or(Stage::Convert)
    };
    let index_ok = match (exp.transform_index, transform_index) {
        (Some(e), Some(a)) => usize::try_from(e).is_ok_and(|e| e == *a),
        _ => true,
    };
    if stage_ok && index_ok {
        Verdict::Agree
    } else {
        Verdict::Disagree(format!("expected {exp}, but {failure}"))
    }
}

fn judge_output(expected: &JsonNode, produced: &Produced) -> Verdict {
    let stripped;
    let mut expected = expected;
    if produced.null_sav_ok && expected.get("isNullSchemaAndValue") == Some(&JsonNode::Bool(true)) {
        if let JsonNode::Object(entries) = expected {
            stripped = JsonNode::Object(
                entries
                    .iter()
                    .filter(|(k, _)| k != "isNullSchemaAndValue")
                    .cloned()
                    .collect(),
            );
            expected = &stripped;
        }
    }
    match compare(expected, &produced.out) {
        Ok(()) => Verdict::Agree,
        Err(d) => Verdict::Disagree(format!("output differs {d}")),
    }
}

/// The rendered output of an outcome, for reports.
pub fn outcome_text(outcome: &Outcome) -> String {
    match outcome {
        Ok(p) => p.out.to_string(),
        Err(f) => f.to_string(),
    }
}

/// Whether an outcome is a Ferry data error (what a listed divergence must be).
pub fn is_data_error(outcome: &Outcome) -> bool {
    matches!(
        outcome,
        Err(Failure::Ferry {
            stage,
            error: FerryError {
                kind: FerryErrorKind::Data(_),
                ..
            },
            ..
        }) if !stage.is_construction()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::out::Out;
    use connect_api::error::DataErrorKind;

    fn node(text: &str) -> JsonNode {
        JsonNode::parse(text.as_bytes()).unwrap()
    }

    fn ferry(stage: Stage, kind: FerryErrorKind) -> Outcome {
        Err(Failure::Ferry {
            stage,
            transform_index: None,
            error: FerryError {
                kind,
                message: "m".into(),
            },
        })
    }

    const DATA: FerryErrorKind = FerryErrorKind::Data(DataErrorKind::Data);

    #[test]
    fn errors_compare_by_outcome_and_kind() {
        let convert = node(
            r#"{"error":"org.apache.kafka.connect.errors.DataException: x","stage":"convert"}"#,
        );
        assert_eq!(
            judge(&convert, &ferry(Stage::Convert, DATA)),
            Verdict::Agree
        );
        assert_eq!(
            judge(&convert, &ferry(Stage::Convert, FerryErrorKind::Other)),
            Verdict::Agree
        );
        assert!(!judge(&convert, &ferry(Stage::Convert, FerryErrorKind::Config)).is_agree());
        assert!(!judge(&convert, &ferry(Stage::Parse, DATA)).is_agree());
        assert!(!judge(&convert, &ferry(Stage::Configure, DATA)).is_agree());
        assert!(matches!(
            judge(
                &convert,
                &ferry(Stage::Convert, FerryErrorKind::NotImplemented)
            ),
            Verdict::NotImplemented(_)
        ));
        assert!(!judge(&convert, &Ok(Produced::new(Out::Null))).is_agree());

        // Values calls name no stage: the call itself.
        let nfe = node(r#"{"error":"java.lang.NumberFormatException: Character a is neither"}"#);
        assert_eq!(judge(&nfe, &ferry(Stage::Convert, DATA)), Verdict::Agree);

        let configure = node(
            r#"{"error":"org.apache.kafka.common.config.ConfigException: Invalid value","stage":"configure"}"#,
        );
        assert_eq!(
            judge(&configure, &ferry(Stage::Configure, FerryErrorKind::Config)),
            Verdict::Agree
        );
        assert_eq!(
            judge(&configure, &ferry(Stage::Configure, DATA)),
            Verdict::Agree
        );
        assert!(!judge(&configure, &ferry(Stage::Convert, FerryErrorKind::Config)).is_agree());
        assert!(!judge(&configure, &ferry(Stage::ConfigurePredicate, DATA)).is_agree());

        let indexed = node(
            r#"{"error":"java.lang.IllegalArgumentException: Unknown field: x","stage":"apply","transformIndex":1}"#,
        );
        let at = |i| {
            Err(Failure::Ferry {
                stage: Stage::Apply,
                transform_index: Some(i),
                error: FerryError {
                    kind: DATA,
                    message: String::new(),
                },
            })
        };
        assert_eq!(judge(&indexed, &at(1)), Verdict::Agree);
        assert!(!judge(&indexed, &at(0)).is_agree());
    }

    #[test]
    fn outputs_and_null_schema_and_value() {
        let expected = node(r#"{"schema":null,"payload":{"a":1}}"#);
        let out = Out::obj([
            ("schema", Out::Null),
            ("payload", Out::obj([("a", Out::Int(1))])),
        ]);
        assert_eq!(judge(&expected, &Ok(Produced::new(out))), Verdict::Agree);
        assert!(!judge(&expected, &ferry(Stage::Convert, DATA)).is_agree());

        let null_sav = node(r#"{"isNullSchemaAndValue":true,"schema":null,"payload":null}"#);
        let nulls = Out::obj([("schema", Out::Null), ("payload", Out::Null)]);
        let header = Produced {
            out: nulls.clone(),
            null_sav_ok: true,
        };
        assert_eq!(judge(&null_sav, &Ok(header)), Verdict::Agree);
        assert!(!judge(&null_sav, &Ok(Produced::new(nulls))).is_agree());
        let invalid = Err(Failure::Invalid("bad".into()));
        assert_eq!(judge(&null_sav, &invalid), Verdict::Invalid("bad".into()));
        let panic = Err(Failure::Panic("boom".into()));
        assert!(judge(&null_sav, &panic)
            .to_string()
            .contains("panicked: boom"));
    }

    #[test]
    fn listed_divergences_need_a_data_error() {
        assert!(is_data_error(&ferry(Stage::Convert, DATA)));
        assert!(!is_data_error(&ferry(Stage::Configure, DATA)));
        assert!(!is_data_error(&ferry(
            Stage::Convert,
            FerryErrorKind::Other
        )));
        assert!(!is_data_error(&Ok(Produced::new(Out::Null))));
    }
}
