//! Differential test of client-side validation (issue 13 §1, "never refuse what the API
//! accepts"): a generated, seeded corpus of inputs for every validated field — phone numbers of
//! many countries in many formats, e-mails, actions and messages with punctuation and Unicode,
//! logos, ids, locales, custom codes and messages, verification codes, tokens, QR labels,
//! activity types, IPs — each sent through the library (the public Rust API, and a slice
//! through the C ABI, as C, Go and Ruby callers reach it) and straight to the sandbox over raw
//! HTTP (our own encoder, a plain TCP socket). The rules:
//!
//! - the library never refuses locally what the sandbox accepts or judges itself, unless the
//!   input cannot be sent safely (a control character, over-long, a path segment that would
//!   change the path, brackets in a parameter name) — decided here by our own classifier;
//! - when the library refuses with an Authy code, the sandbox refuses with the same code;
//! - when the library sends, its answer has the status and error code of the raw request.
//!
//! The seed is printed; `AUTHY_DIFF_SEED=<n>` replays a run, `AUTHY_DIFF_CASES=<n>` sizes the
//! corpus (default 1500), `AUTHY_DIFF_REPORT_ONLY=1` prints the counts without failing (used to
//! measure an older build).

mod common;

use std::ffi::{CString, c_char};
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use authy::{
    ActivityOptions, ApprovalRequestOptions, CallOptions, Client, CreateUserOptions, ErrorKind,
    Logo, PhoneVerificationOptions, QrCodeOptions, SmsOptions, VerifyOptions, Via,
};
use authy_sandbox::{Sandbox, SandboxConfig};

/// The library's caps (src/validation.rs), restated: the test classifies on its own.
const VALUE_MAX_CHARS: usize = 4096;
const SEGMENT_MAX_BYTES: usize = 256;
const MAX_QUERY_URL_BYTES: usize = 8192;
/// Longest parameter name (`details[key]`), in bytes (`Params::MAX_KEY_LEN`).
const MAX_KEY_BYTES: usize = 1024;

// ---------------------------------------------------------------- generator

/// splitmix64: small, seedable, good enough to pick corpus entries.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

/// Country calling codes and typical national number lengths.
const COUNTRIES: &[(&str, usize)] = &[
    ("1", 10),
    ("44", 10),
    ("33", 9),
    ("49", 11),
    ("351", 9),
    ("55", 11),
    ("91", 10),
    ("86", 11),
    ("81", 10),
    ("61", 9),
    ("57", 10),
    ("52", 10),
    ("7", 10),
    ("27", 9),
    ("234", 10),
    ("971", 9),
    ("34", 9),
    ("39", 10),
    ("1868", 7),
];

/// Characters that make a value "unsafe" (never sent), and ordinary punctuation and Unicode.
const UNSAFE: &[&str] = &["\0", "\n", "\r\n", "\r", "\u{7f}", "\u{1b}", "\u{85}"];
const PUNCT: &[&str] = &[
    " ", "?", "!", "$", "%", "^", "&", "*", "(", ")", "[", "]", "{", "}", "<", ">", "@", "#", ":",
    ";", "'", "\"", "/", "\\", "|", "~", "+", "=", ",", ".", "-", "_", "\t", "`",
];
const UNICODE: &[&str] = &[
    "é",
    "ß",
    "日本語",
    "Ω",
    "✓",
    "😀",
    "ñ",
    "ü",
    "ا",
    "한",
    "\u{200b}",
    "\u{feff}",
    "１２",
];

fn grouped(rng: &mut Rng, national: &str) -> String {
    let sep = *rng.pick(&[" ", "-", ".", ""]);
    let mut out = String::new();
    for (i, ch) in national.chars().enumerate() {
        if i > 0 && i % (2 + rng.below(3)) == 0 {
            out.push_str(sep);
        }
        out.push(ch);
    }
    out
}

/// A phone number of some country in some format, sometimes broken.
fn phone(rng: &mut Rng) -> (String, String) {
    let &(cc, len) = rng.pick(COUNTRIES);
    let len = match rng.below(10) {
        0 => len.saturating_sub(1 + rng.below(5)).max(1),
        1 => len + 1 + rng.below(6),
        _ => len,
    };
    let mut national = rng.digits(len);
    if cc == "1" && rng.chance(70) {
        // A valid NANP number most of the time: area code and exchange start with 2-9.
        let a = char::from(b'2' + rng.below(8) as u8);
        let e = char::from(b'2' + rng.below(8) as u8);
        national = format!("{a}{}{e}{}", &national[1..3], &national[4..]);
    }
    let number = match rng.below(9) {
        0 => national.clone(),
        1 => grouped(rng, &national),
        2 if national.len() > 3 => format!("({}) {}", &national[..3], grouped(rng, &national[3..])),
        3 => format!("+{cc} {}", grouped(rng, &national)),
        4 => format!("+{cc}{national}"),
        5 if national.len() > 6 => {
            format!("{}-{}-{}", &national[..3], &national[3..6], &national[6..])
        }
        6 => format!("00{cc} {}", grouped(rng, &national)),
        7 => {
            let junk = *rng.pick(&["ext. 12", "/", "#", "x", "*", "１", " ", ",", "tel:"]);
            let at = rng.below(national.len() + 1);
            format!("{}{junk}{}", &national[..at], &national[at..])
        }
        _ => format!("1 {}", grouped(rng, &national)),
    };
    let number = if rng.chance(4) {
        insert_unsafe(rng, &number)
    } else {
        number
    };
    let cc = match rng.below(14) {
        0 => format!("+{cc}"),
        1 => format!(" {cc}"),
        2 => (*rng.pick(&["0", "12345", "abc", "", "1.0", "-1", "0044"])).to_string(),
        _ => cc.to_string(),
    };
    (cc, number)
}

