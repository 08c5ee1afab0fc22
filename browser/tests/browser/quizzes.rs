//! The quizzes: each renders with its questions, and an answer is checked.

use super::*;

/// The pages that end with a quiz, with the quiz file each shows (`{{#quiz ../quizzes/NAME.toml}}`).
fn quiz_pages() -> Vec<(String, PathBuf)> {
    pages()
        .into_iter()
        .filter_map(|page| {
            let md = project_root()
                .join("src")
                .join(page.replace(".html", ".md"));
            let text = std::fs::read_to_string(md).ok()?;
            let quiz = text
                .lines()
                .find_map(|line| directive::target(line, "quiz"))?;
            let quiz = project_root().join("src").join(quiz);
            Some((page, quiz))
        })
        .collect()
}

fn quiz_questions(quiz: &Path) -> Vec<course_book::quiz::Table> {
    let text = std::fs::read_to_string(quiz).unwrap();
    course_book::quiz::parse(&quiz.display().to_string(), &text)
        .unwrap()
        .questions
        .into_iter()
        .map(|q| q.table)
        .collect()
}

#[tokio::test]
#[ignore = "needs the built book and chromium: run by `cargo xtask test`"]
async fn every_quiz_renders_with_its_questions() {
    let browser = Browser::start().await;
    let quizzes = quiz_pages();
    assert!(
        quizzes.len() >= 20,
        "too few pages show a quiz: {quizzes:?}"
    );
    let mut problems = Vec::new();
    for (page, quiz) in &quizzes {
        browser.open(page).await;
        browser
            .wait_until(
                &format!("for the quiz of {page}"),
                "return document.querySelector('.mdbook-quiz .start') !== null;",
            )
            .await;
        let n = quiz_questions(quiz).len();
        let counter = browser
            .js("return document.querySelector('.mdbook-quiz .counter').textContent;")
            .await;
        // mdbook-quiz writes "1 question" for a quiz of one.
        let expected = if n == 1 {
            "1 question".to_string()
        } else {
            format!("{n} questions")
        };
        if counter != json!(expected) {
            problems.push(format!(
                "{page}: the quiz says {counter}, its file has {n} questions"
            ));
        }
        browser.click(Locator::Css(".mdbook-quiz .start")).await;
        browser
            .wait_until(
                &format!("for the first question of {page}"),
                "var h = document.querySelector('.mdbook-quiz .prompt h4'); \
                 return h !== null && h.textContent === 'Question 1';",
            )
            .await;
        let errors = browser.js("return window.__errors;").await;
        if errors != json!([]) {
            problems.push(format!("{page}: {errors}"));
        }
    }
    browser.close().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Clicks the radio button of the quiz whose value is `value` (found in JavaScript, so that
/// there is no CSS escaping to get wrong, then clicked for real).
async fn pick(browser: &Browser, value: &str) {
    let found = browser
        .client()
        .execute(
            "var want = arguments[0]; var input = Array.from(document.querySelectorAll('.mdbook-quiz input[type=radio]')) \
               .find(function (i) { return i.value === want; }); \
             document.querySelectorAll('[data-pick]').forEach(function (e) { e.removeAttribute('data-pick'); }); \
             if (input) { input.setAttribute('data-pick', '1'); } \
             return !!input;",
            vec![json!(value)],
        )
        .await
        .unwrap();
    assert_eq!(found, json!(true), "no choice {value:?}");
    browser
        .click(Locator::Css(".mdbook-quiz input[data-pick]"))
        .await;
}

/// Answers a whole quiz as a reader would: every question right but the last, which is
/// answered wrong; the review must count them so.
#[tokio::test]
#[ignore = "needs the built book and chromium: run by `cargo xtask test`"]
async fn answering_a_quiz_is_checked() {
    let browser = Browser::start().await;
    let c = browser.client();
    let (page, quiz) = quiz_pages()
        .into_iter()
        .find(|(page, _)| page == "ch01-01-blocking.html")
        .expect("ch01-01-blocking ends with a quiz");
    let questions = quiz_questions(&quiz);
    browser.open(&page).await;
    browser
        .wait_until(
            "for the quiz",
            "return document.querySelector('.mdbook-quiz .start') !== null;",
        )
        .await;
    browser.click(Locator::Css(".mdbook-quiz .start")).await;
    for (i, q) in questions.iter().enumerate() {
        browser
            .wait_until(
                &format!("for question {}", i + 1),
                &format!(
                    "var h = document.querySelector('.mdbook-quiz .prompt h4'); \
                     return h !== null && h.textContent === 'Question {}';",
                    i + 1
                ),
            )
            .await;
        let right = i + 1 < questions.len();
        let answer = q["answer"].as_table().unwrap();
        match q["type"].as_str().unwrap() {
            "Tracing" => {
                let compiles = answer["doesCompile"].as_bool().unwrap();
                pick(&browser, &(compiles == right).to_string()).await;
                if compiles == right {
                    let stdout = answer.get("stdout").and_then(|s| s.as_str()).unwrap_or("");
                    c.find(Locator::Css(".mdbook-quiz textarea"))
                        .await
                        .unwrap()
                        .send_keys(stdout.trim())
                        .await
                        .unwrap();
                }
            }
            "MultipleChoice" => {
                let value = if right {
                    answer["answer"].as_str().unwrap().to_string()
                } else {
                    q["prompt"]["distractors"][0].as_str().unwrap().to_string()
                };
                pick(&browser, &value).await;
            }
            other => panic!("no way to answer a {other} question"),
        }
        browser
            .click(Locator::Css(".mdbook-quiz [type=submit]"))
            .await;
    }
    browser
        .wait_until(
            "for the answer review",
            "return document.querySelector('.mdbook-quiz section strong') !== null;",
        )
        .await;
    let score = browser
        .js("return document.querySelector('.mdbook-quiz section strong').textContent;")
        .await;
    let n = questions.len();
    assert_eq!(score, json!(format!("{}/{n}", n - 1)), "the review's score");
    let marks = browser
        .js(
            "return [document.querySelectorAll('.mdbook-quiz .correct').length, \
                     document.querySelectorAll('.mdbook-quiz .incorrect').length];",
        )
        .await;
    let errors = browser.js("return window.__errors;").await;
    browser.close().await;
    assert!(
        marks[0].as_u64().unwrap() >= 1 && marks[1].as_u64().unwrap() >= 1,
        "{marks}"
    );
    assert_eq!(errors, json!([]), "JavaScript errors");
}
