//! `X-Twilio-Signature` verification (`authy::signature::twilio`), offline: the published
//! vectors (twilio-python's RequestValidator tests, verify-v2.md §4.5, kept in
//! `sandbox/tests/data/verify_vectors.json` with their source), generated requests checked
//! against the sandbox's own signer (an independent implementation on `ring`), the port
//! spellings twilio-python's RequestValidator accepts, and the `bodySHA256` variant.

use authy::signature::SignatureError;
use authy::signature::twilio;
use authy_sandbox::twilio_signature as reference;
use serde_json::Value;

fn rows() -> Vec<Value> {
    let v: Value =
        serde_json::from_str(include_str!("../sandbox/tests/data/verify_vectors.json")).unwrap();
    v["webhook_signature"]["rows"].as_array().unwrap().clone()
}

fn pairs(row: &Value) -> Vec<(String, String)> {
    row["params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
        .collect()
}

fn form(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

#[test]
fn published_vectors() {
    let rows = rows();
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[0]["expected"], "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    for row in &rows {
        let (token, url) = (row["token"].as_str().unwrap(), row["url"].as_str().unwrap());
        let expected = row["expected"].as_str().unwrap();
        let params = pairs(row);
        let body = match row.get("body") {
            Some(b) => b.as_str().unwrap().to_string(),
            None => form(&params),
        };
        assert_eq!(
            twilio::sign(token, url, &params).unwrap(),
            expected,
            "{url}"
        );
        assert_eq!(
            twilio::verify(token, url, body.as_bytes(), expected),
            Ok(()),
            "{url}"
        );
        if row.get("body").is_none() {
            assert_eq!(twilio::verify_params(token, url, &params, expected), Ok(()));
        }
        // Another token, another URL or one changed byte of the body: refused.
        assert_eq!(
            twilio::verify("54321", url, body.as_bytes(), expected),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            twilio::verify(token, &format!("{url}x"), body.as_bytes(), expected),
            Err(if row.get("body").is_some() {
                SignatureError::BodyHashMismatch // the hash is the URL's last bytes
            } else {
                SignatureError::Mismatch
            })
        );
        let mut tampered = body.clone().into_bytes();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(twilio::verify(token, url, &tampered, expected).is_err());
    }
}

/// twilio-python's RequestValidator tries the URL without its port and with the scheme's
/// default port: a signature made for `https://h/…` verifies for `https://h:443/…` and back;
/// one made without a port verifies for any port (the port is removed); one made for a
/// non-default port does not verify for the URL without a port (`:80`/`:443` is added).
#[test]
fn port_variants() {
    let rows = rows();
    let params = pairs(&rows[0]);
    let body = form(&params);
    let plain = "https://mycompany.com/myapp.php?foo=1&bar=2";
    let with_443 = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
    let sig_plain = rows[0]["expected"].as_str().unwrap();
    let sig_443 = rows[1]["expected"].as_str().unwrap();
    for url in [plain, with_443] {
        for sig in [sig_plain, sig_443] {
            assert_eq!(twilio::verify("12345", url, body.as_bytes(), sig), Ok(()));
        }
    }
    let sig_1234 = rows[2]["expected"].as_str().unwrap();
    let at_1234 = "http://mycompany.com:1234/myapp.php?foo=1&bar=2";
    let no_port = "http://mycompany.com/myapp.php?foo=1&bar=2";
    assert_eq!(
        twilio::verify("12345", at_1234, body.as_bytes(), sig_1234),
        Ok(())
    );
    assert_eq!(
        twilio::verify("12345", no_port, body.as_bytes(), sig_1234),
        Err(SignatureError::Mismatch)
    );
    let sig_no_port = reference::signature("12345", no_port, &params);
    assert_eq!(
        twilio::verify("12345", at_1234, body.as_bytes(), &sig_no_port),
        Ok(())
    );
    // http gets :80, not :443.
    let sig_80 = reference::signature(
        "12345",
        "http://mycompany.com:80/myapp.php?foo=1&bar=2",
        &params,
    );
    assert_eq!(
        twilio::verify("12345", no_port, body.as_bytes(), &sig_80),
        Ok(())
    );
    let sig_443_http = reference::signature(
        "12345",
        "http://mycompany.com:443/myapp.php?foo=1&bar=2",
        &params,
    );
    assert_eq!(
        twilio::verify("12345", no_port, body.as_bytes(), &sig_443_http),
        Err(SignatureError::Mismatch)
    );
}

/// A small deterministic generator (xorshift), so that a failure names a reproducible case.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
    fn text(&mut self) -> String {
        let atoms = [
            "a", "Z", "0", " ", "+", "&", "=", "%", "é", "☃", "\"", "{", "}", ".", "_",
        ];
        let n = self.next() % 12;
        (0..n).map(|_| self.pick(&atoms)).collect()
    }
}

/// Generated form webhooks (repeated names, duplicate pairs, spaces, `+`, `&`, `=`, non-ASCII)
/// signed by the sandbox's signer verify here; the JSON variant too.
#[test]
fn generated_requests_agree_with_the_sandbox_signer() {
    let mut g = Gen(0x9e37_79b9_7f4a_7c15);
    let names = [
        "uuid",
        "type",
        "factor_sid",
        "Digits",
        "a",
        "A",
        "a b",
        "ä",
        "metadata",
    ];
    let urls = [
        "https://app.example.com/twilio/verify-webhook",
        "https://app.example.com:8443/hook?x=1&y=a+b",
        "http://127.0.0.1:3000/w",
        "https://app.example.com/p%20q?",
    ];
    for case in 0..300 {
        let token = format!("tok{}", g.next() % 1000);
        let url = g.pick(&urls);
        let n = g.next() % 8;
        let mut params: Vec<(String, String)> = (0..n)
            .map(|_| (g.pick(&names).to_string(), g.text()))
            .collect();
        if n > 0 && g.next().is_multiple_of(3) {
            params.push(params[0].clone());
        }
        let sig = reference::signature(&token, url, &params);
        let body = form(&params);
        assert_eq!(
            twilio::sign(&token, url, &params).unwrap(),
            sig,
            "case {case}"
        );
        assert_eq!(
            twilio::verify(&token, url, body.as_bytes(), &sig),
            Ok(()),
            "case {case}"
        );
        if let Some((k, v)) = params.first() {
            let mut changed = params.clone();
            changed[0] = (k.clone(), format!("{v}x"));
            assert_eq!(
                twilio::verify(&token, url, form(&changed).as_bytes(), &sig),
                Err(SignatureError::Mismatch),
                "case {case}"
            );
        }
        // JSON body: the URL carries bodySHA256, the MAC covers the URL alone.
        let json = serde_json::json!({"case": case, "text": g.text()}).to_string();
        let signed_url = reference::url_with_body_sha256(url, json.as_bytes());
        let sig = reference::signature(&token, &signed_url, &[]);
        assert_eq!(
            twilio::verify(&token, &signed_url, json.as_bytes(), &sig),
            Ok(())
        );
        assert_eq!(
            twilio::verify(&token, &signed_url, format!("{json} ").as_bytes(), &sig),
            Err(SignatureError::BodyHashMismatch)
        );
    }
}
