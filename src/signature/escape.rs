//! CGI escaping (Ruby's `CGI.escape`, as Rails' `to_query` uses it) and the byte sinks the
//! canonical text is written to.

use hmac::Mac;

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// 0 for the bytes `CGI.escape` leaves as they are (`A-Z a-z 0-9 _ . - ~`), 1 for the others.
static RESERVED: [u8; 256] = {
    let mut t = [1; 256];
    let mut b = 0;
    while b < 256 {
        if matches!(b as u8, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~') {
            t[b] = 0;
        }
        b += 1;
    }
    t
};

/// Whether `CGI.escape` leaves `b` as it is.
#[inline]
pub(crate) fn is_unreserved(b: u8) -> bool {
    RESERVED[usize::from(b)] == 0
}

/// The value of a hex digit, either case (form decoding accepts both).
#[inline]
pub(crate) fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Where canonical text goes: a buffer, or straight into the HMAC.
pub(crate) trait Sink {
    /// Appends `bytes`.
    fn write(&mut self, bytes: &[u8]);
    /// Appends one byte.
    fn push(&mut self, byte: u8);
    /// Bytes written so far.
    fn written(&self) -> usize;
}

impl Sink for Vec<u8> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
    #[inline]
    fn push(&mut self, byte: u8) {
        Vec::push(self, byte);
    }
    fn written(&self) -> usize {
        self.len()
    }
}

/// Feeds an HMAC (SHA-256 for Authy, SHA-1 for Twilio) through a stack buffer of `N` bytes:
/// `Mac::update` per fragment costs far more than a copy, and a buffer much larger than the
/// string costs its zeroing.
pub(crate) struct MacSink<M, const N: usize> {
    mac: M,
    buf: [u8; N],
    len: usize,
    total: usize,
}

impl<M: Mac, const N: usize> MacSink<M, N> {
    pub(crate) fn new(mac: M) -> Self {
        MacSink {
            mac,
            buf: [0; N],
            len: 0,
            total: 0,
        }
    }

    /// The HMAC with everything written fed into it.
    pub(crate) fn finish(mut self) -> M {
        self.mac.update(&self.buf[..self.len]);
        self.mac
    }

    /// `bytes` do not fit: hand the buffer to the HMAC first.
    #[cold]
    fn spill(&mut self, bytes: &[u8]) {
        self.mac.update(&self.buf[..self.len]);
        self.len = 0;
        if bytes.len() >= self.buf.len() {
            self.mac.update(bytes);
        } else {
            self.buf[..bytes.len()].copy_from_slice(bytes);
            self.len = bytes.len();
        }
    }
}

impl<M: Mac, const N: usize> Sink for MacSink<M, N> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.total += bytes.len();
        if let Some(room) = self.buf.get_mut(self.len..self.len + bytes.len()) {
            room.copy_from_slice(bytes);
            self.len += bytes.len();
        } else {
            self.spill(bytes);
        }
    }

    #[inline]
    fn push(&mut self, byte: u8) {
        self.total += 1;
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = byte;
            self.len += 1;
        } else {
            self.spill(&[byte]);
        }
    }
    fn written(&self) -> usize {
        self.total
    }
}

/// The first index at or after `i` that is not an unreserved byte (`bytes.len()` if none):
/// eight bytes at a time while they are all unreserved.
#[inline]
pub(crate) fn skip_unreserved(bytes: &[u8], mut i: usize) -> usize {
    let reserved = |b: u8| RESERVED[usize::from(b)];
    while let Some(w) = bytes.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let any = reserved(w[0])
            | reserved(w[1])
            | reserved(w[2])
            | reserved(w[3])
            | reserved(w[4])
            | reserved(w[5])
            | reserved(w[6])
            | reserved(w[7]);
        if any != 0 {
            break;
        }
        i += 8;
    }
    while i < bytes.len() && is_unreserved(bytes[i]) {
        i += 1;
    }
    i
}

