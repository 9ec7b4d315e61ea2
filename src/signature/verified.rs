//! [`VerifiedParams`]: the parameters of a verified callback, read by JSON pointer.

use std::fmt;

use super::reference::{Hash, Node};

/// The parameters of a callback accepted by [`verify_callback`](super::verify_callback), as parsed for the signature.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifiedParams {
    root: Hash,
}

impl fmt::Debug for VerifiedParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Callback values can be personal data (IP addresses, locations): keep them out of logs.
        f.debug_struct("VerifiedParams")
            .field("top_level_keys", &self.root.len())
            .finish_non_exhaustive()
    }
}

impl VerifiedParams {
    pub(super) fn new(root: Hash) -> Self {
        VerifiedParams { root }
    }

    /// The text of the value at `pointer`, a JSON pointer (RFC 6901): `"/status"`,
    /// `"/approval_request/transaction/uuid"`, `"/approval_request/logos/0/url"` (array
    /// elements by index, `~1` for `/` and `~0` for `~` in keys).
    ///
    /// Strings, numbers (their JSON text) and booleans (`"true"`/`"false"`) are returned as
    /// text, and `null` (or a GET key without `=`) as `""`: the signature does not tell these
    /// types apart, so compare the text. `None` when nothing is there, the value is an object or
    /// an array, or its bytes are not UTF-8 (possible in a GET query).
    pub fn get_str(&self, pointer: &str) -> Option<&str> {
        match self.get(pointer)? {
            Node::Null => Some(""),
            Node::Scalar(bytes) => std::str::from_utf8(bytes).ok(),
            Node::Hash(_) | Node::Array(_) => None,
        }
    }

    /// Whether `pointer` names a value (of any kind, empty objects and arrays included).
    pub fn contains(&self, pointer: &str) -> bool {
        self.get(pointer).is_some()
    }

    fn get(&self, pointer: &str) -> Option<&Node> {
        let rest = pointer.strip_prefix('/')?;
        let mut segments = rest.split('/');
        let first = unescape_pointer_segment(segments.next()?);
        let mut node = self.root.get(first.as_bytes())?;
        for segment in segments {
            let segment = unescape_pointer_segment(segment);
            node = match node {
                Node::Hash(hash) => hash.get(segment.as_bytes())?,
                Node::Array(items) => {
                    let canonical_index = segment == "0"
                        || (!segment.starts_with('0')
                            && !segment.is_empty()
                            && segment.bytes().all(|b| b.is_ascii_digit()));
                    if !canonical_index {
                        return None;
                    }
                    items.get(segment.parse::<usize>().ok()?)?
                }
                Node::Null | Node::Scalar(_) => return None,
            };
        }
        Some(node)
    }
}

/// RFC 6901: `~1` is `/`, then `~0` is `~`.
fn unescape_pointer_segment(segment: &str) -> std::borrow::Cow<'_, str> {
    if segment.contains('~') {
        segment.replace("~1", "/").replace("~0", "~").into()
    } else {
        segment.into()
    }
}
