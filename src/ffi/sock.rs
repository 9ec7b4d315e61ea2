//! The liveness probe of a pooled connection (see `transport::tcp`): one non-blocking peek,
//! which std does not offer (its `peek` blocks). It lives here because it calls the C library.

use std::io;
use std::net::TcpStream;
use std::os::fd::AsRawFd;

/// Whether an idle connection can carry a request: nothing waits to be read and the peer has
/// not closed it. One `recv(MSG_PEEK | MSG_DONTWAIT)`: "would block" means open and quiet;
/// bytes (nobody asked for them), end of stream or an error mean it must not be used.
pub(crate) fn idle_and_open(stream: &TcpStream) -> bool {
    let mut byte = [0u8; 1];
    loop {
        // SAFETY: a valid socket of `stream`, and a writable buffer of the length given.
        let n = unsafe {
            libc::recv(
                stream.as_raw_fd(),
                byte.as_mut_ptr().cast(),
                byte.len(),
                libc::MSG_PEEK | libc::MSG_DONTWAIT,
            )
        };
        if n >= 0 {
            return false;
        }
        match io::Error::last_os_error().kind() {
            io::ErrorKind::WouldBlock => return true,
            io::ErrorKind::Interrupted => continue,
            _ => return false,
        }
    }
}