/// `s` with one unsafe character inserted somewhere.
fn insert_unsafe(rng: &mut Rng, s: &str) -> String {
    let piece = *rng.pick(UNSAFE);
    let chars: Vec<char> = s.chars().collect();
    let at = rng.below(chars.len() + 1);
    let mut out: String = chars[..at].iter().collect();
    out.push_str(piece);
    out.extend(&chars[at..]);
    out
}

/// Free text: words, punctuation, Unicode, sometimes empty, over-long or unsafe.
fn text(rng: &mut Rng) -> String {
    match rng.below(40) {
        0 => return String::new(),
        1 => return "x".repeat(VALUE_MAX_CHARS + 1 + rng.below(100)),
        2 => return "é".repeat(VALUE_MAX_CHARS),
        3 => return "   ".to_string(),
        _ => {}
    }
    let words = [
        "custom", "action", "Log", "in", "to", "Acme", "message", "ok", "1234", "déjà",
    ];
    let mut out = String::new();
    for i in 0..1 + rng.below(8) {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(rng.pick::<&str>(&words));
        match rng.below(5) {
            0 => out.push_str(rng.pick::<&str>(PUNCT)),
            1 => out.push_str(rng.pick::<&str>(UNICODE)),
            _ => {}
        }
    }
    if rng.chance(5) {
        out = insert_unsafe(rng, &out);
    }
    out
}

fn email(rng: &mut Rng) -> String {
    let local = *rng.pick(&[
        "user",
        "first.last",
        "a+tag",
        "o'brien",
        "ünï",
        "x",
        "a b",
        "\"q\"",
        "",
        "u_1-2",
    ]);
    let domain = *rng.pick(&[
        "example.com",
        "mail.example.co.uk",
        "例え.jp",
        "com",
        "b..com",
        ".example.com",
        "example.com.",
        "",
        "xn--bcher-kva.example",
        "[127.0.0.1]",
    ]);
    let mut e = match rng.below(12) {
        0 => local.to_string(),
        1 => format!("{local}@@{domain}"),
        2 => format!("{}@example.com", "a".repeat(250 + rng.below(10))),
        _ => format!("{local}@{domain}"),
    };
    if rng.chance(4) {
        e = insert_unsafe(rng, &e);
    }
    e
}

fn authy_id(rng: &mut Rng, known: &str) -> String {
    let digits = 1 + rng.below(24);
    let d = rng.digits(digits);
    let candidates = [
        known.to_string(),
        d,
        "tony".to_string(),
        "-1".to_string(),
        format!(" {known}"),
        format!("{known} "),
        "0".to_string(),
        "1e3".to_string(),
        "é".to_string(),
        "%2F".to_string(),
        "a?b#c".to_string(),
        String::new(),
        ".".to_string(),
        "..".to_string(),
        "1/2".to_string(),
        "1\\2".to_string(),
        "1\0".to_string(),
        "1\r\nX: y".to_string(),
        "9".repeat(SEGMENT_MAX_BYTES + 1),
        "00000000000000000001".to_string(),
    ];
    rng.pick(&candidates).clone()
}

fn token(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => String::new(),
        1 => format!("{}a", rng.digits(6)),
        2 => format!("{} {}", rng.digits(3), rng.digits(3)),
        3 => "１２３４５６".to_string(),
        4 => format!("+{}", rng.digits(6)),
        5 => format!("{}\n", rng.digits(6)),
        _ => {
            let n = rng.below(15);
            rng.digits(n)
        }
    }
}

fn locale(rng: &mut Rng) -> String {
    (*rng.pick(&[
        "en",
        "pt-BR",
        "zh-HK",
        "zh-Hant-TW",
        "es",
        "x",
        "",
        "en_US",
        "e n",
        "日本",
        "EN",
        "de-",
        "sr-Latn-RS-x-private",
        "en\n",
    ]))
    .to_string()
}

fn logos(rng: &mut Rng) -> Vec<(String, String)> {
    (0..rng.below(5))
        .map(|_| {
            let res = *rng.pick(&["default", "low", "med", "high", "huge", "", "DEFAULT"]);
            let url = match rng.below(9) {
                0 => "ftp://e.com/a.png".to_string(),
                1 => String::new(),
                2 => "not a url".to_string(),
                3 => format!("https://e.com/{}", "a".repeat(600)),
                4 => "https://e.com/\r\nX: y".to_string(),
                5 => "http://foo.bar".to_string(),
                _ => format!("https://e.com/{}.png", text(rng).replace(' ', "_")),
            };
            (res.to_string(), url)
        })
        .collect()
}

