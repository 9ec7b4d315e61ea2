//! Verify Push cryptography (verify-v2.md §4.4): P-256 device keys given as Base64 DER
//! SubjectPublicKeyInfo, the factor-verification `AuthPayload` (Base64 of a DER ECDSA-SHA256
//! signature over the factor SID), ES256 compact JWS (raw `R||S` signatures) for challenge
//! answers and device authentication, and a key the sandbox holds to play the device for
//! factors it creates on a test's behalf.

use base64::Engine as _;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, general_purpose};
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, KeyPair as _};
use serde_json::{Map, Value};

/// Standard Base64 that decodes with or without `=` padding (Java's basic decoder, which the
/// service is assumed to use, does not require it).
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_encode_padding(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Base64url as JWS uses it (no padding on output; padding tolerated on input).
const URL_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// DER of the AlgorithmIdentifier-bearing head of a P-256 SubjectPublicKeyInfo with an
/// uncompressed point: SEQUENCE, SEQUENCE{id-ecPublicKey, prime256v1}, BIT STRING (0 unused).
const SPKI_P256_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];
/// OID 1.2.840.10045.2.1 (id-ecPublicKey), content octets.
const OID_EC_PUBLIC_KEY: [u8; 7] = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// OID 1.2.840.10045.3.1.7 (prime256v1 / secp256r1), content octets.
const OID_P256: [u8; 8] = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];

/// Longest text accepted as a public key (a P-256 SPKI is 124 Base64 characters).
pub const MAX_PUBLIC_KEY_TEXT: usize = 1024;

/// A validated P-256 public key (a point on the curve, uncompressed).
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    point: [u8; 65],
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({})", self.to_base64())
    }
}

/// Reads one DER element with tag `tag` off the front of `input`; `None` if it is not there,
/// its length is not minimal DER, or it runs past the end.
fn der_take<'a>(input: &mut &'a [u8], tag: u8) -> Option<&'a [u8]> {
    let (&t, rest) = input.split_first()?;
    if t != tag {
        return None;
    }
    let (&first, mut rest) = rest.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 2 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        rest = &rest[n..];
        if len < 0x80 || (n == 2 && len < 0x100) {
            return None;
        }
        len
    };
    if rest.len() < len {
        return None;
    }
    let (value, after) = rest.split_at(len);
    *input = after;
    Some(value)
}

impl PublicKey {
    /// Parses a DER SubjectPublicKeyInfo holding a P-256 key with an uncompressed point, and
    /// checks that the point is on the curve. `None` for anything else.
    pub fn from_spki_der(der: &[u8]) -> Option<PublicKey> {
        let mut input = der;
        let mut spki = der_take(&mut input, 0x30)?;
        if !input.is_empty() {
            return None;
        }
        let mut alg = der_take(&mut spki, 0x30)?;
        let bits = der_take(&mut spki, 0x03)?;
        if !spki.is_empty() {
            return None;
        }
        if der_take(&mut alg, 0x06)? != OID_EC_PUBLIC_KEY
            || der_take(&mut alg, 0x06)? != OID_P256
            || !alg.is_empty()
        {
            return None;
        }
        let (&unused_bits, point) = bits.split_first()?;
        let point: [u8; 65] = point.try_into().ok()?;
        if unused_bits != 0 || point[0] != 0x04 || !on_curve(&point) {
            return None;
        }
        Some(PublicKey { point })
    }

    /// [`PublicKey::from_spki_der`] of standard Base64 (padding optional), the encoding of
    /// `Binding.PublicKey`.
    pub fn from_base64(text: &str) -> Option<PublicKey> {
        if text.len() > MAX_PUBLIC_KEY_TEXT {
            return None;
        }
        PublicKey::from_spki_der(&STANDARD_LENIENT.decode(text).ok()?)
    }

    /// Standard padded Base64 of the DER SPKI (what the mobile SDKs send and Verify returns in
    /// `binding.public_key`).
    pub fn to_base64(&self) -> String {
        let mut der = Vec::with_capacity(SPKI_P256_PREFIX.len() + self.point.len());
        der.extend_from_slice(&SPKI_P256_PREFIX);
        der.extend_from_slice(&self.point);
        general_purpose::STANDARD.encode(der)
    }

