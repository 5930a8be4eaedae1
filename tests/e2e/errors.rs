//! Errors: refused before sending, or typed from what the server answered.

use crate::support::World;
use infisical::credentials::ClientCredentials;
use infisical::credentials::UniversalAuth;
use infisical::secrets::{CreateSecret, GetSecret, ListSecrets};
use infisical::Error;
use infisical_emulator::{Fault, Route};
use serde_json::json;

#[tokio::test]
async fn a_missing_required_parameter_sends_nothing() {
    let world = World::modern();
    let client = world.client();
    let cases = [
        client
            .secrets()
            .list(ListSecrets::new("", "dev"))
            .await
            .unwrap_err(),
        client
            .secrets()
            .list(ListSecrets::new(&world.project, " "))
            .await
            .unwrap_err(),
        client
            .secrets()
            .get(GetSecret::new(&world.project, "dev", ""))
            .await
            .unwrap_err(),
    ];
    let fields: Vec<_> = cases
        .iter()
        .map(|e| match e {
            Error::InvalidRequest(e) => e.field().to_owned(),
            other => panic!("expected InvalidRequest, got {other:?}"),
        })
        .collect();
    assert_eq!(fields, ["project_id", "environment", "name"]);
    assert!(cases[0].to_string().contains("project_id"));
    assert!(world.emulator.requests().is_empty(), "not even a login");
}

#[tokio::test]
async fn a_server_error_carries_status_message_and_request_id() {
    let world = World::modern();
    let client = world.client_without_retries();
    world.fail_next_list(Fault::json(
            500,
            json!({"reqId": "req-abc123", "statusCode": 500, "message": "Something went wrong", "error": "InternalServerError"}),
        ));
    let err = world.list(&client).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(err.request_id(), Some("req-abc123"));
    let api = err.as_api().expect("an API error");
    assert_eq!(api.message(), "Something went wrong");
    assert_eq!(api.error_name(), Some("InternalServerError"));
    assert_eq!(api.route(), "GET /api/v4/secrets");
    assert!(err.is_retryable());
    assert!(err.to_string().contains("req-abc123"), "{err}");
}

#[tokio::test]
async fn the_emulators_own_not_found_is_typed() {
    let world = World::modern();
    let client = world.client();
    let err = client
        .secrets()
        .get(GetSecret::new(&world.project, "dev", "ABSENT"))
        .await
        .unwrap_err();
    let api = err.as_api().unwrap();
    assert!(api.is_not_found() && !api.is_route_not_found());
    assert_eq!(api.error_name(), Some("NotFound"));
    assert!(api.request_id().is_some_and(|id| !id.is_empty()));
}

#[tokio::test]
async fn a_422_with_an_array_message() {
    let world = World::modern();
    let client = world.client();
    world.emulator.inject(
        Route::new("POST", "/api/v4/secrets/"),
        Fault::json(
            422,
            json!({"reqId": "req-v", "statusCode": 422, "error": "ValidationFailure", "message": [
                {"code": "too_small", "path": ["secretValue"], "message": "String must contain at least 1 character(s)"},
                {"code": "invalid_type", "path": ["type"], "message": "Required"}
            ]}),
        ),
    );
    let err = client
        .secrets()
        .create(CreateSecret::new(&world.project, "dev", "K", "v"))
        .await
        .unwrap_err();
    let api = err.as_api().unwrap();
    assert_eq!(api.status().as_u16(), 422);
    assert_eq!(api.issues().len(), 2);
    assert_eq!(
        api.message(),
        "secretValue: String must contain at least 1 character(s); type: Required"
    );
    assert!(!err.is_auth() && !err.is_retryable());
}

#[tokio::test]
async fn a_validation_401_does_not_refresh_the_token() {
    // Servers of October 2024 answer validation failures with 401.
    let world = World::modern();
    let client = world.client();
    world.list(&client).await.unwrap();
    world.fail_next_list(Fault::json(
            401,
            json!({"statusCode": 401, "error": "ValidationFailure",
                   "message": [{"code": "invalid_enum_value", "path": ["recursive"], "message": "Invalid enum value"}]}),
        ));
    let err = world.list(&client).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert!(
        !err.is_auth(),
        "a validation failure is not an auth failure"
    );
    assert_eq!(world.emulator.logins(), 1, "no second login");
    assert_eq!(world.lists(), 2, "no resend");
}

