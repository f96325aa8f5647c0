//! `dugnad serve`: the classroom server answers good requests, refuses bad ones with a 4xx and a
//! message, bounds the work, and keeps answering. Runs the server in-process on a free port.

use dugnad::lang::Lang;
use dugnad::teach::serve::{self, Running, BUNDLED};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::OnceLock;
use std::time::Duration;

fn server() -> SocketAddr {
    static SERVER: OnceLock<SocketAddr> = OnceLock::new();
    *SERVER.get_or_init(|| {
        let running: Running = serve::start("127.0.0.1", 0, 4, false).expect("the server starts");
        let addr = running.addr;
        // The server lives as long as the test process.
        std::mem::forget(running);
        addr
    })
}

/// One HTTP/1.0 exchange (no chunking, the server closes the connection): (status, body).
fn request(method: &str, path: &str, body: &[u8]) -> (u16, Vec<u8>, String) {
    let mut s = TcpStream::connect(server()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let head = format!(
        "{method} {path} HTTP/1.0\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response");
    let headers = String::from_utf8_lossy(&raw[..split]).to_string();
    let status: u16 = headers.split(' ').nth(1).unwrap().parse().unwrap();
    (status, raw[split + 4..].to_vec(), headers)
}

fn post(path: &str, v: &Value) -> (u16, Value) {
    let (status, body, _) = request("POST", path, v.to_string().as_bytes());
    (
        status,
        serde_json::from_slice(&body)
            .unwrap_or_else(|_| json!({ "raw": String::from_utf8_lossy(&body) })),
    )
}

fn get(path: &str) -> (u16, Vec<u8>, String) {
    request("GET", path, b"")
}

fn compare(a: Value, b: Value, extra: Value) -> (u16, Value) {
    let mut v = json!({ "a": a, "b": b });
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    post("/api/compare", &v)
}

fn assert_alive() {
    let (status, body, _) = get("/api/scenarios");
    assert_eq!(status, 200, "the server still answers");
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["scenarios"].as_array().unwrap().len(), BUNDLED.len());
}

#[test]
fn page_assets_and_scenarios() {
    let (status, body, headers) = get("/");
    assert_eq!(status, 200);
    assert!(
        headers
            .to_ascii_lowercase()
            .contains("content-type: text/html"),
        "{headers}"
    );
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("<script src=\"/app.js\">") && html.contains("/style.css"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no external resources"
    );
    for path in ["/app.js", "/style.css"] {
        let (status, body, _) = get(path);
        assert_eq!(status, 200, "{path}");
        let text = String::from_utf8(body)
            .unwrap()
            .replace("http://www.w3.org/2000/svg", "");
        assert!(
            !text.contains("https://") && !text.contains("http://"),
            "{path}: no CDN"
        );
    }
    let (status, body, _) = get("/api/scenarios");
    assert_eq!(status, 200);
    let v: Value = serde_json::from_slice(&body).unwrap();
    for s in v["scenarios"].as_array().unwrap() {
        assert!(s.get("error").is_none(), "{s}");
        assert!(!s["populations"].as_array().unwrap().is_empty());
        assert!(s["classroom"]["replicates"].as_u64().unwrap() > 0);
    }
    let municipality = v["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "municipality")
        .unwrap();
    assert!(
        municipality["classroom"]["groups"].as_u64().unwrap() <= 20,
        "large scenarios get a classroom group count"
    );
}

#[test]
fn every_bundled_scenario_is_embedded() {
    let mut files: Vec<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios"))
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".toml"))
            .map(|n| n.trim_end_matches(".toml").to_string())
            .collect();
    files.sort();
    let mut embedded: Vec<String> = BUNDLED.iter().map(|(n, _)| n.to_string()).collect();
    embedded.sort();
    assert_eq!(files, embedded, "add new scenarios to serve::BUNDLED");
}

#[test]
fn a_valid_comparison_returns_series_and_paired_differences() {
    let (status, v) = compare(
        json!({ "scenario": "knitting-cafe", "overrides": [] }),
        json!({ "scenario": "knitting-cafe", "overrides": ["activity.facilitation=0.9", "population.volunteers.need_to_help={beta=[8,2]}"] }),
        json!({ "replicates": 12, "weeks": 15 }),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["weeks"], 15);
    assert_eq!(v["replicates"], 12);
    assert_eq!(v["seed"], 2019, "A's seed for both designs");
    let inds = v["indicators"].as_array().unwrap();
    let keys: Vec<&str> = inds.iter().map(|i| i["key"].as_str().unwrap()).collect();
    assert_eq!(
        keys,
        [
            "voice_parity",
            "spoken_for_rate",
            "dependency_help_share",
            "mean_agency",
            "bridging_tie_strength",
            "founding_volunteers_retained"
        ]
    );
    // Each chart says whom it is about by key, from the lens it was computed at.
    let whom: Vec<&Value> = inds.iter().map(|i| &i["whom"]).collect();
    assert_eq!(*whom[0], json!({ "key": "newcomers" }));
    // Neither café has staff: the chart does not name any.
    assert_eq!(*whom[5], json!({ "key": "volunteers" }));
    for i in inds {
        for d in ["a", "b"] {
            for s in ["mean", "p05", "p95"] {
                assert_eq!(
                    i[d][s].as_array().unwrap().len(),
                    15,
                    "{} {d} {s}",
                    i["key"]
                );
            }
        }
        let n = i["diff"]["n"].as_u64().unwrap();
        assert!(n > 0 && n <= 12, "pairs where both are defined: {i}");
        let (m, lo, hi) = (
            i["diff"]["mean"].as_f64(),
            i["diff"]["ci_low"].as_f64(),
            i["diff"]["ci_high"].as_f64(),
        );
        if let (Some(m), Some(lo), Some(hi)) = (m, lo, hi) {
            assert!(lo <= m && m <= hi, "{i}");
        }
    }
    // Facilitation 0.9 blocks most usurped turns: B − A is clearly negative.
    let usurp = &inds[1]["diff"];
    assert!(usurp["ci_high"].as_f64().unwrap() < 0.0, "{usurp}");

    // The same request gives the same numbers (only the timing differs).
    let (_, mut again) = compare(
        json!({ "scenario": "knitting-cafe", "overrides": [] }),
        json!({ "scenario": "knitting-cafe", "overrides": ["activity.facilitation=0.9", "population.volunteers.need_to_help={beta=[8,2]}"] }),
        json!({ "replicates": 12, "weeks": 15 }),
    );
    let mut first = v.clone();
    first["simulate_ms"] = json!(0);
    again["simulate_ms"] = json!(0);
    assert_eq!(first, again);
}