    /// A DER ECDSA-P256-SHA256 signature of `msg` verifies under this key.
    pub fn verify_der(&self, msg: &[u8], der_signature: &[u8]) -> bool {
        signature::UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_ASN1, &self.point)
            .verify(msg, der_signature)
            .is_ok()
    }

    /// A raw `R||S` (64 bytes) ECDSA-P256-SHA256 signature of `msg` verifies under this key.
    pub fn verify_fixed(&self, msg: &[u8], raw_signature: &[u8]) -> bool {
        raw_signature.len() == 64
            && signature::UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, &self.point)
                .verify(msg, raw_signature)
                .is_ok()
    }

    /// The push factor verification payload: standard Base64 of a DER signature over the
    /// UTF-8 bytes of the factor SID.
    pub fn verify_factor_payload(&self, factor_sid: &str, auth_payload: &str) -> bool {
        STANDARD_LENIENT
            .decode(auth_payload)
            .is_ok_and(|sig| self.verify_der(factor_sid.as_bytes(), &sig))
    }
}

/// Whether an uncompressed point is a valid P-256 public key. ring checks peer keys (on the
/// curve, not the identity, coordinates in range) before an ECDH agreement, so one ephemeral
/// agreement is the check.
fn on_curve(point: &[u8; 65]) -> bool {
    let rng = SystemRandom::new();
    let Ok(mine) =
        ring::agreement::EphemeralPrivateKey::generate(&ring::agreement::ECDH_P256, &rng)
    else {
        return false;
    };
    let peer = ring::agreement::UnparsedPublicKey::new(&ring::agreement::ECDH_P256, point);
    ring::agreement::agree_ephemeral(mine, &peer, |_| ()).is_ok()
}

/// Why a compact JWS could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwsError {
    /// Not three non-empty dot-separated parts of Base64url.
    Malformed,
    /// The header or the claims are not a JSON object.
    NotJson,
}

/// A parsed compact JWS. The signature is checked over the bytes as received, never over a
/// re-serialisation (the SDKs do not fix the key order).
#[derive(Debug, Clone)]
pub struct Jws {
    /// Protected header.
    pub header: Map<String, Value>,
    /// Claims.
    pub claims: Map<String, Value>,
    signing_input: String,
    signature: Vec<u8>,
}

impl Jws {
    /// Splits and decodes `header.claims.signature`.
    pub fn parse(token: &str) -> Result<Jws, JwsError> {
        let mut parts = token.split('.');
        let (Some(h), Some(c), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwsError::Malformed);
        };
        if h.is_empty() || c.is_empty() || s.is_empty() {
            return Err(JwsError::Malformed);
        }
        let decode = |p: &str| URL_LENIENT.decode(p).map_err(|_| JwsError::Malformed);
        let (header, claims, signature) = (decode(h)?, decode(c)?, decode(s)?);
        let object = |bytes: &[u8]| match serde_json::from_slice(bytes) {
            Ok(Value::Object(m)) => Ok(m),
            _ => Err(JwsError::NotJson),
        };
        Ok(Jws {
            header: object(&header)?,
            claims: object(&claims)?,
            signing_input: format!("{h}.{c}"),
            signature,
        })
    }

    /// The header says `alg: ES256` and the signature verifies under `key`.
    pub fn verify_es256(&self, key: &PublicKey) -> bool {
        self.header.get("alg").and_then(Value::as_str) == Some("ES256")
            && key.verify_fixed(self.signing_input.as_bytes(), &self.signature)
    }
}

/// Why a push challenge answer was refused (the state checks come first, in the caller).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerError {
    /// Not a compact JWS at all (60381 "Signature invalid or not provided").
    Malformed,
    /// A JWS, but not one the factor signed over this challenge with `status` approved or
    /// denied (60324).
    Invalid,
}

