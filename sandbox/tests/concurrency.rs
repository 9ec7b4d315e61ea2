//! Many keep-alive clients at once; a slow request never blocks the others.

mod common;

use std::sync::Arc;
use std::time::Duration;

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
    // No timed assertion: while one request sits in a long latency fault, 50 others are
    // answered, and the slow one is still in flight when they are done.
    let env = Arc::new(Env::new());
    env.post_form(
        "/sandbox/faults",
        "kind=latency&latency_ms=6000&path_prefix=/protected/json/app/stats",
    );
    let slow_done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let slow = {
        let (env, done) = (env.clone(), slow_done.clone());
        std::thread::spawn(move || {
            let status = env.get("/protected/json/app/stats").status;
            done.store(true, std::sync::atomic::Ordering::SeqCst);
            status
        })
    };
    std::thread::sleep(Duration::from_millis(100));
    for _ in 0..50 {
        assert_eq!(env.get("/protected/json/app/details").status, 200);
    }
    assert!(
        !slow_done.load(std::sync::atomic::Ordering::SeqCst),
        "the slow request finished before 50 others: they waited for it"
    );
    assert_eq!(slow.join().unwrap(), 200);
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
