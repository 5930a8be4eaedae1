//! A listener that accepts connections and never says a word: what a client meets when a
//! TLS terminator hangs, a firewall black-holes the handshake, or a server is wedged.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// Accepts TCP connections on `127.0.0.1` and holds them open without reading or writing
/// anything, so a TLS ClientHello is never answered. Stops (and closes every connection)
/// when dropped.
#[derive(Debug)]
pub struct SilentListener {
    addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl SilentListener {
    /// Binds `127.0.0.1:0` and starts accepting.
    ///
    /// # Panics
    /// If no local port can be bound (test set-up).
    pub fn start() -> SilentListener {
        let listener = TcpListener::bind("127.0.0.1:0").expect("silent listener: cannot bind");
        listener
            .set_nonblocking(true)
            .expect("silent listener: cannot make the listener non-blocking");
        let addr = listener.local_addr().expect("silent listener: no address");
        let accepted = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (accepted, stop) = (Arc::clone(&accepted), Arc::clone(&stop));
            std::thread::spawn(move || hold(listener, &accepted, &stop))
        };
        SilentListener {
            addr,
            accepted,
            stop,
            thread: Some(thread),
        }
    }

    /// `https://127.0.0.1:<port>`.
    pub fn https_url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// How many connections were accepted.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

fn hold(listener: TcpListener, accepted: &AtomicUsize, stop: &AtomicBool) {
    let mut held: Vec<TcpStream> = Vec::new();
    while !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                accepted.fetch_add(1, Ordering::SeqCst);
                held.push(stream);
            }
            Err(_) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
}

impl Drop for SilentListener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
