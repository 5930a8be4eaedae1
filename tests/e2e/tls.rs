//! TLS with a private CA generated here: trusted when configured, refused otherwise.

use infisical::credentials::ClientCredentials;
use infisical::credentials::StaticEnv;
use infisical::credentials::UniversalAuth;
use infisical::secrets::ListSecrets;
use infisical::{Error, TlsOptions};
use infisical_emulator::Emulator;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use std::sync::Arc;

/// A CA, and a server certificate for 127.0.0.1 and localhost signed by it.
struct PrivateCa {
    ca_pem: String,
    server_cert_pem: String,
    server_key_pem: String,
}

fn private_ca() -> PrivateCa {
    private_ca_for(&["127.0.0.1", "localhost"], false)
}

/// A CA and a server certificate for `names`, expired since 2001 if `expired`.
fn private_ca_for(names: &[&str], expired: bool) -> PrivateCa {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "infisical-rs test CA");
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let server_key = KeyPair::generate().unwrap();
    let mut server_params =
        CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
    if expired {
        server_params.not_before = rcgen::date_time_ymd(2000, 1, 1);
        server_params.not_after = rcgen::date_time_ymd(2001, 1, 1);
    }
    let server_cert = server_params.signed_by(&server_key, &issuer).unwrap();
    PrivateCa {
        ca_pem: ca_cert.pem(),
        server_cert_pem: server_cert.pem(),
        server_key_pem: server_key.serialize_pem(),
    }
}

struct HttpsWorld {
    emulator: Emulator,
    project: String,
    id: String,
    secret: String,
    ca: PrivateCa,
}

fn https_world() -> HttpsWorld {
    https_world_with(private_ca())
}

fn https_world_with(ca: PrivateCa) -> HttpsWorld {
    https_world_on(ca, Emulator::builder())
}

fn https_world_on(ca: PrivateCa, emulator: infisical_emulator::EmulatorBuilder) -> HttpsWorld {
    let emulator = emulator
        .tls(&ca.server_cert_pem, &ca.server_key_pem)
        .start();
    let project = emulator.create_project("tls");
    emulator.set_secret(&project, "dev", "/", "OVER_TLS", "yes");
    let (id, secret) = emulator.create_universal_auth_identity();
    HttpsWorld {
        emulator,
        project,
        id,
        secret,
        ca,
    }
}

impl HttpsWorld {
    fn builder(&self) -> infisical::ClientBuilder {
        infisical::Client::builder()
            .base_url(self.emulator.url())
            .credentials(UniversalAuth::new(self.id.clone(), self.secret.clone()))
            .env(Arc::new(StaticEnv::new()))
            .no_retries()
    }

    async fn list(&self, client: &infisical::Client) -> Result<String, Error> {
        let list = client
            .secrets()
            .list(ListSecrets::new(&self.project, "dev"))
            .await?;
        Ok(list.get("OVER_TLS").unwrap().value().unwrap().to_owned())
    }
}

#[tokio::test]
async fn a_private_ca_added_as_pem_is_trusted() {
    let world = https_world();
    assert!(world.emulator.url().starts_with("https://127.0.0.1:"));
    let client = world
        .builder()
        .tls(TlsOptions::new().add_ca_pem(world.ca.ca_pem.clone()))
        .build()
        .unwrap();
    assert_eq!(world.list(&client).await.unwrap(), "yes");
    assert_eq!(world.emulator.logins(), 1, "the login went over TLS too");
}

#[tokio::test]
async fn an_unknown_ca_is_refused_before_anything_is_sent() {
    let world = https_world();
    let client = world.builder().build().unwrap();
    let err = world.list(&client).await.unwrap_err();
    let Error::Credentials(login) = &err else {
        panic!("the login fails first: {err:?}")
    };
    assert!(login.to_string().contains("certificate"), "{login}");
    assert!(
        world.emulator.requests().is_empty(),
        "no request got through the handshake"
    );
}

