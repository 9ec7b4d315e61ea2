//! Response body: a whole buffer, or a deliberately broken one for fault injection (part of
//! the data, a pause so it reaches the wire, then an error that makes hyper drop the
//! connection — optionally with a TCP reset).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Body, Bytes, Frame, SizeHint};
use tokio::time::Sleep;

/// Body type of every sandbox response.
pub struct SandboxBody {
    data: Option<Bytes>,
    exact_len: Option<u64>,
    abort: Option<Abort>,
}

struct Abort {
    sleep: Pin<Box<Sleep>>,
    reset_flag: Option<Arc<AtomicBool>>,
}

impl SandboxBody {
    /// A complete body (hyper sends `Content-Length`).
    pub fn full(data: impl Into<Bytes>) -> SandboxBody {
        let data: Bytes = data.into();
        SandboxBody {
            exact_len: Some(data.len() as u64),
            data: Some(data),
            abort: None,
        }
    }

    /// Sends `data`, waits a moment so it is flushed, then fails. With `reset_flag`, the
    /// connection is closed with SO_LINGER 0 (RST) instead of a FIN.
    pub fn broken(data: impl Into<Bytes>, reset_flag: Option<Arc<AtomicBool>>) -> SandboxBody {
        SandboxBody {
            data: Some(data.into()),
            exact_len: None,
            abort: Some(Abort {
                sleep: Box::pin(tokio::time::sleep(Duration::from_millis(30))),
                reset_flag,
            }),
        }
    }
}

impl Body for SandboxBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        if let Some(d) = this.data.take()
            && !d.is_empty()
        {
            return Poll::Ready(Some(Ok(Frame::data(d))));
        }
        if let Some(abort) = &mut this.abort {
            if abort.sleep.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            if let Some(flag) = &abort.reset_flag {
                flag.store(true, Ordering::SeqCst);
            }
            this.abort = None;
            return Poll::Ready(Some(Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "fault injected by the sandbox",
            ))));
        }
        Poll::Ready(None)
    }

    fn is_end_stream(&self) -> bool {
        self.data.as_ref().is_none_or(Bytes::is_empty) && self.abort.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        match self.exact_len {
            Some(n) => SizeHint::with_exact(n),
            None => SizeHint::default(),
        }
    }
}
