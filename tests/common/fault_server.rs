//! A fault-injecting HTTP/1.1 server on loopback for the transport tests: it reads each request (head and
//! `Content-Length` body), asks its script how to answer, and misbehaves as told — silence, a trickle, a close or
//! a reset in the middle of a response, a body without end — while counting the connections and requests it saw.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// Its place among all the requests the server read, from 0.
    pub index: usize,
    /// Its connection, numbered from 0 in the order the server accepted them.
    pub connection: usize,
    /// Its place among the requests read on its connection, from 0.
    pub on_connection: usize,
    /// The request line and headers.
    pub head: String,
    /// The body.
    pub body: Vec<u8>,
}

impl Seen {
    /// The body as text (lossy).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One step of an answer. After the last step of a list, the connection waits for its next request, unless that
/// step ended it (`Hang`, `Close`, `Reset`, `Endless`).
#[derive(Debug, Clone)]
pub enum Step {
    /// Writes these bytes.
    Write(Vec<u8>),
    /// Waits this long.
    Sleep(Duration),
    /// Writes these bytes one at a time, waiting this long before each.
    Trickle(Vec<u8>, Duration),
    /// Writes these bytes again and again until the client goes away.
    Endless(Vec<u8>),
    /// Says nothing more and keeps the connection open until the client closes it.
    Hang,
    /// Closes the connection (FIN).
    Close,
    /// Resets the connection (RST: zero linger, then close).
    Reset,
}

type Script = dyn Fn(&Seen) -> Vec<Step> + Send + Sync;

struct State {
    script: Box<Script>,
    connections: AtomicUsize,
    requests: Mutex<Vec<Seen>>,
}

/// The server; it stops accepting when dropped.
pub struct FaultServer {
    addr: SocketAddr,
    state: Arc<State>,
    accept: JoinHandle<()>,
}

impl FaultServer {
    /// Starts a server on `127.0.0.1:0` that answers each request with the steps `script` returns for it.
    pub async fn start(script: impl Fn(&Seen) -> Vec<Step> + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State {
            script: Box::new(script),
            connections: AtomicUsize::new(0),
            requests: Mutex::new(Vec::new()),
        });
        let accepting = state.clone();
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let connection = accepting.connections.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(accepting.clone(), stream, connection));
            }
        });
        Self { addr, state, accept }
    }

    /// A server that answers every request with the same steps.
    pub async fn always(steps: Vec<Step>) -> Self {
        Self::start(move |_| steps.clone()).await
    }

    /// `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many connections it accepted.
    pub fn connections(&self) -> usize {
        self.state.connections.load(Ordering::SeqCst)
    }

    /// How many requests it read in full.
    pub fn request_count(&self) -> usize {
        self.state.requests.lock().unwrap().len()
    }

    /// The requests it read, in order.
    pub fn requests(&self) -> Vec<Seen> {
        self.state.requests.lock().unwrap().clone()
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

async fn serve(state: Arc<State>, mut stream: TcpStream, connection: usize) {
    let mut buffer = Vec::new();
    for on_connection in 0.. {
        let Some((head, body)) = read_request(&mut stream, &mut buffer).await else { return };
        let seen = {
            let mut requests = state.requests.lock().unwrap();
            let seen = Seen { index: requests.len(), connection, on_connection, head, body };
            requests.push(seen.clone());
            seen
        };
        for step in (state.script)(&seen) {
            match step {
                Step::Write(bytes) => {
                    if write(&mut stream, &bytes).await.is_err() {
                        return;
                    }
                }
                Step::Sleep(wait) => tokio::time::sleep(wait).await,
                Step::Trickle(bytes, every) => {
                    for byte in bytes {
                        tokio::time::sleep(every).await;
                        if write(&mut stream, &[byte]).await.is_err() {
                            return;
                        }
                    }
                }
                Step::Endless(bytes) => {
                    while write(&mut stream, &bytes).await.is_ok() {}
                    return;
                }
                Step::Hang => {
                    // Reads (and drops) whatever comes until the client closes the connection.
                    let mut sink = [0u8; 1024];
                    while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
                    return;
                }
                Step::Close => {
                    let _ = stream.shutdown().await;
                    return;
                }
                Step::Reset => {
                    let _ = stream.set_zero_linger();
                    return;
                }
            }
        }
    }
}

async fn write(stream: &mut TcpStream, bytes: &[u8]) -> std::io::Result<()> {
    stream.write_all(bytes).await?;
    stream.flush().await
}

/// Reads one request: its head up to the blank line, then `Content-Length` bytes of body. `None` when the client
/// closes the connection first.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<(String, Vec<u8>)> {
    let head_end = loop {
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        fill(stream, buffer).await?;
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let length = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .map_or(0, |(_, value)| value.trim().parse::<usize>().expect("a numeric Content-Length"));
    while buffer.len() < head_end + length {
        fill(stream, buffer).await?;
    }
    let body = buffer[head_end..head_end + length].to_vec();
    buffer.drain(..head_end + length);
    Some((head, body))
}

async fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 4096];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => None,
        Ok(n) => {
            buffer.extend_from_slice(&chunk[..n]);
            Some(())
        }
    }
}

/// A status line and headers, ending with the blank line; no `Content-Length` is added.
pub fn head(status: u16, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.into_bytes()
}

/// A whole response with `Content-Length`.
pub fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let length = body.len().to_string();
    let mut all: Vec<(&str, &str)> = headers.to_vec();
    all.push(("Content-Length", &length));
    let mut out = head(status, &all);
    out.extend_from_slice(body);
    out
}

/// A 200 JSON response with `Content-Length`, the connection kept alive.
pub fn json(body: &str) -> Vec<u8> {
    response(200, &[("Content-Type", "application/json")], body.as_bytes())
}

/// One chunk of a `Transfer-Encoding: chunked` body.
pub fn chunk(data: &[u8]) -> Vec<u8> {
    let mut out = format!("{:x}\r\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    out
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