/// Checks a device's answer to a push challenge (§4.4.4): an ES256 JWS signed by the factor
/// key whose claims repeat, unchanged, every field of `challenge` named in `signed_fields`
/// (JSON equality after decoding; `status` is the answer and is not compared) and whose
/// `status` claim is `approved` or `denied`. Returns that status.
pub fn check_challenge_answer(
    token: &str,
    key: &PublicKey,
    challenge: &Map<String, Value>,
    signed_fields: &[&str],
) -> Result<&'static str, AnswerError> {
    let jws = Jws::parse(token).map_err(|e| match e {
        JwsError::Malformed => AnswerError::Malformed,
        JwsError::NotJson => AnswerError::Invalid,
    })?;
    if !jws.verify_es256(key) {
        return Err(AnswerError::Invalid);
    }
    let fields_match = signed_fields
        .iter()
        .filter(|f| **f != "status")
        .all(|f| jws.claims.get(*f) == Some(challenge.get(*f).unwrap_or(&Value::Null)));
    if !fields_match {
        return Err(AnswerError::Invalid);
    }
    match jws.claims.get("status").and_then(Value::as_str) {
        Some("approved") => Ok("approved"),
        Some("denied") => Ok("denied"),
        _ => Err(AnswerError::Invalid),
    }
}

/// The claims a device signs to answer `challenge` (§4.4.4 step 3): each signed field copied,
/// then `status`.
pub fn answer_claims(
    challenge: &Map<String, Value>,
    signed_fields: &[&str],
    status: &str,
) -> Map<String, Value> {
    let mut claims = Map::new();
    for f in signed_fields {
        claims.insert(
            (*f).to_string(),
            challenge.get(*f).cloned().unwrap_or(Value::Null),
        );
    }
    claims.insert("status".into(), Value::String(status.into()));
    claims
}

/// Checks a device-authentication JWT (§4.4.2): ES256 by the factor key, header `kid` equal
/// to the factor's `credential_sid`, `sub` the account, and `nbf - leeway <= now <= exp +
/// leeway`.
pub fn check_device_jwt(
    token: &str,
    key: &PublicKey,
    credential_sid: &str,
    account_sid: &str,
    now: i64,
    leeway: i64,
) -> bool {
    let Ok(jws) = Jws::parse(token) else {
        return false;
    };
    let claim_int = |name: &str| jws.claims.get(name).and_then(Value::as_i64);
    jws.verify_es256(key)
        && jws.header.get("kid").and_then(Value::as_str) == Some(credential_sid)
        && jws.claims.get("sub").and_then(Value::as_str) == Some(account_sid)
        && claim_int("nbf").is_some_and(|nbf| nbf.saturating_sub(leeway) <= now)
        && claim_int("exp").is_some_and(|exp| now <= exp.saturating_add(leeway))
}

/// A device key held by the sandbox, so a test can enrol a push factor and answer challenges
/// without a phone. `Debug` never shows the private key.
pub struct DeviceKey {
    /// Signs with DER output (factor verification).
    der: EcdsaKeyPair,
    /// Signs with raw `R||S` output (JWS).
    fixed: EcdsaKeyPair,
    public: PublicKey,
}

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceKey")
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

