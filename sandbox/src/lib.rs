//! authy-sandbox: a local emulator of the Authy REST API (work in progress).
