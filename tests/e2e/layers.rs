//! User tower layers, and where the bearer token goes.

use crate::support::World;
use bytes::Bytes;
use infisical::{ApiGeneration, Error, InvalidRequest, Operation, RouteFamily};
use std::sync::{Arc, Mutex};
use tower::{Layer, Service};

/// What the layer saw of one request.
#[derive(Debug, Clone)]
struct Seen {
    uri: String,
    user_agent: String,
    authorization_sensitive: Option<bool>,
}

#[derive(Clone, Default)]
struct Observe(Arc<Mutex<Vec<Seen>>>);

impl<S> Layer<S> for Observe {
    type Service = ObserveService<S>;
    fn layer(&self, inner: S) -> Self::Service {
        ObserveService {
            inner,
            seen: self.0.clone(),
        }
    }
}

#[derive(Clone)]
struct ObserveService<S> {
    inner: S,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl<S> Service<http::Request<Bytes>> for ObserveService<S>
where
    S: Service<http::Request<Bytes>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<Bytes>) -> Self::Future {
        let headers = request.headers();
        self.seen.lock().unwrap().push(Seen {
            uri: request.uri().to_string(),
            user_agent: headers
                .get(http::header::USER_AGENT)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default(),
            authorization_sensitive: headers
                .get(http::header::AUTHORIZATION)
                .map(|v| v.is_sensitive()),
        });
        request
            .headers_mut()
            .insert("x-observed-by", http::HeaderValue::from_static("e2e-layer"));
        self.inner.call(request)
    }
}

#[tokio::test]
async fn a_custom_layer_sees_and_shapes_the_wire() {
    let world = World::modern();
    let observe = Observe::default();
    let client = world.builder().layer(observe.clone()).build().unwrap();
    world.list(&client).await.unwrap();

    let seen = observe.0.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "the login and the list: {seen:?}");
    assert!(seen[0].uri.ends_with("/api/v1/auth/universal-auth/login"));
    assert_eq!(
        seen[0].authorization_sensitive, None,
        "a login carries no bearer"
    );
    assert!(seen[1]
        .uri
        .starts_with(&format!("{}/api/v4/secrets?", world.emulator.url())));
    assert_eq!(seen[1].authorization_sensitive, Some(true));
    assert!(seen[1].user_agent.starts_with("infisical-rs/"));

    let received = world.emulator.requests();
    assert!(received.iter().all(|r| r
        .headers
        .get("x-observed-by")
        .is_some_and(|v| v == "e2e-layer")));
    assert!(received[1].headers[http::header::USER_AGENT]
        .to_str()
        .unwrap()
        .starts_with("infisical-rs/"));
}

/// A user-defined operation aimed at an absolute URL on another host.
struct ElsewhereList(String);

impl Operation for ElsewhereList {
    type Output = http::StatusCode;

    fn family(&self) -> RouteFamily {
        RouteFamily::Stable
    }

    fn validate(&self) -> Result<(), InvalidRequest> {
        Ok(())
    }

    fn to_http(&self, _: ApiGeneration) -> Result<http::Request<Bytes>, Error> {
        Ok(http::Request::get(self.0.as_str())
            .body(Bytes::new())
            .unwrap())
    }

    fn parse_response(&self, response: http::Response<Bytes>) -> Result<http::StatusCode, Error> {
        Ok(response.status())
    }
}

#[tokio::test]
async fn the_token_is_sent_only_to_the_configured_host() {
    let world = World::modern();
    let other = infisical_emulator::Emulator::start();
    let client = world.client();
    let url = format!("{}/api/v4/secrets?projectId=x&environment=dev", other.url());
    let status = client.send(ElsewhereList(url)).await.unwrap();
    assert!(
        matches!(status.as_u16(), 401 | 403),
        "the other host saw no token: {status}"
    );
    let received = other.requests();
    assert_eq!(received.len(), 1);
    assert!(received[0]
        .headers
        .get(http::header::AUTHORIZATION)
        .is_none());
    assert_eq!(world.emulator.logins(), 0, "no token was even fetched");
}
