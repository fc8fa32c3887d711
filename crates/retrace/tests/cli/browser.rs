//! `retrace serve` in a real browser: headless Chromium driven through chromedriver (WebDriver,
//! thirtyfour). Loads the story list, opens a story, opens a pair, finds the highlighted altered
//! quotation, submits the check form; on a desktop and on a phone-sized window. A screenshot of
//! each page goes to `target/screenshots/` for review.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Without them the
//! test says so and passes, unless `RETRACE_REQUIRE_BROWSER` is set (as in CI), when it fails.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use thirtyfour::prelude::*;

use crate::{demo, serve_demo};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A child process killed when dropped.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn pages_work_in_a_real_browser() {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        assert!(
            std::env::var_os("RETRACE_REQUIRE_BROWSER").is_none(),
            "RETRACE_REQUIRE_BROWSER is set but {CHROMIUM} or {CHROMEDRIVER} is missing \
             (apt-get install chromium chromium-driver)"
        );
        eprintln!(
            "skipped: no {CHROMIUM} or {CHROMEDRIVER} (apt-get install chromium chromium-driver)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = serve_demo(
        dir.path(),
        &[
            "original.txt",
            "copy.html",
            "excerpt.txt",
            "rewrite.txt",
            "unrelated.txt",
        ],
        &[],
    );
    let base = server.base.clone();
    let port = free_port();
    let _driver = Killed(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut caps = DesiredCapabilities::chrome();
        caps.set_binary(CHROMIUM).unwrap();
        for arg in [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
        ] {
            caps.add_arg(arg).unwrap();
        }
        // chromedriver takes a moment to listen.
        let mut driver = None;
        for _ in 0..50 {
            match WebDriver::new(format!("http://127.0.0.1:{port}"), caps.clone()).await {
                Ok(d) => {
                    driver = Some(d);
                    break;
                }
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(200)).await,
            }
        }
        let driver = driver.expect("chromedriver answers");
        let result = walk(&driver, &base).await;
        let _ = driver.quit().await;
        result.unwrap();
    });
}

/// The walk through the pages, at desktop and at phone width.
async fn walk(driver: &WebDriver, base: &str) -> WebDriverResult<()> {
    let shots = screenshots();
    for (device, width, height) in [("desktop", 1280, 1000), ("phone", 390, 844)] {
        driver.set_window_rect(0, 0, width, height).await?;
        // The story list: one story (the demo corpus), linked.
        driver.goto(format!("{base}/")).await?;
        assert!(driver.title().await?.starts_with("Stories"));
        driver
            .screenshot(&shots.join(format!("{device}-1-stories.png")))
            .await?;
        let story = driver.find(By::Css("tbody a[href^='/stories/']")).await?;
        story.click().await?;
        // The story: members and who took from whom, each pair linked.
        let heading = driver.find(By::Tag("h1")).await?.text().await?;
        assert!(!heading.is_empty());
        assert!(driver.current_url().await?.path().starts_with("/stories/"));
        driver
            .screenshot(&shots.join(format!("{device}-2-story.png")))
            .await?;
        // The pair of the rewrite: the altered quotation is marked, with its explanation.
        let links = driver.find_all(By::Css("a[href^='/pairs/']")).await?;
        assert!(!links.is_empty());
        let mut found = false;
        for n in 0..links.len() {
            let links = driver.find_all(By::Css("a[href^='/pairs/']")).await?;
            links[n].click().await?;
            let marks = driver.find_all(By::Css("mark.k-quote_altered")).await?;
            if let Some(mark) = marks.first() {
                mark.scroll_into_view().await?;
                assert!(mark.is_displayed().await?);
                let title = mark.attr("title").await?.unwrap_or_default();
                assert!(
                    title.contains("quot"),
                    "the mark explains itself: {title:?}"
                );
                driver
                    .screenshot(&shots.join(format!("{device}-3-pair.png")))
                    .await?;
                found = true;
                break;
            }
            driver.back().await?;
        }
        assert!(found, "no pair page marks an altered quotation");
        // The check form, submitted with the rewrite: its source is found.
        driver.goto(format!("{base}/check")).await?;
        let rewrite = std::fs::read_to_string(demo("rewrite.txt")).unwrap();
        let text = driver.find(By::Id("text")).await?;
        driver
            .execute(
                "arguments[0].value = arguments[1];",
                vec![text.to_json()?, serde_json::json!(rewrite)],
            )
            .await?;
        driver
            .screenshot(&shots.join(format!("{device}-4-check.png")))
            .await?;
        driver
            .find(By::Css("form button[type=submit]"))
            .await?
            .click()
            .await?;
        // The answer is a new page: wait for it (the check compares against the index, which
        // takes a moment on a loaded machine), rather than looking on the form page.
        let matches = driver
            .query(By::Id("matches"))
            .wait(
                std::time::Duration::from_secs(30),
                std::time::Duration::from_millis(200),
            )
            .first()
            .await?;
        assert!(matches.text().await?.contains("rewrite"));
        driver
            .screenshot(&shots.join(format!("{device}-5-checked.png")))
            .await?;
    }
    Ok(())
}
