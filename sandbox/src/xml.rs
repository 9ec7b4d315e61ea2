//! The `xml` format of the real API (`/protected/xml/...`, `/onetouch/xml/...`, authy-api.md
//! §1.1): the JSON answer rendered the way Rails' `to_xml` did, as in authy-java's XML fixtures
//! (`TestSMSCode`): a success is `<hash>` with one element per key, an error is `<errors>` with
//! `<message>` and `<error-code>`; keys are dasherized (`error_code` → `error-code`), non-string
//! scalars carry `type="boolean"` / `type="integer"` / `type="float"`, `null` is `nil="true"`,
//! arrays are `type="array"` with singular child names.

use std::fmt::Write as _;

use hyper::body::Bytes;
use serde_json::{Map, Value};

use crate::reply::Reply;

/// `Content-Type` of XML answers.
pub const CONTENT_TYPE: &str = "application/xml; charset=utf-8";

/// The same answer (status, headers) with its JSON body rendered as XML. Non-JSON bodies are
/// returned unchanged.
pub fn render(reply: Reply) -> Reply {
    if !reply.content_type.starts_with("application/json") {
        return reply;
    }
    let Ok(Value::Object(top)) = serde_json::from_slice::<Value>(&reply.body) else {
        return reply;
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if top.get("success") == Some(&Value::Bool(false)) {
        out.push_str("<errors>\n");
        for (k, v) in error_fields(&top) {
            element(&mut out, 1, &k, &v);
        }
        out.push_str("</errors>\n");
    } else {
        element(&mut out, 0, "hash", &Value::Object(top));
    }
    Reply {
        status: reply.status,
        body: Bytes::from(out),
        content_type: CONTENT_TYPE,
        headers: reply.headers,
    }
}

/// The children of `<errors>`: the message, the other entries of `errors` (field errors), the
/// other top-level keys (`token`), then the error code.
fn error_fields(top: &Map<String, Value>) -> Vec<(String, Value)> {
    let mut fields: Vec<(String, Value)> = Vec::new();
    let mut add = |k: &str, v: &Value| {
        if !fields.iter().any(|(name, _)| name == k) {
            fields.push((k.to_string(), v.clone()));
        }
    };
    if let Some(m) = top.get("message") {
        add("message", m);
    }
    if let Some(Value::Object(errors)) = top.get("errors") {
        for (k, v) in errors {
            add(k, v);
        }
    }
    for (k, v) in top {
        if !matches!(k.as_str(), "success" | "errors" | "error_code") {
            add(k, v);
        }
    }
    if let Some(code) = top.get("error_code") {
        add("error_code", code);
    }
    fields
}

fn element(out: &mut String, depth: usize, key: &str, value: &Value) {
    let name = tag_name(key);
    let pad = "  ".repeat(depth);
    match value {
        Value::Null => {
            let _ = writeln!(out, "{pad}<{name} nil=\"true\"/>");
        }
        Value::Bool(b) => {
            let _ = writeln!(out, "{pad}<{name} type=\"boolean\">{b}</{name}>");
        }
        Value::Number(n) => {
            let kind = if n.is_f64() { "float" } else { "integer" };
            let _ = writeln!(out, "{pad}<{name} type=\"{kind}\">{n}</{name}>");
        }
        Value::String(s) => {
            let _ = writeln!(out, "{pad}<{name}>{}</{name}>", escape(s));
        }
        Value::Array(items) if items.is_empty() => {
            let _ = writeln!(out, "{pad}<{name} type=\"array\"/>");
        }
        Value::Array(items) => {
            let _ = writeln!(out, "{pad}<{name} type=\"array\">");
            let child = singular(key);
            for item in items {
                element(out, depth + 1, &child, item);
            }
            let _ = writeln!(out, "{pad}</{name}>");
        }
        Value::Object(map) if map.is_empty() => {
            let _ = writeln!(out, "{pad}<{name}></{name}>");
        }
        Value::Object(map) => {
            let _ = writeln!(out, "{pad}<{name}>");
            for (k, v) in map {
                element(out, depth + 1, k, v);
            }
            let _ = writeln!(out, "{pad}</{name}>");
        }
    }
}

/// Rails' dasherize (`error_code` → `error-code`; a leading `_` stays, `_app_name` →
/// `_app-name`), made a valid XML name: other characters become `-`, and a name that would
/// start with a digit, `-` or `.` (or be empty) gets a leading `_`.
fn tag_name(key: &str) -> String {
    let lead = key.len() - key.trim_start_matches('_').len();
    let mut name: String = key[..lead].to_string();
    for c in key[lead..].chars() {
        name.push(match c {
            '_' => '-',
            c if c.is_ascii_alphanumeric() || c == '-' || c == '.' => c,
            _ => '-',
        });
    }
    if name
        .chars()
        .next()
        .is_none_or(|c| c.is_ascii_digit() || c == '-' || c == '.')
    {
        name.insert(0, '_');
    }
    name
}

/// Naive English singular for array children (`devices` → `device`, `entries` → `entry`);
/// `item` when nothing is left.
fn singular(key: &str) -> String {
    let s = if let Some(stem) = key.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = key.strip_suffix('s') {
        stem.to_string()
    } else {
        key.to_string()
    };
    if s.is_empty() { "item".into() } else { s }
}

/// Text content: the five XML escapes; characters XML 1.0 forbids are dropped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(r: &Reply) -> &str {
        std::str::from_utf8(&r.body).unwrap()
    }

    #[test]
    fn success_and_error_shapes() {
        let ok = render(Reply::ok(json!({
            "success": true,
            "message": "SMS token was sent",
            "cellphone": "+57-XXX-XXX-XX12",
            "user": {"id": 7},
            "devices": ["android", "authy_chrome"],
            "deleted_devices": [],
            "carrier": null,
            "seconds_to_expire": 599
        })));
        assert_eq!(ok.content_type, CONTENT_TYPE);
        let t = text(&ok);
        assert!(t.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<hash>\n"));
        assert!(t.contains("  <success type=\"boolean\">true</success>\n"));
        assert!(t.contains("  <message>SMS token was sent</message>\n"));
        assert!(t.contains("  <user>\n    <id type=\"integer\">7</id>\n  </user>\n"));
        assert!(t.contains(
            "  <devices type=\"array\">\n    <device>android</device>\n    <device>authy_chrome</device>\n  </devices>\n"
        ));
        assert!(t.contains("  <deleted-devices type=\"array\"/>\n"));
        assert!(t.contains("  <carrier nil=\"true\"/>\n"));
        assert!(t.contains("  <seconds-to-expire type=\"integer\">599</seconds-to-expire>\n"));
        assert!(t.ends_with("</hash>\n"));

        let err = render(Reply::user_not_found());
        assert_eq!(err.status, 404);
        assert_eq!(
            text(&err),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<errors>\n  <message>User not found.</message>\n  <error-code>60026</error-code>\n</errors>\n"
        );
    }

    #[test]
    fn names_and_text_are_well_formed() {
        assert_eq!(tag_name("_app_name"), "_app-name");
        assert_eq!(tag_name("1st key"), "_1st-key");
        assert_eq!(tag_name(""), "_");
        assert_eq!(singular("entries"), "entry");
        assert_eq!(singular("s"), "item");
        assert_eq!(escape("a<b>&\"'\u{1}c"), "a&lt;b&gt;&amp;&quot;&apos;c");
    }
}
