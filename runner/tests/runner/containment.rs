//! Nothing of a run outlives it: children, a page that goes away, the runner shutting down
//! or killed, processes that leave the group, and orphans, which see what they would see
//! under `cargo run`.

use super::*;

#[tokio::test]
async fn a_program_that_starts_children_and_exits_leaves_nothing_behind() {
    within(async {
        let fixture = Fixture::new("spawner");
        // A time limit far beyond what the script needs, even on a busy machine.
        let server = fixture
            .start(Limits {
                run_timeout: Duration::from_secs(30),
                ..limits()
            })
            .await;
        let events = run_all(&server, json!({"example": "spawner"})).await;
        assert_eq!(text_of(&events, "stdout"), "started\n");
        let exit = events.last().unwrap();
        // It ended when the script did ("exit"), though its children (one of them in a session
        // of its own) still held its output open: a runner that waited for that output to
        // close would have been stopped by the time limit ("timeout").
        assert_eq!(exit["reason"], json!("exit"), "{exit}");
        assert_eq!(exit["success"], json!(true), "{exit}");
        fixture.assert_no_leftovers("spawner").await;
    })
    .await;
}

#[tokio::test]
async fn when_the_page_goes_away_the_run_is_killed() {
    within(async {
        let fixture = Fixture::new("disconnect");
        let server = fixture
            .start(Limits {
                run_timeout: Duration::from_secs(30),
                ..limits()
            })
            .await;
        // A silent program, so that only the closed connection can tell the runner.
        let mut answer = post_run(&server, json!({"example": "sleeper"})).await;
        assert_eq!(answer.status, 200);
        let first = answer.next_event().await.unwrap().unwrap();
        assert_eq!(first["text"], json!("ready\n"));
        fixture.assert_running("the sleeper").await;
        drop(answer); // the Stop button, or the page closed
        fixture.assert_no_leftovers("disconnect").await;
        // And the listing is free to run again.
        let start = Instant::now();
        loop {
            let mut answer = post_run(&server, json!({"example": "sleeper"})).await;
            if answer.status == 200 {
                answer.next_event().await.unwrap();
                break;
            }
            assert!(start.elapsed() < patience(), "still busy");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        fixture.assert_no_leftovers("disconnect, second run").await;
    })
    .await;
}

#[tokio::test]
async fn shutting_down_ends_every_run() {
    within(async {
        let fixture = Fixture::new("shutdown");
        let server = fixture
            .start(Limits {
                run_timeout: Duration::from_secs(30),
                ..limits()
            })
            .await;
        let mut answer = post_run(&server, json!({"example": "sleeper"})).await;
        answer.next_event().await.unwrap();
        fixture.assert_running("the sleeper").await;
        server.shutdown();
        fixture.assert_no_leftovers("shutdown").await;
    })
    .await;
}

/// Whatever ends the runner (closing the terminal: SIGHUP; Ctrl-\\: SIGQUIT; SIGTERM; Ctrl-C:
/// SIGINT; or SIGKILL, which it cannot handle: then its watchdog acts), its runs end too: the
/// run's first process, a child in its group, and one that left the group (`setsid`).
#[tokio::test]
async fn whatever_ends_the_runner_ends_its_runs() {
    within(async {
        for signal in ["HUP", "QUIT", "TERM", "INT", "KILL"] {
            let fixture = Fixture::new(&format!("signal-{signal}"));
            fixture.script(
                "family",
                "sleep 1000 &\nsetsid sleep 1000 &\necho ready\nwhile :; do sleep 1; done",
            );
            let (mut runner, addr, token) = start_binary(&fixture, &[]).await;
            let mut answer = post_to(addr, &token, json!({"example": "family"})).await;
            assert_eq!(answer.status, 200);
            let first = answer.next_event().await.unwrap().unwrap();
            assert_eq!(first["text"], "ready\n", "{first}");
            fixture.assert_running(signal).await;
            let pid = runner.id().unwrap().to_string();
            let killed = std::process::Command::new("kill")
                .args(["-s", signal, &pid])
                .status()
                .unwrap();
            assert!(killed.success());
            let status = runner.wait().await.unwrap();
            assert!(
                status.code().is_some() || signal == "KILL",
                "{signal}: {status}"
            );
            fixture
                .assert_no_leftovers(&format!("after SIG{signal} to the runner"))
                .await;
            let left = run_dirs(&fixture);
            if signal == "KILL" {
                // Killed outright, it could not remove the run's folder: the next one does.
                assert_eq!(left.len(), 1, "{left:?}");
                let (mut runner, _, _) = start_binary(&fixture, &[]).await;
                assert!(run_dirs(&fixture).is_empty(), "{:?}", run_dirs(&fixture));
                drop(runner.stdin.take());
                runner.wait().await.unwrap();
            } else {
                assert!(left.is_empty(), "after SIG{signal}: {left:?}");
            }
        }
    })
    .await;
}

/// A program may start a child that leaves the process group (`setsid`) and drops the run's
/// mark from its environment (`env -u`): neither the group kill nor the sweep of marked
/// processes finds it. The runner as `cargo xtask serve` starts it (the binary, which adopts
/// orphans as a child subreaper) must still end it when the run ends, and must not end a
/// child that a program still running handed over to itself.
#[tokio::test]
async fn a_child_that_leaves_the_group_and_drops_the_mark_is_ended_too() {
    within(async {
        let fixture = Fixture::new("escaper");
        // It ends only once its child has left the group and dropped the mark (`env` and
        // `setsid` each exec the next program in the same process: the child has done both
        // once it runs `sleep`), so only the subreaper can find it.
        fixture.script(
            "escaper",
            &format!(
                "env -u {} setsid sleep 1000 >/dev/null 2>&1 </dev/null &\nchild=$!\n\
                 until read -r comm < /proc/$child/comm && [ \"$comm\" = sleep ]; do :; done\n\
                 echo started",
                course_runner::run::MARK_VAR
            ),
        );
        // Its orphan (the subshell ends at once) must live as long as the program does, though
        // another run ends meanwhile: it checks its orphan once the test says that the other
        // run is over (the file `escaper.done` in the project's root).
        fixture.script(
            "keeper",
            &format!(
                "( env -u {} setsid sleep 1000 >/dev/null 2>&1 </dev/null & echo $! > kept.pid )\n\
                 echo started\nuntil [ -e '{}' ]; do sleep 0.05; done\n\
                 kill -0 \"$(cat kept.pid)\" && echo kept",
                course_runner::run::MARK_VAR,
                fixture.root.join("escaper.done").display(),
            ),
        );
        let (mut runner, addr, token) = start_binary(&fixture, &[]).await;
        let host = host(addr);
        let post = |example: &'static str| {
            let (host, token) = (host.clone(), token.clone());
            async move {
                let answer = post_with(
                    addr,
                    &[
                        ("Host", &host),
                        ("Origin", BOOK),
                        ("X-Course-Token", &token),
                        ("Content-Type", "application/json"),
                    ],
                    json!({ "example": example }).to_string().as_bytes(),
                )
                .await;
                assert_eq!(answer.status, 200);
                answer
            }
        };
        let mut keeper = post("keeper").await;
        assert_eq!(
            keeper.next_event().await.unwrap().unwrap()["text"],
            "started\n"
        );
        let events = post("escaper").await.events(limit()).await.unwrap();
        assert_eq!(text_of(&events, "stdout"), "started\n", "{events:?}");
        // The escaper's run is over (the runner sends its exit after it ended the orphans).
        std::fs::write(fixture.root.join("escaper.done"), "").unwrap();
        let events = keeper.events(limit()).await.unwrap();
        assert_eq!(text_of(&events, "stdout"), "kept\n", "{events:?}");
        let leftovers = {
            let start = Instant::now();
            loop {
                let left = fixture.leftovers();
                if left.is_empty() || start.elapsed() > patience() {
                    break left;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        };
        drop(runner.stdin.take()); // the runner ends
        let _ = tokio::time::timeout(Duration::from_secs(5), runner.wait()).await;
        for pid in fixture.leftovers() {
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid.to_string()])
                .status();
        }
        assert!(
            leftovers.is_empty(),
            "left running after the run: {leftovers:?}"
        );
    })
    .await;
}