#[tokio::test]
async fn the_ca_can_come_from_the_environment() {
    let world = https_world();
    let dir = crate::support::temp_dir("infisical-rs-ca-");
    let file = dir.path().join("ca.pem");
    std::fs::write(&file, &world.ca.ca_pem).unwrap();
    for env in [
        StaticEnv::from([("INFISICAL_CA_CERT", world.ca.ca_pem.clone())]),
        StaticEnv::from([("INFISICAL_CA_CERT", file.display().to_string())]),
        StaticEnv::from([("SSL_CERT_FILE", file.display().to_string())]),
    ] {
        let client = world.builder().env(Arc::new(env)).build().unwrap();
        assert_eq!(world.list(&client).await.unwrap(), "yes");
    }
    dir.close().unwrap();
}

#[tokio::test]
async fn verification_can_be_disabled_only_by_saying_so() {
    let world = https_world();
    let tls = TlsOptions::new().dangerously_accept_any_certificate(true);
    let client = world.builder().tls(tls).build().unwrap();
    assert_eq!(world.list(&client).await.unwrap(), "yes");
}

#[tokio::test]
async fn a_missing_ca_file_fails_the_build() {
    let err = infisical::Client::builder()
        .credentials(ClientCredentials::access_token("t"))
        .tls(TlsOptions::new().add_ca_file("/nonexistent/ca.pem"))
        .build()
        .unwrap_err();
    assert!(
        matches!(err, Error::Config(ref m) if m.contains("/nonexistent/ca.pem")),
        "{err}"
    );
}

#[tokio::test]
async fn a_plain_http_server_never_sets_tls_up() {
    // A broken CA bundle in the environment is irrelevant to an `http://` server: the
    // client builds and works without reading it (TLS is set up on a first `https`
    // connection only); an `https://` server fails the build, naming the file.
    let dir = crate::support::temp_dir("infisical-rs-bad-ca-");
    let bundle = dir.path().join("bundle.pem");
    std::fs::write(&bundle, "not a certificate").unwrap();
    let env = || {
        Arc::new(StaticEnv::from([(
            "SSL_CERT_FILE",
            bundle.display().to_string(),
        )]))
    };
    let world = crate::support::World::modern();
    let client = world.builder().env(env()).build().unwrap();
    assert!(world.list(&client).await.is_ok());
    let err = infisical::Client::builder()
        .base_url("https://secrets.example.com")
        .credentials(ClientCredentials::access_token("t"))
        .env(env())
        .build()
        .unwrap_err();
    assert!(
        matches!(err, Error::Config(ref m) if m.contains("bundle.pem")),
        "{err}"
    );
    dir.close().unwrap();
}

#[tokio::test]
async fn a_refused_certificate_is_permanent_and_not_retried() {
    for (what, ca, trust) in [
        ("unknown issuer", private_ca(), false),
        ("another name", private_ca_for(&["db.example"], false), true),
        ("expired", private_ca_for(&["127.0.0.1"], true), true),
    ] {
        let world = https_world_with(ca);
        // Retries on (the default policy): a certificate error must still be tried once.
        let mut builder = infisical::Client::builder()
            .base_url(world.emulator.url())
            .credentials(UniversalAuth::new(world.id.clone(), world.secret.clone()))
            .env(Arc::new(StaticEnv::new()));
        if trust {
            builder = builder.tls(TlsOptions::new().add_ca_pem(world.ca.ca_pem.clone()));
        }
        let err = world.list(&builder.build().unwrap()).await.unwrap_err();
        assert!(!err.is_retryable(), "{what}: {err}");
        assert!(!err.is_timeout(), "{what}: {err}");
        assert_eq!(world.emulator.connections(), 1, "{what}: one handshake");
        assert!(world.emulator.requests().is_empty(), "{what}");
    }
}

