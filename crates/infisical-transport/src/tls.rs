//! TLS: which certificates are trusted, and the loudly named way to trust anything.

use infisical_core::Error;
use infisical_credentials::rustls;
use infisical_credentials::Env;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::path::PathBuf;
use std::sync::Arc;

/// Where the trusted root certificates come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RootStore {
    /// Mozilla's roots, bundled in the binary (`webpki-roots`): the same everywhere.
    #[default]
    WebPki,
    /// The operating system's trust store (`rustls-native-certs`), where a company CA may
    /// already be installed.
    Platform,
}

/// An extra certificate authority, as PEM.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CaSource {
    Pem(Vec<u8>),
    File(PathBuf),
    /// A system bundle (`SSL_CERT_FILE`): certificates rustls cannot use are skipped, as
    /// such bundles often hold a few; it fails only if none is usable.
    Bundle(PathBuf),
}

/// How the client verifies servers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsOptions {
    roots: RootStore,
    extra: Vec<CaSource>,
    accept_any_certificate: bool,
}

impl TlsOptions {
    /// Mozilla's bundled roots, nothing else.
    pub fn new() -> Self {
        Self::default()
    }

    /// The root store.
    pub fn roots(mut self, roots: RootStore) -> Self {
        self.roots = roots;
        self
    }

    /// Also trusts the CA certificates in this PEM text (one or more).
    pub fn add_ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.extra.push(CaSource::Pem(pem.into()));
        self
    }

    /// Also trusts the CA certificates in this PEM file, read when the client is built.
    pub fn add_ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.extra.push(CaSource::File(path.into()));
        self
    }

    /// Adds the CAs named by the environment: `INFISICAL_CA_CERT` (PEM text, or the path of
    /// a PEM file) and `SSL_CERT_FILE` (the path of a PEM bundle, as OpenSSL reads it).
    pub fn with_env(mut self, env: &dyn Env) -> Self {
        if let Some(value) = env.non_empty("INFISICAL_CA_CERT") {
            self.extra
                .push(if value.trim_start().starts_with("-----BEGIN") {
                    CaSource::Pem(value.into_bytes())
                } else {
                    CaSource::File(value.into())
                });
        }
        if let Some(path) = env.non_empty("SSL_CERT_FILE") {
            self.extra.push(CaSource::Bundle(path.into()));
        }
        self
    }

    /// **Disables certificate verification**: any certificate, for any host, is accepted,
    /// so anyone on the network path can read and change the traffic, tokens included. Only
    /// for local testing against a server with a throw-away certificate; prefer
    /// [`add_ca_pem`](Self::add_ca_pem). Each client built this way logs a warning.
    pub fn dangerously_accept_any_certificate(mut self, accept: bool) -> Self {
        self.accept_any_certificate = accept;
        self
    }

    /// The rustls configuration (without ALPN, which the connector sets).
    pub fn client_config(&self) -> Result<rustls::ClientConfig, Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Config(format!("TLS setup failed: {e}")))?;
        if self.accept_any_certificate {
            tracing::warn!("TLS certificate verification is DISABLED for this client: use only for local testing");
            return Ok(builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(provider)))
                .with_no_client_auth());
        }
        Ok(builder
            .with_root_certificates(self.root_store()?)
            .with_no_client_auth())
    }

    fn root_store(&self) -> Result<RootCertStore, Error> {
        let mut store = RootCertStore::empty();
        match self.roots {
            RootStore::WebPki => store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
            RootStore::Platform => {
                let found = rustls_native_certs::load_native_certs();
                if found.certs.is_empty() {
                    return Err(Error::Config(format!(
                        "no certificates in the platform's trust store ({} errors)",
                        found.errors.len()
                    )));
                }
                store.add_parsable_certificates(found.certs);
            }
        }
        for source in &self.extra {
            let certs = read_certificates(source)?;
            if matches!(source, CaSource::Bundle(_)) {
                let (added, _skipped) = store.add_parsable_certificates(certs);
                if added == 0 {
                    let problem = format!("no usable certificate in {}", describe(source));
                    return Err(Error::Config(problem));
                }
                continue;
            }
            for cert in certs {
                store.add(cert).map_err(|e| {
                    Error::Config(format!(
                        "unusable CA certificate in {}: {e}",
                        describe(source)
                    ))
                })?;
            }
        }
        Ok(store)
    }
}

fn describe(source: &CaSource) -> String {
    match source {
        CaSource::Pem(_) => "the PEM text given".to_owned(),
        CaSource::File(path) | CaSource::Bundle(path) => path.display().to_string(),
    }
}

fn read_certificates(source: &CaSource) -> Result<Vec<CertificateDer<'static>>, Error> {
    let bytes = match source {
        CaSource::Pem(pem) => pem.clone(),
        CaSource::File(path) | CaSource::Bundle(path) => std::fs::read(path).map_err(|e| {
            Error::Config(format!("cannot read the CA file {}: {e}", path.display()))
        })?,
    };
    let certs = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::Config(format!("invalid PEM in {}: {e}", describe(source))))?;
    if certs.is_empty() {
        return Err(Error::Config(format!(
            "no certificate in {}",
            describe(source)
        )));
    }
    Ok(certs)
}

/// Accepts any server certificate; signatures are still checked so the handshake is sound.
#[derive(Debug)]
struct AcceptAnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use infisical_credentials::StaticEnv;

    #[test]
    fn env_names_pem_text_or_files() {
        let env = StaticEnv::from([
            ("INFISICAL_CA_CERT", "-----BEGIN CERTIFICATE-----\n..."),
            ("SSL_CERT_FILE", "/etc/ssl/bundle.pem"),
        ]);
        let options = TlsOptions::new().with_env(&env);
        assert!(matches!(&options.extra[0], CaSource::Pem(_)));
        assert_eq!(
            options.extra[1],
            CaSource::Bundle("/etc/ssl/bundle.pem".into())
        );
    }

    #[test]
    fn a_system_bundle_skips_what_rustls_cannot_use() {
        let dir = std::env::temp_dir().join(format!("infisical-rs-bundle-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let bundle = dir.join("bundle.pem");
        // A certificate whose content is not a certificate, as bundles sometimes hold.
        let unusable = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        std::fs::write(&bundle, unusable).unwrap();
        let env = StaticEnv::from([("SSL_CERT_FILE", bundle.display().to_string())]);
        let only_unusable = TlsOptions::new().with_env(&env).client_config();
        assert!(matches!(only_unusable, Err(Error::Config(ref m)) if m.contains("no usable")));
        if let Ok(system) = std::fs::read_to_string("/etc/ssl/certs/ca-certificates.crt") {
            std::fs::write(&bundle, format!("{unusable}{system}")).unwrap();
            assert!(TlsOptions::new().with_env(&env).client_config().is_ok());
            let strict = TlsOptions::new().add_ca_file(&bundle).client_config();
            assert!(strict.is_err(), "a CA file the user names is read strictly");
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn bad_ca_sources_are_config_errors_naming_them() {
        let missing = TlsOptions::new()
            .add_ca_file("/nonexistent/ca.pem")
            .client_config();
        assert!(matches!(missing, Err(Error::Config(ref m)) if m.contains("/nonexistent/ca.pem")));
        let empty = TlsOptions::new()
            .add_ca_pem("not a certificate")
            .client_config();
        assert!(matches!(empty, Err(Error::Config(ref m)) if m.contains("no certificate")));
    }
}
