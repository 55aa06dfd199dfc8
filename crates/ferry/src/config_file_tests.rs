use std::path::Path;

use super::*;

fn props(text: &[u8]) -> BTreeMap<String, String> {
    parse_properties(text, Path::new("t.properties")).unwrap()
}

fn get<'a>(m: &'a BTreeMap<String, String>, k: &str) -> Option<&'a str> {
    m.get(k).map(String::as_str)
}

#[test]
fn properties_follow_java_syntax() {
    let m = props(
        b"# comment\n! bang comment\n  a = 1\nb:2\nc 3\nd\\:e=4\nlong = one, \\\n    two\n\
uni=\\u00e9t\\u00e9\nempty=\nkeyonly\ntab\\tkey=x\\ny\n",
    );
    assert_eq!(get(&m, "a"), Some("1"));
    assert_eq!(get(&m, "b"), Some("2"));
    assert_eq!(get(&m, "c"), Some("3"));
    assert_eq!(get(&m, "d:e"), Some("4"));
    assert_eq!(get(&m, "long"), Some("one, two"));
    assert_eq!(get(&m, "uni"), Some("été"));
    assert_eq!(get(&m, "empty"), Some(""));
    assert_eq!(get(&m, "keyonly"), Some(""));
    assert_eq!(get(&m, "tab\tkey"), Some("x\ny"));
    assert!(!m.keys().any(|k| k.contains("comment")));
}

#[test]
fn properties_are_latin1_and_later_keys_win() {
    // 0xE9 is é in ISO-8859-1; 0x80 is U+0080 (not windows-1252's euro sign)
    let m = props(b"x=caf\xe9\x80\nx2=1\nx2=2\r\ny=a\\\r\n  b\r\n");
    assert_eq!(get(&m, "x"), Some("caf\u{e9}\u{80}"));
    assert_eq!(get(&m, "x2"), Some("2"));
    assert_eq!(get(&m, "y"), Some("ab"));
}

fn file(content: &str, ext: &str) -> tempfile::NamedTempFile {
    let f = tempfile::Builder::new().suffix(ext).tempfile().unwrap();
    std::fs::write(f.path(), content).unwrap();
    f
}

#[test]
fn connector_file_in_three_forms() {
    let flat = file(
        r#"{"name":"a","connector.class":"FileStreamSink","tasks.max":1,"x":true,"n":null}"#,
        ".json",
    );
    let c = load_connector(flat.path()).unwrap();
    assert_eq!(c.name, "a");
    assert_eq!(get(&c.config, "tasks.max"), Some("1"));
    assert_eq!(get(&c.config, "x"), Some("true"));
    assert!(!c.config.contains_key("n"));
    assert_eq!(c.initial_state, None);

    let request = file(
        r#"{"name":"b","config":{"connector.class":"FileStreamSink"},"initial_state":"paused","extra":[1]}"#,
        ".json",
    );
    let c = load_connector(request.path()).unwrap();
    assert_eq!(c.name, "b");
    assert_eq!(get(&c.config, "name"), Some("b"));
    assert_eq!(c.initial_state, Some(TargetState::Paused));

    let properties = file("name=c\nconnector.class=FileStreamSource\n", ".properties");
    let c = load_connector(properties.path()).unwrap();
    assert_eq!(c.name, "c");
    assert_eq!(get(&c.config, "connector.class"), Some("FileStreamSource"));
}

#[test]
fn bad_connector_files_name_the_file_and_the_problem() {
    let cases = [
        (r#"{"connector.class":"X"}"#, "missing the mandatory 'name'"),
        ("connector.class=X\n", "missing the mandatory 'name'"),
        (
            r#"{"name":"a","config":{"name":"b"}}"#,
            "doesn't match the one specified in 'name'",
        ),
        (
            r#"{"name":"a","config":{},"initial_state":"GONE"}"#,
            "\"GONE\"",
        ),
        (
            r#"{"name":"a","config":{"k":{"x":1}}}"#,
            "every value in 'config'",
        ),
        (r#"{"config":{}}"#, "'name' is missing"),
    ];
    for (content, expected) in cases {
        let f = file(content, ".cfg");
        let err = load_connector(f.path()).unwrap_err().to_string();
        assert!(err.contains(expected), "{content}: {err}");
        assert!(
            err.contains(&f.path().display().to_string()),
            "{content}: {err}"
        );
    }
    // a flat map of strings is a config, whatever its keys are called (as in Kafka)
    let flat = file(r#"{"name":"a","initial_state":"GONE"}"#, ".json");
    let c = load_connector(flat.path()).unwrap();
    assert_eq!(get(&c.config, "initial_state"), Some("GONE"));
    assert_eq!(c.initial_state, None);

    let err = load_connector(Path::new("/nonexistent/x.properties"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("/nonexistent/x.properties"), "{err}");
}