#[test]
fn identical_designs_differ_by_exactly_zero() {
    let d = json!({ "scenario": "co-designed-cafe", "overrides": ["activity.co_design=0.8"] });
    let (status, v) = compare(
        d.clone(),
        d,
        json!({ "replicates": 6, "weeks": 8, "seed": 11 }),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["seed"], 11);
    for i in v["indicators"].as_array().unwrap() {
        assert_eq!(i["a"], i["b"], "common random numbers: {}", i["key"]);
        if !i["diff"]["mean"].is_null() {
            assert_eq!(i["diff"]["mean"].as_f64().unwrap(), 0.0);
        }
    }
}

#[test]
fn bad_requests_get_400_with_a_message() {
    let ok = json!({ "scenario": "knitting-cafe" });
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({ "a": ok, "b": { "scenario": "knitting-cafe", "overrides": ["activity.co_design=1.5"] } }),
            "co_design",
        ),
        (
            json!({ "a": ok, "b": { "scenario": "knitting-cafe", "overrides": ["activity.co_desing=0.5"] } }),
            "did you mean 'co_design'",
        ),
        (
            json!({ "a": ok, "b": { "scenario": "knitting-cafe", "overrides": ["no equals sign"] } }),
            "KEY=VALUE",
        ),
        (
            json!({ "a": ok, "b": { "scenario": "knitting-cafe", "overrides": ["population.nobody.count=3"] } }),
            "nobody",
        ),
        (
            json!({ "a": { "scenario": "no-such" }, "b": ok }),
            "unknown scenario 'no-such'",
        ),
        (json!({ "a": ok }), "missing field `b`"),
        (
            json!({ "a": ok, "b": ok, "colour": "red" }),
            "unknown field `colour`",
        ),
        (
            json!({ "a": ok, "b": ok, "indicators": ["happiness"] }),
            "unknown indicator 'happiness'",
        ),
        (json!({ "a": ok, "b": ok, "weeks": 0 }), "weeks"),
        (json!({ "a": ok, "b": ok, "seed": u64::MAX }), "seed"),
    ];
    for (body, needle) in cases {
        let (status, v) = post("/api/compare", &body);
        assert_eq!(status, 400, "{body}: {v}");
        let msg = v["error"]
            .as_str()
            .unwrap_or_else(|| panic!("{body}: no error message: {v}"));
        assert!(msg.contains(needle), "{body}: {msg}");
    }
    assert_alive();
}

#[test]
fn work_is_bounded() {
    let ok = json!({ "scenario": "knitting-cafe" });
    for (extra, b, needle) in [
        (json!({ "replicates": 201 }), ok.clone(), "at most 200"),
        (json!({ "weeks": 261 }), ok.clone(), "at most 260"),
        (
            json!({}),
            json!({ "scenario": "bench" }),
            "at most 20 per activity",
        ),
        (
            json!({ "replicates": 200, "weeks": 260 }),
            json!({ "scenario": "bench", "overrides": ["activity.groups=20"] }),
            "million person-turns",
        ),
    ] {
        let started = std::time::Instant::now();
        let (status, v) = compare(ok.clone(), b, extra.clone());
        assert_eq!(status, 400, "{extra}: {v}");
        assert!(
            v["error"].as_str().unwrap().contains(needle),
            "{extra}: {v}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "refused before simulating"
        );
    }
    let (status, v) = post(
        "/api/trace",
        &json!({ "design": { "scenario": "knitting-cafe", "overrides": ["scenario.weeks=300"] }, "week": 290 }),
    );
    assert_eq!(status, 400, "{v}");
    assert_alive();
}

