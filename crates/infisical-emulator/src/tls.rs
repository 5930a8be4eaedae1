//! HTTPS for the emulator, with a certificate the test provides.

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use std::sync::Arc;
use tokio_rustls::rustls::crypto::ring;
pub(crate) use tokio_rustls::rustls::ServerConfig;

/// A TLS server configuration from a PEM certificate chain and private key.
pub(crate) fn server_config(cert_chain_pem: &str, private_key_pem: &str) -> Arc<ServerConfig> {
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(cert_chain_pem.as_bytes())
            .collect::<Result<_, _>>()
            .expect("infisical-emulator: the certificate chain is not valid PEM");
    assert!(
        !certs.is_empty(),
        "infisical-emulator: no certificate in the chain PEM"
    );
    let key = PrivateKeyDer::from_pem_slice(private_key_pem.as_bytes())
        .expect("infisical-emulator: no private key in the key PEM");
    let config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("infisical-emulator: TLS protocol versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("infisical-emulator: the key does not match the certificate");
    Arc::new(config)
}

/// The same configuration, offering HTTP/2 first by ALPN.
pub(crate) fn with_http2(config: &Arc<ServerConfig>) -> Arc<ServerConfig> {
    let mut config = ServerConfig::clone(config);
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Arc::new(config)
}
