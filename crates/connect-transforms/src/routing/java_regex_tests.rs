use super::*;

fn re(p: &str) -> JavaRegex {
    JavaRegex::compile(p).unwrap()
}

fn replace(p: &str, replacement: &str, text: &str) -> Result<String, String> {
    let r = re(p);
    Replacement::parse(replacement, &r).replace_first(&r, text)
}

#[test]
fn matches_is_a_full_match() {
    assert!(re("orders").matches("orders"));
    assert!(!re("ord").matches("orders"));
    assert!(!re("ORDERS").matches("orders"));
    assert!(re(".*-eu").matches("orders-eu"));
    assert!(!re(".*-eu").matches("orders"));
    assert!(re("a|ab").matches("ab"));
    assert!(re("(?i)ORDERS").matches("orders"));
    assert_eq!(re("x.*").as_str(), "x.*");
}

#[test]
fn java_classes_keep_their_ascii_meaning() {
    assert!(re(r"\d+").matches("123"));
    assert!(!re(r"\d").matches("\u{0663}")); // Arabic-Indic digit three
    assert!(re(r"\w+").matches("a_Z9"));
    assert!(!re(r"\w").matches("é"));
    assert!(re(r"\s").matches("\u{0B}"));
    assert!(re(r"[\d-]+").matches("1-2"));
    assert!(re(r"[^\D]").matches("5"));
    assert!(re(r"\p{Alpha}+\p{Digit}").matches("ab1"));
    assert!(!re(r"\p{Lower}").matches("A"));
    assert!(re(r"\P{Punct}").matches("a"));
    assert!(re(r"\p{IsAlphabetic}").matches("é"));
    assert!(re(r"\p{L}\pL").matches("ab"));
    assert!(re(r"\p{javaLowerCase}").matches("a"));
    assert!(re(r"\h\v").matches(" \n"));
    assert!(re(r"\S\W\H\V").matches("a.xy"));
    assert!(!re(r"\H").matches(" "));
}

#[test]
fn quoting_escapes_and_flags() {
    assert!(re(r"\Qa.b[c]\E").matches("a.b[c]"));
    assert!(!re(r"\Qa.b\E").matches("axb"));
    assert!(re(r"\Qa.b").matches("a.b"));
    assert!(re(r"[\Q-.\E]+").matches(".-"));
    assert!(re(r"a\Eb").matches("ab"));
    assert!(re(r"\e\a").matches("\u{1B}\u{07}"));
    assert!(re(r"\cA").matches("\u{01}"));
    assert!(re(r"\0101\07").matches("A\u{07}"));
    assert!(re(r"a\Rb").matches("a\r\nb"));
    assert!(re(r"a\Z").matches("a"));
    assert!(re(r"(?u)a").matches("a"));
    assert!(re(r"(?iu:A)b").matches("ab"));
    assert!(re(r"(?d)a").matches("a"));
    assert!(re(r"(?U)\w").matches("a"));
    assert!(re(r"(?x) a b # comment").matches("ab"));
    assert!(re("(?x) a # one\n b # two").matches("ab"));
    assert!(re("(?x: a # c\n )b#").matches("ab#"));
    assert!(re("a#b").matches("a#b"));
    assert!(re("(?x)a(?-x) #").matches("a #"));
    assert!(re(r"(?i-s)A").matches("a"));
    assert!(re(r"[a~]").matches("~"));
    assert!(re(r"a{2}b{1,}c{1,2}?").matches("aabc"));
    assert!(re(r"a*?b+?").matches("ab"));
    assert!(re(r"(?<n>o)rders").matches("orders"));
    assert!(re(r"[a-z&&[^b]]+").matches("ac"));
    assert!(!re(r"[a-z&&[^b]]").matches("b"));
}

#[test]
fn java_syntax_errors_have_java_messages() {
    assert_eq!(
        JavaRegex::compile("[").unwrap_err(),
        "Unclosed character class near index 0\n[\n^"
    );
    assert_eq!(
        JavaRegex::compile("[abc").unwrap_err(),
        "Unclosed character class near index 3\n[abc\n   ^"
    );
    assert_eq!(
        JavaRegex::compile("(abc").unwrap_err(),
        "Unclosed group near index 4\n(abc"
    );
    assert_eq!(
        JavaRegex::compile("ab)").unwrap_err(),
        "Unmatched closing ')' near index 1\nab)\n ^"
    );
    assert_eq!(
        JavaRegex::compile(")").unwrap_err(),
        "Unmatched closing ')'\n)"
    );
    assert_eq!(
        JavaRegex::compile("*a").unwrap_err(),
        "Dangling meta character '*' near index 0\n*a\n^"
    );
    assert_eq!(
        JavaRegex::compile("a|+").unwrap_err(),
        "Dangling meta character '+' near index 2\na|+\n  ^"
    );
    assert_eq!(
        JavaRegex::compile("(?").unwrap_err(),
        "Unknown inline modifier near index 2\n(?"
    );
    assert_eq!(
        JavaRegex::compile("${topic}").unwrap_err(),
        "Illegal repetition near index 0\n${topic}\n^"
    );
    assert_eq!(
        JavaRegex::compile("a\\").unwrap_err(),
        "Unexpected internal error near index 2\na\\"
    );
    assert_eq!(
        JavaRegex::compile(r"\p{Alpha").unwrap_err(),
        "Unclosed character family near index 8\n\\p{Alpha"
    );
    // Errors only the engine finds keep its description, without an index.
    let e = JavaRegex::compile(r"\y").unwrap_err();
    assert!(e.ends_with("\n\\y"), "{e}");
    assert!(e.starts_with(char::is_uppercase), "{e}");
}

