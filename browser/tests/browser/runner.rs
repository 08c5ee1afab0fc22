//! The Run buttons with the local runner: a process listing, an edited listing and a Python
//! twin run from the page, Stop ends a program, the book without a runner shows no button, and
//! a page changed under `mdbook serve` reloads with its buttons.

use super::*;

/// What a listing's runner output shows: `[stdout, stderr + compiler, status line]`.
const RUNNER_OUTPUT: &str = r#"
var example = arguments[0], python = arguments[1];
var out = Array.from(document.querySelectorAll('.runner-output')).find(function (o) {
  return o.dataset.example === example && o.dataset.python === python;
});
if (!out) return null;
function text(selector) {
  return Array.from(out.querySelectorAll(selector)).map(function (s) { return s.textContent; }).join('');
}
return {state: out.dataset.state || '', stdout: text('.runner-stdout'),
        stderr: text('.runner-stderr, .runner-compiler'), status: text('.runner-status')};"#;

impl Browser {
    /// Clicks one of a listing's runner buttons (`run`, `edit`, `reset`, `stop`).
    async fn runner_click(&self, example: &str, python: bool, which: &str) {
        let css = format!(
            ".runner-bar[data-example='{example}'][data-python='{python}'] .runner-{which}"
        );
        self.click(Locator::Css(&css)).await;
    }

    async fn runner_output(&self, example: &str, python: bool) -> Value {
        self.client()
            .execute(
                RUNNER_OUTPUT,
                vec![json!(example), json!(python.to_string())],
            )
            .await
            .unwrap()
    }

