//! Starts a server on a fresh SQLite demo database, a chromedriver, and a phone-sized Chromium
//! session; everything stops when the `Journey` is dropped. Elements are found by `data-test`.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

pub const DEMO_PASSWORD: &str = "demo12345";
const WAIT: Duration = Duration::from_secs(20);

pub struct Journey {
    pub browser: Client,
    pub base: String,
    _server: Child,
    _driver: Child,
    _dir: tempfile::TempDir,
}

fn workspace() -> PathBuf {
    // Cargo sets it when running tests too; the run-time value stays right when a cached test
    // binary was built from a checkout in another directory.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned());
    PathBuf::from(manifest).join("..")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn wait_for_port(port: u16, what: &str) {
    let deadline = Instant::now() + WAIT;
    while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        assert!(Instant::now() < deadline, "{what} did not start listening on port {port}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn require(path: PathBuf, hint: &str) -> PathBuf {
    assert!(path.exists(), "{} is missing: {hint}", path.display());
    path
}

impl Journey {
    pub async fn start() -> Journey {
        let root = workspace();
        let target = std::env::var("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|_| root.join("target"));
        let bin = std::env::var("SODOAN_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|_| require(target.join("debug/sodoan"), "run `cargo build` (scripts/test does)"));
        require(root.join("frontend/dist/index.html"), "run scripts/build-frontend (scripts/test does)");
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());

        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let server = Command::new(&bin)
            .env("DATABASE_URL", format!("sqlite://{}", dir.path().join("e2e.db").display()))
            .env("BIND_ADDR", format!("127.0.0.1:{port}"))
            .env("SODOAN_DEMO", "1")
            .env("JWT_SECRET", "e2e-secret-e2e-secret-e2e-secret-e2e")
            .env("SODOAN_SPA_DIR", root.join("frontend/dist"))
            .env("RUST_LOG", "warn")
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let driver_port = free_port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {chromedriver} (apt-get install chromium-driver): {e}"));
        wait_for_port(port, "sodoan").await;
        wait_for_port(driver_port, "chromedriver").await;

        let profile = dir.path().join("chromium-profile");
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--window-size=360,740", "--lang=vi", format!("--user-data-dir={}", profile.display())],
                // A desktop window is never narrower than 500 px: emulate the phone's viewport itself.
                "mobileEmulation": { "deviceMetrics": { "width": 360, "height": 740, "pixelRatio": 2.0 } }
            }
        });
        let browser = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps.as_object().unwrap().clone())
            .connect(&format!("http://127.0.0.1:{driver_port}"))
            .await
            .expect("a Chromium session");
        Journey { browser, base: format!("http://127.0.0.1:{port}"), _server: server, _driver: driver, _dir: dir }
    }

    pub async fn open(&self, path: &str) {
        self.browser.goto(&format!("{}{path}", self.base)).await.unwrap();
    }

    pub async fn reload(&self) {
        self.browser.refresh().await.unwrap();
    }

    pub async fn el(&self, test: &str) -> Element {
        match self.browser.wait().at_most(WAIT).for_element(Locator::Css(&format!("[data-test='{test}']"))).await {
            Ok(el) => el,
            Err(e) => panic!("no [data-test='{test}'] on {}: {e}", self.path().await),
        }
    }

    pub async fn path(&self) -> String {
        self.browser.current_url().await.map(|u| u.path().to_owned()).unwrap_or_default()
    }

    pub async fn click(&self, test: &str) {
        let el = self.el(test).await;
        self.tap(el).await;
    }

    /// Clicks an element after centring it on screen (chromedriver would scroll it under the sticky app bar).
    pub async fn tap(&self, el: Element) {
        let arg = serde_json::to_value(&el).unwrap();
        self.browser.execute("arguments[0].scrollIntoView({ block: 'center' });", vec![arg]).await.unwrap();
        el.click().await.unwrap();
    }

    /// Taps the first element matching a CSS selector.
    pub async fn tap_css(&self, css: &str) {
        let el = self.browser.wait().at_most(WAIT).for_element(Locator::Css(css)).await.unwrap();
        self.tap(el).await;
    }

    /// Types into an input (replacing what it held).
    pub async fn fill(&self, test: &str, text: &str) {
        let input = self.el(test).await;
        input.clear().await.unwrap();
        input.send_keys(text).await.unwrap();
    }

    /// Sets an input's value as a date picker would, and fires `input`.
    pub async fn set_value(&self, test: &str, value: &str) {
        self.el(test).await;
        self.browser
            .execute(
                "const e = document.querySelector(`[data-test='${arguments[0]}']`); e.value = arguments[1]; \
                 e.dispatchEvent(new Event('input', { bubbles: true }));",
                vec![json!(test), json!(value)],
            )
            .await
            .unwrap();
    }

    pub async fn select(&self, test: &str, value: &str) {
        self.el(test).await.select_by_value(value).await.unwrap();
    }

    /// Chooses the option of a `<select>` whose text is `text` (once it is there).
    pub async fn select_text(&self, test: &str, text: &str) {
        let xpath = format!("//select[@data-test='{test}']/option[normalize-space(text())='{text}']");
        let option = match self.browser.wait().at_most(WAIT).for_element(Locator::XPath(&xpath)).await {
            Ok(o) => o,
            Err(e) => panic!("no option {text:?} in [data-test='{test}']: {e}"),
        };
        let value = option.attr("value").await.unwrap().unwrap_or_default();
        self.select(test, &value).await;
    }

    /// The text of an element.
    pub async fn text(&self, test: &str) -> String {
        self.el(test).await.text().await.unwrap_or_default()
    }

    /// Waits until the element's text contains `expected`.
    pub async fn see(&self, test: &str, expected: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = match self.browser.find(Locator::Css(&format!("[data-test='{test}']"))).await {
                Ok(el) => el.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(expected) {
                return;
            }
            if Instant::now() >= deadline {
                let shot = self.screenshot().await;
                panic!("[data-test='{test}'] shows {text:?}, expected {expected:?} (screenshot: {shot})");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// How many elements carry this `data-test`, once there are `expected` of them.
    pub async fn count_becomes(&self, test: &str, expected: usize) {
        let deadline = Instant::now() + WAIT;
        loop {
            let n = self
                .browser
                .find_all(Locator::Css(&format!("[data-test='{test}']")))
                .await
                .map(|v| v.len())
                .unwrap_or(0);
            if n == expected {
                return;
            }
            assert!(Instant::now() < deadline, "{n} × [data-test='{test}'], expected {expected}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn sign_in(&self, login: &str, password: &str) {
        self.open("/dang-nhap").await;
        self.fill("login", login).await;
        self.fill("password", password).await;
        self.click("login-submit").await;
    }

    /// Saves what the browser shows, for a failure message.
    pub async fn screenshot(&self) -> String {
        let stamp =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let path = std::env::temp_dir().join(format!("sodoan-e2e-{stamp}.png"));
        match self.browser.screenshot().await.map(|png| std::fs::write(&path, png)) {
            Ok(Ok(())) => path.display().to_string(),
            _ => "unavailable".to_owned(),
        }
    }

    /// Runs a script in the page and returns what it returns.
    pub async fn js(&self, script: &str) -> serde_json::Value {
        self.browser.execute(script, vec![]).await.unwrap()
    }

    /// Every visible control on the page is at least 44 px high (checkboxes and radios count by
    /// their label), and nothing makes the page scroll sideways at 360 px.
    pub async fn assert_phone_friendly(&self, what: &str) {
        let small = self
            .js(
                "const sel = 'button, select, input:not([type=checkbox]):not([type=radio]):not([type=hidden]), \
                   textarea, label.check, label.radio, a.button, a.list-item, .item-title a, .breadcrumbs a, summary';
                 return [...document.querySelectorAll(sel)]
                   .filter(e => e.offsetParent !== null && !e.closest('.app-bar .brand'))
                   .map(e => [e, e.getBoundingClientRect()])
                   .filter(([e, r]) => r.height < 43.5)
                   .map(([e, r]) => `${e.tagName.toLowerCase()}[${e.getAttribute('data-test') || e.textContent.trim().slice(0, 30)}] ${Math.round(r.width)}x${Math.round(r.height)}`);",
            )
            .await;
        assert_eq!(small, json!([]), "controls under 44 px on {what}");
        let (wide, screen) = (
            self.js("return document.documentElement.scrollWidth").await.as_i64().unwrap_or(0),
            self.js("return window.innerWidth").await.as_i64().unwrap_or(0),
        );
        assert_eq!(screen, 360, "the journey does not run at a phone's width");
        assert!(wide <= 360, "{what} scrolls sideways: {wide} px wide");
    }

    /// Addresses the page has asked of the server since it loaded.
    pub async fn requested(&self, part: &str) -> usize {
        let n = self
            .browser
            .execute(
                "return performance.getEntriesByType('resource').filter(e => e.name.includes(arguments[0])).length",
                vec![json!(part)],
            )
            .await
            .unwrap();
        n.as_u64().unwrap_or(0) as usize
    }

    pub async fn html_lang(&self) -> String {
        self.browser
            .execute("return document.documentElement.lang", vec![])
            .await
            .unwrap()
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    pub async fn close(self) {
        let _ = self.browser.close().await;
    }
}
