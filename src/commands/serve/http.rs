//! The HTTP side of `kientruc serve`: a fixed table of routes (the page and its two assets,
//! embedded in the binary, and the JSON API), GET and HEAD only, every other path 404. No route
//! reads a file: a URL path is matched as a string, never joined to a folder. Requests whose
//! Host header names another address are refused (421), so a page of another site cannot reach
//! the server through a DNS name rebound to 127.0.0.1.

use super::{Live, api};
use kientruc_dsl::metamodel::Language;
use std::fmt::Write as _;
use std::io::Write as _;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response};

const PAGE: &str = include_str!("assets/index.html");
const SCRIPT: &str = include_str!("assets/app.js");
const STYLE: &str = include_str!("assets/app.css");

/// The page loads its script, style and data from this server only, runs no inline script and
/// cannot be framed.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// How often an idle event stream sends a comment, so that a closed page is noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The Host header values the server answers: the address and port it listens on and, on
/// loopback, the loopback names (`127.0.0.1`, `localhost`, `[::1]`).
pub fn allowed_hosts(host_name: &str, port: u16, loopback: bool) -> Vec<String> {
    let bare = host_name.trim_start_matches('[').trim_end_matches(']');
    let mut hosts = vec![if bare.contains(':') {
        format!("[{bare}]:{port}")
    } else {
        format!("{bare}:{port}")
    }];
    if loopback {
        for name in ["127.0.0.1", "localhost", "[::1]"] {
            hosts.push(format!("{name}:{port}"));
        }
    }
    for host in &mut hosts {
        host.make_ascii_lowercase();
    }
    hosts.sort();
    hosts.dedup();
    hosts
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

/// The headers of every response.
fn common_headers() -> Vec<Header> {
    vec![
        header("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        header("X-Content-Type-Options", "nosniff"),
        header("Referrer-Policy", "no-referrer"),
        header("X-Frame-Options", "DENY"),
        header("Cross-Origin-Resource-Policy", "same-origin"),
    ]
}

fn respond(request: Request, status: u16, content_type: &str, cache: &str, body: String) {
    let mut response = Response::from_string(body).with_status_code(status);
    for common in common_headers() {
        response.add_header(common);
    }
    response.add_header(header("Content-Type", content_type));
    response.add_header(header("Cache-Control", cache));
    if status == 405 {
        response.add_header(header("Allow", "GET, HEAD"));
    }
    if let Err(error) = request.respond(response) {
        tracing::debug!("cannot answer a request: {error}");
    }
}

fn text(request: Request, status: u16, message: &str) {
    respond(
        request,
        status,
        "text/plain; charset=utf-8",
        "no-store",
        format!("{message}\n"),
    );
}

fn json(request: Request, status: u16, value: &serde_json::Value) {
    respond(
        request,
        status,
        "application/json; charset=utf-8",
        "no-store",
        value.to_string(),
    );
}

/// Answers one request.
pub fn handle(request: Request, live: &Live, allowed_hosts: &[String]) {
    let host = request
        .headers()
        .iter()
        .find(|header| header.field.equiv("Host"))
        .map(|header| header.value.as_str().to_ascii_lowercase());
    if !host.is_some_and(|host| allowed_hosts.contains(&host)) {
        text(
            request,
            421,
            "misdirected request: the Host header does not name this server's address",
        );
        return;
    }
    // A page of another origin that reaches this address (its script's requests carry its
    // Origin) is refused too, although the browser would not let it read the answer.
    let origin = request
        .headers()
        .iter()
        .find(|header| header.field.equiv("Origin"))
        .map(|header| header.value.as_str().to_ascii_lowercase());
    if let Some(origin) = origin
        && !origin
            .strip_prefix("http://")
            .is_some_and(|host| allowed_hosts.iter().any(|allowed| allowed == host))
    {
        text(
            request,
            403,
            "forbidden: a page of another origin may not read this server",
        );
        return;
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        text(request, 405, "method not allowed: this server only reads");
        return;
    }
    let url = request.url().to_owned();
    let (path, query) = url.split_once('?').unwrap_or((url.as_str(), ""));
    let language = query_language(query).unwrap_or(live.language);
    match path {
        "/" | "/index.html" => respond(
            request,
            200,
            "text/html; charset=utf-8",
            "no-cache",
            PAGE.to_owned(),
        ),
        "/app.js" => respond(
            request,
            200,
            "text/javascript; charset=utf-8",
            "no-cache",
            SCRIPT.to_owned(),
        ),
        "/app.css" => respond(
            request,
            200,
            "text/css; charset=utf-8",
            "no-cache",
            STYLE.to_owned(),
        ),
        "/api/views" => json(request, 200, &api::views(&live.current(), language)),
        "/api/elements" => json(request, 200, &api::elements(&live.current())),
        "/api/events" => events(request, live),
        _ => {
            let named = |prefix: &str| {
                path.strip_prefix(prefix)
                    .and_then(percent_decode)
                    .filter(|id| !id.is_empty())
            };
            if let Some(id) = named("/api/view/") {
                match api::view(&live.current(), language, &id) {
                    Some(value) => json(request, 200, &value),
                    None => json(
                        request,
                        404,
                        &serde_json::json!({ "error": "no such view", "id": id }),
                    ),
                }
            } else if let Some(id) = named("/api/element/") {
                match api::element(&live.current(), language, &id) {
                    Some(value) => json(request, 200, &value),
                    None => json(
                        request,
                        404,
                        &serde_json::json!({ "error": "no such element", "id": id }),
                    ),
                }
            } else {
                text(request, 404, "not found");
            }
        }
    }
}

/// `lang=vi` or `lang=en` in a query string.
fn query_language(query: &str) -> Option<Language> {
    query.split('&').find_map(|pair| match pair {
        "lang=vi" => Some(Language::Vi),
        "lang=en" => Some(Language::En),
        _ => None,
    })
}

/// A percent-encoded path segment as text; `None` when it is not UTF-8 or holds a `/`.
fn percent_decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = segment.get(index + 1..index + 3)?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    let text = String::from_utf8(decoded).ok()?;
    (!text.contains('/')).then_some(text)
}

/// `/api/events`: a server-sent event stream that says `analysis` with the new version (and the
/// server's instance) each time
/// the workspace is analysed again, and a comment every [`KEEP_ALIVE`] otherwise. Written by hand
/// on the connection (chunked), flushed after each event: the library's response body is
/// buffered.
fn events(request: Request, live: &Live) {
    let head_only = *request.method() == Method::Head;
    let receiver = live.listen();
    let version = live.current().version;
    let mut writer = request.into_writer();
    let mut head = String::from(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\n",
    );
    for common in common_headers() {
        let _ = write!(head, "{}: {}\r\n", common.field, common.value);
    }
    if head_only {
        head.push_str("\r\n");
        let _ = writer
            .write_all(head.as_bytes())
            .and_then(|()| writer.flush());
        return;
    }
    head.push_str("Transfer-Encoding: chunked\r\n\r\n");
    if writer.write_all(head.as_bytes()).is_err() {
        return;
    }
    let mut send = |event: &str| -> std::io::Result<()> {
        write!(writer, "{:x}\r\n{event}\r\n", event.len())?;
        writer.flush()
    };
    let analysis_event = |version: u64| {
        format!(
            "event: analysis\ndata: {{\"version\":{version},\"instance\":\"{}\"}}\n\n",
            live.instance
        )
    };
    // The version the page should be showing now: a page that loaded before an analysis it
    // missed fetches again at once.
    if send(&analysis_event(version)).is_err() {
        return;
    }
    loop {
        let event = match receiver.recv_timeout(KEEP_ALIVE) {
            Ok(version) => analysis_event(version),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_owned(),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if send(&event).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{allowed_hosts, percent_decode, query_language};
    use kientruc_dsl::metamodel::Language;

    #[test]
    fn hosts_of_loopback_and_of_another_address() {
        assert_eq!(
            allowed_hosts("127.0.0.1", 4870, true),
            ["127.0.0.1:4870", "[::1]:4870", "localhost:4870"]
        );
        assert_eq!(
            allowed_hosts("192.168.1.20", 80, false),
            ["192.168.1.20:80"]
        );
        assert_eq!(allowed_hosts("::1", 9, true)[0], "127.0.0.1:9");
        assert!(allowed_hosts("::1", 9, true).contains(&"[::1]:9".to_owned()));
    }

    #[test]
    fn path_segments_decode() {
        assert_eq!(
            percent_decode("neighbourhood%3Ahanoi.lgsp").as_deref(),
            Some("neighbourhood:hanoi.lgsp")
        );
        assert_eq!(percent_decode("a%2Fb"), None);
        assert_eq!(percent_decode("%ff"), None);
        assert_eq!(percent_decode("%4"), None);
        assert_eq!(query_language("x=1&lang=en"), Some(Language::En));
        assert_eq!(query_language("lang=fr"), None);
    }
}
