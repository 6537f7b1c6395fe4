//! Memory that requests leave behind: nothing is kept from one request to the next (alone in its test binary, so
//! that the resident memory it measures is its own).

mod common;

use authing_emulator::Emulator;
use common::*;
use serde_json::json;

/// VmRSS (resident memory now) of this process, in KiB.
#[cfg(target_os = "linux")]
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[tokio::test]
async fn distinct_large_documents_leave_nothing_behind() {
    let emu = Emulator::start().await.unwrap();
    // Warm up: the first requests allocate what every later one reuses.
    for _ in 0..3 {
        gql_raw(&emu, json!({ "query": "{ __typename }" }).to_string(), None).await;
    }
    #[cfg(target_os = "linux")]
    let before = rss_kib();
    for i in 0..40 {
        // A distinct document just under the 64 KiB limit that parses, validates and is refused (no token)...
        let padding: String = (0..5000).map(|j| format!("f{i}x{j}: __typename ")).collect::<String>();
        let padding = &padding[..60_000 - 200];
        let padding = &padding[..padding.rfind(' ').unwrap()];
        let query = format!("{{ users {{ totalCount }} }} # {i} {padding}");
        let (status, res) = gql_raw(&emu, json!({ "query": query }).to_string(), None).await;
        assert_eq!(status, 200);
        assert_code(&res, 2020);
        // ...and a distinct body of 900 KB, its variables unused.
        let body = json!({ "query": format!("{{ __typename }} # {i}"), "variables": { "pad": "y".repeat(900_000) } });
        let (_, res) = gql_raw(&emu, body.to_string(), None).await;
        assert_eq!(res["data"]["__typename"], "Query", "{res}");
    }
    #[cfg(target_os = "linux")]
    {
        // A cache of the documents, or of the bodies, would keep 2.4 MB or 36 MB of them.
        let grown = rss_kib().saturating_sub(before);
        assert!(grown < 16 << 10, "resident memory grew by {grown} KiB after 40 distinct documents");
    }
}
