//! Request parameters: query string + form body + JSON body, merged, with Rack nested-key rules.
//!
//! Every method gets the same treatment (node sends form bodies on GET, seegno JSON on GET, php
//! query strings on POST; authy-api.md §1.4). Keys such as `user[email]`, `details[k]`,
//! `logos[][res]` and `logos[0][res]` build nested objects/arrays exactly like Rack's
//! `normalize_params`; objects whose keys are all decimal indexes become arrays afterwards.

use percent_encoding::percent_decode;
use serde_json::{Map, Value};

/// Deepest nesting accepted (Rack's default limit is 32 as well).
pub const MAX_DEPTH: usize = 32;
/// Most key/value pairs accepted per request.
pub const MAX_PAIRS: usize = 4096;
/// Longest key accepted, in bytes.
pub const MAX_KEY_LEN: usize = 2048;

/// Why parameters could not be parsed. Each maps to a 400 Authy error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamError {
    /// Bytes that are not UTF-8 after percent-decoding (60005).
    InvalidUtf8,
    /// A body that does not parse as its content type says (60005).
    MalformedBody(&'static str),
    /// Too deep, too many or too long (60002).
    TooComplex,
    /// `a=1&a[b]=2` style conflicts (60004).
    TypeConflict(String),
    /// An XML request body (old authy-java releases posted them): not parsed (60002).
    XmlBody,
}

/// The merged parameter tree of one request.
#[derive(Debug, Clone, Default)]
pub struct Params {
    root: Map<String, Value>,
    pairs: usize,
}

impl Params {
    /// An empty parameter set.
    pub fn new() -> Params {
        Params::default()
    }

    /// The merged tree.
    #[cfg(test)]
    pub fn root(&self) -> &Map<String, Value> {
        &self.root
    }

    /// Adds one request's parameters and finishes the tree: the query string, then the body —
    /// JSON when the content type names JSON, or names no form and the body's first
    /// non-blank byte is `{` or `[`; form data otherwise; an XML content type is refused.
    pub fn add_request(
        &mut self,
        query: Option<&[u8]>,
        content_type: &str,
        body: &[u8],
    ) -> Result<(), ParamError> {
        if let Some(q) = query {
            self.add_urlencoded(q)?;
        }
        if !body.is_empty() {
            let ct = content_type.to_ascii_lowercase();
            let first = body.iter().find(|b| !b.is_ascii_whitespace());
            if ct.contains("xml") {
                return Err(ParamError::XmlBody);
            }
            if ct.contains("json") || (!ct.contains("form") && matches!(first, Some(b'{' | b'['))) {
                self.add_json(body)?;
            } else {
                self.add_urlencoded(body)?;
            }
        }
        self.finish();
        Ok(())
    }

    /// Adds `application/x-www-form-urlencoded` data (a query string or a form body).
    pub fn add_urlencoded(&mut self, data: &[u8]) -> Result<(), ParamError> {
        for pair in data.split(|b| *b == b'&' || *b == b';') {
            if pair.is_empty() {
                continue;
            }
            self.pairs += 1;
            if self.pairs > MAX_PAIRS {
                return Err(ParamError::TooComplex);
            }
            let (k, v) = match pair.iter().position(|b| *b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &b""[..]),
            };
            let key = decode_component(k)?;
            if key.len() > MAX_KEY_LEN {
                return Err(ParamError::TooComplex);
            }
            let value = decode_component(v)?;
            normalize_top(&mut self.root, &key, Value::String(value))?;
        }
        Ok(())
    }

    /// Adds a JSON body: an object's keys are merged at the top level; any other JSON value is
    /// stored under `_json` (Rails does the same).
    pub fn add_json(&mut self, body: &[u8]) -> Result<(), ParamError> {
        let text = std::str::from_utf8(body).map_err(|_| ParamError::InvalidUtf8)?;
        if text.trim().is_empty() {
            return Ok(());
        }
        let value: Value =
            serde_json::from_str(text).map_err(|_| ParamError::MalformedBody("JSON"))?;
        if depth_of(&value) > MAX_DEPTH {
            return Err(ParamError::TooComplex);
        }
        match value {
            Value::Object(map) => {
                self.pairs += map.len();
                if self.pairs > MAX_PAIRS {
                    return Err(ParamError::TooComplex);
                }
                for (k, v) in map {
                    self.root.insert(k, v);
                }
            }
            other => {
                self.root.insert("_json".to_string(), other);
            }
        }
        Ok(())
    }

    /// Turns objects keyed `0`, `1`, … into arrays (php/node `logos[0][res]`). Call once, after
    /// all sources were added.
    pub fn finish(&mut self) {
        for v in self.root.values_mut() {
            indexed_objects_to_arrays(v);
        }
    }

    /// Raw value at the top level.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.root.get(key)
    }

    /// Value at `outer[inner]`.
    pub fn get_nested(&self, outer: &str, inner: &str) -> Option<&Value> {
        self.root.get(outer)?.as_object()?.get(inner)
    }

    /// Scalar at the top level as text (numbers and booleans rendered); `None` for absent, null,
    /// objects and arrays.
    pub fn str(&self, key: &str) -> Option<String> {
        self.get(key).and_then(scalar_text)
    }

    /// True for JSON `true`, the number 1 and the texts `true`/`True`/`TRUE`/`1`.
    pub fn bool(&self, key: &str) -> bool {
        self.get(key).is_some_and(truthy)
    }

    /// Whether the key is present at all (even as null or empty text).
    pub fn has(&self, key: &str) -> bool {
        self.root.contains_key(key)
    }
}