#[test]
fn garbage_is_refused_and_the_server_keeps_answering() {
    for body in [
        &b"garbage"[..],
        b"",
        b"{",
        b"[1,2,3]",
        b"\xff\xfe\x00",
        b"{\"a\": 5, \"b\": null}",
    ] {
        let (status, resp, _) = request("POST", "/api/compare", body);
        assert_eq!(status, 400, "{:?}", String::from_utf8_lossy(body));
        let v: Value = serde_json::from_slice(&resp).unwrap();
        assert!(v["error"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let big = vec![b' '; 70 * 1024];
    assert_eq!(request("POST", "/api/compare", &big).0, 413);
    assert_eq!(get("/nowhere").0, 404);
    assert_eq!(get("/api/compare").0, 405);
    assert_eq!(request("DELETE", "/", b"").0, 405);
    // A connection that sends half a request and hangs up does not hurt either.
    {
        let mut s = TcpStream::connect(server()).unwrap();
        s.write_all(b"POST /api/compare HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"a\":")
            .unwrap();
    }
    assert_alive();
    // Several requests at once.
    let handles: Vec<_> = (0..4)
        .map(|i| {
            std::thread::spawn(move || {
                compare(
                    json!({ "scenario": "focus-group" }),
                    json!({ "scenario": "focus-group", "overrides": [format!("activity.co_design=0.{i}")] }),
                    json!({ "replicates": 4, "weeks": 6 }),
                )
                .0
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 200);
    }
    assert_alive();
}

#[test]
fn replay_a_meeting() {
    let (status, v) = post(
        "/api/trace",
        &json!({ "design": { "scenario": "knitting-cafe", "overrides": [] }, "week": 4, "replicate": 1, "group": 0 }),
    );
    assert_eq!(status, 200, "{v}");
    let lines = v["lines"].as_array().unwrap();
    assert!(lines[0]["text"]
        .as_str()
        .unwrap()
        .starts_with("knitting-cafe — week 4"));
    let usurped = lines.iter().filter(|l| l["kind"] == "usurped").count();
    assert_eq!(usurped as f64, v["usurped"].as_f64().unwrap());
    assert!(v["text"].as_str().unwrap().contains("End of week 4"));
    let (status, v) = post(
        "/api/trace",
        &json!({ "design": { "scenario": "knitting-cafe" }, "group": 3 }),
    );
    assert_eq!(status, 400);
    assert!(v["error"].as_str().unwrap().contains("group 3"), "{v}");
}

#[test]
fn download_round_trips_through_check() {
    let overrides = [
        "activity.co_design=0.65",
        "population.newcomers.language={beta=[3,3]}",
        "stereotypes.non-western=0.45",
    ];
    let (status, body, headers) = request(
        "POST",
        "/api/scenario.toml",
        json!({ "design": { "scenario": "knitting-cafe", "overrides": overrides }, "weeks": 52, "seed": 7, "label": "b" })
            .to_string()
            .as_bytes(),
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert!(
        headers.contains("filename=\"knitting-cafe-b.toml\""),
        "{headers}"
    );
    let text = String::from_utf8(body).unwrap();
    let s = dugnad::scenario::load_str(&text, "download.toml", &[]).unwrap();
    assert_eq!(
        (s.name.as_str(), s.weeks, s.seed),
        ("knitting-cafe-b", 52, 7)
    );
    assert_eq!(s.activities[0].co_design, 0.65);
    assert_eq!(s.stereotypes.prior("non-western"), 0.45);
    // The same scenario as the overrides give on the command line.
    let cli = dugnad::scenario::load(
        std::path::Path::new("scenarios/knitting-cafe.toml"),
        &[
            overrides.iter().map(|o| o.to_string()).collect::<Vec<_>>(),
            vec!["scenario.weeks=52".into(), "scenario.seed=7".into()],
        ]
        .concat(),
    )
    .unwrap();
    let body = |t: &str| {
        t.lines()
            .filter(|l| {
                !l.starts_with("# Scenario")
                    && !l.starts_with("name =")
                    && !l.starts_with("description =")
            })
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(body(&dugnad::scenario::to_toml(&cli)), body(&text));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("knitting-cafe-b.toml");
    std::fs::write(&file, &text).unwrap();
    assert_cmd::Command::cargo_bin("dugnad")
        .unwrap()
        .arg("check")
        .arg(&file)
        .assert()
        .success();
    let (status, v) = post(
        "/api/scenario.toml",
        &json!({ "design": { "scenario": "knitting-cafe", "overrides": ["activity.facilitation=-1"] } }),
    );
    assert_eq!(status, 400);
    assert!(v["error"].as_str().unwrap().contains("facilitation"), "{v}");
}

#[test]
fn a_server_stops_cleanly() {
    let running = serve::start("127.0.0.1", 0, 2, false).unwrap();
    let addr = running.addr;
    assert!(addr.ip().is_loopback(), "binds 127.0.0.1 when asked");
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"GET /api/scenarios HTTP/1.0\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    assert!(
        raw.starts_with(b"HTTP/1.0 200") || raw.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&raw[..40])
    );
    running.stop();
}

// ---------------------------------------------------------------------------------------------
// Hardening (issue 14): slow, oversized and misaddressed clients.
// ---------------------------------------------------------------------------------------------

/// Sends `head` (and no more) on a fresh connection, and keeps the connection open.
fn stalled(addr: SocketAddr, head: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    s
}

/// One GET on a fresh connection with a client-side timeout: (status, elapsed), status 0 when
/// no answer came in time.
fn timed_get(addr: SocketAddr, path: &str, host: &str, patience: Duration) -> (u16, Duration) {
    let started = std::time::Instant::now();
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(patience)).unwrap();
    s.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let status = String::from_utf8_lossy(&raw)
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, started.elapsed())
}

#[test]
fn slow_and_oversized_clients_cannot_stall_the_page() {
    let running = serve::start("127.0.0.1", 0, 4, false).unwrap();
    let addr = running.addr;
    let host = format!("127.0.0.1:{}", addr.port());
    // More slow senders than workers: headers that promise a body, a few bytes of it, then
    // nothing; and headers that never end.
    let mut slow = Vec::new();
    for _ in 0..8 {
        slow.push(stalled(
            addr,
            &format!("POST /api/compare HTTP/1.1\r\nHost: {host}\r\nContent-Length: 60000\r\n\r\n{{\"a\":"),
        ));
    }
    for _ in 0..4 {
        slow.push(stalled(
            addr,
            &format!("GET / HTTP/1.1\r\nHost: {host}\r\nX-Slow: "),
        ));
    }
    // A claimed gigabyte is refused from the header, without waiting for the body.
    for _ in 0..2 {
        let started = std::time::Instant::now();
        let mut s = stalled(
            addr,
            &format!(
                "POST /api/compare HTTP/1.1\r\nHost: {host}\r\nContent-Length: 1000000000\r\n\r\n"
            ),
        );
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut raw = [0u8; 64];
        let n = s.read(&mut raw).unwrap_or(0);
        let took = started.elapsed();
        eprintln!("1 GB Content-Length answered in {took:?}");
        assert!(
            raw[..n].starts_with(b"HTTP/1.1 413"),
            "{:?}",
            String::from_utf8_lossy(&raw[..n])
        );
        assert!(took < Duration::from_secs(1), "413 took {took:?}");
    }
    // The page still answers, within a second, while the slow connections are open.
    for path in ["/api/scenarios", "/"] {
        let (status, took) = timed_get(addr, path, &host, Duration::from_secs(5));
        eprintln!("GET {path} with 12 stalled connections open: {status} in {took:?}");
        assert_eq!(status, 200, "GET {path} got no answer within 5 s");
        assert!(took < Duration::from_secs(1), "GET {path} took {took:?}");
    }
    drop(slow);
    running.stop();
}

#[test]
fn idle_connections_cannot_exhaust_the_server() {
    let running = serve::start("127.0.0.1", 0, 2, false).unwrap();
    let addr = running.addr;
    let host = format!("127.0.0.1:{}", addr.port());
    // Far more idle connections than the server keeps: the oldest idle ones are dropped.
    let idle: Vec<TcpStream> = (0..300)
        .map(|_| TcpStream::connect(addr).unwrap())
        .collect();
    let (status, took) = timed_get(addr, "/api/scenarios", &host, Duration::from_secs(5));
    eprintln!("GET /api/scenarios with 300 idle connections open: {status} in {took:?}");
    assert_eq!(status, 200);
    assert!(took < Duration::from_secs(1), "took {took:?}");
    drop(idle);
    running.stop();
}

#[test]
fn a_foreign_host_header_is_refused() {
    // DNS rebinding: a page from another site that resolves its name to 127.0.0.1 sends its own
    // name as Host.
    let addr = server();
    let port = addr.port();
    let (status, _) = timed_get(
        addr,
        "/api/scenarios",
        "evil.example",
        Duration::from_secs(5),
    );
    assert_eq!(status, 403, "Host: evil.example");
    let (status, _) = timed_get(
        addr,
        "/api/scenarios",
        &format!("evil.example:{port}"),
        Duration::from_secs(5),
    );
    assert_eq!(status, 403, "Host: evil.example:{port}");
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "localhost".to_string(),
    ] {
        let (status, _) = timed_get(addr, "/api/scenarios", &host, Duration::from_secs(5));
        assert_eq!(status, 200, "Host: {host}");
    }
}

#[test]
fn slow_clients_are_dropped_after_the_request_deadline() {
    let limits = serve::ServerLimits {
        connections: 8,
        head: 1024,
        request_time: Duration::from_millis(1500),
        io_timeout: Duration::from_millis(600),
    };
    let running = serve::start_with("127.0.0.1", 0, 2, false, limits).unwrap();
    let addr = running.addr;
    let answer = |s: &mut TcpStream| {
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        String::from_utf8_lossy(&raw).to_string()
    };
    // Silent: dropped after one read timeout.
    let started = std::time::Instant::now();
    let mut silent = TcpStream::connect(addr).unwrap();
    let a = answer(&mut silent);
    let silent_took = started.elapsed();
    assert!(a.starts_with("HTTP/1.1 408"), "{a}");
    // A byte every 200 ms never trips the read timeout, but the whole request has a deadline.
    let started = std::time::Instant::now();
    let mut trickle = TcpStream::connect(addr).unwrap();
    let mut sent = 0;
    for b in
        b"GET /api/scenarios HTTP/1.1\r\nHost: localhost\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    {
        if trickle.write_all(&[*b]).is_err() {
            break;
        }
        sent += 1;
        std::thread::sleep(Duration::from_millis(200));
        if started.elapsed() > Duration::from_secs(4) {
            break;
        }
    }
    let a = answer(&mut trickle);
    let trickle_took = started.elapsed();
    eprintln!(
        "silent client dropped after {silent_took:?}; trickling client ({sent} bytes) after {trickle_took:?}"
    );
    assert!(a.starts_with("HTTP/1.1 408"), "{a}");
    assert!(silent_took < Duration::from_secs(3), "{silent_took:?}");
    assert!(trickle_took < Duration::from_secs(5), "{trickle_took:?}");
    // A head longer than allowed: 431 at once.
    let mut big = TcpStream::connect(addr).unwrap();
    let mut head = String::from("GET / HTTP/1.1\r\nHost: localhost\r\n");
    head.push_str(&format!("X-Big: {}\r\n\r\n", "b".repeat(2000)));
    big.write_all(head.as_bytes()).unwrap();
    let a = answer(&mut big);
    assert!(a.starts_with("HTTP/1.1 431"), "{a}");
    running.stop();
}

#[test]
fn request_heads_and_host_names_are_parsed_strictly() {
    use serve::{allowed_hosts, host_allowed, parse_head};
    let h = parse_head(b"POST /api/compare HTTP/1.1\r\nHost: localhost:8750\r\ncontent-length: 12\r\nExpect: 100-continue").unwrap();
    assert_eq!(
        (
            h.method.as_str(),
            h.target.as_str(),
            h.host.as_deref(),
            h.content_length,
            h.expect_continue
        ),
        ("POST", "/api/compare", Some("localhost:8750"), 12, true)
    );
    for (bad, status) in [
        (&b"GET /"[..], 400),
        (b"GET / HTTP/2.0", 505),
        (
            b"GET / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6",
            400,
        ),
        (b"GET / HTTP/1.1\r\nContent-Length: -5", 400),
        (b"GET / HTTP/1.1\r\nContent-Length: +5", 400),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked", 501),
        (b"GET / HTTP/1.1\r\nno colon here", 400),
        (b"GET / HTTP/1.1\r\nHost: a\r\nHost: b", 400),
        (b"G\xffT / HTTP/1.1", 400),
    ] {
        assert_eq!(
            parse_head(bad).map(|_| ()).unwrap_err().status,
            status,
            "{}",
            String::from_utf8_lossy(bad)
        );
    }
    let allowed = allowed_hosts("127.0.0.1:8750".parse().unwrap()).unwrap();
    for ok in [
        "localhost",
        "LOCALHOST:8750",
        "127.0.0.1:1",
        "[::1]:8750",
        "app.localhost:8750",
        "localhost.",
    ] {
        assert!(host_allowed(ok, &allowed), "{ok}");
    }
    for bad in [
        "evil.example",
        "evil.example:8750",
        "127.0.0.1.evil.example",
        "localhost:80x",
        "[::1",
        "localhost.evil",
    ] {
        assert!(!host_allowed(bad, &allowed), "{bad}");
    }
    assert!(
        allowed_hosts("0.0.0.0:8750".parse().unwrap()).is_none(),
        "--host 0.0.0.0 answers to any name"
    );
}

#[test]
fn the_replay_carries_the_events_the_people_the_ties_and_each_person_over_the_weeks() {
    let (status, v) = post(
        "/api/trace",
        &json!({ "design": { "scenario": "knitting-cafe", "overrides": [] }, "week": 4, "replicate": 0, "group": 0 }),
    );
    assert_eq!(status, 200, "{v}");
    let cast = v["cast"].as_array().unwrap();
    let events = v["events"].as_array().unwrap();
    // The per-turn events are the transcript's: as many usurps as the engine counts.
    let usurps = events.iter().filter(|e| e["event"] == "usurped").count();
    assert_eq!(usurps as f64, v["usurped"].as_f64().unwrap());
    let turns: Vec<u64> = events
        .iter()
        .filter(|e| matches!(e["event"].as_str(), Some("turn" | "hesitated" | "usurped")))
        .map(|e| e["turn"].as_u64().unwrap())
        .collect();
    assert!(!turns.is_empty() && turns.windows(2).all(|w| w[0] < w[1] || w[1] == 1));
    for e in events.iter().filter(|e| e["event"] == "usurped") {
        for k in ["speaker", "by"] {
            let slot = e[k]["slot"].as_u64().unwrap() as usize;
            assert_eq!(e[k]["name"], cast[slot]["name"], "{e}");
        }
    }
    // People at the end of the week: one per seat, hosts have no perceived competence.
    let people = v["people"].as_array().unwrap();
    assert_eq!(people.len(), cast.len());
    for p in people {
        let host = matches!(p["role"].as_str(), Some("volunteer" | "staff"));
        assert_eq!(host, p["perceived"].is_null(), "{p}");
        let a = p["agency"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&a));
    }
    // Ties: between active people, typed, at least the drawing threshold.
    let edges = v["network"]["edges"].as_array().unwrap();
    assert!(!edges.is_empty(), "a group that met four times has ties");
    let threshold = v["network"]["threshold"].as_f64().unwrap();
    for e in edges {
        assert!(e["w"].as_f64().unwrap() >= threshold - 1e-4);
        let kind = e["kind"].as_str().unwrap();
        assert!([
            "bonding",
            "bridging",
            "linking",
            "bridging+linking",
            "other"
        ]
        .contains(&kind));
        let (a, b) = (
            &people[e["a"].as_u64().unwrap() as usize],
            &people[e["b"].as_u64().unwrap() as usize],
        );
        if a["role"] == "volunteer" && b["role"] == "volunteer" {
            assert_eq!(kind, "bonding", "two local volunteers: {e}");
        }
        if (a["role"] == "volunteer") != (b["role"] == "volunteer") {
            // The café's volunteers are locals, its participants newcomers: such a tie crosses
            // the majority line and the power gradient at once.
            assert_eq!(
                kind, "bridging+linking",
                "a newcomer and a local volunteer: {e}"
            );
        }
    }
    // History: every week of the run for every seat; the week shown agrees with `people`.
    let h = &v["history"];
    let weeks = h["weeks"].as_u64().unwrap() as usize;
    assert_eq!(weeks as u64, v["weeks"].as_u64().unwrap());
    let slots = h["slots"].as_array().unwrap();
    assert_eq!(slots.len(), cast.len());
    for (j, s) in slots.iter().enumerate() {
        assert_eq!(s["agency"].as_array().unwrap().len(), weeks);
        assert_eq!(s["roles"].as_str().unwrap().chars().count(), weeks);
        let held = s["names"]
            .as_array()
            .unwrap()
            .iter()
            .rfind(|n| n[0].as_u64().unwrap() <= 4)
            .unwrap();
        assert_eq!(held[1], cast[j]["name"], "slot {j}: who held it in week 4");
        if people[j]["active"] == true {
            assert_eq!(s["agency"][3], people[j]["agency"], "slot {j}");
            assert_eq!(s["perceived"][3], people[j]["perceived"], "slot {j}");
        }
    }
}

