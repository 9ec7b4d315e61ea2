//! Many keep-alive clients at once; a slow request never blocks the others.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::Env;

#[test]
fn sixty_four_keep_alive_clients() {
    let env = Arc::new(Env::new());
    let threads: Vec<_> = (0..64)
        .map(|t| {
            let env = env.clone();
            std::thread::spawn(move || {
                let agent = common::agent();
                let key = env.sb.api_key().to_string();
                let call = |path: &str| {
                    let mut r = agent
                        .get(&env.url(path))
                        .header("X-Authy-API-Key", &key)
                        .call()
                        .expect("answer");
                    let status = r.status().as_u16();
                    let body = r.body_mut().read_to_string().unwrap();
                    (status, body)
                };
                let id =
                    env.create_user(&format!("c{t}@example.com"), &format!("55509{t:05}"), "1");
                for _ in 0..20 {
                    let (s, _) = call(&format!("/protected/json/sms/{id}?force=true"));
                    assert_eq!(s, 200);
                    let code = env.last_code(id);
                    let (s, body) = call(&format!("/protected/json/verify/{code}/{id}"));
                    assert_eq!(s, 200, "{body}");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("client thread ok");
    }
    let r = env.get("/sandbox/requests");
    assert_eq!(r.json["requests"]["GET /protected/json/sms/{id}"], 64 * 20);
    assert_eq!(
        r.json["requests"]["GET /protected/json/verify/{token}/{id}"],
        64 * 20
    );
    assert_eq!(r.json["requests"]["POST /protected/json/users/new"], 64);
}

#[test]
fn slow_request_does_not_block_others() {
    let env = Arc::new(Env::new());
    env.post_form(
        "/sandbox/faults",
        "kind=latency&latency_ms=1500&path_prefix=/protected/json/app/stats",
    );
    let slow = {
        let env = env.clone();
        std::thread::spawn(move || {
            let t = Instant::now();
            assert_eq!(env.get("/protected/json/app/stats").status, 200);
            t.elapsed()
        })
    };
    std::thread::sleep(Duration::from_millis(100));
    let t = Instant::now();
    for _ in 0..100 {
        assert_eq!(env.get("/protected/json/app/details").status, 200);
    }
    assert!(
        t.elapsed() < Duration::from_millis(1200),
        "{:?}",
        t.elapsed()
    );
    assert!(slow.join().unwrap() >= Duration::from_millis(1500));
}

#[test]
fn sandbox_is_send_sync_and_stops_on_drop() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<authy_sandbox::Sandbox>();
    let env = Env::new();
    let addr = env.sb.addr();
    drop(env);
    assert!(std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err());
}