/// Scalar JSON value as the text a form field would have carried.
pub fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Boolean coercion used for `force`, `send_install_link_via_sms`, ….
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_i64() == Some(1),
        Value::String(s) => s.eq_ignore_ascii_case("true") || s == "1",
        _ => false,
    }
}

fn decode_component(raw: &[u8]) -> Result<String, ParamError> {
    let plus_fixed: Vec<u8> = raw
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    let bytes: Vec<u8> = percent_decode(&plus_fixed).collect();
    String::from_utf8(bytes).map_err(|_| ParamError::InvalidUtf8)
}

fn depth_of(v: &Value) -> usize {
    // Iterative so a hostile body cannot overflow the stack here (serde_json already caps
    // recursion at 128 while parsing).
    let mut max = 0;
    let mut stack = vec![(v, 1usize)];
    while let Some((v, d)) = stack.pop() {
        max = max.max(d);
        match v {
            Value::Object(m) => stack.extend(m.values().map(|c| (c, d + 1))),
            Value::Array(a) => stack.extend(a.iter().map(|c| (c, d + 1))),
            _ => {}
        }
    }
    max
}

fn normalize_top(params: &mut Map<String, Value>, name: &str, v: Value) -> Result<(), ParamError> {
    // Depth 0: a leading '[' is part of the key; nesting starts at the first '[' after the
    // first character (a character, not a byte: `é[a]` nests like `e[a]`).
    let first = name.chars().next().map_or(0, char::len_utf8);
    let (k, after) = match name[first..].find('[') {
        Some(i) => (&name[..first + i], &name[first + i..]),
        None => (name, ""),
    };
    normalize(params, k, after, v, 0).map(|_| ())
}

/// Rack `normalize_params` once the key `k` of this level and the remaining `after` are known.
/// Returns `Some(replacement)` when the caller must replace the container (the `x[]` leaf case).
fn normalize(
    params: &mut Map<String, Value>,
    k: &str,
    after: &str,
    v: Value,
    depth: usize,
) -> Result<Option<Value>, ParamError> {
    if depth >= MAX_DEPTH {
        return Err(ParamError::TooComplex);
    }
    if k.is_empty() {
        return Ok(None);
    }
    if after.is_empty() {
        if k == "[]" && depth != 0 {
            return Ok(Some(Value::Array(vec![v])));
        }
        params.insert(k.to_string(), v);
        return Ok(None);
    }
    if after == "[" {
        params.insert(format!("{k}{after}"), v);
        return Ok(None);
    }
    if after == "[]" {
        array_at(params, k)?.push(v);
        return Ok(None);
    }
    if let Some(rest) = after.strip_prefix("[]") {
        // x[][y]: a hash inside an array; a new element starts when `y` repeats.
        let child_key = rest
            .strip_prefix('[')
            .and_then(|r| r.strip_suffix(']'))
            .filter(|c| !c.is_empty() && !c.contains('[') && !c.contains(']'))
            .unwrap_or(rest);
        let arr = array_at(params, k)?;
        let (ck, cafter) = split_nested(child_key);
        if let Some(Value::Object(last)) = arr.last_mut()
            && !hash_has_key(last, child_key)
        {
            if let Some(replacement) = normalize(last, ck, cafter, v, depth + 1)? {
                *arr.last_mut().expect("non-empty") = replacement;
            }
            return Ok(None);
        }
        let mut child = Map::new();
        let r = normalize(&mut child, ck, cafter, v, depth + 1)?;
        arr.push(r.unwrap_or(Value::Object(child)));
        return Ok(None);
    }
    let entry = params
        .entry(k.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(child) = entry else {
        return Err(ParamError::TypeConflict(k.to_string()));
    };
    let (ck, cafter) = split_nested(after);
    if let Some(replacement) = normalize(child, ck, cafter, v, depth + 1)? {
        *entry = replacement;
    }
    Ok(None)
}

/// The array under `k`, created when absent; a conflict when `k` holds something else.
fn array_at<'m>(
    params: &'m mut Map<String, Value>,
    k: &str,
) -> Result<&'m mut Vec<Value>, ParamError> {
    match params
        .entry(k.to_string())
        .or_insert_with(|| Value::Array(Vec::new()))
    {
        Value::Array(arr) => Ok(arr),
        _ => Err(ParamError::TypeConflict(k.to_string())),
    }
}

