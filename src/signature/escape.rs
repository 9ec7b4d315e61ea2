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