#[tokio::test]
async fn a_non_json_502_page() {
    let world = World::modern();
    let client = world.client_without_retries();
    world.fail_next_list(Fault::html(
        502,
        "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
    ));
    let err = world.list(&client).await.unwrap_err();
    let api = err.as_api().expect("typed despite the HTML");
    assert_eq!(api.status().as_u16(), 502);
    assert!(
        api.message().contains("non-JSON") && api.message().contains("text/html"),
        "{api}"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_malformed_body_is_a_decode_error_naming_the_route() {
    let world = World::modern();
    let client = world.client();
    world.fail_next_list(Fault::MalformedBody);
    let err = world.list(&client).await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error: {err:?}")
    };
    assert_eq!(decode.route(), "GET /api/v4/secrets");
    assert_eq!(decode.status().as_u16(), 200);
}

#[tokio::test]
async fn unknown_and_missing_fields_are_tolerated() {
    let world = World::modern();
    let client = world.client();
    world.fail_next_list(Fault::json(
            200,
            json!({
                "secrets": [{"secretKey": "A", "secretValue": "1", "aFieldFrom2030": {"x": [1, 2]}, "type": "quantum"}],
                "somethingNew": true
            }),
        ));
    let list = world.list(&client).await.unwrap();
    let a = list.get("A").unwrap();
    assert_eq!(a.value().unwrap(), "1");
    assert_eq!(a.secret_type, infisical::secrets::SecretType::Unknown);
    assert!(a.created_at.is_none() && a.comment.is_empty());
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error() {
    let world = World::modern();
    let client = world.client_without_retries();
    world.list(&client).await.unwrap();
    world.fail_next_list(Fault::DropConnection);
    let err = world.list(&client).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn a_slow_answer_hits_the_request_timeout() {
    let world = World::modern();
    let client = world
        .builder()
        .timeout(std::time::Duration::from_millis(150))
        .no_retries()
        .build()
        .unwrap();
    world.list(&client).await.unwrap();
    world.fail_next_list(Fault::Delay(std::time::Duration::from_millis(600)));
    let err = world.list(&client).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
}

#[tokio::test]
async fn nothing_listening_is_a_connect_error() {
    let world = World::modern();
    let url = world.emulator.url();
    drop(world);
    let client = infisical::Client::builder()
        .base_url(url)
        .credentials(ClientCredentials::access_token("t"))
        .build()
        .unwrap();
    let err = client
        .secrets()
        .list(ListSecrets::new("p", "dev"))
        .await
        .unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind(), infisical::TransportErrorKind::Connect);
    assert!(err.is_retryable());
}

#[test]
fn building_checks_explicit_credentials_and_the_url_but_sends_nothing() {
    let err = infisical::Client::builder()
        .credentials(UniversalAuth::new("", "secret"))
        .build()
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidRequest(ref e) if e.field() == "client_id"),
        "{err}"
    );
    let err = infisical::Client::builder()
        .base_url("not a url")
        .credentials(ClientCredentials::access_token("t"))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err}");
    // A server that does not exist: building still succeeds, since it sends nothing.
    infisical::Client::builder()
        .base_url("https://infisical.invalid")
        .credentials(UniversalAuth::new("id", "secret"))
        .build()
        .unwrap();
}

#[tokio::test]
async fn an_answer_over_the_size_cap_is_a_typed_error() {
    let world = World::modern();
    world
        .emulator
        .set_secret(&world.project, "dev", "/", "BIG", &"x".repeat(4096));
    let client = world.builder().max_body_size(1024).build().unwrap();
    let err = world.list(&client).await.unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind(), infisical::TransportErrorKind::BodyTooLarge);
    assert!(err.to_string().contains("1024"), "{err}");
    assert_eq!(world.lists(), 1, "not retried");
}

#[tokio::test]
async fn dot_segments_are_refused_before_sending() {
    use infisical::folders::DeleteFolder;
    use infisical::kms::GetKmsKey;
    use infisical::secrets::DeleteSecret;
    use infisical::tags::GetTagBySlug;
    let world = World::modern();
    let client = world.client();
    let p = world.project.as_str();
    let field = |e: Error| match e {
        Error::InvalidRequest(e) => e.field().to_owned(),
        other => panic!("expected InvalidRequest, got {other:?}"),
    };
    for name in [".", ".."] {
        let secrets = client.secrets();
        let get = secrets.get(GetSecret::new(p, "dev", name)).await;
        assert_eq!(field(get.unwrap_err()), "name");
        let create = secrets.create(CreateSecret::new(p, "dev", name, "v")).await;
        assert_eq!(field(create.unwrap_err()), "name");
        let delete = secrets.delete(DeleteSecret::new(p, "dev", name)).await;
        assert_eq!(field(delete.unwrap_err()), "name");
        let folder = client
            .folders()
            .delete(DeleteFolder::new(p, "dev", name))
            .await;
        assert_eq!(field(folder.unwrap_err()), "folder_id_or_name");
        let tag = client.tags().get_by_slug(GetTagBySlug::new(p, name)).await;
        assert_eq!(field(tag.unwrap_err()), "tag_slug");
        let key = client.kms().get(GetKmsKey::new(name)).await;
        assert_eq!(field(key.unwrap_err()), "key_id");
    }
    assert!(world.emulator.requests().is_empty(), "not even a login");
    // Names that merely contain dots are fine.
    client
        .secrets()
        .create(CreateSecret::new(p, "dev", "..A.B..", "v"))
        .await
        .unwrap()
        .into_applied()
        .unwrap();
}
