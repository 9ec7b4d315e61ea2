//! TOTP for Verify v2 factors and challenges (RFC 6238 over RFC 4226 HOTP), with the factor
//! `config` ranges Verify enforces, Base32 secrets (RFC 4648) and the `otpauth://` URI returned
//! once at factor creation (verify-v2.md §2.5, §4.3).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use ring::hmac;

/// `Config.TimeStep` bounds (seconds).
pub const TIME_STEP_RANGE: std::ops::RangeInclusive<u32> = 20..=60;
/// `Config.CodeLength` bounds (digits).
pub const CODE_LENGTH_RANGE: std::ops::RangeInclusive<u32> = 3..=8;
/// `Config.Skew` bounds (time steps either side).
pub const SKEW_RANGE: std::ops::RangeInclusive<u32> = 0..=2;
/// Defaults when neither the request nor the service sets a value.
pub const DEFAULT_TIME_STEP: u32 = 30;
/// Default code length.
pub const DEFAULT_CODE_LENGTH: u32 = 6;
/// Default skew.
pub const DEFAULT_SKEW: u32 = 1;
/// Bytes of a secret the sandbox generates (20 bytes = 32 Base32 characters, the OAI example).
pub const GENERATED_SECRET_BYTES: usize = 20;

/// The HMAC of a TOTP factor (`config.alg`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    /// HMAC-SHA1 (the default).
    Sha1,
    /// HMAC-SHA256.
    Sha256,
    /// HMAC-SHA512.
    Sha512,
}

impl Alg {
    /// `sha1`, `sha256` or `sha512`, in any case (the answer always carries lower case).
    pub fn parse(s: &str) -> Option<Alg> {
        [Alg::Sha1, Alg::Sha256, Alg::Sha512]
            .into_iter()
            .find(|a| a.as_str().eq_ignore_ascii_case(s))
    }

    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Alg::Sha1 => "sha1",
            Alg::Sha256 => "sha256",
            Alg::Sha512 => "sha512",
        }
    }

    /// The `algorithm=` value of an `otpauth://` URI.
    pub fn uri_name(self) -> &'static str {
        match self {
            Alg::Sha1 => "SHA1",
            Alg::Sha256 => "SHA256",
            Alg::Sha512 => "SHA512",
        }
    }

    fn ring(self) -> hmac::Algorithm {
        match self {
            Alg::Sha1 => hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
            Alg::Sha256 => hmac::HMAC_SHA256,
            Alg::Sha512 => hmac::HMAC_SHA512,
        }
    }
}

/// A factor's TOTP settings (`config` of a TOTP factor), already within range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// HMAC algorithm.
    pub alg: Alg,
    /// Seconds per step.
    pub time_step: u32,
    /// Digits per code.
    pub code_length: u32,
    /// Steps accepted either side of the current one.
    pub skew: u32,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            alg: Alg::Sha1,
            time_step: DEFAULT_TIME_STEP,
            code_length: DEFAULT_CODE_LENGTH,
            skew: DEFAULT_SKEW,
        }
    }
}

/// RFC 4226 HOTP: dynamic truncation of HMAC(key, counter), `digits` digits, zero-padded.
pub fn hotp(key: &[u8], counter: u64, alg: Alg, digits: u32) -> String {
    let tag = hmac::sign(&hmac::Key::new(alg.ring(), key), &counter.to_be_bytes());
    let h = tag.as_ref();
    let off = (h[h.len() - 1] & 0x0f) as usize;
    let bin = u32::from_be_bytes([h[off] & 0x7f, h[off + 1], h[off + 2], h[off + 3]]);
    let digits = digits.min(9);
    format!(
        "{:0width$}",
        bin % 10u32.pow(digits),
        width = digits as usize
    )
}

/// The time-step counter of a Unix time (negative times count as step 0).
pub fn counter_at(config: &Config, unix: i64) -> u64 {
    u64::try_from(unix.max(0)).unwrap_or(0) / u64::from(config.time_step.max(1))
}

/// The code of the step containing `unix`.
pub fn code_at(key: &[u8], config: &Config, unix: i64) -> String {
    hotp(
        key,
        counter_at(config, unix),
        config.alg,
        config.code_length,
    )
}