fn details(rng: &mut Rng) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for _ in 0..rng.below(4) {
        let key = match rng.below(8) {
            0 => String::new(),
            1 => "a[b]".to_string(),
            2 => "Process ID".to_string(),
            _ => text(rng),
        };
        if out.iter().all(|(k, _)| *k != key) {
            out.push((key, text(rng)));
        }
    }
    out
}

// ---------------------------------------------------------------- cases

#[derive(Debug, Clone)]
enum Call {
    CreateUser {
        email: String,
        cellphone: String,
        cc: String,
    },
    UpdateEmail {
        id: String,
        email: String,
    },
    UserStatus {
        id: String,
    },
    Sms {
        id: String,
        action: Option<String>,
        message: Option<String>,
        locale: Option<String>,
    },
    Voice {
        id: String,
        action: Option<String>,
        message: Option<String>,
    },
    Verify {
        id: String,
        token: String,
        action: Option<String>,
    },
    StartVerification {
        cc: String,
        phone: String,
        via: String,
        locale: Option<String>,
        code_length: Option<u8>,
        custom_message: Option<String>,
        custom_code: Option<String>,
    },
    CheckVerification {
        cc: String,
        phone: String,
        code: String,
    },
    PhoneInfo {
        cc: String,
        phone: String,
    },
    Approval {
        id: String,
        message: String,
        details: Vec<(String, String)>,
        logos: Vec<(String, String)>,
    },
    ApprovalStatus {
        uuid: String,
    },
    Activity {
        id: String,
        kind: String,
        ip: Option<String>,
    },
    Qr {
        id: String,
        label: Option<String>,
        size: Option<u32>,
    },
    RegistrationStatus {
        custom_user_id: String,
    },
}

struct Case {
    field: &'static str,
    call: Call,
}

fn opt(rng: &mut Rng, f: impl FnOnce(&mut Rng) -> String) -> Option<String> {
    rng.chance(70).then(|| f(rng))
}

fn case(rng: &mut Rng, id: &str) -> Case {
    let id = id.to_string();
    let (field, call) = match rng.below(17) {
        0 | 1 => {
            let (cc, cellphone) = phone(rng);
            (
                "phone (create user)",
                Call::CreateUser {
                    email: "p@example.com".into(),
                    cellphone,
                    cc,
                },
            )
        }
        2 => (
            "email",
            Call::CreateUser {
                email: email(rng),
                cellphone: "201-555-0142".into(),
                cc: "1".into(),
            },
        ),
        3 => (
            "email (update)",
            Call::UpdateEmail {
                id,
                email: email(rng),
            },
        ),
        4 | 5 => {
            let (cc, phone) = phone(rng);
            let via = (*rng.pick(&["sms", "call", "SMS", "Call"])).to_string();
            (
                "phone (verification)",
                Call::StartVerification {
                    cc,
                    phone,
                    via,
                    locale: None,
                    code_length: None,
                    custom_message: None,
                    custom_code: None,
                },
            )
        }
        6 => {
            let (cc, phone) = phone(rng);
            ("phone (info)", Call::PhoneInfo { cc, phone })
        }
        7 => (
            "locale / custom message / code length",
            Call::StartVerification {
                cc: "1".into(),
                phone: "201-555-0199".into(),
                via: "sms".into(),
                locale: opt(rng, locale),
                code_length: rng.chance(60).then(|| rng.below(14) as u8),
                custom_message: opt(rng, text),
                custom_code: None,
            },
        ),
        8 => {
            let code = match rng.below(4) {
                0 => text(rng),
                _ => {
                    let n = 1 + rng.below(11);
                    rng.digits(n)
                }
            };
            (
                "custom code",
                Call::StartVerification {
                    cc: "1".into(),
                    phone: "201-555-0198".into(),
                    via: "sms".into(),
                    locale: None,
                    code_length: None,
                    custom_message: None,
                    custom_code: Some(code),
                },
            )
        }
        9 => {
            let code = match rng.below(3) {
                0 => text(rng),
                _ => {
                    let n = rng.below(12);
                    rng.digits(n)
                }
            };
            (
                "verification code",
                Call::CheckVerification {
                    cc: "1".into(),
                    phone: "201-555-0197".into(),
                    code,
                },
            )
        }
        10 => (
            "action / action message / locale",
            Call::Sms {
                id,
                action: opt(rng, text),
                message: opt(rng, text),
                locale: opt(rng, locale),
            },
        ),
        11 => (
            "action / action message (call)",
            Call::Voice {
                id,
                action: opt(rng, text),
                message: opt(rng, text),
            },
        ),
        12 => (
            "token / action (verify)",
            Call::Verify {
                id,
                token: token(rng),
                action: rng.chance(20).then(|| text(rng)),
            },
        ),
        13 => (
            "authy id",
            Call::UserStatus {
                id: authy_id(rng, &id),
            },
        ),
        14 => (
            "message / details / logos",
            Call::Approval {
                id: if rng.chance(85) {
                    id
                } else {
                    authy_id(rng, &id)
                },
                message: text(rng),
                details: details(rng),
                logos: logos(rng),
            },
        ),
        15 => match rng.below(4) {
            0 => (
                "approval uuid",
                Call::ApprovalStatus {
                    uuid: authy_id(rng, "550e8400-e29b-41d4-a716-446655440000"),
                },
            ),
            1 => (
                "activity type / ip",
                Call::Activity {
                    id,
                    kind: (*rng.pick(&[
                        "password_reset",
                        "banned",
                        "unbanned",
                        "cookie_login",
                        "hacked",
                        "",
                        "Banned",
                    ]))
                    .to_string(),
                    ip: rng.chance(60).then(|| {
                        (*rng.pick(&[
                            "10.0.0.1",
                            "::1",
                            "10.0.0.1:80",
                            "not an ip",
                            "",
                            "2001:db8::1%eth0",
                        ]))
                        .to_string()
                    }),
                },
            ),
            2 => (
                "custom user id",
                Call::RegistrationStatus {
                    custom_user_id: if rng.chance(50) {
                        text(rng)
                    } else {
                        authy_id(rng, &id)
                    },
                },
            ),
            _ => (
                "QR label / size",
                Call::Qr {
                    id,
                    label: opt(rng, text),
                    size: rng
                        .chance(50)
                        .then(|| *rng.pick(&[0u32, 9, 10, 300, 1000, 1500, 2000, 2001, u32::MAX])),
                },
            ),
        },
        _ => (
            "authy id (sms)",
            Call::Sms {
                id: authy_id(rng, &id),
                action: None,
                message: None,
                locale: None,
            },
        ),
    };
    Case { field, call }
}

