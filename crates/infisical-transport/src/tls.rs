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
use std::sync::{Arc, Mutex};

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

    /// The trusted roots. Built from the same certificates (the same bytes, files read
    /// again), the store is the one built first in this process: parsing a system bundle
    /// (`SSL_CERT_FILE`) takes milliseconds, and a program may build many clients.
    fn root_store(&self) -> Result<Arc<RootCertStore>, Error> {
        if self.roots == RootStore::Platform {
            return self.build_root_store(&self.read_extra()?).map(Arc::new);
        }
        let extra = self.read_extra()?;
        let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, store)) = built.iter().find(|(key, _)| *key == extra) {
            return Ok(store.clone());
        }
        let store = Arc::new(self.build_root_store(&extra)?);
        if built.len() >= MOST_BUILT {
            built.remove(0);
        }
        built.push((extra, store.clone()));
        Ok(store)
    }

    /// The bytes of each extra CA source, files read now.
    fn read_extra(&self) -> Result<CaBytes, Error> {
        self.extra
            .iter()
            .map(|source| {
                let bytes = match source {
                    CaSource::Pem(pem) => pem.clone(),
                    CaSource::File(path) | CaSource::Bundle(path) => {
                        std::fs::read(path).map_err(|e| {
                            Error::Config(format!(
                                "cannot read the CA file {}: {e}",
                                path.display()
                            ))
                        })?
                    }
                };
                Ok((CaKind::of(source), bytes))
            })
            .collect()
    }

    fn build_root_store(&self, extra: &[(CaKind, Vec<u8>)]) -> Result<RootCertStore, Error> {
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
        for (source, (kind, bytes)) in self.extra.iter().zip(extra) {
            let certs = parse_certificates(source, bytes)?;
            if *kind == CaKind::Bundle {
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

/// Root stores built in this process, with the CA sources they were built from (Mozilla's
/// roots beside them): a few, the last built last.
static BUILT: Mutex<Vec<(CaBytes, Arc<RootCertStore>)>> = Mutex::new(Vec::new());

/// The extra CA sources' certificates as read: what a root store is built from.
type CaBytes = Vec<(CaKind, Vec<u8>)>;

/// The most root stores kept for reuse.
const MOST_BUILT: usize = 4;

/// How a CA source's certificates are taken: all of them, or those rustls can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CaKind {
    Strict,
    Bundle,
}

impl CaKind {
    fn of(source: &CaSource) -> Self {
        match source {
            CaSource::Bundle(_) => Self::Bundle,
            CaSource::Pem(_) | CaSource::File(_) => Self::Strict,
        }
    }
}

fn describe(source: &CaSource) -> String {
    match source {
        CaSource::Pem(_) => "the PEM text given".to_owned(),
        CaSource::File(path) | CaSource::Bundle(path) => path.display().to_string(),
    }
}

fn parse_certificates(
    source: &CaSource,
    bytes: &[u8],
) -> Result<Vec<CertificateDer<'static>>, Error> {
    let certs = CertificateDer::pem_slice_iter(bytes)
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

    /// Two self-signed test CAs (P-256, valid until 2126), made with `openssl req -x509`.
    const CA_ONE: &str = "-----BEGIN CERTIFICATE-----
MIIBlTCCATugAwIBAgIUL3e7Y4ZA/AsZ8+YTRodZj6S4BN4wCgYIKoZIzj0EAwIw
HzEdMBsGA1UEAwwUaW5maXNpY2FsLXJzIHRlc3QgQ0EwIBcNMjYxMjA0MTIzMjAz
WhgPMjEyNjExMTAxMjMyMDNaMB8xHTAbBgNVBAMMFGluZmlzaWNhbC1ycyB0ZXN0
IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEBoXpm9snWuRqBICLq5WMyLaW
y2jMuGpuUnlyarJ2oX664VyLJWLFgGLkF0aS0WjL2pRcii0I/iYKjHilp11SXaNT
MFEwHQYDVR0OBBYEFPR23GjeLmWkvmzT4smQaL2uKYv9MB8GA1UdIwQYMBaAFPR2
3GjeLmWkvmzT4smQaL2uKYv9MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwID
SAAwRQIgBLAZKv9Ndpjpio9xPohFTM/IoKXHgBSSmMawc2wMQyYCIQC4tp5RzAMy
dtAGWJC8kKdYBnYML0Z/PpiRWZxfh+/5sg==
-----END CERTIFICATE-----\n";
    const CA_TWO: &str = "-----BEGIN CERTIFICATE-----
MIIBmjCCAT+gAwIBAgIUKpgo9d9ivNq7chtahrc3pT1ZDjcwCgYIKoZIzj0EAwIw
ITEfMB0GA1UEAwwWaW5maXNpY2FsLXJzIHRlc3QgQ0EgMjAgFw0yNjEyMDQxMjMy
MDNaGA8yMTI2MTExMDEyMzIwM1owITEfMB0GA1UEAwwWaW5maXNpY2FsLXJzIHRl
c3QgQ0EgMjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABM3CkUy/350fr2+1oIkq
lyU2jPc+nr2iFD3KqBujft04Vwm8F2geARbG54692zpDbjeQVKzlLt8moMv2LiyU
6n2jUzBRMB0GA1UdDgQWBBR53okEny357zVwHFKFBCBz7CPQeTAfBgNVHSMEGDAW
gBR53okEny357zVwHFKFBCBz7CPQeTAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49
BAMCA0kAMEYCIQC3W2j06imdNzuMOHwcFvde62nIHq4oxjuZ/1Y6iiwxrQIhALu+
TDySQCxGkSvsBgJ62tS2ZkZA+qu8yozxBilADBVV
-----END CERTIFICATE-----\n";

    #[test]
    fn the_same_certificates_are_parsed_once_per_process() {
        let dir = std::env::temp_dir().join(format!("infisical-rs-roots-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("ca.pem");
        std::fs::write(&file, CA_ONE).unwrap();
        let options = TlsOptions::new().add_ca_file(&file);
        let first = options.root_store().unwrap();
        let again = TlsOptions::new().add_ca_file(&file).root_store().unwrap();
        assert!(Arc::ptr_eq(&first, &again), "parsed once");
        assert_eq!(first.len(), webpki_roots::TLS_SERVER_ROOTS.len() + 1);
        // The file is read again: other certificates, another store.
        std::fs::write(&file, format!("{CA_ONE}{CA_TWO}")).unwrap();
        let rotated = options.root_store().unwrap();
        assert!(!Arc::ptr_eq(&first, &rotated));
        assert_eq!(rotated.len(), first.len() + 1);
        // Given as text, the same certificates make the same store.
        let as_text = TlsOptions::new().add_ca_pem(CA_ONE).root_store().unwrap();
        assert_eq!(as_text.len(), first.len());
        // Errors are not kept: a file that appears is read.
        std::fs::remove_file(&file).unwrap();
        assert!(options.root_store().is_err());
        std::fs::write(&file, CA_TWO).unwrap();
        assert_eq!(options.root_store().unwrap().len(), first.len());
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
