//! What a run answers: its output as it comes, edited code compiled, Python twins, the
//! course's own listings, and one run per listing with a cap on runs at once.

use super::*;

#[tokio::test]
async fn streams_stdout_and_stderr_apart_then_the_exit_status() {
    within(async {
        let fixture = Fixture::new("streams");
        let server = fixture.start(limits()).await;
        let events = run_all(&server, json!({"example": "hello"})).await;
        assert_eq!(text_of(&events, "stdout"), "out\n");
        assert_eq!(text_of(&events, "stderr"), "err\n");
        let exit = events.last().unwrap();
        assert_eq!(exit["code"], json!(3));
        assert_eq!(exit["success"], json!(false));
        assert_eq!(exit["message"], json!("exit status 3"));
        assert!(exit["millis"].as_u64().is_some());
        assert_eq!(text_of(&events, "note"), "");

        // The example's file changed after it was built: the run says so.
        let later = std::time::SystemTime::now() + Duration::from_secs(60);
        std::fs::File::options()
            .write(true)
            .open(fixture.root.join("examples/hello.rs"))
            .unwrap()
            .set_modified(later)
            .unwrap();
        let events = run_all(&server, json!({"example": "hello"})).await;
        assert!(text_of(&events, "note").contains("changed after it was built"));
        assert_eq!(text_of(&events, "stdout"), "out\n");
    })
    .await;
}

#[tokio::test]
async fn one_run_per_listing_and_a_cap_on_runs_at_once() {
    within(async {
        let fixture = Fixture::new("caps");
        let server = fixture
            .start(Limits {
                max_runs: 2,
                run_timeout: Duration::from_secs(30),
                ..limits()
            })
            .await;
        let mut first = post_run(&server, json!({"example": "sleeper"})).await;
        assert_eq!(first.status, 200);
        first.next_event().await.unwrap();
        let again = post_run(&server, json!({"example": "sleeper"})).await;
        assert_eq!(again.status, 409, "the same listing twice");
        let second = post_run(&server, json!({"example": "forever"})).await;
        assert_eq!(second.status, 200);
        let third = post_run(&server, json!({"example": "hello"})).await;
        assert_eq!(third.status, 429, "a third run at once");
        let python = post_run(&server, json!({"example": "hello", "python": true})).await;
        assert_eq!(python.status, 429, "a third run at once");
        drop(first);
        drop(second);
        fixture.assert_no_leftovers("caps").await;
        let start = Instant::now();
        loop {
            let mut answer = post_run(&server, json!({"example": "hello"})).await;
            if answer.status == 200 {
                answer.events(limit()).await.unwrap();
                break;
            }
            assert!(start.elapsed() < patience(), "the slots were not freed");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
}

#[tokio::test]
async fn edited_code_is_compiled_in_the_scratch_folder_and_errors_shown_as_rustc_prints_them() {
    within(async {
        let fixture = Fixture::new("edited");
        let server = fixture.start(limits()).await;
        let original = std::fs::read_to_string(fixture.root.join("examples/hello.rs")).unwrap();
        let code = "fn main() {\n    let n: u64 = 3;\n    println!(\"Square: {}\", n * n);\n}\n";
        let events = run_all(&server, json!({"example": "hello", "code": code})).await;
        assert_eq!(text_of(&events, "status"), "compilingrunning");
        assert_eq!(text_of(&events, "stdout"), "Square: 9\n");
        assert_eq!(events.last().unwrap()["success"], json!(true));
        // Built in the scratch folder; the source tree is untouched.
        assert!(fixture.root.join("target/runner/hello/hello.rs").is_file());
        assert_eq!(
            std::fs::read_to_string(fixture.root.join("examples/hello.rs")).unwrap(),
            original
        );
        // The same code again runs without compiling.
        let events = run_all(&server, json!({"example": "hello", "code": code})).await;
        assert_eq!(text_of(&events, "status"), "running");
        assert_eq!(text_of(&events, "stdout"), "Square: 9\n");

        let broken = "fn main() {\n    let n: u64 = \"three\";\n}\n";
        let events = run_all(&server, json!({"example": "hello", "code": broken})).await;
        let compiler = text_of(&events, "compiler");
        assert!(
            compiler.contains("error[E0308]: mismatched types"),
            "{compiler}"
        );
        assert!(
            compiler.contains("--> examples/hello.rs:2:18"),
            "{compiler}"
        );
        let exit = events.last().unwrap();
        assert_eq!(exit["phase"], json!("compile"));
        assert_eq!(exit["success"], json!(false));
        assert_eq!(text_of(&events, "stdout"), "");
    })
    .await;
}

#[tokio::test]
async fn python_counterparts_run_when_python3_is_here() {
    within(async {
        let fixture = Fixture::new("python");
        let server = fixture.start(limits()).await;
        if course_runner::run::find_python().is_none() {
            let answer = post_run(&server, json!({"example": "hello", "python": true})).await;
            assert_eq!(answer.status, 404);
            eprintln!("python3 not found: only its absence was checked");
            return;
        }
        let events = run_all(&server, json!({"example": "hello", "python": true})).await;
        assert_eq!(text_of(&events, "stdout"), "from python\n");
        assert_eq!(text_of(&events, "stderr"), "oops\n");
        assert_eq!(events.last().unwrap()["success"], json!(true));
        // No bytecode cache written into the source tree.
        assert!(!fixture.root.join("examples/python/__pycache__").exists());
    })
    .await;
}

/// The course's own listings, through the runner: the continents (processes), the square and
/// cube edited to use 3, and a Python twin.
#[tokio::test]
async fn the_course_listings_run() {
    within(async {
        let root = project_root();
        let config = Config::for_project(&root, vec![BOOK.to_string()]);
        let config = Config {
            scratch_dir: PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("runner-course"),
            ..config
        };
        let python = config.python.is_some();
        let built = config.bin_dir.join("ch02-01-continents").is_file();
        let server = course_runner::start(config, 0).await.unwrap();
        let continents = [
            "The name of continent is :  Africa",
            "The name of continent is :  America",
            "The name of continent is :  Asia",
            "The name of continent is :  Europe",
        ];
        let sorted = |text: String| {
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            lines.sort();
            lines
        };
        if built {
            let events = run_all(&server, json!({"example": "ch02-01-continents"})).await;
            assert_eq!(sorted(text_of(&events, "stdout")), continents);
        } else {
            eprintln!("the book's examples are not built: the built continents were not run");
        }
        let source =
            std::fs::read_to_string(root.join("examples/ch03-01-square-and-cube.rs")).unwrap();
        let edited = source.replace("(10)", "(3)");
        assert_ne!(edited, source, "the listing passes 10 to both functions");
        let events = run_all(
            &server,
            json!({"example": "ch03-01-square-and-cube", "code": edited}),
        )
        .await;
        let stdout = text_of(&events, "stdout");
        assert!(stdout.lines().any(|l| l == "Square: 9"), "{stdout}");
        assert!(stdout.lines().any(|l| l == "Cube: 27"), "{stdout}");
        if python {
            let events = run_all(
                &server,
                json!({"example": "ch02-01-continents", "python": true}),
            )
            .await;
            assert_eq!(sorted(text_of(&events, "stdout")), continents);
        }
    })
    .await;
}
