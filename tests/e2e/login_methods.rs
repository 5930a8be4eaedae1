//! Every machine-identity login method through the facade against the emulator: the exact
//! body on the wire, a login and a refresh (a fresh login with freshly read inputs), and a
//! failed login that backs off under a burst. Metadata servers and Google's APIs are a
//! small local fake.

use crate::support::World;
use base64::Engine as _;
use infisical::credentials::{
    AwsCredentials, AwsIamAuth, AzureAuth, CredentialsChain, GcpIamAuth, GcpIdTokenAuth, JwtAuth,
    JwtSource, KubernetesAuth, LdapAuth, LoginMethod, OidcAuth, StaticEnv,
};
use infisical::secrets::ListSecrets;
use infisical::{ClientBuilder, CredentialsErrorKind, Error};
use infisical_emulator::Emulator;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tempfile::TempPath;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

const ID: &str = "5d2a5c9e-7c1b-4f0e-9a57-3b8f1d6c2e40";

/// A request the fake cloud received.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        let found = self
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name));
        found.map(|(_, v)| v.as_str())
    }
}

type Answer = Arc<dyn Fn(&Seen) -> (u16, String) + Send + Sync>;

/// A tiny HTTP/1.1 server standing in for metadata servers and Google's APIs: one request
/// per connection, answered by a closure, every request recorded.
struct FakeCloud {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl FakeCloud {
    async fn start(answer: impl Fn(&Seen) -> (u16, String) + Send + Sync + 'static) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let (log, answer): (_, Answer) = (seen.clone(), Arc::new(answer));
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (log, answer) = (log.clone(), answer.clone());
                tokio::spawn(async move {
                    let mut stream = BufReader::new(stream);
                    let mut line = String::new();
                    stream.read_line(&mut line).await.unwrap();
                    let mut parts = line.split_whitespace().map(str::to_owned);
                    let (method, target) = (parts.next().unwrap(), parts.next().unwrap());
                    let mut headers = Vec::new();
                    loop {
                        line.clear();
                        stream.read_line(&mut line).await.unwrap();
                        match line.trim_end().split_once(':') {
                            Some((k, v)) => headers.push((k.to_owned(), v.trim().to_owned())),
                            None => break,
                        }
                    }
                    let length = headers
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                        .map_or(0, |(_, v)| v.parse().unwrap());
                    let mut body = vec![0; length];
                    stream.read_exact(&mut body).await.unwrap();
                    let seen = Seen {
                        method,
                        target,
                        headers,
                        body,
                    };
                    let (status, reply) = answer(&seen);
                    log.lock().unwrap().push(seen);
                    let head = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                        reply.len()
                    );
                    let stream = stream.get_mut();
                    stream.write_all(head.as_bytes()).await.unwrap();
                    stream.write_all(reply.as_bytes()).await.unwrap();
                });
            }
        });
        Self { url, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn route(segment: &str) -> String {
    format!("/api/v1/auth/{segment}/login")
}

/// The bodies of the login requests to `segment`'s route, in order.
fn bodies(emulator: &Emulator, segment: &str) -> Vec<Value> {
    let path = route(segment);
    let requests = emulator.requests().into_iter().filter(|r| r.path == path);
    requests.map(|r| r.json().expect("a JSON body")).collect()
}

fn client(world: &World, builder: ClientBuilder) -> infisical::Client {
    builder.base_url(world.emulator.url()).build().unwrap()
}

async fn list(client: &infisical::Client, world: &World) -> Result<(), Error> {
    let request = ListSecrets::new(&world.project, "dev");
    client.secrets().list(request).await.map(drop)
}

/// Logs in, has the token expire server-side, and calls again: the second call logs in
/// anew. Answers the two login bodies.
async fn login_and_refresh(world: &World, builder: ClientBuilder, segment: &str) -> Vec<Value> {
    let client = client(world, builder);
    list(&client, world).await.expect("logs in");
    assert_eq!(world.emulator.logins_for(segment), 1);
    world.emulator.expire_access_tokens();
    list(&client, world).await.expect("refreshes");
    assert_eq!(world.emulator.logins_for(segment), 2, "a fresh login");
    let me = client.identity().await.unwrap();
    assert_eq!(me.identity.as_deref(), Some(ID));
    bodies(&world.emulator, segment)
}

fn explicit(method: impl Into<LoginMethod>) -> ClientBuilder {
    infisical::Client::builder().credentials(method.into())
}

/// The identity accepts `jwt`: logging in and again sends it each time.
async fn sends_jwt_twice(world: &World, builder: ClientBuilder, segment: &str, jwt: &str) {
    world.emulator.add_jwt_login_identity(segment, ID, jwt);
    let sent = login_and_refresh(world, builder, segment).await;
    assert_eq!(sent, vec![json!({"identityId": ID, "jwt": jwt}); 2]);
}

/// 50 concurrent calls with a login the server refuses: every call fails with a login
/// rejection, and the login route sees at most two attempts: the cache backs off.
async fn burst_backs_off(world: &World, builder: ClientBuilder, segment: &str) {
    let before = world.emulator.count("POST", &route(segment));
    let reads_before = world.lists();
    let client = client(world, builder.no_retries());
    let calls: Vec<_> = (0..50)
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
        let err = call.await.unwrap().unwrap_err();
        let Error::Credentials(cred) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(cred.kind(), CredentialsErrorKind::LoginRejected, "{err}");
    }
    let attempts = world.emulator.count("POST", &route(segment)) - before;
    assert!(
        (1..=2).contains(&attempts),
        "{attempts} login attempts for 50 calls"
    );
    let reads = world.lists() - reads_before;
    assert_eq!(reads, 0, "no call went out without a token");
}