/// Seconds until the step containing `unix` ends (1..=time_step).
pub fn seconds_remaining(config: &Config, unix: i64) -> u64 {
    let step = u64::from(config.time_step.max(1));
    step - u64::try_from(unix.max(0)).unwrap_or(0) % step
}

/// `code` matches the step of `unix` or one within `config.skew` steps of it. Every candidate
/// is compared, in constant time, so the answer's timing tells nothing about which one matched.
pub fn verify(key: &[u8], config: &Config, unix: i64, code: &str) -> bool {
    let now = counter_at(config, unix);
    let skew = u64::from(config.skew);
    let mut ok = false;
    for counter in now.saturating_sub(skew)..=now.saturating_add(skew) {
        let expected = hotp(key, counter, config.alg, config.code_length);
        ok |= super::auth::ct_eq(&expected, code);
    }
    ok
}

const BASE32_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 Base32 without padding (the form Verify returns in `binding.secret`).
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32_ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(BASE32_ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Decodes RFC 4648 Base32, upper or lower case, with or without `=` padding. `None` for any
/// other character, padding in the middle, or a length no encoder produces.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let body = text.trim_end_matches('=');
    if body.contains('=') || text.len() - body.len() > 6 {
        return None;
    }
    // 2, 4, 5, 7 or 0 characters in the last group of 8 are the only lengths an encoder emits.
    if matches!(body.len() % 8, 1 | 3 | 6) {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in body.bytes() {
        let v = match c.to_ascii_uppercase() {
            c @ b'A'..=b'Z' => c - b'A',
            c @ b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        buffer = (buffer << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// A fresh random secret, Base32.
pub fn generate_secret() -> String {
    let mut key = [0u8; GENERATED_SECRET_BYTES];
    rand::Rng::fill(&mut rand::rng(), &mut key[..]);
    base32_encode(&key)
}

/// What an `otpauth://` URI leaves as is: RFC 3986 unreserved characters.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The Key URI of a factor: `otpauth://totp/{issuer}:{account}?secret=…&issuer=…&algorithm=…
/// &digits=…&period=…` (spaces as `%20`, as in the OAI example).
pub fn otpauth_uri(issuer: &str, account: &str, secret: &str, config: &Config) -> String {
    let enc = |s: &str| utf8_percent_encode(s, URI_COMPONENT).to_string();
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm={}&digits={}&period={}",
        enc(issuer),
        enc(account),
        secret,
        enc(issuer),
        config.alg.uri_name(),
        config.code_length,
        config.time_step
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn vectors() -> Value {
        serde_json::from_str(include_str!("../../tests/data/verify_vectors.json")).unwrap()
    }

    fn key(v: &Value, alg: &str) -> Vec<u8> {
        base32_decode(v["totp"]["secrets_base32"][alg].as_str().unwrap()).unwrap()
    }

    #[test]
    fn rfc4226_hotp_vectors() {
        let v = vectors();
        let k = base32_decode(v["hotp"]["secret_base32"].as_str().unwrap()).unwrap();
        assert_eq!(k, b"12345678901234567890");
        for (counter, code) in v["hotp"]["codes"].as_array().unwrap().iter().enumerate() {
            assert_eq!(
                hotp(&k, counter as u64, Alg::Sha1, 6),
                code.as_str().unwrap()
            );
        }
    }

    #[test]
    fn rfc6238_appendix_b_vectors() {
        let v = vectors();
        for row in v["totp"]["rows"].as_array().unwrap() {
            let t = row["time"].as_i64().unwrap();
            for (name, alg) in [
                ("sha1", Alg::Sha1),
                ("sha256", Alg::Sha256),
                ("sha512", Alg::Sha512),
            ] {
                let cfg = Config {
                    alg,
                    code_length: 8,
                    ..Config::default()
                };
                let code = code_at(&key(&v, name), &cfg, t);
                assert_eq!(code, row[name].as_str().unwrap(), "{name} at {t}");
                assert!(verify(&key(&v, name), &cfg, t, &code));
            }
            let six = code_at(&key(&v, "sha1"), &Config::default(), t);
            assert_eq!(six, row["sha1_6"].as_str().unwrap(), "6 digits at {t}");
        }
        let sha1 = key(&v, "sha1");
        let three = Config {
            code_length: 3,
            ..Config::default()
        };
        assert_eq!(
            code_at(&sha1, &three, 59),
            v["totp"]["extras"]["sha1_3_digits_at_59"]
        );
        let minute = Config {
            time_step: 60,
            ..Config::default()
        };
        assert_eq!(
            code_at(&sha1, &minute, 59),
            v["totp"]["extras"]["sha1_step_60_at_59"]
        );
    }

    #[test]
    fn skew_accepts_exactly_its_steps() {
        let k = key(&vectors(), "sha1");
        let t = 1_111_111_109;
        for skew in SKEW_RANGE {
            let cfg = Config {
                skew,
                ..Config::default()
            };
            for d in -3i64..=3 {
                let code = code_at(&k, &cfg, t + 30 * d);
                assert_eq!(
                    verify(&k, &cfg, t, &code),
                    d.unsigned_abs() <= u64::from(skew),
                    "skew {skew}, offset {d} steps"
                );
            }
        }
        // Wrong lengths and non-digits never match.
        let code = code_at(&k, &Config::default(), t);
        assert!(!verify(&k, &Config::default(), t, &code[1..]));
        assert!(!verify(&k, &Config::default(), t, &format!("{code}0")));
        assert!(!verify(&k, &Config::default(), t, "abcdef"));
        assert!(!verify(&k, &Config::default(), t, ""));
    }

    #[test]
    fn step_boundaries_follow_the_clock() {
        let cfg = Config {
            time_step: 20,
            skew: 0,
            ..Config::default()
        };
        assert_eq!(counter_at(&cfg, 39), 1);
        assert_eq!(counter_at(&cfg, 40), 2);
        assert_eq!(seconds_remaining(&cfg, 40), 20);
        assert_eq!(seconds_remaining(&cfg, 59), 1);
        assert_eq!(
            counter_at(&cfg, -5),
            0,
            "before 1970 is step 0, not a panic"
        );
    }

    #[test]
    fn base32_round_trips_and_refuses_junk() {
        for n in 0..=41usize {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            let text = base32_encode(&bytes);
            assert_eq!(base32_decode(&text).unwrap(), bytes, "{n} bytes");
            assert_eq!(base32_decode(&text.to_lowercase()).unwrap(), bytes);
            let padded = format!("{text}{}", "=".repeat((8 - text.len() % 8) % 8));
            assert_eq!(base32_decode(&padded).unwrap(), bytes, "padded {padded}");
        }
        assert_eq!(
            base32_decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap(),
            b"12345678901234567890"
        );
        for bad in [
            "GEZ1",
            "GE=Z",
            "G",
            "GEZ",
            "GEZDGN",
            "AB CD",
            "ÄB",
            "GE========",
        ] {
            assert_eq!(base32_decode(bad), None, "{bad}");
        }
        let s = generate_secret();
        assert_eq!(s.len(), 32);
        assert_eq!(base32_decode(&s).unwrap().len(), GENERATED_SECRET_BYTES);
    }

    #[test]
    fn key_uri_matches_the_documented_shape() {
        let cfg = Config::default();
        assert_eq!(
            otpauth_uri(
                "test-issuer",
                "John\u{2019}s Account Name",
                "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
                &cfg
            ),
            "otpauth://totp/test-issuer:John%E2%80%99s%20Account%20Name?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=test-issuer&algorithm=SHA1&digits=6&period=30"
        );
        let cfg = Config {
            alg: Alg::Sha512,
            time_step: 60,
            code_length: 8,
            skew: 0,
        };
        let uri = otpauth_uri("My App", "a:b&c", "AAAA", &cfg);
        assert_eq!(
            uri,
            "otpauth://totp/My%20App:a%3Ab%26c?secret=AAAA&issuer=My%20App&algorithm=SHA512&digits=8&period=60"
        );
        for alg in ["sha1", "sha256", "sha512"] {
            assert_eq!(Alg::parse(alg).unwrap().as_str(), alg);
        }
        assert_eq!(Alg::parse("SHA256"), Some(Alg::Sha256));
        assert_eq!(Alg::parse("sha-1"), None);
        assert_eq!(Alg::parse("md5"), None);
    }
}
