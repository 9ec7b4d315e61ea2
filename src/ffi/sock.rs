//! What `transport::tcp` needs of the C library's sockets and std does not offer: the liveness
//! probe of a pooled connection (one non-blocking peek; std's `peek` blocks), and a connect
//! whose socket exists before the handshake starts, so that a cancel can abort it (std's
//! `connect_timeout` makes the socket and connects in one call).

use std::io;
use std::net::{SocketAddr, TcpStream};
use std::os::fd::{AsRawFd, FromRawFd};
use std::time::{Duration, Instant};

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

/// A TCP socket for `addr`'s family, not connected yet: non-blocking (so that `connect`
/// starts the handshake and returns) and close-on-exec (as std's are). It is a `TcpStream`
/// from the start so that it can be registered with a cancel before it connects: a
/// `shutdown(2)` of a socket still connecting aborts the handshake and wakes [`wait_connected`].
pub(crate) fn tcp_socket(addr: &SocketAddr) -> io::Result<TcpStream> {
    let family = match addr {
        SocketAddr::V4(_) => libc::AF_INET,
        SocketAddr::V6(_) => libc::AF_INET6,
    };
    // SAFETY: plain system call; the descriptor returned is owned by the TcpStream at once.
    let fd = unsafe {
        libc::socket(
            family,
            libc::SOCK_STREAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
            0,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` is a new socket that nothing else owns.
    Ok(unsafe { TcpStream::from_raw_fd(fd) })
}

/// Starts connecting the non-blocking `socket` to `addr`: `true` when it connected at once,
/// `false` when the handshake is under way.
pub(crate) fn start_connect(socket: &TcpStream, addr: &SocketAddr) -> io::Result<bool> {
    // SAFETY: all-zero is a valid value of these plain C structs.
    let mut storage: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let len = match addr {
        SocketAddr::V4(a) => {
            let sin = libc::sockaddr_in {
                sin_family: libc::AF_INET as libc::sa_family_t,
                sin_port: a.port().to_be(),
                sin_addr: libc::in_addr {
                    s_addr: u32::from_ne_bytes(a.ip().octets()),
                },
                sin_zero: [0; 8],
            };
            // SAFETY: sockaddr_storage is large and aligned enough for any address.
            unsafe { std::ptr::write((&raw mut storage).cast(), sin) };
            std::mem::size_of::<libc::sockaddr_in>()
        }
        SocketAddr::V6(a) => {
            let sin6 = libc::sockaddr_in6 {
                sin6_family: libc::AF_INET6 as libc::sa_family_t,
                sin6_port: a.port().to_be(),
                sin6_flowinfo: a.flowinfo(),
                sin6_addr: libc::in6_addr {
                    s6_addr: a.ip().octets(),
                },
                sin6_scope_id: a.scope_id(),
            };
            // SAFETY: as above.
            unsafe { std::ptr::write((&raw mut storage).cast(), sin6) };
            std::mem::size_of::<libc::sockaddr_in6>()
        }
    };
    loop {
        // SAFETY: a valid socket, and an address of the length given.
        let r = unsafe {
            libc::connect(
                socket.as_raw_fd(),
                (&raw const storage).cast(),
                len as libc::socklen_t,
            )
        };
        if r == 0 {
            return Ok(true);
        }
        let e = io::Error::last_os_error();
        match e.raw_os_error() {
            Some(libc::EINPROGRESS) => return Ok(false),
            Some(libc::EINTR) => continue,
            _ => return Err(e),
        }
    }
}

/// Waits until the handshake `start_connect` began has ended, at most `timeout` (`None`: no
/// limit): `Ok(true)` once it has (the caller reads the outcome with `take_error`), `Ok(false)`
/// when the time ran out.
pub(crate) fn wait_connected(socket: &TcpStream, timeout: Option<Duration>) -> io::Result<bool> {
    let deadline = timeout.map(|t| Instant::now() + t);
    loop {
        let wait_ms: libc::c_int = match deadline {
            None => -1,
            Some(d) => {
                let left = d.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Ok(false);
                }
                // Rounded up, so that a wait never ends before the deadline.
                let ms = left.as_nanos().div_ceil(1_000_000);
                libc::c_int::try_from(ms).unwrap_or(libc::c_int::MAX)
            }
        };
        let mut fd = libc::pollfd {
            fd: socket.as_raw_fd(),
            events: libc::POLLOUT,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        let r = unsafe { libc::poll(&raw mut fd, 1, wait_ms) };
        if r > 0 {
            return Ok(true);
        }
        if r < 0 {
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    }
}
