//! Tests of the GitHub workflows (`.github/workflows/`), which cannot run here: each parses, the
//! commands they run exist (every `cargo xtask ...` parses as this xtask's command line, every
//! `cargo test --test NAME` names a test target), the Linux job runs the README's test command,
//! macOS and Windows run the examples' tests, and the Pages workflow publishes what
//! `cargo xtask build` writes, on each push to main.

use std::path::{Path, PathBuf};

use clap::Parser;
use yaml_rust2::{Yaml, YamlLoader};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn workflow(name: &str) -> Yaml {
    let path = root().join(".github/workflows").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut docs = YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(docs.len(), 1, "{name}: one YAML document");
    docs.remove(0)
}

/// Each job of a workflow, by name, with the commands of its `run:` steps (one per line, and
/// each side of a `&&`).
fn jobs(flow: &Yaml) -> Vec<(String, Vec<String>)> {
    let jobs = flow["jobs"].as_hash().expect("a `jobs` table");
    jobs.iter()
        .map(|(name, job)| {
            let name = name.as_str().unwrap().to_string();
            let steps = job["steps"].as_vec().expect("every job has `steps`");
            let mut commands = Vec::new();
            for step in steps {
                if let Some(run) = step["run"].as_str() {
                    for line in run.lines() {
                        commands.extend(line.split("&&").map(|c| c.trim().to_string()));
                    }
                } else {
                    let uses = step["uses"].as_str().expect("a step runs or uses");
                    let (action, version) = uses.split_once('@').expect("owner/name@version");
                    assert!(
                        action.contains('/') && version.starts_with('v'),
                        "{uses}: an action pinned to a major version"
                    );
                }
            }
            (name, commands)
        })
        .collect()
}

/// Fails unless `command` exists: `cargo xtask ...` parses as xtask's command line, and
/// `cargo test --test NAME` names a test target of the project.
fn check_exists(command: &str) -> Result<(), String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    match words.as_slice() {
        ["cargo", "xtask", args @ ..] => {
            let argv = std::iter::once("xtask").chain(args.iter().copied());
            crate::Cli::try_parse_from(argv)
                .map(|_| ())
                .map_err(|e| format!("`{command}`: {e}"))
        }
        ["cargo", "test", "--test", name, ..] => {
            let tests = root().join("tests");
            if tests.join(format!("{name}.rs")).is_file()
                || tests.join(name).join("main.rs").is_file()
            {
                Ok(())
            } else {
                Err(format!("`{command}`: no test target {name} in tests/"))
            }
        }
        _ => Ok(()),
    }
}

/// The README's test command: the `cargo xtask test` line of "The two commands".
fn readme_test_command() -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split("## The two commands")
        .nth(1)
        .expect("README.md has a section \"The two commands\"");
    let line = section
        .lines()
        .find(|l| l.trim_start().starts_with("cargo xtask test"))
        .expect("\"The two commands\" names the test command");
    line.split('#').next().unwrap().trim().to_string()
}

#[test]
fn every_command_the_workflows_run_exists() {
    let dir = root().join(".github/workflows");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["pages.yml", "test.yml"]);
    for name in names {
        for (job, commands) in jobs(&workflow(&name)) {
            for command in commands {
                if let Err(e) = check_exists(&command) {
                    panic!("{name}, job {job}: {e}");
                }
            }
        }
    }
}

#[test]
fn linux_runs_the_readme_test_command_and_macos_and_windows_the_examples() {
    let flow = workflow("test.yml");
    let jobs = jobs(&flow);
    let command = |job: &str| -> Vec<String> {
        jobs.iter()
            .find(|(name, _)| name == job)
            .unwrap_or_else(|| panic!("test.yml: no job {job}"))
            .1
            .clone()
    };
    assert_eq!(
        flow["jobs"]["linux"]["runs-on"].as_str(),
        Some("ubuntu-latest")
    );
    assert!(command("linux").contains(&readme_test_command()));
    let systems: Vec<&str> = flow["jobs"]["examples"]["strategy"]["matrix"]["os"]
        .as_vec()
        .expect("the examples' job runs on a matrix of systems")
        .iter()
        .filter_map(Yaml::as_str)
        .collect();
    assert_eq!(systems, ["macos-latest", "windows-latest"]);
    assert!(
        command("examples").contains(&"cargo test --test examples".to_string()),
        "the examples' own tests"
    );
}

#[test]
fn pages_publish_the_built_book_on_each_push_to_main() {
    let flow = workflow("pages.yml");
    let branches: Vec<&str> = flow["on"]["push"]["branches"]
        .as_vec()
        .expect("on: push: branches")
        .iter()
        .filter_map(Yaml::as_str)
        .collect();
    assert_eq!(branches, ["main"]);
    let steps = flow["jobs"]["publish"]["steps"].as_vec().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert_eq!(runs, ["cargo xtask build"]);
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact@"))
        })
        .expect("the book uploaded as the Pages artifact");
    // Where mdBook writes the book: book.toml's build-dir, `book` (BUILT_BOOK) by default.
    let config: toml::Table = std::fs::read_to_string(root().join("book.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let build_dir = config
        .get("build")
        .and_then(|b| b.get("build-dir"))
        .and_then(|d| d.as_str())
        .unwrap_or(course_book::layout::BUILT_BOOK);
    assert_eq!(upload["with"]["path"].as_str(), Some(build_dir));
    assert!(
        steps.iter().any(|s| s["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("actions/deploy-pages@"))),
        "the artifact deployed"
    );
    assert_eq!(flow["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(flow["permissions"]["id-token"].as_str(), Some("write"));
}

#[test]
fn a_command_that_does_not_exist_is_named() {
    for bad in [
        "cargo xtask biuld",
        "cargo xtask test --fast",
        "cargo test --test exampels",
    ] {
        assert!(check_exists(bad).is_err(), "{bad} passed");
    }
    for good in [
        "cargo xtask build",
        "cargo xtask test",
        "cargo test --test examples",
        "rustup default stable",
    ] {
        assert_eq!(check_exists(good), Ok(()), "{good}");
    }
}
