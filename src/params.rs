//! [`Params`]: a small ordered tree of request parameters, encoded with Rack/Rails nested
//! keys (`user[email]`, `details[Key]`, `logos[][res]`).

/// The value of one parameter in a [`Params`] tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    /// A plain string value: `key=value`.
    Str(String),
    /// A nested map: `key[sub]=value`.
    Map(Params),
    /// An array of maps: `key[][sub]=value` for each element, element after element.
    List(Vec<Params>),
}

/// An ordered tree of request parameters (string values, nested maps and arrays of
/// maps).
///
/// GET requests send it as a query string, POST requests as an
/// `application/x-www-form-urlencoded` body, both with Rack nested keys:
///
/// ```
/// use authy::Params;
/// let mut logo = Params::new();
/// logo.set("res", "default").set("url", "https://example.com/a.png");
/// let mut p = Params::new();
/// p.set("message", "Log in?")
///     .set_map("details", Params::new().with("IP", "10.0.0.1"))
///     .push_map("logos", logo);
/// assert_eq!(
///     p.to_form_string(),
///     "message=Log+in%3F&details%5BIP%5D=10.0.0.1\
///      &logos%5B%5D%5Bres%5D=default&logos%5B%5D%5Burl%5D=https%3A%2F%2Fexample.com%2Fa.png"
/// );
/// ```
///
/// Keys are kept in insertion order; setting an existing key replaces its value in place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    entries: Vec<(String, ParamValue)>,
}

impl Params {
    /// Creates an empty parameter tree.
    pub fn new() -> Self {
        Params::default()
    }

    /// Sets `key` to `value` (a string), replacing any previous value of `key`.
    pub fn set(&mut self, key: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.put(key.into(), ParamValue::Str(value.into()));
        self
    }

    /// Sets `key` to the nested map `map`, replacing any previous value of `key`.
    pub fn set_map(&mut self, key: impl Into<String>, map: Params) -> &mut Self {
        self.put(key.into(), ParamValue::Map(map));
        self
    }

    /// Appends the map `element` to the array stored under `key`, creating the array if
    /// `key` is absent and replacing any non-array value of `key`.
    pub fn push_map(&mut self, key: impl Into<String>, element: Params) -> &mut Self {
        let key = key.into();
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some((_, ParamValue::List(list))) => list.push(element),
            Some((_, other)) => *other = ParamValue::List(vec![element]),
            None => self.entries.push((key, ParamValue::List(vec![element]))),
        }
        self
    }

    /// Builder-style [`set`](Params::set).
    #[must_use]
    pub fn with(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.set(key, value);
        self
    }

    /// Removes `key` and returns its value, if present.
    pub fn remove(&mut self, key: &str) -> Option<ParamValue> {
        let pos = self.entries.iter().position(|(k, _)| k == key)?;
        Some(self.entries.remove(pos).1)
    }

    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&ParamValue> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The string value of `key`, if present and a string.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some(ParamValue::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// Iterates over the top-level entries in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ParamValue)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The number of top-level entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// `true` when there is no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The top-level entries as `(key, value)` string pairs, for a flat map such as
    /// `details` or `hidden_details`; errors with
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) when a value is a
    /// nested map or an array.
    pub fn to_string_pairs(&self) -> Result<Vec<(String, String)>, crate::Error> {
        self.entries
            .iter()
            .map(|(k, v)| match v {
                ParamValue::Str(s) => Ok((k.clone(), s.clone())),
                _ => Err(crate::Error::invalid_argument(format!(
                    "Invalid parameter '{k}': a string value is expected, not a map or an array"
                ))),
            })
            .collect()
    }

    /// The flattened `(key, value)` pairs with Rack nested keys, before URL encoding, in
    /// order (for example `("logos[][res]", "default")`).
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        flatten(self, None, &mut out);
        out
    }

    /// The `application/x-www-form-urlencoded` encoding (also used as query string):
    /// space as `+`, brackets and every reserved byte percent-encoded.
    pub fn to_form_string(&self) -> String {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.to_pairs() {
            ser.append_pair(&k, &v);
        }
        ser.finish()
    }

    fn put(&mut self, key: String, value: ParamValue) {
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some((_, slot)) => *slot = value,
            None => self.entries.push((key, value)),
        }
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Params {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut p = Params::new();
        for (k, v) in iter {
            p.set(k, v);
        }
        p
    }
}

fn flatten(params: &Params, prefix: Option<&str>, out: &mut Vec<(String, String)>) {
    for (key, value) in &params.entries {
        let full = match prefix {
            Some(p) => format!("{p}[{key}]"),
            None => key.clone(),
        };
        match value {
            ParamValue::Str(s) => out.push((full, s.clone())),
            ParamValue::Map(m) => flatten(m, Some(&full), out),
            ParamValue::List(list) => {
                let elem_prefix = format!("{full}[]");
                for elem in list {
                    flatten(elem, Some(&elem_prefix), out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_keys_flatten_in_order() {
        let mut p = Params::new();
        p.set_map(
            "user",
            Params::new()
                .with("email", "a b@example.com")
                .with("cellphone", "555-123"),
        );
        p.set("send_install_link_via_sms", "false");
        assert_eq!(
            p.to_pairs(),
            vec![
                ("user[email]".to_string(), "a b@example.com".to_string()),
                ("user[cellphone]".to_string(), "555-123".to_string()),
                ("send_install_link_via_sms".to_string(), "false".to_string()),
            ]
        );
        assert_eq!(
            p.to_form_string(),
            "user%5Bemail%5D=a+b%40example.com&user%5Bcellphone%5D=555-123&send_install_link_via_sms=false"
        );
    }

    #[test]
    fn lists_of_maps_and_replacement() {
        let mut p = Params::new();
        p.set("a", "1").set("b", "2").set("a", "3");
        p.push_map("logos", Params::new().with("res", "low").with("url", "u1"));
        p.push_map("logos", Params::new().with("res", "high").with("url", "u2"));
        assert_eq!(p.len(), 3);
        assert_eq!(p.get_str("a"), Some("3"));
        let pairs = p.to_pairs();
        assert_eq!(pairs[0], ("a".into(), "3".into()));
        assert_eq!(pairs[2], ("logos[][res]".into(), "low".into()));
        assert_eq!(pairs[3], ("logos[][url]".into(), "u1".into()));
        assert_eq!(pairs[4], ("logos[][res]".into(), "high".into()));
        assert!(matches!(p.remove("b"), Some(ParamValue::Str(s)) if s == "2"));
        assert!(p.get("b").is_none());
        assert!(Params::new().to_form_string().is_empty());
    }

    #[test]
    fn string_pairs_of_flat_maps_only() {
        let flat = Params::new().with("a", "1").with("b", "2");
        assert_eq!(
            flat.to_string_pairs().unwrap(),
            vec![("a".into(), "1".into()), ("b".into(), "2".into())]
        );
        let mut nested = flat.clone();
        nested.set_map("m", Params::new());
        let e = nested.to_string_pairs().unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument);
    }

    #[test]
    fn reserved_bytes_are_encoded() {
        let p: Params = [("q", "a&b=c/d?e#f%g+h\u{e9}")].into_iter().collect();
        assert_eq!(p.to_form_string(), "q=a%26b%3Dc%2Fd%3Fe%23f%25g%2Bh%C3%A9");
    }
}