#[tokio::test]
async fn the_connect_timeout_bounds_the_tls_handshake() {
    let silent = infisical_emulator::SilentListener::start();
    let client = infisical::Client::builder()
        .base_url(silent.https_url())
        .credentials(UniversalAuth::new("id", "secret"))
        .env(Arc::new(StaticEnv::new()))
        .connect_timeout(std::time::Duration::from_secs(1))
        .timeout(std::time::Duration::from_secs(8))
        .no_retries()
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client
        .secrets()
        .list(ListSecrets::new("p", "dev"))
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(err.is_timeout(), "{err}");
    assert!(err.is_retryable(), "{err}");
    assert!(
        took < std::time::Duration::from_secs(4),
        "bounded by the 1 s connect timeout, not the 8 s attempt timeout: {took:?}"
    );
    assert_eq!(silent.accepted(), 1);
}

/// A client trusting the world's CA, retries as by default.
fn trusting_client(world: &HttpsWorld) -> infisical::Client {
    trusting_builder(world).build().unwrap()
}

fn trusting_builder(world: &HttpsWorld) -> infisical::ClientBuilder {
    infisical::Client::builder()
        .base_url(world.emulator.url())
        .credentials(UniversalAuth::new(world.id.clone(), world.secret.clone()))
        .env(Arc::new(StaticEnv::new()))
        .tls(TlsOptions::new().add_ca_pem(world.ca.ca_pem.clone()))
}

#[tokio::test]
async fn an_https_connection_speaks_http2_when_the_server_offers_it_over_alpn() {
    // The emulator offers `h2` by ALPN when it rotates HTTP/2 connections (here never).
    let world = https_world_on(private_ca(), Emulator::builder().http2_goaway_every(1_000));
    // A user layer notes each answer's HTTP version.
    let versions = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = versions.clone();
    let note = tower::util::MapResponseLayer::new(move |answer: http::Response<bytes::Bytes>| {
        seen.lock().unwrap().push(answer.version());
        answer
    });
    let client = trusting_builder(&world).layer(note).build().unwrap();
    for _ in 0..3 {
        world.list(&client).await.unwrap();
    }
    let versions = versions.lock().unwrap().clone();
    // The login and three lists.
    assert_eq!(versions, vec![http::Version::HTTP_2; 4], "{versions:?}");
    assert_eq!(world.emulator.connections(), 1, "one connection, reused");
}

#[tokio::test]
async fn http2_connection_rotation_under_load_fails_no_read() {
    let world = https_world_on(private_ca(), Emulator::builder().http2_goaway_every(100));
    let client = trusting_client(&world);
    let mut failures = Vec::new();
    for _wave in 0..5 {
        let calls: Vec<_> = (0..64)
            .map(|_| {
                let (client, project) = (client.clone(), world.project.clone());
                tokio::spawn(async move {
                    client
                        .secrets()
                        .list(ListSecrets::new(project, "dev"))
                        .await
                })
            })
            .collect();
        for call in calls {
            if let Err(e) = call.await.unwrap() {
                failures.push(e.to_string());
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 320 failed: {:?}",
        failures.len(),
        failures.first()
    );
    assert!(
        world.emulator.connections() >= 4,
        "the connection was rotated: {} connections",
        world.emulator.connections()
    );
}

#[tokio::test]
async fn http2_writes_straddling_a_goaway_are_applied_exactly_once() {
    use infisical::secrets::CreateSecret;
    let world = https_world_on(private_ca(), Emulator::builder().http2_goaway_every(32));
    let client = trusting_client(&world);
    world.list(&client).await.unwrap();
    let calls: Vec<_> = (0..64)
        .map(|n| {
            let (client, project) = (client.clone(), world.project.clone());
            tokio::spawn(async move {
                let create = CreateSecret::new(project, "dev", format!("ROTATED_{n:02}"), "v");
                client.secrets().create(create).await
            })
        })
        .collect();
    let mut failures = Vec::new();
    for call in calls {
        if let Err(e) = call.await.unwrap() {
            failures.push(e.to_string());
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 64 failed: {:?}",
        failures.len(),
        failures.first()
    );
    for n in 0..64 {
        let key = format!("ROTATED_{n:02}");
        assert_eq!(
            world
                .emulator
                .secret_version(&world.project, "dev", "/", &key),
            Some(1),
            "{key} created exactly once"
        );
    }
}