// ---------------------------------------------------------------- the two ways in

/// What the raw HTTP request looks like: method, path segments, parameters.
struct RawRequest {
    method: &'static str,
    segments: Vec<String>,
    params: Vec<(String, String)>,
}

fn push_opt(params: &mut Vec<(String, String)>, name: &str, v: &Option<String>) {
    if let Some(v) = v {
        params.push((name.to_string(), v.clone()));
    }
}

fn seg(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

impl Call {
    fn raw(&self) -> RawRequest {
        let mut p: Vec<(String, String)> = Vec::new();
        let (method, segments) = match self {
            Call::CreateUser {
                email,
                cellphone,
                cc,
            } => {
                p.push(("user[email]".into(), email.clone()));
                p.push(("user[cellphone]".into(), cellphone.clone()));
                p.push(("user[country_code]".into(), cc.clone()));
                ("POST", seg(&["protected", "json", "users", "new"]))
            }
            Call::UpdateEmail { id, email } => {
                p.push(("email".into(), email.clone()));
                ("POST", seg(&["protected", "json", "users", id, "update"]))
            }
            Call::UserStatus { id } => ("GET", seg(&["protected", "json", "users", id, "status"])),
            Call::Sms {
                id,
                action,
                message,
                locale,
            } => {
                push_opt(&mut p, "action", action);
                push_opt(&mut p, "action_message", message);
                push_opt(&mut p, "locale", locale);
                ("GET", seg(&["protected", "json", "sms", id]))
            }
            Call::Voice {
                id,
                action,
                message,
            } => {
                push_opt(&mut p, "action", action);
                push_opt(&mut p, "action_message", message);
                ("GET", seg(&["protected", "json", "call", id]))
            }
            Call::Verify { id, token, action } => {
                p.push(("force".into(), "true".into()));
                push_opt(&mut p, "action", action);
                ("GET", seg(&["protected", "json", "verify", token, id]))
            }
            Call::StartVerification {
                cc,
                phone,
                via,
                locale,
                code_length,
                custom_message,
                custom_code,
            } => {
                p.push(("country_code".into(), cc.clone()));
                p.push(("phone_number".into(), phone.clone()));
                p.push(("via".into(), via.clone()));
                push_opt(&mut p, "locale", locale);
                push_opt(&mut p, "code_length", &code_length.map(|n| n.to_string()));
                push_opt(&mut p, "custom_message", custom_message);
                push_opt(&mut p, "custom_code", custom_code);
                (
                    "POST",
                    seg(&["protected", "json", "phones", "verification", "start"]),
                )
            }
            Call::CheckVerification { cc, phone, code } => {
                p.push(("country_code".into(), cc.clone()));
                p.push(("phone_number".into(), phone.clone()));
                p.push(("verification_code".into(), code.clone()));
                (
                    "GET",
                    seg(&["protected", "json", "phones", "verification", "check"]),
                )
            }
            Call::PhoneInfo { cc, phone } => {
                p.push(("country_code".into(), cc.clone()));
                p.push(("phone_number".into(), phone.clone()));
                ("GET", seg(&["protected", "json", "phones", "info"]))
            }
            Call::Approval {
                id,
                message,
                details,
                logos,
            } => {
                p.push(("message".into(), message.clone()));
                for (k, v) in details {
                    p.push((format!("details[{k}]"), v.clone()));
                }
                for (res, url) in logos {
                    p.push(("logos[][res]".into(), res.clone()));
                    p.push(("logos[][url]".into(), url.clone()));
                }
                (
                    "POST",
                    seg(&["onetouch", "json", "users", id, "approval_requests"]),
                )
            }
            Call::ApprovalStatus { uuid } => {
                ("GET", seg(&["onetouch", "json", "approval_requests", uuid]))
            }
            Call::Activity { id, kind, ip } => {
                p.push(("type".into(), kind.clone()));
                push_opt(&mut p, "user_ip", ip);
                (
                    "POST",
                    seg(&["protected", "json", "users", id, "register_activity"]),
                )
            }
            Call::Qr { id, label, size } => {
                push_opt(&mut p, "qr_size", &size.map(|n| n.to_string()));
                push_opt(&mut p, "label", label);
                ("POST", seg(&["protected", "json", "users", id, "secret"]))
            }
            Call::RegistrationStatus { custom_user_id } => {
                p.push(("custom_user_id".into(), custom_user_id.clone()));
                (
                    "GET",
                    seg(&["protected", "json", "registrations", "status"]),
                )
            }
        };
        RawRequest {
            method,
            segments,
            params: p,
        }
    }

    /// The path segments that are values (ids, tokens, uuids).
    fn segment_values(&self) -> Vec<&str> {
        match self {
            Call::UpdateEmail { id, .. }
            | Call::UserStatus { id }
            | Call::Sms { id, .. }
            | Call::Voice { id, .. }
            | Call::Approval { id, .. }
            | Call::Activity { id, .. }
            | Call::Qr { id, .. } => vec![id],
            Call::Verify { id, token, .. } => vec![id, token],
            Call::ApprovalStatus { uuid } => vec![uuid],
            _ => vec![],
        }
    }

    fn lib(&self, c: &Client) -> Result<authy::Response, authy::Error> {
        match self.clone() {
            Call::CreateUser {
                email,
                cellphone,
                cc,
            } => c.create_user(
                &email,
                &cellphone,
                &CreateUserOptions {
                    country_code: Some(cc),
                    ..CreateUserOptions::default()
                },
            ),
            Call::UpdateEmail { id, email } => c.update_user_email(&id, &email),
            Call::UserStatus { id } => c.user_status(&id),
            Call::Sms {
                id,
                action,
                message,
                locale,
            } => c.request_sms(
                &id,
                &SmsOptions {
                    force: false,
                    action,
                    action_message: message,
                    locale,
                },
            ),
            Call::Voice {
                id,
                action,
                message,
            } => c.request_call(
                &id,
                &CallOptions {
                    force: false,
                    action,
                    action_message: message,
                },
            ),
            Call::Verify { id, token, action } => c.verify_token(
                &id,
                &token,
                &VerifyOptions {
                    force: true,
                    action,
                },
            ),
            Call::StartVerification {
                cc,
                phone,
                via,
                locale,
                code_length,
                custom_message,
                custom_code,
            } => {
                let via: Via = via.parse()?;
                c.start_phone_verification(
                    &cc,
                    &phone,
                    &PhoneVerificationOptions {
                        via,
                        locale,
                        code_length,
                        custom_message,
                        custom_code,
                    },
                )
            }
            Call::CheckVerification { cc, phone, code } => {
                c.check_phone_verification(&cc, &phone, &code)
            }
            Call::PhoneInfo { cc, phone } => c.phone_info(&cc, &phone),
            Call::Approval {
                id,
                message,
                details,
                logos,
            } => c.create_approval_request(
                &id,
                &message,
                &ApprovalRequestOptions {
                    details,
                    logos: logos.into_iter().map(|(r, u)| Logo::new(r, u)).collect(),
                    ..ApprovalRequestOptions::default()
                },
            ),
            Call::ApprovalStatus { uuid } => c.approval_request_status(&uuid),
            Call::Activity { id, kind, ip } => c.register_activity(
                &id,
                &kind,
                &ActivityOptions {
                    user_ip: ip,
                    data: vec![],
                },
            ),
            Call::Qr { id, label, size } => c.generate_qr_code(
                &id,
                &QrCodeOptions {
                    qr_size: size,
                    label,
                },
            ),
            Call::RegistrationStatus { custom_user_id } => c.registration_status(&custom_user_id),
        }
    }
}

/// Our own judgement of "cannot be sent safely", independent of the library.
fn unsafe_reason(call: &Call) -> Option<&'static str> {
    let raw = call.raw();
    for (k, v) in &raw.params {
        if k.chars()
            .chain(v.chars())
            .any(|c| c.is_control() && c != '\t')
        {
            return Some("control character");
        }
        if v.chars().count() > VALUE_MAX_CHARS {
            return Some("over-long value");
        }
        if k.len() > MAX_KEY_BYTES {
            return Some("over-long parameter name");
        }
        if let Some(inner) = k.strip_prefix("details[").and_then(|r| r.strip_suffix(']'))
            && (inner.is_empty() || inner.contains(['[', ']']))
        {
            return Some("parameter name syntax");
        }
    }
    for s in call.segment_values() {
        if s.is_empty() || s == "." || s == ".." || s.contains(['/', '\\']) {
            return Some("path syntax");
        }
        if s.len() > SEGMENT_MAX_BYTES {
            return Some("over-long path segment");
        }
        if s.chars().any(char::is_control) {
            return Some("control character");
        }
    }
    if raw.method == "GET" && path_and_query(&raw).len() > MAX_QUERY_URL_BYTES {
        return Some("over-long query");
    }
    None
}

