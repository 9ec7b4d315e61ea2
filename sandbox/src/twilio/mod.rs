//! Twilio Verify v2 emulation (temporary module list of branch verify-push until the framework
//! from verify-sandbox is merged).

#![allow(dead_code)]

pub mod push;
pub mod totp;
pub mod webhook_sig;
