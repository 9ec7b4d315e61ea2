//! [`Params`]: a small ordered tree of request parameters, encoded with Rack/Rails nested
//! keys (`user[email]`, `details[Key]`, `logos[][res]`), and the parser of those keys
//! ([`Params::set_nested`]).

use crate::error::Error;

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
/// [`set_nested`](Params::set_nested) fills the same tree from Rack key paths
/// (`details[IP]`, `logos[][url]`), as the C API's `authy_params_set()` does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    entries: Vec<(String, ParamValue)>,
}

impl Params {
    /// Longest key path [`set_nested`](Params::set_nested) accepts, in bytes.
    pub const MAX_KEY_LEN: usize = 1024;
    /// Most segments of a key path [`set_nested`](Params::set_nested) accepts (`a[b][c]` has
    /// three; `[]` counts as one).
    pub const MAX_KEY_DEPTH: usize = 8;
    /// Most entries, all levels together, a tree filled with
    /// [`set_nested`](Params::set_nested) may hold (an array element is not an entry, its
    /// keys are).
    pub const MAX_ENTRIES: usize = 1000;

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

    /// Sets the value at a Rack/Rails key path, creating the maps and arrays on the way:
    ///
    /// - `force` → the plain value `force`, like [`set`](Params::set);
    /// - `details[Location]` → the entry `Location` of the map `details` (a digit key such as
    ///   `logos[0][res]` is a map key too, `"0"`, as Rack reads it);
    /// - `logos[][res]`, `logos[][url]` → an array of maps: a key path the last element
    ///   already has starts a new element, so set `res` then `url` for each logo in turn.
    ///
    /// A value already at the path (or at a prefix of it, when it is not a map) is replaced in
    /// place, keeping the order.
    ///
    /// Errors with [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument), leaving
    /// the tree unchanged, for a malformed key (empty, over [`MAX_KEY_LEN`](Params::MAX_KEY_LEN)
    /// bytes or [`MAX_KEY_DEPTH`](Params::MAX_KEY_DEPTH) segments, not starting with a name,
    /// unbalanced brackets), an array of plain values (`a[]`), nested arrays (`a[][b][]`), or
    /// when the tree would hold more than [`MAX_ENTRIES`](Params::MAX_ENTRIES) entries.
    ///
    /// ```
    /// use authy::Params;
    /// let mut p = Params::new();
    /// p.set_nested("details[IP]", "10.0.0.1")?
    ///     .set_nested("logos[][res]", "default")?
    ///     .set_nested("logos[][url]", "https://example.com/a.png")?;
    /// assert_eq!(p.to_pairs()[2], ("logos[][url]".into(), "https://example.com/a.png".into()));
    /// assert!(p.set_nested("details[", "x").is_err());
    /// # Ok::<(), authy::Error>(())
    /// ```
    pub fn set_nested(&mut self, key: &str, value: impl Into<String>) -> Result<&mut Self, Error> {
        let path = KeyPath::parse(key)?;
        let existing = self.get(path.head);
        let replaced = existing.map_or(0, |v| 1 + v.entry_count());
        let value = placed(
            existing.cloned(),
            &path.names,
            path.element.as_deref(),
            value.into(),
        );
        let total = self.entry_count() - replaced + 1 + value.entry_count();
        if total > Self::MAX_ENTRIES {
            return Err(Error::invalid_argument(format!(
                "too many parameters (at most {})",
                Self::MAX_ENTRIES
            )));
        }
        self.put(path.head.to_owned(), value);
        Ok(self)
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

    /// The number of entries at every level (array elements themselves not counted).
    fn entry_count(&self) -> usize {
        self.entries.iter().map(|(_, v)| 1 + v.entry_count()).sum()
    }

    /// Has the path `first`, `rest...` (plain names) a value already? A plain value or an
    /// array on the way ends the path there.
    fn has_path(&self, first: &str, rest: &[&str]) -> bool {
        match (self.get(first), rest.split_first()) {
            (None, _) => false,
            (Some(ParamValue::Map(m)), Some((next, rest))) => m.has_path(next, rest),
            (Some(_), next) => next.is_none(),
        }
    }

    /// Sets `value` at `name`, `more...` and then, if `element` is given, inside the array
    /// found there (see [`placed`]).
    fn place(&mut self, name: &str, more: &[&str], element: Option<&[&str]>, value: String) {
        let old = self.remove_in_place(name);
        let new = placed(old, more, element, value);
        self.put(name.to_owned(), new);
    }

    /// Takes the value of `key` out, leaving a placeholder where it was (so that a
    /// [`put`](Params::put) of the same key keeps the position).
    fn remove_in_place(&mut self, key: &str) -> Option<ParamValue> {
        let (_, slot) = self.entries.iter_mut().find(|(k, _)| k == key)?;
        Some(std::mem::replace(slot, ParamValue::Str(String::new())))
    }
}

impl ParamValue {
    /// The entries below this value (0 for a plain value).
    fn entry_count(&self) -> usize {
        match self {
            ParamValue::Str(_) => 0,
            ParamValue::Map(m) => m.entry_count(),
            ParamValue::List(l) => l.iter().map(Params::entry_count).sum(),
        }
    }
}

/// The new value of an entry whose value was `old` after setting `value` at the names `more`
/// below it, then (with `element`) at the names `element` inside the array reached there:
/// a key path the last element already has starts a new element (Rack semantics). A value
/// that is not a map (or not an array) where one is needed is replaced.
fn placed(
    old: Option<ParamValue>,
    more: &[&str],
    element: Option<&[&str]>,
    value: String,
) -> ParamValue {
    match (more.split_first(), element.and_then(<[&str]>::split_first)) {
        (Some((next, more)), _) => {
            let mut map = match old {
                Some(ParamValue::Map(m)) => m,
                _ => Params::new(),
            };
            map.place(next, more, element, value);
            ParamValue::Map(map)
        }
        (None, None) => ParamValue::Str(value),
        (None, Some((first, rest))) => {
            let mut list = match old {
                Some(ParamValue::List(l)) => l,
                _ => Vec::new(),
            };
            let mut last = match list.pop() {
                Some(last) if !last.has_path(first, rest) => last,
                Some(full) => {
                    list.push(full);
                    Params::new()
                }
                None => Params::new(),
            };
            last.place(first, rest, None, value);
            list.push(last);
            ParamValue::List(list)
        }
    }
}

/// A parsed and checked key path: `a[b][][c][d]` is `head` `a`, `names` `[b]`, `element`
/// `[c, d]` (the names inside each element of the array `a[b]`).
#[derive(Debug, PartialEq, Eq)]
struct KeyPath<'a> {
    head: &'a str,
    names: Vec<&'a str>,
    element: Option<Vec<&'a str>>,
}