/// A file holding `content`, removed when its path is dropped.
fn temp_file(name: &str, content: &str) -> TempPath {
    let file = tempfile::Builder::new()
        .prefix("infisical-e2e-")
        .suffix(&format!("-{name}"))
        .tempfile()
        .unwrap();
    std::fs::write(file.path(), content).unwrap();
    file.into_temp_path()
}

fn env_chain(world: &World, vars: &[(&str, &str)]) -> ClientBuilder {
    let env = vars.iter().fold(
        StaticEnv::from([
            ("INFISICAL_URL", world.emulator.url()),
            ("INFISICAL_MACHINE_IDENTITY_ID", ID.to_owned()),
        ]),
        |env, (k, v)| env.set(*k, *v),
    );
    infisical::Client::builder().credentials(CredentialsChain::default_with_env(Arc::new(env)))
}

#[tokio::test]
async fn kubernetes_sends_the_rotated_service_account_token() {
    let world = World::modern();
    let path = temp_file("k8s-token", "sa-token-1");
    world
        .emulator
        .add_jwt_login_identity("kubernetes-auth", ID, "sa-token-1");
    let client = client(&world, explicit(KubernetesAuth::new(ID).token_path(&path)));
    list(&client, &world).await.unwrap();
    // The kubelet rotates the token; the next login reads the new one.
    std::fs::write(&path, "sa-token-2\n").unwrap();
    world
        .emulator
        .add_jwt_login_identity("kubernetes-auth", ID, "sa-token-2");
    world.emulator.expire_access_tokens();
    list(&client, &world).await.unwrap();
    assert_eq!(
        bodies(&world.emulator, "kubernetes-auth"),
        [
            json!({"identityId": ID, "jwt": "sa-token-1"}),
            json!({"identityId": ID, "jwt": "sa-token-2"})
        ]
    );
    assert_eq!(world.emulator.logins_for("kubernetes-auth"), 2);

    let stale = temp_file("k8s-stale", "revoked-token");
    let bad = explicit(KubernetesAuth::new(ID).token_path(&stale));
    burst_backs_off(&world, bad, "kubernetes-auth").await;
}

#[tokio::test]
async fn kubernetes_from_the_environment_renews_then_logs_in_again() {
    let emulator = Emulator::builder()
        .access_token_ttl(Duration::from_secs(1))
        .access_token_max_ttl(Duration::from_secs(30))
        .start();
    let world = World::from_emulator(emulator);
    let path = temp_file("k8s-env", "sa-env-token");
    world
        .emulator
        .add_jwt_login_identity("kubernetes-auth", ID, "sa-env-token");
    let vars = [
        ("INFISICAL_AUTH_METHOD", "kubernetes"),
        (
            "INFISICAL_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH",
            path.to_str().unwrap(),
        ),
    ];
    let client = env_chain(&world, &vars).build().unwrap();
    list(&client, &world).await.unwrap();
    tokio::time::sleep(Duration::from_millis(900)).await; // inside the refresh buffer
    list(&client, &world).await.unwrap();
    assert_eq!(
        (
            world.emulator.logins_for("kubernetes-auth"),
            world.emulator.renewals()
        ),
        (1, 1)
    );
    world.emulator.expire_access_tokens();
    list(&client, &world).await.unwrap();
    assert_eq!(world.emulator.logins_for("kubernetes-auth"), 2);
    let me = client.identity().await.unwrap();
    assert_eq!(
        (me.provider.as_str(), me.identity.as_deref()),
        ("environment", Some(ID))
    );
    assert_eq!(
        bodies(&world.emulator, "kubernetes-auth")[1],
        json!({"identityId": ID, "jwt": "sa-env-token"})
    );
}

