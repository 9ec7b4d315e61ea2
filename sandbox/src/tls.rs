//! HTTPS: a rustls `ServerConfig` built with the ring provider explicitly (no process-wide
//! provider is installed), from a generated self-signed certificate or from PEM files.

use std::io;
use std::sync::Arc;

use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::config::TlsMode;

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

/// The server config and, for `SelfSigned`, the certificate PEM clients must trust.
pub fn build(mode: &TlsMode) -> io::Result<Option<(Arc<ServerConfig>, Option<String>)>> {
    let (certs, key, pem) = match mode {
        TlsMode::Off => return Ok(None),
        TlsMode::SelfSigned => {
            let ck = rcgen::generate_simple_self_signed(vec![
                "localhost".to_string(),
                "127.0.0.1".to_string(),
            ])
            .map_err(|e| invalid(format!("cannot generate a certificate: {e}")))?;
            let key =
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(ck.signing_key.serialize_der()));
            (vec![ck.cert.der().clone()], key, Some(ck.cert.pem()))
        }
        TlsMode::Files { cert, key } => {
            let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
                .map_err(|e| invalid(format!("cannot read {}: {e}", cert.display())))?
                .collect::<Result<_, _>>()
                .map_err(|e| invalid(format!("bad certificate in {}: {e}", cert.display())))?;
            if certs.is_empty() {
                return Err(invalid(format!("no certificate in {}", cert.display())));
            }
            let key = PrivateKeyDer::from_pem_file(key).map_err(|e| {
                invalid(format!(
                    "cannot read a private key from {}: {e}",
                    key.display()
                ))
            })?;
            (certs, key, None)
        }
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid(format!("TLS setup: {e}")))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| invalid(format!("TLS certificate/key: {e}")))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Some((Arc::new(config), pem)))
}
