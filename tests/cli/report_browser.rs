//! The HTML report in a real browser (headless Chromium, `/usr/bin/chromium`, installed by
//! `.ci/run`): the Hanoi report shows its headings and both SVG diagrams and makes no network
//! request; the injection model's report executes no script, even with its
//! Content-Security-Policy removed (so escaping, not only the policy, is what is tested).
//! Screenshots are kept under `target/tmp/report-browser/`.
//!
//! Outside CI a machine without Chromium skips this test with a warning; in CI (`CI` set) a
//! missing browser fails it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{CHROMIUM, chromium_available, fresh_folder, kientruc};

fn write_report(model: &str, out: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = kientruc()
        .args([
            "report",
            model,
            "--format",
            "html",
            "--today",
            "2025-07-01",
            "--out",
        ])
        .arg(out)
        .current_dir(root)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "kientruc report {model}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    out.join("report.html")
}

/// Runs headless Chromium on a file with a fresh profile and a network log.
fn chromium(folder: &Path, run: &str, page: &Path, extra: &[String]) -> (Output, PathBuf) {
    chromium_url(folder, run, &format!("file://{}", page.display()), extra)
}

/// Runs headless Chromium on an address (a file with a fragment, `file:///…/report.html#en`).
fn chromium_url(folder: &Path, run: &str, url: &str, extra: &[String]) -> (Output, PathBuf) {
    let profile = folder.join(format!("{run}-profile"));
    let net_log = folder.join(format!("{run}-netlog.json"));
    let output = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--disable-default-apps",
            "--disable-extensions",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--timeout=30000",
            // Chromium's own services (updates, accounts, time) are not the page, but nothing
            // may leave the machine: every host name fails to resolve.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--disable-features=NetworkTimeServiceQuerying,MediaRouter,OptimizationHints,AutofillServerCommunication",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--log-net-log={}", net_log.display()))
        .args(extra)
        .arg(url)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (output, net_log)
}

/// The URLs the page asked the network for: requests whose network isolation key is the file's
/// (Chromium's own background requests carry another key). `file://` loads themselves do not go
/// through the network stack.
fn page_requests(net_log: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(net_log).expect("chromium wrote its network log");
    // The log may be cut short when the browser exits; close it if needed.
    let log: serde_json::Value = serde_json::from_str(&text)
        .or_else(|_| serde_json::from_str(&format!("{}]}}", text.trim_end().trim_end_matches(','))))
        .expect("the network log is JSON");
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].clone();
    log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|event| event["type"] == start_job)
        .filter(|event| {
            event["params"]["network_isolation_key"]
                .as_str()
                .is_some_and(|key| key.starts_with("file://"))
        })
        .filter_map(|event| event["params"]["url"].as_str().map(str::to_owned))
        .collect()
}

fn assert_no_network(net_log: &Path) {
    let requests = page_requests(net_log);
    for url in &requests {
        assert!(
            url.starts_with("file://") || url.starts_with("data:"),
            "the report made a network request: {url}"
        );
    }
}