fn decode(value: &Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(value.as_str().unwrap())
        .unwrap()
}

#[tokio::test]
async fn aws_iam_sends_a_signed_get_caller_identity() {
    let world = World::modern();
    world.emulator.add_aws_identity(ID, "AKIDEXAMPLE");
    let credentials =
        AwsCredentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
            .with_session_token("session-token-value");
    let method = AwsIamAuth::with_env(ID, Arc::new(StaticEnv::new()))
        .credentials(credentials)
        .region("eu-west-3");
    let sent = login_and_refresh(&world, explicit(method), "aws-auth").await;
    let body = sent[1].as_object().unwrap();
    let mut keys: Vec<&str> = body.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "iamHttpRequestMethod",
            "iamRequestBody",
            "iamRequestHeaders",
            "identityId"
        ]
    );
    assert_eq!(
        (
            body["identityId"].as_str(),
            body["iamHttpRequestMethod"].as_str()
        ),
        (Some(ID), Some("POST"))
    );
    assert_eq!(
        decode(&body["iamRequestBody"]),
        b"Action=GetCallerIdentity&Version=2011-06-15"
    );
    let headers: Value = serde_json::from_slice(&decode(&body["iamRequestHeaders"])).unwrap();
    let mut names: Vec<&str> = headers
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "Authorization",
            "Content-Length",
            "Content-Type",
            "Host",
            "X-Amz-Date",
            "X-Amz-Security-Token"
        ]
    );
    assert_eq!(headers["Host"], "sts.eu-west-3.amazonaws.com");
    assert_eq!(
        headers["Content-Type"],
        "application/x-www-form-urlencoded; charset=utf-8"
    );
    assert_eq!(headers["Content-Length"], "43");
    assert_eq!(headers["X-Amz-Security-Token"], "session-token-value");
    let date = headers["X-Amz-Date"].as_str().unwrap();
    let authorization = headers["Authorization"].as_str().unwrap();
    let expected = format!(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/{}/eu-west-3/sts/aws4_request, \
         SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=",
        &date[..8]
    );
    assert!(authorization.starts_with(&expected), "{authorization}");
    assert_eq!(authorization.len(), expected.len() + 64);

    // From the environment, signed by a key STS does not know: refused, and backing off.
    let vars = [
        ("INFISICAL_AUTH_METHOD", "aws-iam"),
        ("AWS_ACCESS_KEY_ID", "AKIDUNKNOWN"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("AWS_REGION", "us-west-2"),
    ];
    burst_backs_off(&world, env_chain(&world, &vars), "aws-auth").await;
    let last = bodies(&world.emulator, "aws-auth").pop().unwrap();
    let headers: Value = serde_json::from_slice(&decode(&last["iamRequestHeaders"])).unwrap();
    assert_eq!(headers["Host"], "sts.us-west-2.amazonaws.com");
}

#[tokio::test]
async fn gcp_id_token_comes_from_the_metadata_server() {
    let world = World::modern();
    let metadata = FakeCloud::start(|seen| {
        let ok = seen.header("Metadata-Flavor") == Some("Google");
        (if ok { 200 } else { 403 }, "gcp.id.token".to_owned())
    })
    .await;
    let method = GcpIdTokenAuth::new(ID).metadata_url(&metadata.url);
    sends_jwt_twice(&world, explicit(method), "gcp-auth", "gcp.id.token").await;
    let seen = metadata.seen();
    assert_eq!(seen.len(), 2, "the metadata server is asked at every login");
    assert_eq!(
        (seen[0].method.as_str(), seen[0].target.clone()),
        ("GET", format!("/computeMetadata/v1/instance/service-accounts/default/identity?audience={ID}&format=full"))
    );

    // Selected from the environment, for an identity without GCP auth: 404, backing off.
    let host = metadata.url.trim_start_matches("http://").to_owned();
    let vars = [
        ("INFISICAL_AUTH_METHOD", "gcp-id-token"),
        ("GCE_METADATA_HOST", host.as_str()),
        ("INFISICAL_MACHINE_IDENTITY_ID", "identity-without-gcp-auth"),
    ];
    burst_backs_off(&world, env_chain(&world, &vars), "gcp-auth").await;
}