#[test]
fn the_replay_and_the_transcript_are_the_same_week() {
    // Watching every week to the end changes nothing in the week shown, in either language: the
    // page asks for the transcript in its own language and gets `dugnad trace --lang`'s text.
    let scenario =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/knitting-cafe.toml");
    let mut texts = Vec::new();
    for lang in ["en", "nb"] {
        let body = json!({
            "design": { "scenario": "knitting-cafe", "overrides": [] },
            "week": 3,
            "lang": lang,
        });
        let (status, v) = post("/api/trace", &body);
        assert_eq!(status, 200, "{v}");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_dugnad"))
            .args(["trace", scenario.to_str().unwrap(), "--week", "3"])
            .args(["--lang", lang])
            .env_remove("DUGNAD_LANG")
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            v["text"].as_str().unwrap().trim_end(),
            text.trim_end(),
            "{lang}: the page's transcript is `dugnad trace`'s"
        );
        let lines: Vec<String> = v["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["text"].as_str().unwrap().to_string())
            .collect();
        // The lines are the text's, one for one (the text adds only blank lines before headings).
        let text_lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            text_lines.len(),
            lines.len(),
            "{lang}: lines and text agree"
        );
        for (t, l) in text_lines.iter().zip(&lines) {
            assert!(t.contains(l.as_str()), "{lang}: {l:?} is not {t:?}");
        }
        texts.push(text);
    }
    assert!(
        texts[0].contains("── The meeting of week 3 ──"),
        "{}",
        texts[0]
    );
    assert!(texts[1].contains("── Møtet i uke 3 ──"), "{}", texts[1]);
    assert_ne!(texts[0], texts[1]);
}