fn dump_dom(folder: &Path, run: &str, page: &Path) -> (String, String) {
    let (output, net_log) = chromium(folder, run, page, &["--dump-dom".to_owned()]);
    assert_no_network(&net_log);
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn title(dom: &str) -> &str {
    let start = dom.find("<title>").expect("a title") + "<title>".len();
    let end = dom[start..].find("</title>").unwrap();
    &dom[start..start + end]
}

#[test]
fn the_network_check_sees_a_page_request() {
    if !chromium_available() {
        return;
    }
    // Control: a page that loads an image from the network is caught (host names do not
    // resolve, so nothing leaves the machine).
    let folder = fresh_folder("report-browser", "control");
    let page = folder.join("control.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><title>control</title><img src=\"http://probe.invalid/x.png\">",
    )
    .unwrap();
    let (_, net_log) = chromium(&folder, "control", &page, &["--dump-dom".to_owned()]);
    assert_eq!(
        page_requests(&net_log),
        vec!["http://probe.invalid/x.png".to_owned()]
    );
}

#[test]
fn hanoi_report_renders_headings_and_diagrams_without_network() {
    if !chromium_available() {
        return;
    }
    let folder = fresh_folder("report-browser", "hanoi");
    let page = write_report("architecture/hanoi", &folder);
    let (dom, _) = dump_dom(&folder, "dom", &page);
    assert!(title(&dom).starts_with(
        "Báo cáo tuân thủ kiến trúc — Kiến trúc Chính quyền điện tử thành phố Hà Nội"
    ));
    // Both languages are in the page, each with its sections (ids prefixed by the language).
    for (language, headings) in [
        (
            "vi",
            [
                "Tổng quan",
                "Bảng điểm theo mô hình tham chiếu",
                "Sơ đồ",
                "Phát hiện chưa xử lý (",
                "Phát hiện đã chấp nhận và miễn trừ",
                "Chỉ mục theo phần tử",
                "Lộ trình",
                "Quy tắc đã kiểm tra",
            ],
        ),
        (
            "en",
            [
                "Summary",
                "Scorecard by reference model",
                "Diagrams",
                "Open findings (",
                "Accepted and waived findings",
                "Index by element",
                "Roadmap",
                "Rules checked",
            ],
        ),
    ] {
        assert!(dom.contains(&format!(
            "<div class=\"doc doc-{language}\" id=\"{language}\""
        )));
        for (section, heading) in [
            "summary",
            "scorecard",
            "diagrams",
            "findings",
            "accepted",
            "elements",
            "roadmap",
            "rules",
        ]
        .iter()
        .zip(headings)
        {
            let opening = format!("<h2 id=\"{language}-{section}-title\">{heading}");
            assert!(dom.contains(&opening), "missing heading {opening}");
        }
    }
    // Both diagrams are in the DOM as SVG, with boxes and edges.
    for diagram in ["vi-overview-svg", "vi-integration-svg"] {
        let start = dom
            .find(&format!("id=\"{diagram}\""))
            .unwrap_or_else(|| panic!("{diagram} missing"));
        let end = start + dom[start..].find("</svg>").unwrap();
        let svg = &dom[start..end];
        assert!(svg.matches("<rect").count() > 10, "{diagram} has its boxes");
        assert!(svg.contains("class=\"edge"), "{diagram} has its edges");
    }
    for section in ["BRM", "DRM", "ARM", "TRM", "SRM", "GOV"] {
        assert!(
            dom.contains(&format!("<h3 id=\"vi-rm-{section}\">")),
            "findings of {section}"
        );
    }
    // A screenshot for people to look at; a blank page would be a few kilobytes.
    let screenshot = folder.join("hanoi.png");
    chromium(
        &folder,
        "shot",
        &page,
        &[
            format!("--screenshot={}", screenshot.display()),
            "--window-size=1280,3000".to_owned(),
        ],
    );
    let size = std::fs::metadata(&screenshot).unwrap().len();
    assert!(
        size > 100_000,
        "the screenshot shows the report ({size} bytes)"
    );
}

#[test]
fn injection_model_executes_no_script() {
    if !chromium_available() {
        return;
    }
    let folder = fresh_folder("report-browser", "injection");
    let page = write_report("reports/tests/fixtures/injection", &folder);
    // Without the Content-Security-Policy too: escaping alone must keep the payloads inert.
    let html = std::fs::read_to_string(&page).unwrap();
    let policy_start = html
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .unwrap();
    let policy_end = policy_start + html[policy_start..].find('>').unwrap() + 1;
    let unprotected = folder.join("report-without-csp.html");
    std::fs::write(
        &unprotected,
        format!("{}{}", &html[..policy_start], &html[policy_end..]),
    )
    .unwrap();
    for (run, file) in [("with-csp", &page), ("without-csp", &unprotected)] {
        let (dom, log) = dump_dom(&folder, run, file);
        assert!(
            title(&dom).starts_with("Báo cáo tuân thủ kiến trúc — Kiến trúc &lt;script&gt;"),
            "{run}: the probe changed the title: {}",
            title(&dom)
        );
        assert!(
            !log.contains("CONSOLE"),
            "{run}: the page logged to the console: {log}"
        );
        for tag in ["<script", "<img", "<iframe", "<svg onload", "<b>"] {
            assert!(!dom.contains(tag), "{run}: injected {tag} became markup");
        }
        assert!(
            !dom.contains("href=\"javascript"),
            "{run}: a javascript: link"
        );
        assert!(
            dom.contains("&lt;script&gt;document.title="),
            "{run}: the text is shown"
        );
    }
    let screenshot = folder.join("injection.png");
    chromium(
        &folder,
        "shot",
        &unprotected,
        &[
            format!("--screenshot={}", screenshot.display()),
            "--window-size=1280,2000".to_owned(),
        ],
    );
    assert!(screenshot.exists());
}

/// Whether `pdftotext` (poppler-utils) is installed: the print test reads the PDF's text with it.
/// Like Chromium: skipped with a warning outside CI, a failure in CI.
fn pdftotext_available() -> bool {
    if Command::new("pdftotext").arg("-v").output().is_ok() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "pdftotext is missing: .ci/run installs it with `apt-get install -y poppler-utils`"
    );
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        b"\nwarning: pdftotext is missing, so the print test is SKIPPED (apt-get install -y poppler-utils)\n\n",
    );
    false
}