#[tokio::test]
async fn gcp_iam_has_iam_sign_a_jwt_for_the_service_account() {
    let world = World::modern();
    let pair = josekit::jws::RS256.generate_key_pair(2048).unwrap();
    let public = pair.to_pem_public_key();
    let signed = Arc::new(AtomicUsize::new(0));
    let counter = signed.clone();
    let google = FakeCloud::start(move |seen| match seen.target.as_str() {
        "/token" => (
            200,
            json!({"access_token": "ya29.fake", "expires_in": 3599}).to_string(),
        ),
        _ if seen.header("Authorization") == Some("Bearer ya29.fake") => {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            (
                200,
                json!({"keyId": "k", "signedJwt": format!("iam.signed.{n}")}).to_string(),
            )
        }
        _ => (401, "{}".to_owned()),
    })
    .await;
    let key = json!({
        "type": "service_account",
        "client_email": "infisical@proj.iam.gserviceaccount.com",
        "private_key": String::from_utf8(pair.to_pem_private_key()).unwrap(),
        "private_key_id": "key-1",
        "token_uri": format!("{}/token", google.url),
    });
    let key_file = temp_file("gcp-key.json", &key.to_string());
    for n in 0..2 {
        world
            .emulator
            .add_jwt_login_identity("gcp-auth", ID, &format!("iam.signed.{n}"));
    }
    let method = GcpIamAuth::new(ID, &key_file).iam_credentials_url(&google.url);
    let sent = login_and_refresh(&world, explicit(method), "gcp-auth").await;
    assert_eq!(
        sent,
        [
            json!({"identityId": ID, "jwt": "iam.signed.0"}),
            json!({"identityId": ID, "jwt": "iam.signed.1"})
        ]
    );
    let seen = google.seen();
    let grant: Vec<(String, String)> = url_pairs(std::str::from_utf8(&seen[0].body).unwrap());
    assert_eq!(grant[0].1, "urn:ietf:params:oauth:grant-type:jwt-bearer");
    let verifier = josekit::jws::RS256.verifier_from_pem(&public).unwrap();
    let (claims, header) = josekit::jwt::decode_with_verifier(&grant[1].1, &verifier).unwrap();
    assert_eq!(header.key_id(), Some("key-1"));
    assert_eq!(
        claims.issuer(),
        Some("infisical@proj.iam.gserviceaccount.com")
    );
    assert_eq!(
        seen[1].target,
        "/v1/projects/-/serviceAccounts/infisical%40proj.iam.gserviceaccount.com:signJwt"
    );
    let request: Value = serde_json::from_slice(&seen[1].body).unwrap();
    let payload: Value = serde_json::from_str(request["payload"].as_str().unwrap()).unwrap();
    assert_eq!(
        (payload["sub"].as_str(), payload["aud"].as_str()),
        (Some("infisical@proj.iam.gserviceaccount.com"), Some(ID))
    );

    // IAM signs a JWT the identity does not accept: refused, backing off.
    let method = GcpIamAuth::new(ID, &key_file).iam_credentials_url(&google.url);
    burst_backs_off(&world, explicit(method), "gcp-auth").await;
}

fn url_pairs(form: &str) -> Vec<(String, String)> {
    form.split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap();
            let decode = |s: &str| {
                let s = s.replace('+', " ");
                let mut out = Vec::new();
                let mut bytes = s.bytes();
                while let Some(b) = bytes.next() {
                    if b == b'%' {
                        let hex: String = [bytes.next().unwrap(), bytes.next().unwrap()]
                            .iter()
                            .map(|&c| c as char)
                            .collect();
                        out.push(u8::from_str_radix(&hex, 16).unwrap());
                    } else {
                        out.push(b);
                    }
                }
                String::from_utf8(out).unwrap()
            };
            (decode(k), decode(v))
        })
        .collect()
}

#[tokio::test]
async fn azure_gets_a_managed_identity_token_from_imds() {
    let world = World::modern();
    let imds = FakeCloud::start(|seen| {
        let ok = seen.header("Metadata") == Some("true");
        (
            if ok { 200 } else { 400 },
            json!({"access_token": "azure.mi.token", "expires_in": "86399"}).to_string(),
        )
    })
    .await;
    let method = AzureAuth::new(ID).imds_url(&imds.url);
    sends_jwt_twice(&world, explicit(method), "azure-auth", "azure.mi.token").await;
    assert_eq!(
        imds.seen()[0].target,
        "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F"
    );

    // From the environment, for a resource the identity does not accept a token of.
    let other =
        FakeCloud::start(|_| (200, json!({"access_token": "wrong.audience"}).to_string())).await;
    let vars = [
        ("INFISICAL_AUTH_METHOD", "azure"),
        ("AZURE_POD_IDENTITY_AUTHORITY_HOST", other.url.as_str()),
    ];
    burst_backs_off(&world, env_chain(&world, &vars), "azure-auth").await;
}

