//! Helpers of the Verify TOTP/Push tests: a device written independently of the sandbox's
//! `push` module (ring ECDSA directly, JWTs assembled by hand), an independent HOTP and
//! `X-Twilio-Signature` (a SHA-1 written here), the vectors file, and shortcuts for services,
//! entities and factors.
#![allow(dead_code)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, KeyPair as _};
use serde_json::Value;

use crate::common::{Env, Resp, enc};

/// `sandbox/tests/data/verify_vectors.json`.
pub fn vectors() -> Value {
    serde_json::from_str(include_str!("../data/verify_vectors.json")).unwrap()
}

/// A phone's key pair.
pub struct Device {
    der: EcdsaKeyPair,
    fixed: EcdsaKeyPair,
    /// Base64 DER SPKI (`Binding.PublicKey`).
    pub public_key: String,
}

const SPKI_PREFIX: &str = "3059301306072a8648ce3d020106082a8648ce3d030107034200";

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

impl Device {
    /// The verify-v2.md §4.4.5 test key.
    pub fn vector() -> Device {
        let v = vectors();
        let d = hex(v["push"]["private_scalar_hex"].as_str().unwrap());
        let spki = STANDARD
            .decode(v["push"]["public_key"].as_str().unwrap())
            .unwrap();
        let point = &spki[26..];
        let rng = SystemRandom::new();
        let pair =
            |alg| EcdsaKeyPair::from_private_key_and_public_key(alg, &d, point, &rng).unwrap();
        Device::from(
            pair(&signature::ECDSA_P256_SHA256_ASN1_SIGNING),
            pair(&signature::ECDSA_P256_SHA256_FIXED_SIGNING),
        )
    }

    /// A fresh key.
    pub fn random() -> Device {
        let rng = SystemRandom::new();
        let pkcs8 =
            EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
        let pair = |alg| EcdsaKeyPair::from_pkcs8(alg, pkcs8.as_ref(), &rng).unwrap();
        Device::from(
            pair(&signature::ECDSA_P256_SHA256_ASN1_SIGNING),
            pair(&signature::ECDSA_P256_SHA256_FIXED_SIGNING),
        )
    }

    fn from(der: EcdsaKeyPair, fixed: EcdsaKeyPair) -> Device {
        let mut spki = hex(SPKI_PREFIX);
        spki.extend_from_slice(der.public_key().as_ref());
        Device {
            der,
            fixed,
            public_key: STANDARD.encode(spki),
        }
    }

    /// Base64 DER signature over the factor SID (factor verification).
    pub fn factor_payload(&self, factor_sid: &str) -> String {
        let sig = self
            .der
            .sign(&SystemRandom::new(), factor_sid.as_bytes())
            .unwrap();
        STANDARD.encode(sig.as_ref())
    }

    /// A compact ES256 JWS of the given header and claims texts.
    pub fn jws(&self, header: &str, claims: &str) -> String {
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(claims)
        );
        let sig = self
            .fixed
            .sign(&SystemRandom::new(), input.as_bytes())
            .unwrap();
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.as_ref()))
    }

    /// What the SDK sends to answer a challenge it fetched: the listed fields copied from the
    /// JSON, then `status`; header `{"typ":"JWT","alg":"ES256"}`.
    pub fn answer(&self, challenge: &Value, fields_header: &str, status: &str) -> String {
        let mut claims = serde_json::Map::new();
        for f in fields_header.split(',') {
            claims.insert(f.to_string(), challenge[f].clone());
        }
        claims.insert("status".into(), Value::String(status.into()));
        self.jws(
            r#"{"typ":"JWT","alg":"ES256"}"#,
            &serde_json::to_string(&claims).unwrap(),
        )
    }
}

// --- An independent SHA-1 / HMAC-SHA1 / X-Twilio-Signature (FIPS 180-4, RFC 2104). ---

pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 80];
        for i in 0..16 {
            w[i] = u32::from_be_bytes(block[4 * i..4 * i + 4].try_into().unwrap());
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A827999),
                20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, x) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

