//! End-to-end tests of `ferry transform`, including the README example.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::{ferry, root};

fn write(dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

/// The README's example: its command line and the lines it shows, stdout and stderr
/// (`line N: …`) apart.
fn readme_example() -> (Vec<String>, String, String) {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let begin = readme.find("<!-- transform-example:begin -->").unwrap();
    let end = readme.find("<!-- transform-example:end -->").unwrap();
    let block = &readme[begin..end];
    let mut lines = block
        .lines()
        .skip_while(|l| !l.starts_with("$ "))
        .take_while(|l| !l.starts_with("```"));
    let command = lines.next().unwrap().trim_start_matches("$ ");
    let args: Vec<String> = command
        .split_whitespace()
        .skip(1) // "ferry"
        .map(str::to_string)
        .collect();
    let (mut out, mut err) = (String::new(), String::new());
    for l in lines {
        let target = if l.starts_with("line ") {
            &mut err
        } else {
            &mut out
        };
        target.push_str(l);
        target.push('\n');
    }
    (args, out, err)
}

#[test]
fn readme_example_prints_what_the_readme_shows() {
    let (args, out, err) = readme_example();
    assert_eq!(args[0], "transform");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = ferry(&args, "");
    assert_eq!(run.out, out);
    assert_eq!(run.err, err);
    assert_eq!(run.code, 1, "one record fails in the example");
}

const SOURCE: &str = r#"{"name":"gen","config":{"connector.class":"FileStreamSource","topic":"lines",
"file":"/tmp/in.txt","transforms":"route,hoist,onlyNew","transforms.route.type":"RegexRouter",
"transforms.route.regex":"(.*)","transforms.route.replacement":"$1-v2",
"transforms.hoist.type":"HoistField$Value","transforms.hoist.field":"line",
"transforms.onlyNew.type":"Filter","transforms.onlyNew.predicate":"old",
"predicates":"old","predicates.old.type":"HasHeaderKey","predicates.old.name":"old",
"value.converter":"JsonConverter","value.converter.schemas.enable":"false"}}"#;

#[test]
fn source_direction_prints_kafka_bytes_and_pipes_into_a_sink() {
    let dir = tempfile::tempdir().unwrap();
    let source = write(dir.path(), "source.json", SOURCE);
    let input = concat!(
        r#"{"value":{"schema":{"type":"string"},"payload":"hello"},"headers":{"n":7}}"#,
        "\n",
        r#"{"value":"skip me","headers":{"old":true}}"#,
        "\n\n",
        r#"{"key":{"schema":{"type":"int64"},"payload":5},"value":"second","timestamp":1700000000000}"#,
        "\n"
    );
    let run = ferry(&["transform", "--config", &source], input);
    assert_eq!(run.code, 0, "{}", run.err);
    assert_eq!(
        run.out,
        concat!(
            r#"{"topic":"lines-v2","partition":null,"timestamp":null,"key":null,"value":{"line":"hello"},"headers":{"n":7}}"#,
            "\n",
            r#"{"topic":"lines-v2","partition":null,"timestamp":1700000000000,"key":{"schema":{"type":"int64","optional":false},"payload":5},"value":{"line":"second"}}"#,
            "\n"
        )
    );

    // the source output is sink input: play it through a sink with schemaless JSON values
    let sink = write(
        dir.path(),
        "sink.properties",
        "name=s\nconnector.class=FileStreamSink\ntopics=lines-v2\nfile=/tmp/out.txt\n\
value.converter=JsonConverter\nvalue.converter.schemas.enable=false\n\
transforms=extract\ntransforms.extract.type=ExtractField$Value\ntransforms.extract.field=line\n",
    );
    let run2 = ferry(&["transform", "--config", &sink], &run.out);
    assert_eq!(run2.code, 0, "{}", run2.err);
    let lines: Vec<&str> = run2.out.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].contains(r#""value":{"schema":null,"payload":"hello"}"#),
        "{}",
        lines[0]
    );
    assert!(
        lines[0]
            .contains(r#""headers":{"n":{"schema":{"type":"int8","optional":false},"payload":7}}"#),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains(r#""timestamp":1700000000000"#),
        "{}",
        lines[1]
    );
}

