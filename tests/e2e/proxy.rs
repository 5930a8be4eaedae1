//! Proxies: through a local CONNECT proxy, from the builder and from the environment.

use crate::support::World;
use infisical::credentials::StaticEnv;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A minimal CONNECT proxy on loopback that records the targets it tunnelled to.
struct ConnectProxy {
    url: String,
    targets: Arc<Mutex<Vec<String>>>,
    connections: Arc<AtomicUsize>,
}

async fn connect_proxy() -> ConnectProxy {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let targets = Arc::new(Mutex::new(Vec::new()));
    let connections = Arc::new(AtomicUsize::new(0));
    let (seen, count) = (targets.clone(), connections.clone());
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(tunnel(client, seen.clone()));
        }
    });
    ConnectProxy {
        url,
        targets,
        connections,
    }
}

async fn tunnel(mut client: TcpStream, seen: Arc<Mutex<Vec<String>>>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if client.read_exact(&mut byte).await.is_err() || head.len() > 8192 {
            return;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let Some(target) = head
        .strip_prefix("CONNECT ")
        .and_then(|r| r.split(' ').next())
    else {
        let _ = client
            .write_all(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
            .await;
        return;
    };
    seen.lock().unwrap().push(target.to_owned());
    let Ok(mut upstream) = TcpStream::connect(target).await else {
        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await;
        return;
    };
    if client
        .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        .await
        .is_ok()
    {
        let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
    }
}

#[tokio::test]
async fn a_proxy_set_on_the_builder_carries_logins_and_calls() {
    let world = World::modern();
    let proxy = connect_proxy().await;
    let client = world
        .builder()
        .env(Arc::new(StaticEnv::new()))
        .proxy(&proxy.url)
        .build()
        .unwrap();
    world.list(&client).await.unwrap();
    let target = world.emulator.addr().to_string();
    let targets = proxy.targets.lock().unwrap().clone();
    assert!(
        !targets.is_empty() && targets.iter().all(|t| *t == target),
        "{targets:?}"
    );
    assert_eq!(world.emulator.logins(), 1);
}

#[tokio::test]
async fn proxy_variables_are_honoured_and_no_proxy_bypasses() {
    let world = World::modern();
    let proxy = connect_proxy().await;
    let via_env = StaticEnv::from([("HTTP_PROXY", proxy.url.clone())]);
    let client = world.builder().env(Arc::new(via_env)).build().unwrap();
    world.list(&client).await.unwrap();
    let through = proxy.connections.load(Ordering::SeqCst);
    assert!(through >= 1);

    let bypass = StaticEnv::from([
        ("HTTP_PROXY", proxy.url.clone()),
        ("NO_PROXY", "127.0.0.1".to_owned()),
    ]);
    let direct = world.builder().env(Arc::new(bypass)).build().unwrap();
    world.list(&direct).await.unwrap();
    let off = world
        .builder()
        .env(Arc::new(StaticEnv::from([(
            "HTTP_PROXY",
            proxy.url.clone(),
        )])))
        .no_proxy()
        .build()
        .unwrap();
    world.list(&off).await.unwrap();
    assert_eq!(
        proxy.connections.load(Ordering::SeqCst),
        through,
        "NO_PROXY and no_proxy() connect directly"
    );
}

#[tokio::test]
async fn a_dead_proxy_is_a_connect_error() {
    let world = World::modern();
    let client = world
        .builder()
        .proxy("http://127.0.0.1:9")
        .no_retries()
        .build()
        .unwrap();
    let err = world.list(&client).await.unwrap_err();
    assert!(world.emulator.requests().is_empty());
    assert!(err.to_string().contains("connect"), "{err}");
}

#[test]
fn an_unusable_proxy_setting_fails_the_build() {
    let world = World::modern();
    for url in [
        "http://",
        "socks5://proxy.internal:1080",
        "http://user:hunter2@[::1",
    ] {
        let err = world.builder().proxy(url).build().unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, infisical::Error::Config(_)), "{url}: {err:?}");
        assert!(text.contains("proxy"), "{text}");
        assert!(!text.contains("hunter2"), "never the URL: {text}");
    }
    for (name, url) in [("HTTPS_PROXY", "ftp://proxy:21"), ("http_proxy", "http://")] {
        let env = StaticEnv::from([(name, url.to_owned())]);
        let err = world.builder().env(Arc::new(env)).build().unwrap_err();
        assert!(
            err.to_string().contains(&name.to_ascii_uppercase()),
            "{err}"
        );
    }
    // A bare host:port is an HTTP proxy, as curl reads it.
    assert!(world.builder().proxy("proxy.internal:3128").build().is_ok());
    assert!(world.emulator.requests().is_empty());
}
