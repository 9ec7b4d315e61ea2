//! `authy-sandbox` binary: runs the emulator until SIGINT/SIGTERM.
//!
//! Prints the base URL as the first stdout line, one stderr line per request (key redacted).

#![forbid(unsafe_code)]

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use authy_sandbox::{CallbackMethod, DEFAULT_AUTH_TOKEN, Sandbox, SandboxConfig, TlsMode};

const USAGE: &str = "usage: authy-sandbox [--port N] [--api-key KEY] [--callback-url URL]
                     [--callback-method POST|GET] [--callback-ca FILE]
                     [--tls-self-signed [--ca-out FILE] | --tls-cert FILE --tls-key FILE]
                     [--no-magic-codes] [--legacy-unconfirmed-accept-any]
                     [--read-timeout SECS] [--disable-sms] [--disable-calls] [--no-ui]
                     [--quiet] [--account-sid AC... --auth-token TOKEN]
                     [--api-key-sid SK... --api-key-secret SECRET]...

  --port N                        TCP port on 127.0.0.1 (default 0 = ephemeral)
  --api-key KEY                   accepted API key (default sandbox-api-key-0123456789abcdef)
  --callback-url URL              where OneTouch callbacks are sent
  --callback-method POST|GET      callback method (default POST)
  --callback-ca FILE              also trust these PEM certificates for https:// callback
                                  URLs (the Mozilla roots are always trusted)
  --tls-self-signed               serve HTTPS with a generated certificate for localhost/127.0.0.1
  --ca-out FILE                   write that certificate (PEM) to FILE
  --tls-cert FILE --tls-key FILE  serve HTTPS with these PEM files
  --no-magic-codes                reject the legacy magic codes 0000000 / 0000
  --legacy-unconfirmed-accept-any accept any token for unconfirmed users unless force=true
  --read-timeout SECS             close a connection whose request headers or body take
                                  longer, or that sits idle that long (default 30; 0 = never)
  --disable-sms                   the plan has no SMS: sms/{id} and SMS phone verification
                                  answer 503 60007 \"SMS is not enabled\"
  --disable-calls                 the plan has no calls: call/{id} and phone verification by
                                  call answer 503 60006 (\"Phone calls are not enabled ...\")
  --no-ui                         do not serve the browser UI under /_ui/
  --quiet                         no per-request log lines
  --account-sid AC...             Twilio Account SID accepted (HTTP Basic user) on the Verify v2
                                  and Lookup v2 routes under /v2 (default
                                  AC00000000000000000000000000000000)
  --auth-token TOKEN              its Auth Token (Basic password; default
                                  sandbox-auth-token-0123456789abcd; never logged)
  --api-key-sid SK... --api-key-secret SECRET
                                  also accept this API key pair on /v2 (repeatable)
  -h, --help                      this text

Authy API: /protected/..., /onetouch/... with X-Authy-API-Key (or api_key).
Twilio Verify v2 (HTTP Basic, form bodies, errors {code,message,more_info,status}):
  /v2/Services[/{VA}]                                 POST GET | GET POST DELETE
  /v2/Services/{VA}/Verifications[/{VE or To}]        POST | GET POST (Status=canceled|approved)
  /v2/Services/{VA}/VerificationCheck                 POST (Code + To or VerificationSid)
  /v2/Services/{VA}/RateLimits[/{RK}]                 POST GET | GET POST DELETE
  /v2/Services/{VA}/RateLimits/{RK}/Buckets[/{BL}]    POST GET | GET POST DELETE
  /v2/Attempts[/{VL}], /v2/Attempts/Summary           GET
  /v2/Services/{VA}/Entities[/{Identity}]             POST GET | GET DELETE
  /v2/Services/{VA}/Entities/{Identity}/Factors[/{YF}]  POST GET | GET POST (AuthPayload) DELETE
  /v2/Services/{VA}/Entities/{Identity}/Challenges[/{YC}]  POST GET | GET POST (AuthPayload)
  /v2/Services/{VA}/Entities/{Identity}/Challenges/{YC}/Notifications  POST
  /v2/Services/{VA}/AccessTokens[/{YK}]               POST | GET
  /v2/Services/{VA}/Webhooks[/{YW}]                   POST GET | GET POST DELETE
Twilio Lookup v2: GET /v2/PhoneNumbers/{number}?Fields=validation,line_type_intelligence,
  caller_name,sms_pumping_risk[&CountryCode=US]
Verify rules: 10-minute verifications; a resend reuses the code; the 6th send is 429 60203;
wrong codes are 200 pending, the 6th check after 5 wrong is 429 60202; approved, canceled and
expired verifications are 404 20404. TOTP factors/challenges: RFC 6238 on the sandbox clock,
429 60310/60308 after 5 wrong codes; push: P-256 keys, ES256 JWT answers over the fields of
Twilio-Verify-Signature-Fields; challenges expire after 5 min (ExpirationDate <= 60 min);
webhook events are form POSTs signed with X-Twilio-Signature (HMAC-SHA1, Auth Token).
Control API (loopback; Basic credentials or the Authy key): GET /sandbox/verify/code?To=...
[&ServiceSid=VA...][&Channel=sms], GET /sandbox/verify/verifications, GET the sna.url of an SNA
verification; GET /sandbox/verify/Services/{VA}/Entities/{Id}/Factors/{YF}/Code (TOTP code),
POST .../Entities/{Id}/PushFactors (a push factor whose key the sandbox holds), POST
.../Entities/{Id}/Challenges/{YC}/Approve|Deny, GET /sandbox/verify/Webhooks/Deliveries;
/sandbox/clock/advance, /sandbox/faults, /sandbox/requests and /sandbox/reset
cover the /v2 routes too. See sandbox/README.md.

The first line on stdout is the base URL; the browser UI is at that URL + /_ui/ (it asks for
the API key once). Stops cleanly on SIGINT/SIGTERM.";

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("authy-sandbox: {msg}\n{USAGE}");
    ExitCode::from(2)
}