impl<'a> KeyPath<'a> {
    /// Parses `key`; every error is an invalid argument naming the problem.
    fn parse(key: &'a str) -> Result<KeyPath<'a>, Error> {
        let bad = |why: &str| Error::invalid_argument(format!("invalid parameter key: {why}"));
        if key.is_empty() {
            return Err(bad("empty"));
        }
        if key.len() > Params::MAX_KEY_LEN {
            return Err(bad("too long"));
        }
        let (head, mut rest) = match key.find('[') {
            Some(i) => key.split_at(i),
            None => (key, ""),
        };
        if head.is_empty() || head.contains(']') {
            return Err(bad("must start with a name"));
        }
        // The bracketed segments; "" is `[]`.
        let mut segments = Vec::new();
        while !rest.is_empty() {
            let Some(inner_end) = rest.find(']') else {
                return Err(bad("unbalanced '['"));
            };
            let Some(inner) = rest[..inner_end].strip_prefix('[') else {
                return Err(bad("expected '['"));
            };
            if inner.contains('[') {
                return Err(bad("unbalanced '['"));
            }
            segments.push(inner);
            rest = &rest[inner_end + 1..];
            if 1 + segments.len() > Params::MAX_KEY_DEPTH {
                return Err(bad("nested too deeply"));
            }
        }
        let Some(push) = segments.iter().position(|s| s.is_empty()) else {
            return Ok(KeyPath {
                head,
                names: segments,
                element: None,
            });
        };
        let element = segments.split_off(push + 1);
        segments.pop();
        if element.is_empty() {
            let array = segments.last().copied().unwrap_or(head);
            return Err(Error::invalid_argument(format!(
                "arrays of plain values ('{array}[]') are not supported; use '{array}[][name]'"
            )));
        }
        if element.iter().any(|s| s.is_empty()) {
            return Err(Error::invalid_argument(
                "nested arrays ('[]' twice) are not supported",
            ));
        }
        Ok(KeyPath {
            head,
            names: segments,
            element: Some(element),
        })
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

/// `"true"` / `"false"`: how the API spells a boolean parameter.
pub(crate) fn bool_str(b: bool) -> &'static str {
    if b { "true" } else { "false" }
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

/// Keys [`Params::set_nested`] refuses, one per kind of mistake (also used by the tests of the
/// C wrapper, `authy_params_set()`).
#[cfg(test)]
pub(crate) const MALFORMED_KEYS: [&str; 14] = [
    "",
    "[a]",
    "]",
    "a[",
    "a[b",
    "a]b",
    "a[b]c",
    "a[]",
    "a[b][]",
    "a[][]",
    "a[][][b]",
    "a[][b][]",
    "a[b[c]]",
    "a[1][2][3][4][5][6][7][8]",
];

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

    fn pairs(p: &Params) -> Vec<(String, String)> {
        p.to_pairs()
    }

    fn expected(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn nested_keys_build_the_tree_rack_reads() {
        // The tree of the typed setters (the C wrapper's tests check the flattened pairs).
        let mut p = Params::new();
        for (key, value) in [
            ("message", "Log in?"),
            ("details[Location]", "Paris"),
            ("logos[][res]", "default"),
            ("logos[][url]", "https://e.com/a.png"),
            ("logos[][res]", "low"),
            ("message", "Log in now?"),
        ] {
            p.set_nested(key, value).unwrap();
        }
        let mut typed = Params::new();
        typed
            .set("message", "Log in now?")
            .set_map("details", Params::new().with("Location", "Paris"))
            .push_map(
                "logos",
                Params::new()
                    .with("res", "default")
                    .with("url", "https://e.com/a.png"),
            )
            .push_map("logos", Params::new().with("res", "low"));
        assert_eq!(p, typed);

        // Maps inside array elements, arrays inside maps; a key path the last element already
        // has starts a new element.
        let mut p = Params::new();
        p.set_nested("l[][x][y]", "1").unwrap();
        p.set_nested("l[][x][z]", "2").unwrap();
        p.set_nested("l[][x][y]", "3").unwrap();
        p.set_nested("m[n][][k]", "4").unwrap();
        let element = |x: &[(&str, &str)]| {
            let mut e = Params::new();
            e.set_map("x", x.iter().copied().collect());
            e
        };
        let mut m = Params::new();
        m.push_map("n", Params::new().with("k", "4"));
        let mut typed = Params::new();
        typed
            .push_map("l", element(&[("y", "1"), ("z", "2")]))
            .push_map("l", element(&[("y", "3")]))
            .set_map("m", m);
        assert_eq!(p, typed);

        // Digit keys are map keys, as Rack reads `logos[0][res]`.
        let mut p = Params::new();
        p.set_nested("logos[0][res]", "default").unwrap();
        p.set_nested("logos[0][url]", "https://e.com/a.png")
            .unwrap();
        p.set_nested("logos[1][res]", "low").unwrap();
        let Some(ParamValue::Map(logos)) = p.get("logos") else {
            panic!("logos is a map: {p:?}");
        };
        assert_eq!(logos.len(), 2);
        assert_eq!(
            pairs(&p),
            expected(&[
                ("logos[0][res]", "default"),
                ("logos[0][url]", "https://e.com/a.png"),
                ("logos[1][res]", "low"),
            ])
        );
    }

    #[test]
    fn nested_keys_replace_in_place() {
        let mut p = Params::new();
        p.set_nested("a", "1").unwrap();
        p.set_nested("b", "2").unwrap();
        // A plain value becomes a map, a map an array, an array a plain value: same position.
        p.set_nested("a[x]", "3").unwrap();
        assert_eq!(pairs(&p), expected(&[("a[x]", "3"), ("b", "2")]));
        p.set_nested("a[][y]", "4").unwrap();
        assert_eq!(pairs(&p), expected(&[("a[][y]", "4"), ("b", "2")]));
        p.set_nested("a", "5").unwrap();
        assert_eq!(pairs(&p), expected(&[("a", "5"), ("b", "2")]));
        // Chaining, and a key with brackets stays a literal key with plain `set`.
        p.set_nested("c[d]", "6").unwrap().set("e[f]", "7");
        assert_eq!(p.get_str("e[f]"), Some("7"));
        assert!(matches!(p.get("c"), Some(ParamValue::Map(_))));
    }

    #[test]
    fn malformed_nested_keys_are_refused_and_leave_the_tree_unchanged() {
        let mut p = Params::new();
        p.set_nested("a", "1").unwrap();
        let before = p.clone();
        for bad in MALFORMED_KEYS {
            let e = p.set_nested(bad, "x").unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument, "{bad:?}");
            assert_eq!(p, before, "{bad:?}");
        }
        let e = p.set_nested("a[b][]", "x").unwrap_err();
        assert!(e.message().contains("'b[]'"), "{}", e.message());
        let e = p.set_nested("a[][b][]", "x").unwrap_err();
        assert!(e.message().contains("nested arrays"), "{}", e.message());
    }

    #[test]
    fn nested_key_length_and_depth_limits() {
        let mut p = Params::new();
        // Length: at the limit and one byte over.
        let longest = "k".repeat(Params::MAX_KEY_LEN);
        p.set_nested(&longest, "v").unwrap();
        let e = p
            .set_nested(&"k".repeat(Params::MAX_KEY_LEN + 1), "v")
            .unwrap_err();
        assert!(e.message().contains("too long"), "{}", e.message());
        let nested_longest = format!("a[{}]", "k".repeat(Params::MAX_KEY_LEN - 3));
        assert_eq!(nested_longest.len(), Params::MAX_KEY_LEN);
        p.set_nested(&nested_longest, "v").unwrap();
        // Depth: MAX_KEY_DEPTH segments, and one more (`[]` counts too).
        let deepest = format!("a{}", "[b]".repeat(Params::MAX_KEY_DEPTH - 1));
        p.set_nested(&deepest, "v").unwrap();
        let e = p.set_nested(&format!("{deepest}[c]"), "v").unwrap_err();
        assert!(e.message().contains("nested too deeply"), "{}", e.message());
        let deepest_array = format!("l[]{}", "[b]".repeat(Params::MAX_KEY_DEPTH - 2));
        p.set_nested(&deepest_array, "v").unwrap();
        assert!(p.set_nested(&format!("{deepest_array}[c]"), "v").is_err());
    }

    #[test]
    #[cfg_attr(miri, ignore = "thousands of tree walks: slow under Miri, no pointers")]
    fn nested_entry_limit() {
        let mut p = Params::new();
        for i in 0..Params::MAX_ENTRIES {
            p.set_nested(&format!("k{i}"), "v").unwrap();
        }
        let full = p.clone();
        let e = p.set_nested("one_more", "v").unwrap_err();
        assert!(
            e.message().contains("too many parameters"),
            "{}",
            e.message()
        );
        assert_eq!(p, full, "unchanged");
        // Replacing keeps the count; a plain value turned into a map adds one entry.
        p.set_nested("k0", "replaced").unwrap();
        assert!(p.set_nested("k1[x]", "v").is_err());
        assert_eq!(p.get_str("k1"), Some("v"));

        // Every level counts: a map with one entry is two entries; array elements are not.
        let mut p = Params::new();
        for i in 0..Params::MAX_ENTRIES / 2 {
            p.set_nested(&format!("m{i}[x]"), "v").unwrap();
        }
        assert!(p.set_nested("x", "v").is_err());
        let mut p = Params::new();
        for _ in 0..Params::MAX_ENTRIES - 1 {
            p.set_nested("l[][x]", "v").unwrap();
        }
        let Some(ParamValue::List(l)) = p.get("l") else {
            panic!("l is an array");
        };
        assert_eq!(l.len(), Params::MAX_ENTRIES - 1);
        assert!(p.set_nested("l[][x]", "v").is_err());
        // Replacing a whole subtree frees its entries.
        p.set_nested("l", "v").unwrap();
        p.set_nested("m[x]", "v").unwrap();
    }

    #[test]
    fn reserved_bytes_are_encoded() {
        let p: Params = [("q", "a&b=c/d?e#f%g+h\u{e9}")].into_iter().collect();
        assert_eq!(p.to_form_string(), "q=a%26b%3Dc%2Fd%3Fe%23f%25g%2Bh%C3%A9");
    }
}
