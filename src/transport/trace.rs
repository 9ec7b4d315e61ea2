//! What happened on the wire during one attempt, as the retry rules need it: was the
//! connection a reused (pooled) one, were any request bytes handed to it, did any byte of
//! the answer arrive.
//!
//! ureq's errors do not say so ("Peer disconnected" covers a server that closed before
//! answering and one that cut its answer off), so the agent's connector wraps every
//! connection in a [`Traced`] transport that records those facts in a thread-local [`Trace`]
//! of the attempt running on the calling thread (ureq performs a request's I/O on the thread
//! that called it; only name lookups run elsewhere, and they do not touch connections).

use std::cell::Cell;

use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};

/// The facts of the current attempt on this thread.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Trace {
    /// The request went to a connection that had already served a request.
    pub(crate) reused: bool,
    /// A write of the request to the connection succeeded, so the request may have reached
    /// the server. While it is `false`, no complete request can have arrived there: a failed
    /// write means the request was not handed over in full, and a server acts on a request
    /// only once it has all of it.
    pub(crate) wrote: bool,
    /// At least one byte of the answer arrived.
    pub(crate) answered: bool,
}

thread_local! {
    static CURRENT: Cell<Trace> = const { Cell::new(Trace { reused: false, wrote: false, answered: false }) };
}

/// Starts recording a new attempt on this thread.
pub(crate) fn begin() {
    CURRENT.with(|t| t.set(Trace::default()));
}

/// What the attempt begun last on this thread did.
pub(crate) fn current() -> Trace {
    CURRENT.with(Cell::get)
}

fn update(f: impl FnOnce(&mut Trace)) {
    CURRENT.with(|t| {
        let mut trace = t.get();
        f(&mut trace);
        t.set(trace);
    });
}

/// The last link of the agent's connector chain: wraps each new connection in [`Traced`].
#[derive(Debug, Default)]
pub(crate) struct TracingConnector;

impl<In: Transport> Connector<In> for TracingConnector {
    type Out = Traced<In>;

    fn connect(
        &self,
        _details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(chained.map(|inner| Traced {
            inner,
            requests: 0,
            reading: true,
        }))
    }
}

/// A connection that reports its use to the current [`Trace`].
#[derive(Debug)]
pub(crate) struct Traced<T> {
    inner: T,
    /// Requests started on this connection.
    requests: u64,
    /// The last operation was a read (so the next write starts a new request).
    reading: bool,
}

impl<T: Transport> Transport for Traced<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        if self.reading {
            // The first write after the previous answer (or on a new connection): a new request.
            self.reading = false;
            self.requests += 1;
            let reused = self.requests > 1;
            update(|t| t.reused = reused);
        }
        self.inner.transmit_output(amount, timeout)?;
        update(|t| t.wrote = true);
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.reading = true;
        let progress = self.inner.await_input(timeout)?;
        if progress {
            update(|t| t.answered = true);
        }
        Ok(progress)
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}
