//! Proxies: which connections go through one, and the CONNECT tunnel to it.

use crate::Env;
use http::Uri;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioIo;
use infisical_core::BoxError;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::net::TcpStream;
use tower::Service;

/// Which proxy, if any, connections use.
///
/// A proxy URL that cannot be used (unparsable, no host, a scheme other than `http` or
/// `https`) is kept as a problem that [`check`](ProxyConfig::check) reports, so that a
/// client fails to build instead of silently connecting directly.
#[derive(Clone, Default)]
pub struct ProxyConfig {
    matcher: Option<Arc<Matcher>>,
    problem: Option<String>,
}

/// Why a proxy URL cannot be used; `source` names it (a variable, "the proxy URL"). Never
/// quotes the URL, which may carry a password.
fn unusable(source: &str, url: &str) -> Option<String> {
    let with_scheme = if url.contains("://") {
        url.trim().to_owned()
    } else {
        format!("http://{}", url.trim())
    };
    let reason = match with_scheme.parse::<Uri>() {
        Err(_) => "is not a URL",
        Ok(uri) if !matches!(uri.scheme_str(), Some("http" | "https")) => {
            "must use http:// or https:// (the proxy's CONNECT tunnel)"
        }
        Ok(uri) if uri.host().is_none_or(str::is_empty) => "has no host",
        Ok(_) => return None,
    };
    Some(format!("{source} {reason}"))
}

impl ProxyConfig {
    /// No proxy: every connection is direct.
    pub fn none() -> Self {
        Self::default()
    }

    /// Every connection through `url` (such as `http://proxy.internal:3128`), except to the
    /// hosts in `no_proxy` (comma-separated, as in `NO_PROXY`).
    pub fn url(url: &str, no_proxy: Option<&str>) -> Self {
        let mut builder = Matcher::builder().all(url.to_owned());
        if let Some(no) = no_proxy {
            builder = builder.no(no.to_owned());
        }
        Self {
            matcher: Some(Arc::new(builder.build())),
            problem: unusable("the proxy URL", url),
        }
    }

    /// `Err` with the reason when a configured proxy URL cannot be used.
    pub fn check(&self) -> Result<(), String> {
        self.problem.clone().map_or(Ok(()), Err)
    }

    /// As curl does: `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` (or their
    /// lower-case forms), read from `env`.
    pub fn from_env(env: &dyn Env) -> Self {
        let var = |upper: &str| {
            env.non_empty(upper)
                .or_else(|| env.non_empty(&upper.to_ascii_lowercase()))
        };
        let (all, http, https) = (var("ALL_PROXY"), var("HTTP_PROXY"), var("HTTPS_PROXY"));
        if all.is_none() && http.is_none() && https.is_none() {
            return Self::none();
        }
        let problem = [
            ("ALL_PROXY", &all),
            ("HTTP_PROXY", &http),
            ("HTTPS_PROXY", &https),
        ]
        .into_iter()
        .find_map(|(name, value)| unusable(name, value.as_deref()?));
        let mut builder = Matcher::builder();
        if let Some(all) = all {
            builder = builder.all(all);
        }
        if let Some(http) = http {
            builder = builder.http(http);
        }
        if let Some(https) = https {
            builder = builder.https(https);
        }
        if let Some(no) = var("NO_PROXY") {
            builder = builder.no(no);
        }
        Self {
            matcher: Some(Arc::new(builder.build())),
            problem,
        }
    }

    /// Whether any proxy is configured.
    pub fn is_some(&self) -> bool {
        self.matcher.is_some()
    }
}

impl std::fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The proxy URL may carry a password: say only whether there is one.
        f.debug_tuple("ProxyConfig")
            .field(&if self.is_some() { "configured" } else { "none" })
            .finish()
    }
}

/// Connects directly, or through the proxy's CONNECT tunnel when the proxy applies.
#[derive(Clone)]
pub(crate) struct ProxyConnector {
    direct: HttpConnector,
    proxy: ProxyConfig,
}

impl ProxyConnector {
    pub(crate) fn new(direct: HttpConnector, proxy: ProxyConfig) -> Self {
        Self { direct, proxy }
    }
}

type Connecting = Pin<Box<dyn Future<Output = Result<TokioIo<TcpStream>, BoxError>> + Send>>;

impl Service<Uri> for ProxyConnector {
    type Response = TokioIo<TcpStream>;
    type Error = BoxError;
    type Future = Connecting;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Connecting {
        let intercept = self.proxy.matcher.as_ref().and_then(|m| m.intercept(&dst));
        let mut direct = self.direct.clone();
        match intercept {
            None => Box::pin(async move { direct.call(dst).await.map_err(Into::into) }),
            Some(intercept) => {
                let mut tunnel = Tunnel::new(intercept.uri().clone(), direct);
                if let Some(auth) = intercept.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                let dst = with_default_port(dst);
                Box::pin(async move { tunnel.call(dst).await.map_err(Into::into) })
            }
        }
    }
}

/// The tunnel assumes 443 when the URI has no port; `http://` means 80.
fn with_default_port(dst: Uri) -> Uri {
    if dst.port().is_some() || dst.scheme_str() != Some("http") {
        return dst;
    }
    let host = dst.host().unwrap_or_default();
    format!(
        "http://{host}:80{}",
        dst.path_and_query().map_or("/", |p| p.as_str())
    )
    .parse()
    .unwrap_or(dst)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StaticEnv;

    #[test]
    fn env_variables_as_curl_reads_them() {
        assert!(!ProxyConfig::from_env(&StaticEnv::new()).is_some());
        let env = StaticEnv::from([
            ("https_proxy", "http://proxy:3128"),
            ("NO_PROXY", "internal.example"),
        ]);
        let proxy = ProxyConfig::from_env(&env);
        let matcher = proxy.matcher.as_ref().unwrap();
        assert!(matcher
            .intercept(&"https://us.infisical.com/api".parse().unwrap())
            .is_some());
        assert!(matcher
            .intercept(&"https://internal.example/api".parse().unwrap())
            .is_none());
        assert!(matcher
            .intercept(&"http://us.infisical.com/api".parse().unwrap())
            .is_none());
    }

    #[test]
    fn debug_hides_the_proxy_url() {
        let proxy = ProxyConfig::url("http://user:hunter2@proxy:3128", None);
        assert!(!format!("{proxy:?}").contains("hunter2"));
    }

    #[test]
    fn plain_http_gets_port_80() {
        assert_eq!(
            with_default_port("http://a.example/x?y".parse().unwrap()).to_string(),
            "http://a.example:80/x?y"
        );
        assert_eq!(
            with_default_port("https://a.example/x".parse().unwrap()).to_string(),
            "https://a.example/x"
        );
    }
}
