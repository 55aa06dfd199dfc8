//! Loading the cases: every `*.jsonl` of a folder, one case per line (format:
//! `shared/golden/connect/README.md`). Lines are parsed with Ferry's own [`JsonNode`] parser so
//! number text (`1.50`, `1e400`) stays exact. A line that is not a well-formed case is kept,
//! with the reason, to be reported as a disagreement.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use connect_converters::json::JsonNode;

use crate::outcome::Failure;

/// One line of a case file.
#[derive(Debug, Clone)]
pub struct Case {
    /// The file name (`values.jsonl`).
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// The case id, or `file:line` when the line has none.
    pub id: String,
    /// The area: the id before its last `-`, or the file stem.
    pub area: String,
    /// The case input and expected output, or why the line is not a case.
    pub body: Result<CaseBody, String>,
}

/// The parts of a well-formed case line.
#[derive(Debug, Clone)]
pub struct CaseBody {
    /// `case`: the input (an object with `op`).
    pub input: JsonNode,
    /// `expected`: what Kafka produced.
    pub expected: JsonNode,
}

impl Case {
    /// Where the case is, for reports.
    pub fn location(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

/// The area of a case id: the part before the last `-`.
pub fn area_of(id: &str) -> Option<&str> {
    id.rsplit_once('-')
        .map(|(a, _)| a)
        .filter(|a| !a.is_empty())
}

/// Loads every `*.jsonl` file of `dir` (sorted by name).
pub fn load_dir(dir: &Path) -> anyhow::Result<Vec<Case>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "jsonl") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    let mut cases = Vec::new();
    for path in files {
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = path
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        cases.extend(parse_file(&file, &stem, &bytes));
    }
    Ok(cases)
}

/// Parses the lines of one case file (blank lines are skipped).
pub fn parse_file(file: &str, stem: &str, bytes: &[u8]) -> Vec<Case> {
    bytes
        .split(|b| *b == b'\n')
        .enumerate()
        .filter(|(_, line)| !line.iter().all(u8::is_ascii_whitespace))
        .map(|(i, line)| parse_line(file, stem, i + 1, line))
        .collect()
}

fn parse_line(file: &str, stem: &str, line: usize, bytes: &[u8]) -> Case {
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    let mut case = Case {
        file: file.to_string(),
        line,
        id: format!("{file}:{line}"),
        area: stem.to_string(),
        body: Err(String::new()),
    };
    let node = match JsonNode::parse(bytes) {
        Ok(node) => node,
        Err(e) => {
            case.body = Err(format!("line is not JSON: {e}"));
            return case;
        }
    };
    match node.get("id") {
        Some(JsonNode::String(id)) if !id.is_empty() => {
            case.id = id.clone();
            if let Some(area) = area_of(id) {
                case.area = area.to_string();
            }
        }
        _ => {
            case.body = Err("the line has no string \"id\"".to_string());
            return case;
        }
    }
    case.body = match (node.get("case"), node.get("expected")) {
        (Some(input @ JsonNode::Object(_)), Some(expected)) => match input.get("op") {
            Some(JsonNode::String(_)) => Ok(CaseBody {
                input: input.clone(),
                expected: expected.clone(),
            }),
            _ => Err("\"case\" has no string \"op\"".to_string()),
        },
        (Some(_), Some(_)) => Err("\"case\" is not an object".to_string()),
        (None, _) => Err("the line has no \"case\"".to_string()),
        (_, None) => Err("the line has no \"expected\"".to_string()),
    };
    case
}

/// A required member of a case input.
pub fn field<'a>(input: &'a JsonNode, name: &str) -> Result<&'a JsonNode, Failure> {
    input
        .get(name)
        .ok_or_else(|| Failure::invalid(format!("the case has no \"{name}\"")))
}

/// A string member, `default` when absent.
pub fn str_or<'a>(input: &'a JsonNode, name: &str, default: &'a str) -> Result<&'a str, Failure> {
    match input.get(name) {
        None => Ok(default),
        Some(JsonNode::String(s)) => Ok(s),
        Some(other) => Err(Failure::invalid(format!(
            "\"{name}\" must be a string, got {other}"
        ))),
    }
}

/// A required string member.
pub fn str_field<'a>(input: &'a JsonNode, name: &str) -> Result<&'a str, Failure> {
    match field(input, name)? {
        JsonNode::String(s) => Ok(s),
        other => Err(Failure::invalid(format!(
            "\"{name}\" must be a string, got {other}"
        ))),
    }
}

/// A boolean member, `default` when absent or null.
pub fn bool_or(input: &JsonNode, name: &str, default: bool) -> Result<bool, Failure> {
    match input.get(name) {
        None | Some(JsonNode::Null) => Ok(default),
        Some(JsonNode::Bool(b)) => Ok(*b),
        Some(other) => Err(Failure::invalid(format!(
            "\"{name}\" must be a boolean, got {other}"
        ))),
    }
}

/// A config object (string values, as in a Connect worker); empty when absent or null.
pub fn config_of(node: Option<&JsonNode>) -> Result<BTreeMap<String, String>, Failure> {
    match node {
        None | Some(JsonNode::Null) => Ok(BTreeMap::new()),
        Some(JsonNode::Object(entries)) => entries
            .iter()
            .map(|(k, v)| match v {
                JsonNode::String(s) => Ok((k.clone(), s.clone())),
                other => Err(Failure::invalid(format!(
                    "config value of \"{k}\" must be a string, got {other}"
                ))),
            })
            .collect(),
        Some(other) => Err(Failure::invalid(format!(
            "config must be an object, got {other}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_and_malformed_lines() {
        let text = b"{\"id\":\"values-1\",\"case\":{\"op\":\"x\"},\"expected\":1.50}\n\n\
            not json\n{\"id\":\"a-b-c\",\"case\":{},\"expected\":null}\r\n{\"case\":{\"op\":\"x\"}}\n";
        let cases = parse_file("f.jsonl", "f", text);
        assert_eq!(cases.len(), 4);
        assert_eq!(cases[0].area, "values");
        assert_eq!(
            cases[0].body.as_ref().map(|b| b.expected.clone()).ok(),
            Some(JsonNode::Float("1.50".into()))
        );
        assert_eq!((cases[1].id.as_str(), cases[1].line), ("f.jsonl:3", 3));
        assert_eq!(cases[1].area, "f");
        assert!(cases[1].body.is_err());
        assert_eq!(cases[2].area, "a-b");
        assert!(cases[2].body.as_ref().is_err_and(|e| e.contains("op")));
        assert!(cases[3].body.as_ref().is_err_and(|e| e.contains("id")));
    }
}
