//! The browser UI under `/_ui/` (the handset in a page: inbox, approvals, authenticator,
//! users, controls). Three static files compiled into the binary; the page's script reads and
//! acts only through the control API (`/sandbox/...`, same key rules), so the UI has no second
//! implementation of anything. Served unless `SandboxConfig::ui` is off (`--no-ui`).

use crate::reply::Reply;

const INDEX_HTML: &str = include_str!("ui/index.html");
const APP_JS: &str = include_str!("ui/app.js");
const APP_CSS: &str = include_str!("ui/app.css");
const ICON_SVG: &str = include_str!("ui/icon.svg");

/// Path prefix of the UI.
pub const PREFIX: &str = "/_ui/";

/// No inline script or style, no plugins, no framing; images (OneTouch logos) from http(s) only;
/// fetches to this origin only.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' http: https:; \
connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Whether a raw request path belongs to the UI.
pub fn is_ui_path(raw_path: &str) -> bool {
    raw_path == "/_ui" || raw_path.starts_with(PREFIX)
}

/// The answer for a UI path (see [`is_ui_path`]).
pub fn serve(method: &str, raw_path: &str) -> Reply {
    if method != "GET" && method != "HEAD" {
        return with_headers(Reply {
            status: 405,
            body: "method not allowed\n".into(),
            content_type: "text/plain; charset=utf-8",
            headers: vec![("allow", "GET, HEAD".into())],
        });
    }
    let (status, body, content_type) = match raw_path {
        "/_ui" => {
            return with_headers(Reply {
                status: 308,
                body: "".into(),
                content_type: "text/plain; charset=utf-8",
                headers: vec![("location", PREFIX.into())],
            });
        }
        "/_ui/" | "/_ui/index.html" => (200, INDEX_HTML, "text/html; charset=utf-8"),
        "/_ui/app.js" => (200, APP_JS, "text/javascript; charset=utf-8"),
        "/_ui/app.css" => (200, APP_CSS, "text/css; charset=utf-8"),
        "/_ui/icon.svg" => (200, ICON_SVG, "image/svg+xml"),
        _ => (404, "not found\n", "text/plain; charset=utf-8"),
    };
    // hyper leaves the body out of HEAD answers itself.
    with_headers(Reply {
        status,
        body: body.into(),
        content_type,
        headers: Vec::new(),
    })
}

fn with_headers(reply: Reply) -> Reply {
    reply
        .with_header("content-security-policy", CSP.into())
        .with_header("x-content-type-options", "nosniff".into())
        .with_header("x-frame-options", "DENY".into())
        .with_header("referrer-policy", "no-referrer".into())
        .with_header("cache-control", "no-store".into())
}