#[test]
fn unsupported_constructs_are_refused() {
    for (p, what) in [
        ("a(?=b)", "Look-around groups are"),
        ("a(?!b)", "Look-around groups are"),
        ("(?<=a)b", "Look-around groups are"),
        ("(?<!a)b", "Look-around groups are"),
        ("(?>a)", "Atomic groups are"),
        (r"(a)\1", "Back-references are"),
        (r"(?<n>a)\k<n>", "Back-references are"),
        ("a*+", "Possessive quantifiers are"),
        (r"\Ga", "\\G is"),
    ] {
        let e = JavaRegex::compile(p).unwrap_err();
        assert!(
            e.starts_with(&format!(
                "{what} not supported by Ferry's regular expression engine near index"
            )),
            "{p}: {e}"
        );
    }
    assert_eq!(
        JavaRegex::compile("a(?=b)").unwrap_err(),
        "Look-around groups are not supported by Ferry's regular expression engine near index 1\na(?=b)\n ^"
    );
}

#[test]
fn replace_first_follows_java() {
    assert_eq!(replace("orders", "x", "orders").unwrap(), "x");
    assert_eq!(
        replace("(.*)-(.*)", "$2_$1", "orders-eu").unwrap(),
        "eu_orders"
    );
    assert_eq!(replace("(?<n>o)rders", "${n}k", "orders").unwrap(), "ok");
    assert_eq!(replace(".*", "", "orders").unwrap(), "");
    assert_eq!(replace("orders", "\\$x", "orders").unwrap(), "$x");
    assert_eq!(replace("o", "0", "foo").unwrap(), "f0o");
    // find() after matches(): the first match, not necessarily the whole text
    assert_eq!(replace("a|ab", "X", "ab").unwrap(), "Xb");
    assert_eq!(replace("z", "X", "abc").unwrap(), "abc");
    // $12 is group 1 then "2" when there is no group 12
    assert_eq!(replace("(a)(b)", "$12", "ab").unwrap(), "a2");
    // an optional group that did not take part is empty
    assert_eq!(replace("(a)?b", "[$1]", "b").unwrap(), "[]");
    // \x escapes anything
    assert_eq!(replace("a", "\\\\\\n", "a").unwrap(), "\\n");
}

#[test]
fn replacement_errors_come_when_replacing() {
    let cases = [
        ("$", "Illegal group reference: group index is missing"),
        ("$x", "Illegal group reference"),
        ("$2", "No group 2"),
        ("\\", "character to be escaped is missing"),
        ("${", "named capturing group has 0 length name"),
        ("${ab", "named capturing group is missing trailing '}'"),
        ("${a-}", "named capturing group is missing trailing '}'"),
        (
            "${1a}",
            "capturing group name {1a} starts with digit character",
        ),
        ("${zz}", "No group with name {zz}"),
    ];
    for (replacement, message) in cases {
        let r = re("(?<n>o)rders");
        let parsed = Replacement::parse(replacement, &r);
        assert_eq!(
            parsed.replace_first(&r, "orders").unwrap_err(),
            message,
            "{replacement}"
        );
        // No match: the replacement is never read.
        assert_eq!(parsed.replace_first(&r, "xyz").unwrap(), "xyz");
    }
}

#[test]
fn group_lookup() {
    let r = re("(a)(?<name>b)(?:c)");
    assert_eq!(r.group_count(), 2);
    assert_eq!(r.group_index("name"), Some(2));
    assert_eq!(r.group_index("other"), None);
}

#[test]
fn syntax_message_layout() {
    assert_eq!(
        syntax_message("D", Some(1), "abc"),
        "D near index 1\nabc\n ^"
    );
    assert_eq!(syntax_message("D", Some(3), "abc"), "D near index 3\nabc");
    assert_eq!(syntax_message("D", None, "abc"), "D\nabc");
}
