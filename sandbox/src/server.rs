//! `Sandbox`: binds 127.0.0.1, runs hyper on its own tokio runtime thread, stops on drop.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::thread::JoinHandle;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio_rustls::TlsAcceptor;

use crate::config::SandboxConfig;
use crate::log::RequestLog;
use crate::service;
use crate::state::Shared;
use crate::tls;

/// A running sandbox. Dropping it stops the server and joins its thread.
///
/// Thread safety: `Send + Sync`; every method takes `&self`.
pub struct Sandbox {
    base_url: String,
    api_key: String,
    account_sid: String,
    auth_token: String,
    ca_pem: Option<String>,
    addr: SocketAddr,
    shutdown: Mutex<Option<oneshot::Sender<()>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url)
            .field("api_key", &"<redacted>")
            .field("account_sid", &self.account_sid)
            .field("auth_token", &"<redacted>")
            .field("tls", &self.ca_pem.is_some())
            .finish()
    }
}

impl Sandbox {
    /// Binds `127.0.0.1:{config.port}` and starts serving on a dedicated thread running a tokio
    /// runtime. Fails if the port is taken or the TLS material is unusable.
    pub fn start(config: SandboxConfig) -> io::Result<Sandbox> {
        let tls = tls::build(&config.tls)?;
        let callbacks = crate::callback::Sender::new(config.callback_ca_pem.as_deref())?;
        let listener = std::net::TcpListener::bind(("127.0.0.1", config.port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (acceptor, ca_pem) = match tls {
            Some((cfg, pem)) => (Some(TlsAcceptor::from(cfg)), pem),
            None => (None, None),
        };
        let base_url = if acceptor.is_some() {
            format!("https://localhost:{}", addr.port())
        } else {
            format!("http://127.0.0.1:{}", addr.port())
        };
        let api_key = config.api_key.clone();
        let account_sid = config.account_sid.clone();
        let auth_token = config.auth_token.clone();
        let (log, log_thread) = if config.log_requests {
            let (log, thread) = RequestLog::start()?;
            (Some(log), Some(thread))
        } else {
            (None, None)
        };
        let shared = Arc::new(Shared::new(config, base_url.clone(), log, callbacks));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("authy-sandbox-worker")
            .enable_all()
            .build()?;
        let (tx, rx) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("authy-sandbox".into())
            .spawn(move || {
                runtime.block_on(accept_loop(listener, shared, acceptor, rx));
                runtime.shutdown_timeout(Duration::from_millis(500));
                // Every task (and with them the log's senders) is gone: let the log drain.
                if let Some(t) = log_thread {
                    let _ = t.join();
                }
            })?;
        Ok(Sandbox {
            base_url,
            api_key,
            account_sid,
            auth_token,
            ca_pem,
            addr,
            shutdown: Mutex::new(Some(tx)),
            thread: Mutex::new(Some(thread)),
        })
    }

    /// `http://127.0.0.1:PORT`, or `https://localhost:PORT` with TLS.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The key the sandbox accepts.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The Twilio Account SID accepted on `/v2/...` (Basic-auth user with [`Sandbox::auth_token`]).
    pub fn account_sid(&self) -> &str {
        &self.account_sid
    }

    /// The Twilio Auth Token accepted with [`Sandbox::account_sid`].
    pub fn auth_token(&self) -> &str {
        &self.auth_token
    }

    /// The certificate PEM clients must trust, when TLS is self-signed.
    pub fn ca_pem(&self) -> Option<String> {
        self.ca_pem.clone()
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Stops the server and waits for its thread (also done on drop). Idempotent.
    pub fn shutdown(&self) {
        if let Some(tx) = self
            .shutdown
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
        {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = t.join();
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.shutdown();
    }
}

async fn accept_loop(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    acceptor: Option<TlsAcceptor>,
    mut shutdown: oneshot::Receiver<()>,
) {
    let listener = match TcpListener::from_std(listener) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("authy-sandbox: cannot listen: {e}");
            return;
        }
    };
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    tokio::spawn(serve_connection(stream, shared.clone(), acceptor.clone()));
                }
                // EMFILE and friends: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
        }
    }
}

async fn serve_connection(stream: TcpStream, shared: Arc<Shared>, acceptor: Option<TlsAcceptor>) {
    let reset_flag = Arc::new(AtomicBool::new(false));
    let io = ConnIo {
        inner: stream,
        reset_flag: reset_flag.clone(),
    };
    // hyper starts this timer whenever the connection waits for a request head (the first one
    // and each one after a keep-alive answer), so it bounds slow headers and idle connections.
    let read_timeout = shared.config.effective_read_timeout();
    let svc = service_fn(move |req| service::handle(shared.clone(), reset_flag.clone(), req));
    let mut builder = http1::Builder::new();
    builder
        .keep_alive(true)
        .half_close(true)
        .timer(TokioTimer::new())
        .header_read_timeout(read_timeout);
    match acceptor {
        None => {
            let _ = builder.serve_connection(TokioIo::new(io), svc).await;
        }
        Some(acceptor) => {
            let Ok(Ok(tls)) =
                tokio::time::timeout(Duration::from_secs(10), acceptor.accept(io)).await
            else {
                return;
            };
            let _ = builder.serve_connection(TokioIo::new(tls), svc).await;
        }
    }
}

/// The TCP stream of one connection; closes with a reset (SO_LINGER 0) when the `reset`
/// fault asked for it.
struct ConnIo {
    inner: TcpStream,
    reset_flag: Arc<AtomicBool>,
}

impl Drop for ConnIo {
    fn drop(&mut self) {
        if self.reset_flag.load(Ordering::SeqCst) {
            let _ = self.inner.set_zero_linger();
        }
    }
}

impl AsyncRead for ConnIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for ConnIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.reset_flag.load(Ordering::SeqCst) {
            let _ = self.inner.set_zero_linger();
        }
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