#[tokio::test]
async fn oidc_reads_its_jwt_again_at_every_login() {
    let world = World::modern();
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let source = JwtSource::from_fn(move || {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        async move { Ok(format!("oidc.jwt.{n}").into()) }
    });
    for n in 0..2 {
        world
            .emulator
            .add_jwt_login_identity("oidc-auth", ID, &format!("oidc.jwt.{n}"));
    }
    let builder = explicit(OidcAuth::new(ID, source));
    let sent = login_and_refresh(&world, builder, "oidc-auth").await;
    assert_eq!(
        sent,
        [
            json!({"identityId": ID, "jwt": "oidc.jwt.0"}),
            json!({"identityId": ID, "jwt": "oidc.jwt.1"})
        ]
    );
    let vars = [
        ("INFISICAL_AUTH_METHOD", "oidc-auth"),
        ("INFISICAL_OIDC_AUTH_JWT", "expired.oidc.jwt"),
    ];
    burst_backs_off(&world, env_chain(&world, &vars), "oidc-auth").await;
}

#[tokio::test]
async fn jwt_auth_from_the_environment() {
    let world = World::modern();
    let vars = [
        ("INFISICAL_AUTH_METHOD", "jwt-auth"),
        ("INFISICAL_JWT", "signed.jwt.value"),
    ];
    sends_jwt_twice(
        &world,
        env_chain(&world, &vars),
        "jwt-auth",
        "signed.jwt.value",
    )
    .await;
    let forged = JwtAuth::new(ID, JwtSource::value("forged.jwt.value"));
    burst_backs_off(&world, explicit(forged), "jwt-auth").await;
}

#[tokio::test]
async fn ldap_sends_username_and_password() {
    let world = World::modern();
    world
        .emulator
        .add_ldap_identity(ID, "alice", "correct horse");
    let method = LdapAuth::new(ID, "alice", "correct horse");
    let sent = login_and_refresh(&world, explicit(method), "ldap-auth").await;
    assert_eq!(
        sent,
        vec![json!({"identityId": ID, "username": "alice", "password": "correct horse"}); 2]
    );
    let vars = [
        ("INFISICAL_AUTH_METHOD", "ldap-auth"),
        ("INFISICAL_LDAP_USERNAME", "alice"),
        ("INFISICAL_LDAP_PASSWORD", "wrong password"),
    ];
    burst_backs_off(&world, env_chain(&world, &vars), "ldap-auth").await;
    let err = format!("{:?}", env_chain(&world, &vars).build().unwrap());
    assert!(!err.contains("wrong password"), "Debug is redacted: {err}");
}

#[tokio::test]
async fn a_sub_organization_is_named_in_the_login_of_every_method() {
    for mode in [
        infisical_emulator::ServerMode::Modern,
        infisical_emulator::ServerMode::Legacy,
    ] {
        let world = World::new(mode);
        // Universal auth, named on the builder.
        let client = world.builder().organization("team-a").build().unwrap();
        list(&client, &world).await.unwrap();
        let body = bodies(&world.emulator, "universal-auth").pop().unwrap();
        assert_eq!(body["organizationSlug"], "team-a", "{body}");
        assert_eq!(body["subOrganizationName"], "team-a", "{body}");

        // A JWT login, named by INFISICAL_AUTH_ORGANIZATION_SLUG.
        world
            .emulator
            .add_jwt_login_identity("jwt-auth", ID, "signed.jwt.value");
        let env = StaticEnv::from([
            ("INFISICAL_URL", world.emulator.url()),
            ("INFISICAL_AUTH_METHOD", "jwt-auth".to_owned()),
            ("INFISICAL_MACHINE_IDENTITY_ID", ID.to_owned()),
            ("INFISICAL_JWT", "signed.jwt.value".to_owned()),
            ("INFISICAL_AUTH_ORGANIZATION_SLUG", "team-b".to_owned()),
        ]);
        let client = infisical::Client::builder()
            .env(Arc::new(env))
            .build()
            .unwrap();
        list(&client, &world).await.unwrap();
        let body = bodies(&world.emulator, "jwt-auth").pop().unwrap();
        assert_eq!(body["organizationSlug"], "team-b", "{body}");
        assert_eq!(body["subOrganizationName"], "team-b", "{body}");

        // Without one, neither field is sent.
        list(&world.client(), &world).await.unwrap();
        let body = bodies(&world.emulator, "universal-auth").pop().unwrap();
        assert!(body.get("organizationSlug").is_none(), "{body}");
        assert!(body.get("subOrganizationName").is_none(), "{body}");
    }
}