struct Args {
    config: SandboxConfig,
    ca_out: Option<PathBuf>,
}

fn parse_args(args: &[String]) -> Result<Option<Args>, String> {
    let mut config = SandboxConfig {
        log_requests: true,
        ..SandboxConfig::default()
    };
    let mut self_signed = false;
    let mut ca_out = None;
    let mut cert = None;
    let mut key = None;
    let mut api_key_sids = Vec::new();
    let mut api_key_secrets = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let flag = args[i].as_str();
        let mut value = || -> Result<String, String> {
            i += 1;
            args.get(i)
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag {
            "-h" | "--help" => return Ok(None),
            "--port" => {
                let v = value()?;
                config.port = v.parse().map_err(|_| format!("invalid port: {v}"))?;
            }
            "--api-key" => {
                let v = value()?;
                if v.is_empty() {
                    return Err("--api-key must not be empty".into());
                }
                config.api_key = v;
            }
            "--callback-url" => config.callback_url = Some(value()?),
            "--callback-ca" => {
                let path = value()?;
                let pem = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {path}: {e}"))?;
                config.callback_ca_pem = Some(pem);
            }
            "--callback-method" => {
                let v = value()?;
                config.callback_method = CallbackMethod::parse(&v)
                    .ok_or_else(|| format!("invalid callback method: {v}"))?;
            }
            "--tls-self-signed" => self_signed = true,
            "--ca-out" => ca_out = Some(PathBuf::from(value()?)),
            "--tls-cert" => cert = Some(PathBuf::from(value()?)),
            "--tls-key" => key = Some(PathBuf::from(value()?)),
            "--no-magic-codes" => config.magic_codes = false,
            "--legacy-unconfirmed-accept-any" => config.legacy_unconfirmed_accept_any = true,
            "--read-timeout" => {
                let v = value()?;
                let secs: u64 = v
                    .parse()
                    .ok()
                    .filter(|s| *s <= 86_400)
                    .ok_or_else(|| format!("invalid read timeout (0-86400 seconds): {v}"))?;
                config.read_timeout = (secs > 0).then(|| std::time::Duration::from_secs(secs));
            }
            "--disable-sms" => config.sms_enabled = false,
            "--disable-calls" => config.phone_calls_enabled = false,
            "--no-ui" => config.ui = false,
            "--quiet" => config.log_requests = false,
            "--account-sid" => {
                let v = value()?;
                if !is_sid("AC", &v) {
                    return Err(format!("invalid Account SID (AC + 32 hex digits): {v}"));
                }
                config.account_sid = v;
            }
            "--auth-token" => {
                let v = value()?;
                if v.is_empty() {
                    return Err("--auth-token must not be empty".into());
                }
                config.auth_token = v;
            }
            "--api-key-sid" => {
                let v = value()?;
                if !is_sid("SK", &v) {
                    return Err(format!("invalid API key SID (SK + 32 hex digits): {v}"));
                }
                api_key_sids.push(v);
            }
            "--api-key-secret" => {
                let v = value()?;
                if v.is_empty() {
                    return Err("--api-key-secret must not be empty".into());
                }
                api_key_secrets.push(v);
            }
            other => return Err(format!("unknown argument: {other}")),
        }
        i += 1;
    }
    config.tls = match (self_signed, cert, key) {
        (false, None, None) => TlsMode::Off,
        (true, None, None) => TlsMode::SelfSigned,
        (false, Some(cert), Some(key)) => TlsMode::Files { cert, key },
        (true, _, _) => return Err("--tls-self-signed excludes --tls-cert/--tls-key".into()),
        _ => return Err("--tls-cert and --tls-key go together".into()),
    };
    if api_key_sids.len() != api_key_secrets.len() {
        return Err("each --api-key-sid needs one --api-key-secret".into());
    }
    config.api_keys = api_key_sids.into_iter().zip(api_key_secrets).collect();
    if ca_out.is_some() && !self_signed {
        return Err("--ca-out needs --tls-self-signed".into());
    }
    Ok(Some(Args { config, ca_out }))
}

