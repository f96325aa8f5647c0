//! The classroom server's request handling on any bytes: the HTTP head parser and Host check,
//! and the handler (`serve::handle`) with the first line as `METHOD PATH` and the rest as the
//! body. Never panics; every reply is a status from 200 to 599 with a JSON error on failure.
//! Compare requests are held to 2 replicates × 3 weeks so that an execution stays fast (the
//! work bounds themselves are tested in tests/serve.rs).
#![no_main]

use dugnad::teach::serve::{allowed_hosts, handle, host_allowed, parse_head};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(head) = parse_head(data) {
        if let Some(h) = head.host {
            let allowed = allowed_hosts("127.0.0.1:8750".parse().unwrap()).unwrap();
            let _ = host_allowed(&h, &allowed);
        }
    }
    let split = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let line = String::from_utf8_lossy(&data[..split]);
    let body = data.get(split + 1..).unwrap_or(&[]);
    let (method, path) = line.split_once(' ').unwrap_or(("GET", &line));
    let mut body = body.to_vec();
    if path.starts_with("/api/compare") {
        if let Ok(serde_json::Value::Object(mut o)) = serde_json::from_slice(&body) {
            o.insert("replicates".into(), 2.into());
            o.insert("weeks".into(), 3.into());
            body = serde_json::to_vec(&o).unwrap();
        }
    }
    let reply = handle(method, path, &body);
    assert!((200..600).contains(&reply.status), "{}", reply.status);
    if reply.status >= 400 {
        let v: serde_json::Value = serde_json::from_slice(&reply.body).expect("errors are JSON");
        assert!(v["error"].as_str().is_some_and(|m| !m.is_empty()));
    }
});