/// CGI escaping of `bytes` into `out`: everything but `A-Z a-z 0-9 _ . - ~` percent-encoded
/// (upper-case hex), space as `+`. Runs of unreserved bytes are written at once.
pub(crate) fn escape_into<S: Sink + ?Sized>(out: &mut S, bytes: &[u8]) {
    let mut run = 0;
    loop {
        let i = skip_unreserved(bytes, run);
        let Some(&b) = bytes.get(i) else {
            break;
        };
        if run < i {
            out.write(&bytes[run..i]);
        }
        if b == b' ' {
            out.push(b'+');
        } else {
            out.write(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0x0f)]]);
        }
        run = i + 1;
    }
    if run < bytes.len() {
        out.write(&bytes[run..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::{Hmac, KeyInit};
    use sha1::Sha1;
    use sha2::Sha256;

    /// The same bytes through a `MacSink<M, N>` in pieces of the sizes `cut` gives, and
    /// through one `update`: the same tag, and `written` counts every byte.
    fn same_tag<M: Mac + KeyInit + Clone, const N: usize>(
        data: &[u8],
        cut: &mut dyn FnMut(usize) -> usize,
    ) {
        let key = M::new_from_slice(b"key").unwrap();
        let mut sink = MacSink::<M, N>::new(key.clone());
        let mut at = 0;
        let mut step = 0;
        while at < data.len() {
            let n = cut(step).clamp(1, data.len() - at);
            if n == 1 && step % 2 == 0 {
                sink.push(data[at]);
            } else {
                sink.write(&data[at..at + n]);
            }
            at += n;
            step += 1;
            assert_eq!(sink.written(), at);
        }
        let mut whole = key;
        whole.update(data);
        assert_eq!(
            sink.finish().finalize().into_bytes(),
            whole.finalize().into_bytes(),
            "{} bytes, N = {N}",
            data.len()
        );
    }

    fn boundary_cases<M: Mac + KeyInit + Clone, const N: usize>() {
        for len in [
            0,
            1,
            N - 1,
            N,
            N + 1,
            2 * N - 1,
            2 * N,
            2 * N + 1,
            4095,
            4096,
            4097,
        ] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
            same_tag::<M, N>(&data, &mut |_| len); // one write
            same_tag::<M, N>(&data, &mut |s| [1, 3, 7, 64, 2][s % 5]); // small pieces
            same_tag::<M, N>(&data, &mut |s| if s == 0 { N - 1 } else { 2 }); // across the edge
            same_tag::<M, N>(&data, &mut |s| if s == 0 { N } else { N + 1 }); // exactly full
            same_tag::<M, N>(&data, &mut |_| N + 1); // larger than the buffer
        }
    }

    #[test]
    fn mac_sink_matches_one_update_at_every_boundary() {
        boundary_cases::<Hmac<Sha256>, 2048>();
        boundary_cases::<Hmac<Sha1>, 1024>();
        boundary_cases::<Hmac<Sha256>, 4096>();
    }

    #[test]
    fn escaping_like_cgi_escape() {
        let mut all = Vec::new();
        for b in 0..=255u8 {
            let mut out = Vec::new();
            escape_into(&mut out, &[b]);
            let want = if b.is_ascii_alphanumeric() || b"_.-~".contains(&b) {
                vec![b]
            } else if b == b' ' {
                b"+".to_vec()
            } else {
                format!("%{b:02X}").into_bytes()
            };
            assert_eq!(out, want, "byte {b:#04x}");
            all.extend_from_slice(&want);
        }
        // All bytes at once, and at every offset of the eight-byte scan.
        let bytes: Vec<u8> = (0..=255u8).collect();
        let mut out = Vec::new();
        escape_into(&mut out, &bytes);
        assert_eq!(out, all);
        for pad in 0..17 {
            let mut text = vec![b'a'; pad];
            text.push(b'/');
            text.extend(std::iter::repeat_n(b'Z', pad));
            let mut out = Vec::new();
            escape_into(&mut out, &text);
            let want = format!("{}%2F{}", "a".repeat(pad), "Z".repeat(pad));
            assert_eq!(out, want.as_bytes(), "pad {pad}");
            assert_eq!(skip_unreserved(&text, 0), pad);
        }
    }
}