pub fn hmac_sha1(key: &[u8], data: &[u8]) -> [u8; 20] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..20].copy_from_slice(&sha1(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let pad = |b: u8| k.iter().map(|x| x ^ b).collect::<Vec<u8>>();
    let mut inner = pad(0x36);
    inner.extend_from_slice(data);
    let mut outer = pad(0x5c);
    outer.extend_from_slice(&sha1(&inner));
    sha1(&outer)
}

/// `X-Twilio-Signature` as twilio-python's `RequestValidator.compute_signature` computes it.
pub fn twilio_signature(token: &str, url: &str, params: &[(String, String)]) -> String {
    let mut names: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
    names.sort();
    names.dedup();
    let mut s = url.to_string();
    for n in names {
        let mut values: Vec<&str> = params
            .iter()
            .filter(|(k, _)| k == n)
            .map(|(_, v)| v.as_str())
            .collect();
        values.sort();
        values.dedup();
        for v in values {
            s.push_str(n);
            s.push_str(v);
        }
    }
    STANDARD.encode(hmac_sha1(token.as_bytes(), s.as_bytes()))
}

/// Decodes a form body into pairs.
pub fn form_pairs(body: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(body.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

// --- An independent HOTP (RFC 4226) over this SHA-1 or the hmac/sha2 crates. ---

pub fn base32_decode(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u64, 0);
    for c in s.trim_end_matches('=').chars() {
        let v = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
            .find(c.to_ascii_uppercase())
            .unwrap() as u64;
        buf = (buf << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    out
}

pub fn hotp(alg: &str, key: &[u8], counter: u64, digits: u32) -> String {
    use hmac::{Hmac, KeyInit, Mac};
    let msg = counter.to_be_bytes();
    let h: Vec<u8> = match alg {
        "sha1" => hmac_sha1(key, &msg).to_vec(),
        "sha256" => {
            let mut m = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key).unwrap();
            m.update(&msg);
            m.finalize().into_bytes().to_vec()
        }
        _ => {
            let mut m = <Hmac<sha2::Sha512> as KeyInit>::new_from_slice(key).unwrap();
            m.update(&msg);
            m.finalize().into_bytes().to_vec()
        }
    };
    let off = (h[h.len() - 1] & 0xf) as usize;
    let bin = u32::from_be_bytes([h[off] & 0x7f, h[off + 1], h[off + 2], h[off + 3]]);
    format!("{:0w$}", bin % 10u32.pow(digits), w = digits as usize)
}

// --- Shortcuts. ---

pub fn real_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

/// Sleeps until 50 ms past the next whole second of real time, so that a few quick requests
/// that follow see the same sandbox second.
pub fn align_to_second() {
    let frac = real_now().fract();
    std::thread::sleep(Duration::from_secs_f64(1.05 - frac));
}

/// Moves the sandbox clock so that it reads `target` now; returns the sandbox time answered.
pub fn set_clock(env: &Env, target: i64) -> i64 {
    let now = advance(env, 0);
    advance(env, target - now)
}

/// Advances the sandbox clock; returns the new sandbox time.
pub fn advance(env: &Env, seconds: i64) -> i64 {
    let r = env.post_form("/sandbox/clock/advance", &format!("seconds={seconds}"));
    assert_eq!(r.status, 200, "{}", r.body);
    r.json["now"].as_i64().unwrap()
}

/// A service, an entity path under it.
pub struct Svc<'a> {
    pub env: &'a Env,
    pub sid: String,
}

impl<'a> Svc<'a> {
    pub fn new(env: &'a Env, extra: &str) -> Svc<'a> {
        Svc {
            sid: env.service(extra),
            env,
        }
    }

    pub fn path(&self, rest: &str) -> String {
        format!("/v2/Services/{}{rest}", self.sid)
    }

    pub fn entity(&self, identity: &str, rest: &str) -> String {
        self.path(&format!("/Entities/{identity}{rest}"))
    }

    pub fn post(&self, path: &str, form: &str) -> Resp {
        self.env.tw("POST", path, form)
    }

    pub fn get(&self, path: &str, query: &str) -> Resp {
        self.env.tw("GET", path, query)
    }

    /// Creates a TOTP factor; returns the create answer.
    pub fn totp_factor(&self, identity: &str, extra: &str) -> Value {
        let mut form = "FriendlyName=My+phone&FactorType=totp".to_string();
        if !extra.is_empty() {
            form.push('&');
            form.push_str(extra);
        }
        let r = self.post(&self.entity(identity, "/Factors"), &form);
        assert_eq!(r.status, 201, "{}", r.body);
        r.json
    }

    /// The factor's current code as the sandbox's control API tells it.
    pub fn code(&self, identity: &str, factor_sid: &str) -> String {
        let r = self.env.tw(
            "GET",
            &format!(
                "/sandbox/verify/Services/{}/Entities/{identity}/Factors/{factor_sid}/Code",
                self.sid
            ),
            "",
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.json["code"].as_str().unwrap().to_string()
    }

    /// A verified TOTP factor; returns its create answer.
    pub fn verified_totp(&self, identity: &str, extra: &str) -> Value {
        let f = self.totp_factor(identity, extra);
        let sid = f["sid"].as_str().unwrap();
        let code = self.code(identity, sid);
        let r = self.post(
            &self.entity(identity, &format!("/Factors/{sid}")),
            &format!("AuthPayload={code}"),
        );
        assert_eq!(r.json["status"], "verified", "{}", r.body);
        f
    }

    /// Creates a push factor for `device`; returns the create answer.
    pub fn push_factor(&self, identity: &str, device: &Device, extra: &str) -> Resp {
        let mut form = format!(
            "FriendlyName=Pixel&FactorType=push&Binding.Alg=ES256&Binding.PublicKey={}&Config.AppId=com.example.app&Config.NotificationPlatform=none&Config.SdkVersion=0.9.0",
            enc(&device.public_key)
        );
        if !extra.is_empty() {
            form.push('&');
            form.push_str(extra);
        }
        self.post(&self.entity(identity, "/Factors"), &form)
    }

    /// A verified push factor of `device`; returns its SID.
    pub fn verified_push(&self, identity: &str, device: &Device) -> String {
        let r = self.push_factor(identity, device, "");
        assert_eq!(r.status, 201, "{}", r.body);
        let sid = r.json["sid"].as_str().unwrap().to_string();
        let v = self.post(
            &self.entity(identity, &format!("/Factors/{sid}")),
            &format!("AuthPayload={}", enc(&device.factor_payload(&sid))),
        );
        assert_eq!(v.json["status"], "verified", "{}", v.body);
        sid
    }

    /// A pending push challenge with a message and one field.
    pub fn push_challenge(&self, identity: &str, factor_sid: &str, extra: &str) -> Value {
        let mut form = format!(
            "FactorSid={factor_sid}&Details.Message=Login+to+Acme%3F&Details.Fields={}",
            enc(r#"{"label": "IP", "value": "1.2.3.4"}"#)
        );
        if !extra.is_empty() {
            form.push('&');
            form.push_str(extra);
        }
        let r = self.post(&self.entity(identity, "/Challenges"), &form);
        assert_eq!(r.status, 201, "{}", r.body);
        r.json
    }
}