// ---------------------------------------------------------------- raw HTTP

fn enc(s: &str, space_plus: bool) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' if space_plus => out.push('+'),
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

fn form(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k, true), enc(v, true)))
        .collect::<Vec<_>>()
        .join("&")
}

fn path_and_query(r: &RawRequest) -> String {
    let mut path: String = r
        .segments
        .iter()
        .map(|s| format!("/{}", enc(s, false)))
        .collect();
    if r.method == "GET" && !r.params.is_empty() {
        path.push('?');
        path.push_str(&form(&r.params));
    }
    path
}

/// Status and `error_code` of a raw HTTP/1.1 request to the sandbox.
fn raw_send(sb: &Sandbox, r: &RawRequest) -> (u16, Option<String>) {
    let body = if r.method == "GET" {
        String::new()
    } else {
        form(&r.params)
    };
    let req = format!(
        "{} {} HTTP/1.1\r\nHost: {}\r\nX-Authy-API-Key: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        r.method,
        path_and_query(r),
        sb.addr(),
        sb.api_key(),
        body.len(),
        body
    );
    let mut s = TcpStream::connect(sb.addr()).expect("connect to the sandbox");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(req.as_bytes()).unwrap();
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).unwrap();
    let answer = String::from_utf8_lossy(&answer);
    let status: u16 = answer
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {answer:?}"));
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    let code = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            v.get("error_code")
                .and_then(|c| c.as_str())
                .map(str::to_owned)
        });
    (status, code)
}