/// The pages of a PDF Chromium printed (its page objects; `/Type /Pages` is the tree's root).
fn pdf_pages(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1)
        .filter(|window| window.starts_with(needle) && window[needle.len()] != b's')
        .count()
}

/// Printed to A4 by Chromium, Hanoi's report (every finding accepted by its signed baseline, so
/// folded by rule) fits in 40 pages in each language; the language switch works without a
/// script: `report.html` prints the Vietnamese document, `report.html#en` the English one, each
/// without the other's headings.
#[test]
fn hanoi_report_prints_in_at_most_40_a4_pages_in_each_language() {
    if !chromium_available() || !pdftotext_available() {
        return;
    }
    let folder = fresh_folder("report-browser", "print");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = kientruc()
        .args([
            "report",
            "architecture/hanoi",
            "--format",
            "html",
            "--today",
            "2025-07-01",
            "--baseline",
            "architecture/hanoi/.kientruc-baseline.json",
            "--out",
        ])
        .arg(&folder)
        .current_dir(root)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let page = folder.join("report.html");
    for (language, fragment, own, other) in [
        (
            "vi",
            "",
            "Phát hiện đã chấp nhận và miễn trừ",
            "Accepted and waived findings",
        ),
        (
            "en",
            "#en",
            "Accepted and waived findings",
            "Phát hiện đã chấp nhận và miễn trừ",
        ),
    ] {
        let pdf = folder.join(format!("report-{language}.pdf"));
        let (_, net_log) = chromium_url(
            &folder,
            &format!("print-{language}"),
            &format!("file://{}{fragment}", page.display()),
            &[
                format!("--print-to-pdf={}", pdf.display()),
                "--no-pdf-header-footer".to_owned(),
            ],
        );
        assert_no_network(&net_log);
        let bytes = std::fs::read(&pdf).unwrap();
        let pages = pdf_pages(&bytes);
        eprintln!("Hanoi's report prints in {pages} A4 pages ({language})");
        assert!((3..=40).contains(&pages), "{language}: {pages} pages");
        let text = Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(text.contains(own), "{language}: `{own}` is printed");
        assert!(
            !text.contains(other),
            "{language}: `{other}` is not printed"
        );
        // Folded: the accepted findings' messages are not printed, their rules' summaries are.
        assert!(!text.contains("chưa có mã trong mô hình tham chiếu ứng dụng (arm_code)"));
        assert!(!text.contains("has no application reference model code (arm_code)"));
    }
}
