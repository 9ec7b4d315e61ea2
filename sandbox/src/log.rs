//! Request log lines, written to stderr by a dedicated thread so a slow or never-read stderr
//! pipe (e.g. a test harness that captures but does not drain it) can never stall the server:
//! when the queue is full, lines are dropped and counted instead.

use std::io::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::thread::JoinHandle;

/// Lines waiting to be written before new ones are dropped.
const QUEUE: usize = 4096;

/// The sending side, shared by all connections of one sandbox.
#[derive(Debug)]
pub struct RequestLog {
    tx: SyncSender<String>,
    dropped: AtomicU64,
}

impl RequestLog {
    /// Starts the writer thread; it ends once every `RequestLog` clone is gone.
    pub fn start() -> std::io::Result<(RequestLog, JoinHandle<()>)> {
        let (tx, rx) = sync_channel(QUEUE);
        let thread = std::thread::Builder::new()
            .name("authy-sandbox-log".into())
            .spawn(move || write_lines(rx))?;
        Ok((
            RequestLog {
                tx,
                dropped: AtomicU64::new(0),
            },
            thread,
        ))
    }

    /// Queues one line (without the newline); never blocks.
    pub fn line(&self, line: String) {
        match self.tx.try_send(line) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                let n = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
                if n.is_power_of_two() {
                    // Best effort: tell the reader once in a while, through the same queue.
                    let _ = self.tx.try_send(format!(
                        "authy-sandbox: {n} log lines dropped (stderr is slow)"
                    ));
                }
            }
            Err(TrySendError::Disconnected(_)) => {}
        }
    }
}

fn write_lines(rx: Receiver<String>) {
    let stderr = std::io::stderr();
    for line in rx {
        let mut out = stderr.lock();
        let _ = writeln!(out, "{line}");
    }
}