// ---------------------------------------------------------------- the C ABI slice

#[allow(non_camel_case_types)]
type authy_client = std::ffi::c_void;
#[allow(non_camel_case_types)]
type opaque = std::ffi::c_void;

unsafe extern "C" {
    fn authy_client_builder_new(
        key: *const c_char,
        out: *mut *mut opaque,
        err: *mut *mut opaque,
    ) -> u32;
    fn authy_client_builder_set_base_url(
        b: *mut opaque,
        url: *const c_char,
        err: *mut *mut opaque,
    ) -> u32;
    fn authy_client_builder_build(
        b: *const opaque,
        out: *mut *const authy_client,
        err: *mut *mut opaque,
    ) -> u32;
    fn authy_client_builder_free(b: *mut opaque);
    fn authy_client_free(c: *const authy_client);
    fn authy_params_new() -> *mut opaque;
    fn authy_params_set(
        p: *mut opaque,
        k: *const c_char,
        v: *const c_char,
        err: *mut *mut opaque,
    ) -> u32;
    fn authy_params_free(p: *mut opaque);
    fn authy_response_free(r: *mut opaque);
    fn authy_error_authy_code(e: *const opaque) -> *const c_char;
    fn authy_error_http_status(e: *const opaque) -> u16;
    fn authy_error_free(e: *mut opaque);
    fn authy_client_create_user(
        c: *const authy_client,
        email: *const c_char,
        phone: *const c_char,
        o: *const opaque,
        out: *mut *mut opaque,
        err: *mut *mut opaque,
    ) -> u32;
    fn authy_client_user_status(
        c: *const authy_client,
        id: *const c_char,
        o: *const opaque,
        out: *mut *mut opaque,
        err: *mut *mut opaque,
    ) -> u32;
    fn authy_client_request_sms(
        c: *const authy_client,
        id: *const c_char,
        o: *const opaque,
        out: *mut *mut opaque,
        err: *mut *mut opaque,
    ) -> u32;
    fn authy_client_verify_token(
        c: *const authy_client,
        id: *const c_char,
        token: *const c_char,
        o: *const opaque,
        out: *mut *mut opaque,
        err: *mut *mut opaque,
    ) -> u32;
    fn authy_client_start_phone_verification(
        c: *const authy_client,
        cc: *const c_char,
        phone: *const c_char,
        o: *const opaque,
        out: *mut *mut opaque,
        err: *mut *mut opaque,
    ) -> u32;
    fn authy_client_create_approval_request(
        c: *const authy_client,
        id: *const c_char,
        msg: *const c_char,
        o: *const opaque,
        out: *mut *mut opaque,
        err: *mut *mut opaque,
    ) -> u32;
}

const C_OK: u32 = 0;
const C_INVALID_ARGUMENT: u32 = 100;

struct CClient(*const authy_client);

impl CClient {
    fn new(sb: &Sandbox) -> CClient {
        let key = CString::new(sb.api_key()).unwrap();
        let url = CString::new(sb.base_url()).unwrap();
        let mut b = std::ptr::null_mut();
        let mut c = std::ptr::null();
        // SAFETY: the documented calling sequence, live pointers.
        unsafe {
            assert_eq!(
                authy_client_builder_new(key.as_ptr(), &mut b, std::ptr::null_mut()),
                C_OK
            );
            assert_eq!(
                authy_client_builder_set_base_url(b, url.as_ptr(), std::ptr::null_mut()),
                C_OK
            );
            assert_eq!(
                authy_client_builder_build(b, &mut c, std::ptr::null_mut()),
                C_OK
            );
            authy_client_builder_free(b);
        }
        CClient(c)
    }

