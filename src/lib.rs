//! libauthy: a blocking client for the Authy two-factor authentication API, with a C ABI.

pub mod catalog;
pub mod signature;