/// A run's processes are not subreapers: the orphan of a process the program started does not
/// become the program's child (as it does not under `cargo run`), so the program's `wait()`
/// sees only its own children.
#[tokio::test]
async fn an_orphan_is_not_adopted_by_the_program() {
    within(async {
        let fixture = Fixture::new("adoption");
        fixture.script(
            "adopter",
            "( sleep 1000 >/dev/null & echo $! > orphan.pid )\n\
             ppid=$(awk '{print $4}' /proc/$(cat orphan.pid)/stat)\n\
             if [ \"$ppid\" = $$ ]; then echo mine; else echo not mine; fi\n\
             kill $(cat orphan.pid)",
        );
        let (mut runner, addr, token) = start_binary(&fixture, &[]).await;
        let events = post_to(addr, &token, json!({"example": "adopter"}))
            .await
            .events(limit())
            .await
            .unwrap();
        assert_eq!(text_of(&events, "stdout"), "not mine\n", "{events:?}");
        drop(runner.stdin.take());
        runner.wait().await.unwrap();
    })
    .await;
}

/// The orphan listing prints from the page what it prints under `cargo run --example`: its
/// orphan outlives its parent, the watchful worker does not (the lines of the workers in
/// either order).
#[tokio::test]
async fn the_orphan_listing_prints_the_same_from_the_page() {
    within(async {
        let root = project_root();
        let binary = root.join("target/book/release/examples/ch02-07-orphan");
        if !binary.is_file() {
            eprintln!("the book's examples are not built: the orphan listing was not run");
            return;
        }
        let direct = tokio::process::Command::new(&binary)
            .current_dir(&root)
            .output()
            .await
            .unwrap();
        assert!(direct.status.success());
        let sorted = |text: &str| {
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            lines.sort();
            lines
        };
        let fixture = Fixture::new("orphan-listing");
        std::fs::copy(
            root.join("examples/ch02-07-orphan.rs"),
            fixture.root.join("examples/ch02-07-orphan.rs"),
        )
        .unwrap();
        std::fs::copy(&binary, fixture.root.join("bin/ch02-07-orphan")).unwrap();
        let (mut runner, addr, token) = start_binary(&fixture, &[]).await;
        let events = post_to(addr, &token, json!({"example": "ch02-07-orphan"}))
            .await
            .events(limit())
            .await
            .unwrap();
        let from_page = text_of(&events, "stdout");
        assert_eq!(
            sorted(&from_page),
            sorted(&String::from_utf8_lossy(&direct.stdout)),
            "{events:?}"
        );
        assert_eq!(events.last().unwrap()["success"], true, "{events:?}");
        drop(runner.stdin.take());
        runner.wait().await.unwrap();
    })
    .await;
}