#[test]
fn one_activity_of_a_scenario_runs_alone() {
    let design = |activity: Value| json!({ "scenario": "municipality", "overrides": ["activity.groups=2"], "activity": activity });
    let info: Value = serde_json::from_slice(&get("/api/scenarios").1).unwrap();
    let acts: Vec<String> = info["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "municipality")
        .unwrap()["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["key"].as_str().unwrap().to_string())
        .collect();
    assert!(acts.len() >= 2);
    let (status, v) = compare(
        design(json!(acts[0])),
        design(json!(acts[1])),
        json!({ "replicates": 4, "weeks": 12 }),
    );
    assert_eq!(status, 200, "{v}");
    // Two different activities: their curves differ; the same one twice: identical.
    let (_, same) = compare(
        design(json!(acts[0])),
        design(json!(acts[0])),
        json!({ "replicates": 4, "weeks": 12 }),
    );
    let mean = |v: &Value, w: &str| v["indicators"][3][w]["mean"].clone();
    assert_eq!(mean(&same, "a"), mean(&same, "b"));
    assert_ne!(mean(&v, "a"), mean(&v, "b"));
    let (status, v) = compare(
        design(json!("nonesuch")),
        design(json!(acts[0])),
        json!({ "replicates": 4, "weeks": 12 }),
    );
    assert_eq!(status, 400);
    let msg = v["error"].as_str().unwrap();
    assert!(
        msg.contains("no activity 'nonesuch'") && msg.contains(&acts[0]),
        "{msg}"
    );
    // The replay of one activity: its group 0.
    let (status, v) = post(
        "/api/trace",
        &json!({ "design": design(json!(acts[1])), "week": 2, "weeks": 6 }),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["activity"], json!(acts[1]));
}

/// The words the page shows for a `whom` the server sent, as app.js's `whomWord` makes them:
/// the catalogue's `page.whom_<key>` with the other fields filled in.
fn whom_words(lang: Lang, whom: &Value) -> String {
    let fields = whom.as_object().expect("whom is an object");
    let key = fields["key"].as_str().expect("whom has a key");
    let mut words = lang
        .catalogue()
        .get(&format!("page.whom_{key}"))
        .unwrap_or_else(|| panic!("{lang} has no page.whom_{key}"))
        .clone();
    for (name, value) in fields {
        words = words.replace(&format!("{{{name}}}"), value.as_str().unwrap());
    }
    words
}

#[test]
fn no_chart_names_staff_when_there_are_none() {
    let founders =
        json!({ "replicates": 2, "weeks": 4, "indicators": ["founding_volunteers_retained"] });
    let kc = json!({ "scenario": "knitting-cafe", "overrides": [] });
    let (status, v) = compare(kc.clone(), kc, founders.clone());
    assert_eq!(status, 200, "{v}");
    // Neither design has staff: the volunteers and staff (`all`) are the volunteers alone.
    assert_eq!(v["indicators"][0]["lens"], "all");
    let whom = &v["indicators"][0]["whom"];
    assert_eq!(*whom, json!({ "key": "volunteers" }));
    assert_eq!(whom_words(Lang::En, whom), "volunteers");
    assert_eq!(whom_words(Lang::Nb, whom), "frivillige");
    let cc = json!({ "scenario": "community-centre", "overrides": [] });
    let (status, v) = compare(cc.clone(), cc, founders);
    assert_eq!(status, 200, "{v}");
    let whom = &v["indicators"][0]["whom"];
    assert_eq!(*whom, json!({ "key": "hosts" }));
    assert_eq!(whom_words(Lang::En, whom), "volunteers and staff");
    assert_eq!(whom_words(Lang::Nb, whom), "frivillige og ansatte");
    // An attribute lens: the key and its cell, the cell as data.
    let (status, v) = compare(
        json!({ "scenario": "knitting-cafe", "overrides": ["output.by=[\"gender\"]"] }),
        json!({ "scenario": "knitting-cafe", "overrides": ["output.by=[\"gender\"]"] }),
        json!({ "replicates": 2, "weeks": 4, "indicators": ["mean_agency"], "lens": "newcomers|gender=woman" }),
    );
    assert_eq!(status, 200, "{v}");
    let whom = &v["indicators"][0]["whom"];
    assert_eq!(
        *whom,
        json!({ "key": "newcomers_with", "cell": "gender = woman" })
    );
    assert_eq!(whom_words(Lang::Nb, whom), "nyankomne, gender = woman");
}

#[test]
fn the_charted_indicators_say_whom_by_key() {
    let (status, body, _) = get("/api/scenarios");
    assert_eq!(status, 200);
    let v: Value = serde_json::from_slice(&body).unwrap();
    let charted = v["charted"].as_array().unwrap();
    assert_eq!(charted.len(), serve::charted().len());
    let en = Lang::En.catalogue();
    for c in charted {
        let fields = c.as_object().unwrap();
        let keys: Vec<&str> = fields.keys().map(String::as_str).collect();
        assert_eq!(keys, ["key", "lens", "meaning", "title", "whom"], "{c}");
        // Whom: a key alone (a headline lens has no cell), worded in both catalogues.
        let whom = c["whom"].as_object().unwrap();
        assert_eq!(whom.len(), 1, "{c}");
        let key = whom["key"].as_str().unwrap();
        assert!(
            !key.is_empty() && key.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'),
            "a key, not words: {c}"
        );
        for lang in Lang::ALL {
            assert!(!whom_words(lang, &c["whom"]).is_empty());
        }
        // The key and lens are data; the title and meaning are the catalogue's own English
        // (the page words them by the indicator's key): no English outside the catalogue.
        let name = c["key"].as_str().unwrap();
        assert!(dugnad::metrics::indicator(name).is_some(), "{c}");
        for field in ["title", "meaning"] {
            let text = c[field].as_str().unwrap();
            assert!(
                en.values().any(|s| s == text),
                "{name}.{field} {text:?} is not a catalogue string"
            );
        }
    }
    let whom = |name: &str| {
        charted
            .iter()
            .find(|c| c["key"] == name)
            .map(|c| c["whom"]["key"].clone())
            .unwrap()
    };
    assert_eq!(whom("voice_parity"), "newcomers");
    // Before any design is chosen, the volunteer indicator is about volunteers and staff.
    assert_eq!(whom("founding_volunteers_retained"), "hosts");
}

#[test]
fn every_whom_the_server_can_send_has_words_in_both_catalogues() {
    use dugnad::metrics::INDICATORS;
    // Every lens of every indicator, the scenario-dependent ones by example, and one of no known
    // form (a request may name any lens with `|` or `=`), with and without staff.
    let mut sent = std::collections::BTreeMap::new();
    for i in INDICATORS {
        for lens in i.lenses.names() {
            let lens = match lens {
                "newcomers|<attribute>=<value>" => "newcomers|gender=woman",
                "origin=<label>" => "origin=syria",
                l => l,
            };
            for lens in [lens, "region=north"] {
                for any_staff in [true, false] {
                    let w = serve::whom(i.name, lens, any_staff);
                    sent.insert(w["key"].as_str().unwrap().to_string(), w);
                }
            }
        }
    }
    let keys: Vec<&str> = sent.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "all_participants",
            "hosts",
            "lens",
            "local_participants",
            "newcomers",
            "newcomers_with",
            "origin",
            "staff",
            "volunteers"
        ]
    );
    for (key, whom) in &sent {
        for lang in Lang::ALL {
            let words = whom_words(lang, whom);
            assert!(
                !words.contains('{') && !words.is_empty(),
                "{lang} page.whom_{key} fills every placeholder from {whom}: {words:?}"
            );
        }
        // Each placeholder of the words is a field the server sends.
        let template = Lang::En.tr(&format!("page.whom_{key}")).to_string();
        for field in whom.as_object().unwrap().keys().filter(|f| *f != "key") {
            assert!(template.contains(&format!("{{{field}}}")), "{key}: {field}");
        }
    }
    assert_eq!(whom_words(Lang::Nb, &sent["origin"]), "opprinnelse syria");
}