/// Splits a nested name (depth > 0) into this level's key and the rest, as Rack does.
fn split_nested(name: &str) -> (&str, &str) {
    if let Some(rest) = name.strip_prefix("[]") {
        return ("[]", rest);
    }
    if name.starts_with('[')
        && let Some(end) = name[1..].find(']')
    {
        let end = end + 1;
        return (&name[1..end], &name[end + 1..]);
    }
    (name, "")
}

fn hash_has_key(hash: &Map<String, Value>, key: &str) -> bool {
    if key.contains("[]") {
        return false;
    }
    let mut cur = hash;
    let parts: Vec<&str> = key.split(['[', ']']).filter(|p| !p.is_empty()).collect();
    for (i, part) in parts.iter().enumerate() {
        match cur.get(*part) {
            None => return false,
            Some(Value::Object(m)) => cur = m,
            Some(_) if i + 1 == parts.len() => return true,
            Some(_) => return false,
        }
    }
    true
}

fn indexed_objects_to_arrays(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for c in m.values_mut() {
                indexed_objects_to_arrays(c);
            }
            let all_indexes = !m.is_empty()
                && m.keys().all(|k| {
                    !k.is_empty() && k.len() <= 6 && k.bytes().all(|b| b.is_ascii_digit())
                });
            if all_indexes {
                let mut items: Vec<(u32, Value)> = std::mem::take(m)
                    .into_iter()
                    .map(|(k, v)| (k.parse().unwrap_or(u32::MAX), v))
                    .collect();
                items.sort_by_key(|(i, _)| *i);
                *v = Value::Array(items.into_iter().map(|(_, v)| v).collect());
            }
        }
        Value::Array(a) => a.iter_mut().for_each(indexed_objects_to_arrays),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(q: &str) -> Value {
        let mut p = Params::new();
        p.add_urlencoded(q.as_bytes()).unwrap();
        p.finish();
        Value::Object(p.root)
    }

    #[test]
    fn rack_nested_keys() {
        assert_eq!(
            parse("user%5Bemail%5D=a%40b.c&user%5Bcellphone%5D=123+4"),
            json!({"user":{"email":"a@b.c","cellphone":"123 4"}})
        );
        assert_eq!(parse("a[]=1&a[]=2"), json!({"a":["1","2"]}));
        assert_eq!(
            parse("logos[][res]=default&logos[][url]=u1&logos[][res]=low&logos[][url]=u2"),
            json!({"logos":[{"res":"default","url":"u1"},{"res":"low","url":"u2"}]})
        );
        assert_eq!(
            parse(
                "logos%5B1%5D%5Bres%5D=low&logos%5B0%5D%5Bres%5D=default&logos%5B0%5D%5Burl%5D=x"
            ),
            json!({"logos":[{"res":"default","url":"x"},{"res":"low"}]})
        );
        assert_eq!(
            parse("details[Key]=v&x"),
            json!({"details":{"Key":"v"},"x":""})
        );
        assert_eq!(parse("[a]=1"), json!({"[a]":"1"}));
        assert_eq!(
            parse("a[][b][c]=1&a[][b][d]=2&a[][b][c]=3"),
            json!({"a":[{"b":{"c":"1","d":"2"}},{"b":{"c":"3"}}]})
        );
        assert_eq!(
            parse("a[b][]=1&a[b][]=2;c="),
            json!({"a":{"b":["1","2"]},"c":""})
        );
        assert_eq!(parse("a[=1&b]=2"), json!({"a[":"1","b]":"2"}));
        // A key that starts with a multi-byte character nests too (found by the property test).
        assert_eq!(
            parse("%C3%A9[a]=1&%F0%9F%99%82[]=2&%C3%A9[b]=3"),
            json!({"é":{"a":"1","b":"3"},"🙂":["2"]})
        );
    }

    #[test]
    fn conflicts_and_limits() {
        let mut p = Params::new();
        assert!(matches!(
            p.add_urlencoded(b"a=1&a[b]=2"),
            Err(ParamError::TypeConflict(_))
        ));
        let deep = format!("a{}=1", "[x]".repeat(40));
        assert_eq!(
            Params::new().add_urlencoded(deep.as_bytes()),
            Err(ParamError::TooComplex)
        );
        assert_eq!(
            Params::new().add_urlencoded(b"a=%FF"),
            Err(ParamError::InvalidUtf8)
        );
        assert!(matches!(
            Params::new().add_json(b"{"),
            Err(ParamError::MalformedBody(_))
        ));
    }

    #[test]
    fn booleans() {
        for t in ["true", "True", "TRUE", "1"] {
            assert!(truthy(&json!(t)));
        }
        assert!(truthy(&json!(true)));
        assert!(!truthy(&json!("false")) && !truthy(&json!("0")) && !truthy(&Value::Null));
    }
}
