//! The byte stream of one connection, plain or TLS, kept small.
//!
//! hyper-rustls's `MaybeHttpsStream` holds a rustls session inline: 1,104 bytes, against 32
//! for a TCP stream. hyper moves the stream through its connection set-up by value and keeps
//! it in every connection's state, so that size was paid on every plain `http://` connection
//! too: the set-up future's poll reserved 29 KiB of stack. Here a TLS stream is boxed (one
//! allocation a TLS connection) and a plain one is kept as it is.

use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_rustls::MaybeHttpsStream;
use hyper_util::client::legacy::connect::{Connected, Connection};
use hyper_util::rt::TokioIo;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::net::TcpStream;

/// A connection's stream: TCP, or TLS over TCP (possibly through a proxy's tunnel).
#[derive(Debug)]
pub(crate) enum Stream {
    /// Plain TCP, for `http://` servers.
    Plain(TokioIo<TcpStream>),
    /// TLS over TCP, boxed: the rustls session is large.
    Tls(Box<MaybeHttpsStream<TokioIo<TcpStream>>>),
}

impl From<MaybeHttpsStream<TokioIo<TcpStream>>> for Stream {
    fn from(stream: MaybeHttpsStream<TokioIo<TcpStream>>) -> Self {
        match stream {
            MaybeHttpsStream::Http(plain) => Stream::Plain(plain),
            tls => Stream::Tls(Box::new(tls)),
        }
    }
}

/// Calls `$call` on whichever stream `$self` (a `Pin<&mut Stream>`) holds, pinned.
macro_rules! on_stream {
    ($self:ident, $stream:ident => $call:expr) => {
        match $self.get_mut() {
            Stream::Plain(plain) => {
                let $stream = Pin::new(plain);
                $call
            }
            Stream::Tls(tls) => {
                let $stream = Pin::new(tls.as_mut());
                $call
            }
        }
    };
}

impl Read for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        on_stream!(self, stream => stream.poll_read(cx, buf))
    }
}

impl Write for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        on_stream!(self, stream => stream.poll_write(cx, buf))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        on_stream!(self, stream => stream.poll_write_vectored(cx, bufs))
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Stream::Plain(plain) => plain.is_write_vectored(),
            Stream::Tls(tls) => tls.is_write_vectored(),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        on_stream!(self, stream => stream.poll_flush(cx))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        on_stream!(self, stream => stream.poll_shutdown(cx))
    }
}

impl Connection for Stream {
    /// What the TLS stream negotiated (HTTP/2 over ALPN) or the TCP stream's details.
    fn connected(&self) -> Connected {
        match self {
            Stream::Plain(plain) => plain.connected(),
            Stream::Tls(tls) => tls.connected(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_is_as_small_as_a_tcp_stream_and_a_pointer() {
        let tcp = std::mem::size_of::<TokioIo<TcpStream>>();
        assert!(
            std::mem::size_of::<Stream>() <= tcp + std::mem::size_of::<usize>(),
            "{} bytes",
            std::mem::size_of::<Stream>()
        );
    }
}