#[test]
fn the_page_speaks_english_and_norwegian() {
    let (status, body, _) = get("/api/strings?lang=nb");
    assert_eq!(status, 200);
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["lang"], "nb");
    assert_eq!(v["default"], "en", "this test server opens in English");
    assert_eq!(v["strings"]["watch_title"], "Se et møte");
    let codes: Vec<&str> = v["languages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["en", "nb"]);
    let (_, body, _) = get("/api/strings");
    let en: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(en["strings"]["watch_title"], "Watch a meeting");
    let (status, body, _) = get("/api/strings?lang=de");
    assert_eq!(status, 400);
    assert!(String::from_utf8_lossy(&body).contains("en, nb"));
    // Every word index.html asks for (data-t, data-t-title, data-t-aria) is in the catalogue.
    let (_, html, _) = get("/");
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("<html lang=\"en\" data-lang=\"en\">"));
    let page = dugnad::lang::Lang::En.section("page");
    let mut asked = 0;
    for marker in ["data-t=\"", "data-t-title=\"", "data-t-aria=\""] {
        for part in html.split(marker).skip(1) {
            let key = &part[..part.find('"').unwrap()];
            assert!(page.contains_key(key), "index.html asks for page.{key}");
            asked += 1;
        }
    }
    assert!(asked > 40, "{asked}");
    // A server started in Norwegian opens the page in Norwegian.
    let nb = serve::handle_in(dugnad::lang::Lang::Nb, "GET", "/", b"");
    assert!(String::from_utf8(nb.body)
        .unwrap()
        .contains("<html lang=\"nb\""));
    let s = serve::handle_in(dugnad::lang::Lang::Nb, "GET", "/api/strings", b"");
    let v: Value = serde_json::from_slice(&s.body).unwrap();
    assert_eq!(v["lang"], "nb");
}