/// `prefix` + 32 hex digits.
fn is_sid(prefix: &str, s: &str) -> bool {
    s.len() == 34 && s.starts_with(prefix) && s[2..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// The stderr line that tells how to reach the Verify routes: the Account SID and API key SIDs,
/// and the Auth Token only when it is the public default.
fn credentials_line(config: &SandboxConfig) -> String {
    let token = if config.auth_token == DEFAULT_AUTH_TOKEN {
        format!("auth token {DEFAULT_AUTH_TOKEN} (default)")
    } else {
        "the auth token given by --auth-token".to_string()
    };
    let mut line = format!(
        "authy-sandbox: Verify v2 / Lookup v2 under /v2: Basic auth with account {} and {token}",
        config.account_sid
    );
    for (sid, _) in &config.api_keys {
        line.push_str(&format!(", or API key {sid} with its secret"));
    }
    line
}

fn wait_for_signal() -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let mut term = signal(SignalKind::terminate())?;
            tokio::select! {
                r = tokio::signal::ctrl_c() => r,
                _ = term.recv() => Ok(()),
            }
        }
        #[cfg(not(unix))]
        {
            tokio::signal::ctrl_c().await
        }
    })
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse_args(&argv) {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => return usage_error(&msg),
    };
    let credentials = credentials_line(&args.config);
    let sandbox = match Sandbox::start(args.config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("authy-sandbox: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let (Some(path), Some(pem)) = (&args.ca_out, sandbox.ca_pem())
        && let Err(e) = std::fs::write(path, pem)
    {
        eprintln!("authy-sandbox: cannot write {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{}", sandbox.base_url())
        .and_then(|_| out.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    drop(out);
    eprintln!("{credentials}");
    if let Err(e) = wait_for_signal() {
        eprintln!("authy-sandbox: cannot wait for signals: {e}");
        return ExitCode::FAILURE;
    }
    drop(sandbox);
    ExitCode::SUCCESS
}