    /// The result code, the HTTP status (200 for OK, else the `authy_error`'s) and the Authy
    /// code of the `authy_error`. `None` when the call is not in the C slice or an input cannot
    /// be a C string (an interior NUL).
    fn call(&self, call: &Call) -> Option<(u32, u16, Option<String>)> {
        let cs = |s: &str| CString::new(s).ok();
        let params = unsafe { authy_params_new() };
        let mut ok = true;
        let mut set_refused = false;
        let mut set = |k: &str, v: &str| match (cs(k), cs(v)) {
            (Some(k), Some(v)) => {
                // SAFETY: live params, C strings.
                let rc = unsafe {
                    authy_params_set(params, k.as_ptr(), v.as_ptr(), std::ptr::null_mut())
                };
                // A key whose syntax is not a parameter name (`details[]`, `details[a[b]]`).
                set_refused |= rc == C_INVALID_ARGUMENT;
                assert!(
                    rc == C_OK || rc == C_INVALID_ARGUMENT,
                    "authy_params_set: {rc}"
                );
            }
            _ => ok = false,
        };
        let args: Vec<String> = match call {
            Call::CreateUser {
                email,
                cellphone,
                cc,
            } => {
                set("country_code", cc);
                vec![email.clone(), cellphone.clone()]
            }
            Call::UserStatus { id } => vec![id.clone()],
            Call::Sms {
                id,
                action,
                message,
                locale,
            } => {
                for (k, v) in [
                    ("action", action),
                    ("action_message", message),
                    ("locale", locale),
                ] {
                    if let Some(v) = v {
                        set(k, v);
                    }
                }
                vec![id.clone()]
            }
            Call::Verify { id, token, action } => {
                if let Some(a) = action {
                    set("action", a);
                }
                vec![id.clone(), token.clone()]
            }
            Call::StartVerification {
                cc,
                phone,
                via,
                locale,
                code_length,
                custom_message,
                custom_code,
            } => {
                set("via", via);
                for (k, v) in [
                    ("locale", locale),
                    ("custom_message", custom_message),
                    ("custom_code", custom_code),
                ] {
                    if let Some(v) = v {
                        set(k, v);
                    }
                }
                if let Some(n) = code_length {
                    set("code_length", &n.to_string());
                }
                vec![cc.clone(), phone.clone()]
            }
            Call::Approval {
                id,
                message,
                details,
                logos,
            } => {
                for (k, v) in details {
                    set(&format!("details[{k}]"), v);
                }
                for (res, url) in logos {
                    set("logos[][res]", res);
                    set("logos[][url]", url);
                }
                vec![id.clone(), message.clone()]
            }
            _ => vec![],
        };
        let args: Option<Vec<CString>> = args.iter().map(|a| cs(a)).collect();
        let result = match (ok, args) {
            (true, Some(a)) if !a.is_empty() && set_refused => Some((C_INVALID_ARGUMENT, 0, None)),
            (true, Some(a)) if !a.is_empty() => {
                let mut out = std::ptr::null_mut();
                let mut err = std::ptr::null_mut();
                let (c, o) = (self.0, params as *const opaque);
                // SAFETY: live client and params, C strings, out-params.
                let rc = unsafe {
                    match call {
                        Call::CreateUser { .. } => authy_client_create_user(
                            c,
                            a[0].as_ptr(),
                            a[1].as_ptr(),
                            o,
                            &mut out,
                            &mut err,
                        ),
                        Call::UserStatus { .. } => {
                            authy_client_user_status(c, a[0].as_ptr(), o, &mut out, &mut err)
                        }
                        Call::Sms { .. } => {
                            authy_client_request_sms(c, a[0].as_ptr(), o, &mut out, &mut err)
                        }
                        Call::Verify { .. } => authy_client_verify_token(
                            c,
                            a[0].as_ptr(),
                            a[1].as_ptr(),
                            o,
                            &mut out,
                            &mut err,
                        ),
                        Call::StartVerification { .. } => authy_client_start_phone_verification(
                            c,
                            a[0].as_ptr(),
                            a[1].as_ptr(),
                            o,
                            &mut out,
                            &mut err,
                        ),
                        Call::Approval { .. } => authy_client_create_approval_request(
                            c,
                            a[0].as_ptr(),
                            a[1].as_ptr(),
                            o,
                            &mut out,
                            &mut err,
                        ),
                        _ => unreachable!(),
                    }
                };
                // SAFETY: err/out are NULL or owned by us.
                let (status, code) = unsafe {
                    let p = authy_error_authy_code(err);
                    let code = (!p.is_null())
                        .then(|| std::ffi::CStr::from_ptr(p).to_string_lossy().into_owned());
                    let status = if rc == C_OK {
                        200
                    } else {
                        authy_error_http_status(err)
                    };
                    authy_error_free(err);
                    authy_response_free(out);
                    (status, code)
                };
                Some((rc, status, code))
            }
            _ => None,
        };
        // SAFETY: created above.
        unsafe { authy_params_free(params) };
        result
    }
}