/// The page's tie network at a week is the run's: for the same scenario, seed, replicate and
/// group, the ties it draws (those of at least the drawing threshold) are the rows of `ties.csv`
/// of that week, type by type — bridging ties included (a newcomer's tie to a local volunteer is
/// `bridging+linking`, not linking only).
#[test]
fn the_tie_network_counts_each_type_as_ties_csv_does() {
    let week = 40;
    let (status, v) = post(
        "/api/trace",
        &json!({ "design": { "scenario": "knitting-cafe", "overrides": [] }, "week": week, "replicate": 0, "group": 0 }),
    );
    assert_eq!(status, 200, "{v}");
    let threshold = v["network"]["threshold"].as_f64().unwrap();
    let mut drawn = std::collections::BTreeMap::<String, usize>::new();
    for e in v["network"]["edges"].as_array().unwrap() {
        *drawn
            .entry(e["kind"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_dugnad"))
        .args([
            "run",
            "scenarios/knitting-cafe.toml",
            "--agents",
            "--replicates",
            "1",
            "-q",
        ])
        .args(["--snapshot-weeks", &week.to_string(), "-o"])
        .arg(&out)
        .env_remove("DUGNAD_LANG")
        .status()
        .unwrap();
    assert!(status.success());
    let csv = std::fs::read_to_string(out.join("ties.csv")).unwrap();
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let (r, w, g, t, s) = (
        col("replicate"),
        col("week"),
        col("group"),
        col("type"),
        col("strength"),
    );
    let mut written = std::collections::BTreeMap::<String, usize>::new();
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        let strength: f64 = f[s].parse().unwrap();
        if f[r] == "0" && f[w] == week.to_string() && f[g] == "0" && strength >= threshold {
            *written.entry(f[t].to_string()).or_default() += 1;
        }
    }
    assert!(!written.is_empty(), "the café has ties in week {week}");
    assert_eq!(drawn, written, "the page's ties by type vs ties.csv");
    assert!(
        drawn.get("bridging+linking").copied().unwrap_or(0) > 0,
        "a café's newcomer–volunteer ties are bridging (and linking): {drawn:?}"
    );
}

/// The page asks in its language, and the server refuses in it: the limits of the classroom
/// server in bokmål with `"lang": "nb"`, in English without; an unknown language is refused.
#[test]
fn refusals_come_in_the_language_of_the_page() {
    let ok = json!({ "scenario": "knitting-cafe" });
    for (extra, en, nb) in [
        (json!({ "replicates": 201 }), "at most 200", "høyst 200"),
        (json!({ "weeks": 261 }), "at most 260", "høyst 260"),
    ] {
        let (status, v) = compare(ok.clone(), ok.clone(), extra.clone());
        assert_eq!(status, 400, "{v}");
        assert!(v["error"].as_str().unwrap().contains(en), "{v}");
        let mut with_nb = extra.clone();
        with_nb["lang"] = json!("nb");
        let (status, v) = compare(ok.clone(), ok.clone(), with_nb);
        assert_eq!(status, 400, "{v}");
        let m = v["error"].as_str().unwrap();
        assert!(m.contains(nb) && m.contains("klasseromsserveren"), "{v}");
    }
    let (status, v) = post(
        "/api/trace",
        &json!({ "design": { "scenario": "knitting-cafe", "overrides": ["scenario.weeks=300"] }, "week": 290, "lang": "nb" }),
    );
    assert_eq!(status, 400, "{v}");
    assert!(v["error"].as_str().unwrap().contains("høyst 260"), "{v}");
    let (status, v) = compare(ok.clone(), ok, json!({ "lang": "de" }));
    assert_eq!(status, 400, "{v}");
    assert!(
        v["error"].as_str().unwrap().contains("unknown language"),
        "{v}"
    );
}