#[test]
fn converter_errors_name_their_stage_and_bad_lines_their_number() {
    let dir = tempfile::tempdir().unwrap();
    let sink = write(
        dir.path(),
        "sink.properties",
        "name=s\nconnector.class=FileStreamSink\ntopics=t\nerrors.tolerance=all\n\
key.converter=LongConverter\n",
    );
    let input = concat!(
        r#"{"key_base64":"AAAAAAAAACo=","value":{"schema":null,"payload":1}}"#,
        "\n",
        r#"{"key":"short","value":{"schema":null,"payload":2}}"#,
        "\n",
        r#"{"value":{"schema":null,"payload":3},"bogus":1}"#,
        "\n",
        r#"{"value":{"payload":4,"schema":{"type":"int8"}}}"#,
        "\n",
    );
    let run = ferry(&["transform", "--config", &sink], input);
    assert_eq!(run.code, 1);
    let out: Vec<&str> = run.out.lines().collect();
    assert_eq!(out.len(), 2, "{}", run.out);
    assert!(out[0].contains(r#""key":{"schema":{"type":"int64","optional":true},"payload":42}"#));
    assert!(out[1].contains(r#""payload":4"#), "{}", out[1]);
    let err: Vec<&str> = run.err.lines().collect();
    assert_eq!(err.len(), 2, "{}", run.err);
    assert!(
        err[0].starts_with(
            "line 2: stage KEY_CONVERTER (org.apache.kafka.connect.converters.LongConverter): "
        ),
        "{}",
        err[0]
    );
    assert!(err[0].ends_with("(errors.tolerance=all: the task would skip the record)"));
    assert!(
        err[1].starts_with("line 3: invalid input record"),
        "{}",
        err[1]
    );
    assert!(err[1].contains("bogus"), "{}", err[1]);
}

#[test]
fn invalid_configs_name_every_bad_key_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let sink = write(
        dir.path(),
        "sink.properties",
        "name=s\nconnector.class=FileStreamSink\n\
value.converter=JsonConverter\nvalue.converter.schemas.enable=maybe\n",
    );
    let run = ferry(&["transform", "--config", &sink], "");
    assert_eq!(run.code, 2);
    assert!(
        run.err.contains("value.converter.schemas.enable"),
        "{}",
        run.err
    );
    assert!(run.err.contains("maybe"), "{}", run.err);

    let sink = write(
        dir.path(),
        "chain.properties",
        "name=s\nconnector.class=FileStreamSink\ntransforms=a,b\n\
transforms.a.type=Cast$Value\ntransforms.a.spec=x:decimal\n\
transforms.b.type=com.example.Missing\nheader.converter=Nope\n",
    );
    let run = ferry(&["transform", "--config", &sink], "");
    assert_eq!(run.code, 2);
    // converter and chain problems are reported together
    assert!(
        run.err.contains("header.converter: Class Nope"),
        "{}",
        run.err
    );
    assert!(run.err.contains("transforms.a.spec"), "{}", run.err);
    assert!(run.err.contains("transforms.b.type"), "{}", run.err);
    assert!(run.err.contains("com.example.Missing"), "{}", run.err);

    let unknown = write(
        dir.path(),
        "m.properties",
        "name=m\nconnector.class=Mirror\n",
    );
    let run = ferry(&["transform", "--config", &unknown], "");
    assert_eq!(run.code, 2);
    assert!(run.err.contains("--direction"), "{}", run.err);

    let run = ferry(&["transform", "--config", "/nonexistent/c.properties"], "");
    assert_eq!(run.code, 2);
    assert!(run.err.contains("/nonexistent/c.properties"), "{}", run.err);
}