    /// Waits (up to 120 s: an edited listing is compiled first) until a run has ended.
    async fn runner_wait_done(&self, example: &str, python: bool) -> Value {
        let start = Instant::now();
        loop {
            let output = self.runner_output(example, python).await;
            if output["state"] == json!("done") {
                return output;
            }
            assert!(
                start.elapsed() < patience(Duration::from_secs(120)),
                "{example}: the run did not end: {output}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

fn sorted_lines(text: &Value) -> Vec<String> {
    let mut lines: Vec<String> = text
        .as_str()
        .unwrap_or("")
        .lines()
        .map(String::from)
        .collect();
    lines.sort();
    lines
}

/// The processes of this test's runner that are still alive (the runner marks each process
/// of a run with `COURSE_RUNNER_RUN=<its process id>-<run>`).
fn runner_processes() -> Vec<u32> {
    let prefix = format!("{}-", std::process::id());
    course_book::procs::marked_with_prefix(course_runner::run::MARK_VAR, &prefix)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built book and chromium: run by `cargo xtask test`"]
async fn the_runner_runs_edits_and_stops_listings_from_the_page() {
    let runner = start_runner().await;
    let browser = Browser::start().await;
    let continents = [
        "The name of continent is :  Africa",
        "The name of continent is :  America",
        "The name of continent is :  Asia",
        "The name of continent is :  Europe",
    ];

    // The address `cargo xtask serve` prints: the secret and the runner's port.
    browser
        .open_with_runner(serve_book(), "ch02-01-continents.html", &runner)
        .await;
    let search = browser.js("return window.location.search;").await;
    assert_eq!(search, json!(""), "the secret stays in the address bar");

    // A process listing: four workers, four lines in some order.
    browser
        .runner_click("ch02-01-continents", false, "run")
        .await;
    let output = browser.runner_wait_done("ch02-01-continents", false).await;
    assert_eq!(sorted_lines(&output["stdout"]), continents, "{output}");
    assert!(
        output["status"]
            .as_str()
            .unwrap()
            .starts_with("exit status 0"),
        "{output}"
    );

    // Its Python twin, when this machine has python3.
    if course_runner::run::find_python().is_some() {
        browser
            .runner_click("ch02-01-continents", true, "run")
            .await;
        let output = browser.runner_wait_done("ch02-01-continents", true).await;
        assert_eq!(sorted_lines(&output["stdout"]), continents, "{output}");
    }

    // Another page: the secret was kept for this tab. Edit square-and-cube to use 3.
    browser.open("ch03-01-square-and-cube.html").await;
    let listing = "ch03-01-square-and-cube";
    browser.runner_click(listing, false, "edit").await;
    // Keys typed in the editor are the editor's: an arrow moves the caret (it does not turn
    // the page), `?` is typed (it does not open mdBook's help).
    let editor = browser
        .client()
        // (Ace's input: a textarea inside the editor.)
        .find(Locator::Css(
            ".runner-editor textarea, textarea.runner-editor",
        ))
        .await
        .unwrap();
    editor.send_keys("\u{E014}?").await.unwrap(); // ArrowRight, then `?`
    // The keys have arrived once the `?` is in the editor (a page turned by the arrow would
    // have no editor: the wait would name it).
    browser
        .wait_until(
            "for the `?` typed into the editor",
            "var t = document.querySelector('.runner-editor'); \
             return t !== null && t.value.indexOf('?') >= 0;",
        )
        .await;
    let state = browser
        .js("var h = document.getElementById('mdbook-help-container'); \
             var t = document.querySelector('.runner-editor'); \
             return [location.pathname, h ? getComputedStyle(h).display : 'none', \
                     t ? t.value.indexOf('?') >= 0 : false];")
        .await;
    assert!(
        state[0]
            .as_str()
            .unwrap()
            .ends_with("/ch03-01-square-and-cube.html")
            && state[1] == json!("none")
            && state[2] == json!(true),
        "keys typed in the editor reached the page: {state}"
    );
    browser
        .js("var t = document.querySelector('.runner-editor'); t.value = t.value.replace('?', ''); return true;")
        .await;
    let edited = browser
        .js("var t = document.querySelector('.runner-editor'); \
             t.value = t.value.split('(10)').join('(3)'); return t.value;")
        .await;
    assert!(
        edited.as_str().unwrap().contains("print_square(3)"),
        "{edited}"
    );
    browser.runner_click(listing, false, "run").await;
    let output = browser.runner_wait_done(listing, false).await;
    let stdout = output["stdout"].as_str().unwrap();
    assert!(stdout.lines().any(|l| l == "Square: 9"), "{output}");
    assert!(stdout.lines().any(|l| l == "Cube: 27"), "{output}");
    let png = browser.client().screenshot().await.unwrap();
    let dir = project_root().join("target/browser");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("runner-edited.png"), &png).unwrap();
    eprintln!("screenshot: {}", dir.join("runner-edited.png").display());

    // A compile error, as rustc prints it.
    browser
        .js("var t = document.querySelector('.runner-editor'); \
             t.value = t.value.replace('fn main() {', 'fn main() {\\n    let n: u64 = \"three\";'); return true;")
        .await;
    browser.runner_click(listing, false, "run").await;
    let output = browser.runner_wait_done(listing, false).await;
    assert!(
        output["stderr"].as_str().unwrap().contains("error[E0308]"),
        "{output}"
    );
    assert!(
        output["status"].as_str().unwrap().contains("not run"),
        "{output}"
    );

    // A program that never ends, stopped from the page: nothing of it is left.
    browser
        .js("document.querySelector('.runner-editor').value = \
             'fn main() {\\n    println!(\"started\");\\n    loop {\\n        std::thread::sleep(std::time::Duration::from_millis(10));\\n    }\\n}\\n'; return true;")
        .await;
    browser.runner_click(listing, false, "run").await;
    browser
        .wait_until(
            "for the endless program to start",
            "return Array.from(document.querySelectorAll('.runner-stdout')).some(function (s) { return s.textContent.indexOf('started') >= 0; });",
        )
        .await;
    assert!(!runner_processes().is_empty(), "the program runs");
    browser.runner_click(listing, false, "stop").await;
    let output = browser.runner_wait_done(listing, false).await;
    assert_eq!(output["status"], json!("stopped"), "{output}");
    let start = Instant::now();
    while !runner_processes().is_empty() {
        assert!(
            start.elapsed() < patience(Duration::from_secs(30)),
            "left running after Stop: {:?}",
            runner_processes()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Reset: the listing as the file has it.
    browser.runner_click(listing, false, "reset").await;
    let editors = browser
        .js("return document.querySelectorAll('.runner-editor').length;")
        .await;
    assert_eq!(editors, json!(0));
    let errors = browser.js("return window.__errors;").await;
    browser.close().await;
    runner.shutdown();
    assert_eq!(errors, json!([]), "JavaScript errors");
}

#[tokio::test]
#[ignore = "needs the built book and chromium: run by `cargo xtask test`"]
async fn without_a_runner_the_book_shows_no_runner_buttons() {
    let browser = Browser::start().await;
    // The book as built for static hosting: no secret.
    browser.open("ch02-01-continents.html").await;
    assert_no_runner(&browser, "no secret").await;
    // A secret, but no runner answering on that port (an old address, say).
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let token = "0".repeat(64);
    browser
        .open(&format!(
            "ch03-01-square-and-cube.html?token={token}&runner={closed}"
        ))
        .await;
    // The runner script asked that port and heard nothing: then, and only then, it decides.
    assert_no_runner(&browser, "no runner answers").await;
    let errors = browser.js("return window.__errors;").await;
    browser.close().await;
    assert_eq!(errors, json!([]), "JavaScript errors");
}

/// Waits until the runner script has decided, and checks that it added nothing: `why` says
/// why it must not have.
async fn assert_no_runner(browser: &Browser, why: &str) {
    browser.wait_for_scripts().await;
    let state = browser
        .js("return document.documentElement.dataset.runner;")
        .await;
    assert_eq!(state, json!("off"), "{why}, yet the runner script went on");
    let bars = browser
        .js("return document.querySelectorAll('.runner-bar, .runner-output').length;")
        .await;
    assert_eq!(bars, json!(0), "{why}, yet there are runner buttons");
}

/// The environment variable that marks `mdbook serve` and every process it starts; its value
/// is this test process's id (one `mdbook serve` at a time).
const SERVE_MARK: &str = "COURSE_MDBOOK_SERVE";

/// `mdbook serve` on a copy of the book's sources in `target/browser/live/` (so that the test
/// can change a page), ended when dropped.
struct MdbookServe {
    child: Child,
    dir: PathBuf,
    /// mdbook's TMPDIR, held only to be removed when this is dropped.
    _tmp: tempfile::TempDir,
}

impl MdbookServe {
    fn start(port: u16) -> MdbookServe {
        let root = project_root();
        let dir = root.join("target/browser/live");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // The pages and their configuration are copied; what they include is linked. The
        // .gitignore keeps mdbook's watcher out of target/.
        let status = Command::new("cp")
            .args(["-r", "src", "theme", "book.toml", ".gitignore"])
            .arg(&dir)
            .current_dir(&root)
            .status()
            .unwrap();
        assert!(status.success(), "copying the book's sources");
        // The book's own preprocessor is run through cargo from the project's workspace: the
        // copy's book.toml names its manifest by its full path (a relative one would not exist
        // in the copy, and mdBook would skip the preprocessor, leaving `{{#listing}}` unexpanded).
        let book_toml = dir.join("book.toml");
        let config = std::fs::read_to_string(&book_toml).unwrap();
        let manifest = root.join("packages/mdbook-listing/Cargo.toml");
        let rewritten = config.replace(
            "--manifest-path packages/mdbook-listing/Cargo.toml",
            &format!("--manifest-path {}", manifest.display()),
        );
        assert_ne!(
            rewritten, config,
            "book.toml no longer runs packages/mdbook-listing"
        );
        std::fs::write(&book_toml, rewritten).unwrap();
        for linked in ["examples", "exercises", "quizzes", "bench", "target"] {
            std::os::unix::fs::symlink(root.join(linked), dir.join(linked)).unwrap();
        }
        let log = std::fs::File::create(root.join("target/browser/live-mdbook.log")).unwrap();
        // Its temporary folders (mdbook-quiz compiles each quiz program in one) go to a folder
        // of the test's, outside the watched copy: a rebuild cut short by the kill in `Drop`
        // would leave them behind.
        let tmp = tempfile::tempdir().unwrap();
        // The native watcher (inotify) logs "Listening for changes" once it watches; the
        // default poller logs its "Watching" line before its first scan, so a change made just
        // then could be taken for the starting point and never reload the page.
        let child = Command::new("mdbook")
            .env("PATH", course_book::tools::book_path())
            .env(SERVE_MARK, std::process::id().to_string())
            .env("TMPDIR", tmp.path())
            .args([
                "serve",
                "--watcher",
                "native",
                "--hostname",
                "127.0.0.1",
                "--port",
                &port.to_string(),
            ])
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start mdbook serve (the pinned tools: `cargo xtask tools`)");
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < patience(Duration::from_secs(120)),
                "mdbook serve did not start: see target/browser/live-mdbook.log"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        MdbookServe {
            child,
            dir,
            _tmp: tmp,
        }
    }

    /// Waits until mdbook's watcher watches the sources (it says so in its log).
    fn wait_for_watcher(&self) {
        let log = project_root().join("target/browser/live-mdbook.log");
        let start = Instant::now();
        while !std::fs::read_to_string(&log)
            .unwrap_or_default()
            .contains("Listening for changes")
        {
            assert!(
                start.elapsed() < patience(Duration::from_secs(120)),
                "mdbook serve never said it watches the sources: see {}",
                log.display()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for MdbookServe {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // A rebuild that was under way has its own processes (cargo running the book's
        // preprocessor, mdbook-cmdrun running a listing), which outlive a killed mdbook.
        end_marked(SERVE_MARK, &std::process::id().to_string());
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The book as `cargo xtask serve` serves it (mdbook serve and the runner): a change to a page
/// reloads it, and the reloaded page still has its Run buttons (the secret was kept for the
/// tab), which still run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built examples, the pinned tools and chromium: run by `cargo xtask test`"]
async fn live_reload_keeps_the_run_buttons() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let serve = MdbookServe::start(port);
    let config = course_runner::Config::for_project(
        &project_root(),
        vec![format!("http://127.0.0.1:{port}")],
    );
    let config = course_runner::Config {
        scratch_dir: project_root().join("target/browser/runner"),
        ..config
    };
    let runner = course_runner::start(config, 0).await.unwrap();
    let browser = Browser::start().await;
    let c = browser.client();
    let url = format!(
        "http://127.0.0.1:{port}/ch02-01-continents.html?token={}&runner={}",
        runner.token,
        runner.addr.port()
    );
    c.goto(&url).await.unwrap();
    browser
        .wait_until(
            "for the Run buttons",
            "return document.querySelector('.runner-run') !== null;",
        )
        .await;
    browser
        .js("window.__before_reload = true; return true;")
        .await;
    serve.wait_for_watcher();
    let page = serve.dir.join("src/ch02-01-continents.md");
    let mut text = std::fs::read_to_string(&page).unwrap();
    text.push_str("\n\nA sentence added while the book is served.\n");
    std::fs::write(&page, text).unwrap();
    let start = Instant::now();
    loop {
        let reloaded = browser
            .js(
                "return window.__before_reload !== true && document.readyState === 'complete' \
                 && document.body.textContent.indexOf('A sentence added while') >= 0;",
            )
            .await;
        if reloaded == json!(true) {
            break;
        }
        assert!(
            start.elapsed() < patience(Duration::from_secs(90)),
            "the page was not reloaded: see target/browser/live-mdbook.log"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    browser
        .wait_until(
            "for the Run buttons after the reload",
            "return document.querySelector('.runner-run') !== null;",
        )
        .await;
    browser
        .runner_click("ch02-01-continents", false, "run")
        .await;
    let output = browser.runner_wait_done("ch02-01-continents", false).await;
    browser.close().await;
    runner.shutdown();
    drop(serve);
    assert_eq!(sorted_lines(&output["stdout"]).len(), 4, "{output}");
}