impl Drop for CClient {
    fn drop(&mut self) {
        // SAFETY: built in new(), freed once.
        unsafe { authy_client_free(self.0) };
    }
}

// ---------------------------------------------------------------- the test

#[derive(Default, Debug)]
struct Counts {
    cases: usize,
    refused_unsafe: usize,
    /// Of those, how many the sandbox accepted (200): the price of never sending them.
    refused_unsafe_sandbox_accepted: usize,
    refused_with_api_code: usize,
    sent: usize,
    sandbox_accepted: usize,
    c_abi_calls: usize,
    c_abi_refused: usize,
}

#[test]
fn the_library_never_refuses_what_the_sandbox_accepts() {
    let seed: u64 = std::env::var("AUTHY_DIFF_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    let n: usize = std::env::var("AUTHY_DIFF_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1500);
    let report_only = std::env::var_os("AUTHY_DIFF_REPORT_ONLY").is_some();
    eprintln!("differential corpus: seed {seed} (AUTHY_DIFF_SEED={seed} replays it), {n} cases");

    // No magic codes: a corpus token or code must never verify by luck in one of the two calls.
    let sb = Sandbox::start(SandboxConfig {
        magic_codes: false,
        ..SandboxConfig::default()
    })
    .expect("sandbox");
    let c = common::client(&sb);
    let cc = CClient::new(&sb);
    let id = common::create_user(&c, "201-555-0100");
    let mut rng = Rng(seed);
    let mut counts = Counts::default();
    let mut mismatches: Vec<String> = Vec::new();
    let mut by_field: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();

    for i in 0..n {
        let case = case(&mut rng, &id);
        counts.cases += 1;
        let raw = case.call.raw();
        let (raw_status, raw_code) = raw_send(&sb, &raw);
        if raw_status == 200 {
            counts.sandbox_accepted += 1;
        }
        let unsafe_why = unsafe_reason(&case.call);
        let entry = by_field.entry(case.field).or_default();
        entry.0 += 1;
        let mut judge = |way: &str,
                         refused: bool,
                         code: Option<String>,
                         sent: Option<(u16, Option<String>)>| {
            if refused {
                match (&code, unsafe_why) {
                    (Some(code), _) if raw_status != 200 && raw_code.as_deref() == Some(code) => {}
                    (Some(code), _) => mismatches.push(format!(
                        "[{way}] {}: refused locally with {code}, the sandbox answered {raw_status} {raw_code:?}: {:?}",
                        case.field, case.call
                    )),
                    (None, Some(_)) => {}
                    (None, None) => mismatches.push(format!(
                        "[{way}] {}: refused locally, safe to send; the sandbox answered {raw_status} {raw_code:?}: {:?}",
                        case.field, case.call
                    )),
                }
            } else if let Some((status, code)) = sent
                && (status != raw_status || code != raw_code)
            {
                mismatches.push(format!(
                    "[{way}] {}: the library got {status} {code:?}, the raw request {raw_status} {raw_code:?}: {:?}",
                    case.field, case.call
                ));
            }
        };
        match case.call.lib(&c) {
            Err(e) if e.kind() == ErrorKind::InvalidArgument => {
                assert_eq!(e.attempts(), 0);
                if e.authy_code().is_some() {
                    counts.refused_with_api_code += 1;
                } else {
                    counts.refused_unsafe += 1;
                    if raw_status == 200 {
                        counts.refused_unsafe_sandbox_accepted += 1;
                    }
                }
                entry.1 += 1;
                judge("rust", true, e.authy_code().map(str::to_owned), None);
            }
            Err(e) => panic!("{}: {e:?} for {:?}", case.field, case.call),
            Ok(resp) => {
                counts.sent += 1;
                judge(
                    "rust",
                    false,
                    None,
                    Some((resp.status(), resp.error_code())),
                );
            }
        }
        // The C slice: every third case of the endpoints it covers.
        if i % 3 == 0
            && let Some((rc, status, code)) = cc.call(&case.call)
        {
            counts.c_abi_calls += 1;
            if rc == C_INVALID_ARGUMENT {
                counts.c_abi_refused += 1;
                judge("C ABI", true, code, None);
            } else {
                judge("C ABI", false, None, Some((status, code)));
            }
        }
    }
    eprintln!("{counts:#?}");
    for (field, (total, refused)) in &by_field {
        eprintln!("  {field:40} {total:5} cases, {refused:4} refused locally");
    }
    for m in mismatches.iter().take(30) {
        eprintln!("MISMATCH {m}");
    }
    eprintln!("{} mismatches (seed {seed})", mismatches.len());
    if !report_only {
        assert!(
            mismatches.is_empty(),
            "{} mismatches (seed {seed})",
            mismatches.len()
        );
        assert!(
            counts.sent > n / 2,
            "most of the corpus must reach the sandbox: {counts:?}"
        );
        assert!(
            counts.refused_unsafe > 0 && counts.refused_with_api_code > 0,
            "{counts:?}"
        );
        assert!(counts.c_abi_calls > n / 10, "{counts:?}");
    }
}
