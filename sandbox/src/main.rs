//! `authy-sandbox` binary: runs the emulator until SIGINT/SIGTERM.
//!
//! Prints the base URL as the first stdout line, one stderr line per request (key redacted).

#![forbid(unsafe_code)]

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use authy_sandbox::{CallbackMethod, Sandbox, SandboxConfig, TlsMode};

const USAGE: &str = "usage: authy-sandbox [--port N] [--api-key KEY] [--callback-url URL]
                     [--callback-method POST|GET] [--callback-ca FILE]
                     [--tls-self-signed [--ca-out FILE] | --tls-cert FILE --tls-key FILE]
                     [--no-magic-codes] [--legacy-unconfirmed-accept-any]
                     [--read-timeout SECS] [--disable-sms] [--disable-calls] [--no-ui]
                     [--quiet]

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
  -h, --help                      this text

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
    if ca_out.is_some() && !self_signed {
        return Err("--ca-out needs --tls-self-signed".into());
    }
    Ok(Some(Args { config, ca_out }))
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
    if let Err(e) = wait_for_signal() {
        eprintln!("authy-sandbox: cannot wait for signals: {e}");
        return ExitCode::FAILURE;
    }
    drop(sandbox);
    ExitCode::SUCCESS
}