impl DeviceKey {
    /// A fresh random key. `None` only if the system RNG fails.
    pub fn generate() -> Option<DeviceKey> {
        let rng = SystemRandom::new();
        let pkcs8 =
            EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P256_SHA256_ASN1_SIGNING, &rng).ok()?;
        let pair = |alg| EcdsaKeyPair::from_pkcs8(alg, pkcs8.as_ref(), &rng).ok();
        DeviceKey::from_pairs(
            pair(&signature::ECDSA_P256_SHA256_ASN1_SIGNING)?,
            pair(&signature::ECDSA_P256_SHA256_FIXED_SIGNING)?,
        )
    }

    /// A key from its private scalar (32 bytes, big-endian) and public key (Base64 SPKI).
    pub fn from_parts(private_scalar: &[u8], public_key: &PublicKey) -> Option<DeviceKey> {
        let rng = SystemRandom::new();
        let pair = |alg| {
            EcdsaKeyPair::from_private_key_and_public_key(
                alg,
                private_scalar,
                &public_key.point,
                &rng,
            )
            .ok()
        };
        DeviceKey::from_pairs(
            pair(&signature::ECDSA_P256_SHA256_ASN1_SIGNING)?,
            pair(&signature::ECDSA_P256_SHA256_FIXED_SIGNING)?,
        )
    }

    fn from_pairs(der: EcdsaKeyPair, fixed: EcdsaKeyPair) -> Option<DeviceKey> {
        let point: [u8; 65] = der.public_key().as_ref().try_into().ok()?;
        Some(DeviceKey {
            der,
            fixed,
            public: PublicKey { point },
        })
    }

    /// The public half.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// What a device sends as `AuthPayload` to verify its factor.
    pub fn factor_payload(&self, factor_sid: &str) -> String {
        self.der
            .sign(&SystemRandom::new(), factor_sid.as_bytes())
            .map(|s| general_purpose::STANDARD.encode(s.as_ref()))
            .unwrap_or_default()
    }

    /// A compact ES256 JWS of `claims`, header `{"typ":"JWT","alg":"ES256"}` plus `extra_header`.
    pub fn sign_jws(
        &self,
        extra_header: &Map<String, Value>,
        claims: &Map<String, Value>,
    ) -> String {
        let mut header = extra_header.clone();
        header.insert("typ".into(), Value::String("JWT".into()));
        header.insert("alg".into(), Value::String("ES256".into()));
        let enc =
            |m: &Map<String, Value>| URL_LENIENT.encode(serde_json::to_vec(m).unwrap_or_default());
        let input = format!("{}.{}", enc(&header), enc(claims));
        let sig = self
            .fixed
            .sign(&SystemRandom::new(), input.as_bytes())
            .map(|s| URL_LENIENT.encode(s.as_ref()))
            .unwrap_or_default();
        format!("{input}.{sig}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn push_vectors() -> Value {
        let v: Value =
            serde_json::from_str(include_str!("../../tests/data/verify_vectors.json")).unwrap();
        v["push"].clone()
    }

    fn s<'a>(v: &'a Value, k: &str) -> &'a str {
        v[k].as_str().unwrap()
    }

    fn obj(v: &Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    /// Flips one character of a Base64/Base64url text at `i` to another valid one.
    fn flip(text: &str, i: usize) -> String {
        let mut b = text.as_bytes().to_vec();
        b[i] = if b[i] == b'A' { b'B' } else { b'A' };
        String::from_utf8(b).unwrap()
    }

    #[test]
    fn factor_payload_vector() {
        let v = push_vectors();
        let key = PublicKey::from_base64(s(&v, "public_key")).unwrap();
        assert_eq!(key.to_base64(), s(&v, "public_key"), "round trip");
        let payload = s(&v, "factor_auth_payload");
        assert!(key.verify_factor_payload(s(&v, "factor_sid"), payload));
        assert!(
            key.verify_factor_payload(s(&v, "factor_sid"), payload.trim_end_matches('=')),
            "padding is optional"
        );
        assert!(!key.verify_factor_payload("YF00000000000000000000000000000002", payload));
        assert!(!key.verify_factor_payload(s(&v, "factor_sid"), &flip(payload, 20)));
        assert!(!key.verify_factor_payload(s(&v, "factor_sid"), "not base64!"));
        assert!(!key.verify_factor_payload(s(&v, "factor_sid"), ""));
    }

    #[test]
    fn challenge_answer_vector() {
        let v = push_vectors();
        let key = PublicKey::from_base64(s(&v, "public_key")).unwrap();
        let token = s(&v, "challenge_auth_payload");
        let fields: Vec<&str> = s(&v, "challenge_signature_fields").split(',').collect();
        // The challenge as the sandbox would serve it: the signed fields plus others.
        let mut challenge = obj(&v["challenge_claims"]);
        challenge.insert("status".into(), json!("pending"));
        challenge.insert("expiration_date".into(), json!("2030-01-02T03:09:05Z"));
        assert_eq!(
            check_challenge_answer(token, &key, &challenge, &fields),
            Ok("approved")
        );
        let jws = Jws::parse(token).unwrap();
        assert_eq!(Value::Object(jws.claims.clone()), v["challenge_claims"]);

        // A claim that differs from the challenge: refused.
        let mut other = challenge.clone();
        other.insert("details".into(), json!({"message": "Login?", "fields": []}));
        assert_eq!(
            check_challenge_answer(token, &key, &other, &fields),
            Err(AnswerError::Invalid)
        );
        // A field the device did not sign, now listed: refused.
        let mut more = fields.clone();
        more.push("expiration_date");
        assert_eq!(
            check_challenge_answer(token, &key, &challenge, &more),
            Err(AnswerError::Invalid)
        );
        // Tampered claims (approved -> denied, re-encoded) with the old signature: refused.
        let parts: Vec<&str> = token.split('.').collect();
        let mut claims = obj(&v["challenge_claims"]);
        claims.insert("status".into(), json!("denied"));
        let tampered = format!(
            "{}.{}.{}",
            parts[0],
            URL_LENIENT.encode(serde_json::to_vec(&claims).unwrap()),
            parts[2]
        );
        assert_eq!(
            check_challenge_answer(&tampered, &key, &challenge, &fields),
            Err(AnswerError::Invalid)
        );
        // Tampered header (alg none) and tampered signature: refused.
        let none_header = URL_LENIENT.encode(br#"{"typ":"JWT","alg":"none"}"#);
        for bad in [
            format!("{none_header}.{}.{}", parts[1], parts[2]),
            format!("{}.{}.{}", parts[0], parts[1], flip(parts[2], 5)),
            format!("{}.{}.{}", parts[0], parts[1], &parts[2][..40]),
        ] {
            assert_eq!(
                check_challenge_answer(&bad, &key, &challenge, &fields),
                Err(AnswerError::Invalid),
                "{bad}"
            );
        }
        // Not a JWS at all.
        for bad in ["", "sig", "a.b", "a.b.c.d", "..", "a..c", "!!.$$.%%"] {
            assert_eq!(
                check_challenge_answer(bad, &key, &challenge, &fields),
                Err(AnswerError::Malformed),
                "{bad}"
            );
        }
        // Another key: refused.
        let other_key = DeviceKey::generate().unwrap();
        assert_eq!(
            check_challenge_answer(token, other_key.public_key(), &challenge, &fields),
            Err(AnswerError::Invalid)
        );
    }

    #[test]
    fn device_auth_vector() {
        let v = push_vectors();
        let key = PublicKey::from_base64(s(&v, "public_key")).unwrap();
        let token = s(&v, "device_auth_jwt");
        let jws = Jws::parse(token).unwrap();
        assert_eq!(Value::Object(jws.header.clone()), v["device_auth_header"]);
        let kid = s(&v["device_auth_header"], "kid");
        let sub = s(&v["device_auth_claims"], "sub");
        let nbf = v["device_auth_claims"]["nbf"].as_i64().unwrap();
        let exp = v["device_auth_claims"]["exp"].as_i64().unwrap();
        assert!(check_device_jwt(token, &key, kid, sub, nbf, 0));
        assert!(check_device_jwt(token, &key, kid, sub, exp, 0));
        assert!(!check_device_jwt(token, &key, kid, sub, nbf - 1, 0));
        assert!(!check_device_jwt(token, &key, kid, sub, exp + 1, 0));
        assert!(check_device_jwt(token, &key, kid, sub, exp + 60, 60));
        assert!(!check_device_jwt(token, &key, "CR0", sub, nbf, 0));
        assert!(!check_device_jwt(token, &key, kid, "AC0", nbf, 0));
    }

    #[test]
    fn sandbox_key_signs_what_the_checks_accept() {
        let v = push_vectors();
        // The vector key rebuilt from its scalar signs factor payloads the vector key accepts.
        let public = PublicKey::from_base64(s(&v, "public_key")).unwrap();
        let key = DeviceKey::from_parts(&hex(s(&v, "private_scalar_hex")), &public).unwrap();
        assert_eq!(key.public_key(), &public);
        let sid = "YF0123456789abcdef0123456789abcdef";
        assert!(public.verify_factor_payload(sid, &key.factor_payload(sid)));
        assert!(
            DeviceKey::from_parts(&[1u8; 32], &public).is_none(),
            "mismatched halves"
        );

        let key = DeviceKey::generate().unwrap();
        let public = PublicKey::from_base64(&key.public_key().to_base64()).unwrap();
        assert!(
            public
                .to_base64()
                .starts_with("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE")
        );
        assert!(public.verify_factor_payload(sid, &key.factor_payload(sid)));
        let challenge =
            obj(&json!({"sid": "YC1", "details": {"message": "m"}, "status": "pending"}));
        let fields = ["sid", "details", "status"];
        for status in ["approved", "denied"] {
            let jwt = key.sign_jws(&Map::new(), &answer_claims(&challenge, &fields, status));
            assert_eq!(
                check_challenge_answer(&jwt, &public, &challenge, &fields),
                Ok(status)
            );
        }
        let jwt = key.sign_jws(&Map::new(), &answer_claims(&challenge, &fields, "expired"));
        assert_eq!(
            check_challenge_answer(&jwt, &public, &challenge, &fields),
            Err(AnswerError::Invalid),
            "only approved or denied"
        );
        let header = obj(&json!({"cty": "twilio-pba;v=1", "kid": "CR1"}));
        let auth = key.sign_jws(
            &header,
            &obj(&json!({"sub": "AC1", "nbf": 100, "exp": 700})),
        );
        assert!(check_device_jwt(&auth, &public, "CR1", "AC1", 400, 0));
        assert!(!format!("{key:?}").contains("d:"), "{key:?}");
    }

    #[test]
    fn hostile_public_keys_are_refused() {
        let v = push_vectors();
        let good = general_purpose::STANDARD
            .decode(s(&v, "public_key"))
            .unwrap();
        assert!(PublicKey::from_spki_der(&good).is_some());
        // Every truncation, and the key with a byte appended.
        for n in 0..good.len() {
            assert!(PublicKey::from_spki_der(&good[..n]).is_none(), "{n} bytes");
        }
        let mut longer = good.clone();
        longer.push(0);
        assert!(PublicKey::from_spki_der(&longer).is_none());
        // A point off the curve (last coordinate byte changed).
        let mut off = good.clone();
        *off.last_mut().unwrap() ^= 1;
        assert!(PublicKey::from_spki_der(&off).is_none());
        // Another curve's OID (P-384 1.3.132.0.34 does not fit the prefix; change one OID byte).
        let mut other_oid = good.clone();
        other_oid[22] = 0x08;
        assert!(PublicKey::from_spki_der(&other_oid).is_none());
        // A compressed point, an infinity point, a non-minimal length.
        let mut compressed = good[..26 + 33].to_vec();
        compressed[1] = 0x39;
        compressed[24] = 0x22;
        compressed[26] = 0x02;
        assert!(PublicKey::from_spki_der(&compressed).is_none());
        let mut zero = good.clone();
        for b in &mut zero[27..] {
            *b = 0;
        }
        assert!(PublicKey::from_spki_der(&zero).is_none());
        let mut long_form = vec![0x30, 0x81, 0x59];
        long_form.extend_from_slice(&good[2..]);
        assert!(PublicKey::from_spki_der(&long_form).is_none());
        for text in ["", "dGVzdF9rZXk=", "dGVzdA==", "!!!", &"A".repeat(5000)] {
            assert!(PublicKey::from_base64(text).is_none(), "{text}");
        }
        // Random bytes never panic.
        let mut seed = 0x1234_5678u32;
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    (seed >> 16) as u8
                })
                .collect();
            let _ = PublicKey::from_spki_der(&bytes);
            let _ = Jws::parse(&URL_LENIENT.encode(&bytes));
        }
    }
}
