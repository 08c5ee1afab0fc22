//! Page numbers follow SUMMARY.md: chapter by chapter, the chapters' numbers ascend, each page
//! of a chapter carries its chapter's number, and the pages' numbers ascend inside it (gaps are
//! allowed: a new page may take an unused number at the end of its chapter). When they do not,
//! `cargo xtask renumber` makes them sequential, renaming every file that depends on them.

use std::path::Path;

use course_book::directive::prefix;

use crate::report::Report;

const FIX: &str = "run `cargo xtask renumber` to see the new numbers, then `cargo xtask renumber \
                   --write` to rename the files and rewrite their references";

/// Checks the order of the page numbers in `src/SUMMARY.md` (its text).
pub fn check(summary: &str, report: &mut Report) {
    let file = Path::new("src/SUMMARY.md");
    // The current chapter's number, its last page's number and that page's name.
    let mut chapter: Option<(u32, u32, String)> = None;
    let mut last_chapter: Option<(u32, String)> = None;
    for entry in course_book::summary::entries(summary) {
        if entry.depth == 0 {
            continue;
        }
        let name = Path::new(&entry.target)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let number =
            prefix(&name).and_then(|p| Some((p[2..4].parse().ok()?, p[5..7].parse().ok()?)));
        if entry.depth == 1 {
            chapter = None;
            let Some((nn, mm)) = number else {
                continue;
            };
            if let Some((before, before_name)) = &last_chapter
                && nn <= *before
            {
                report.add(
                    file,
                    entry.line,
                    format!(
                        "chapter {name} comes after chapter {before_name}, but its number is not \
                         higher: {FIX}"
                    ),
                );
            }
            last_chapter = Some((nn, name.clone()));
            chapter = Some((nn, mm, name));
            continue;
        }
        let (Some((nn, mm)), Some((chapter_nn, last_mm, last_name))) = (number, chapter.as_mut())
        else {
            continue;
        };
        if nn != *chapter_nn {
            report.add(
                file,
                entry.line,
                format!("{name} is in chapter {chapter_nn:02} but numbered ch{nn:02}: {FIX}"),
            );
        } else if mm <= *last_mm {
            report.add(
                file,
                entry.line,
                format!("{name} comes after {last_name}, but its number is not higher: {FIX}"),
            );
        }
        *last_mm = mm;
        *last_name = name;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(summary: &str) -> String {
        let mut report = Report::default();
        check(summary, &mut report);
        match report.into_result(()) {
            Ok(()) => String::new(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn ascending_numbers_pass_gaps_included() {
        let summary = "# Summary\n\n[Preface](preface.md)\n\n- [A](ch01-00-a.md)\n    - [B](ch01-01-b.md)\n\
                       \x20   - [New](ch01-50-new.md)\n- [C](ch02-00-c.md)\n    - [D](ch02-01-d.md)\n\
                       \n[Appendix](appendix.md)\n[Index](tool-index.md)\n";
        assert_eq!(errors(summary), "");
    }

    #[test]
    fn a_page_out_of_order_or_in_another_chapter_is_named() {
        let summary = "- [A](ch01-00-a.md)\n    - [New](ch01-50-new.md)\n    - [B](ch01-01-b.md)\n\
                       \x20   - [Moved](ch02-03-moved.md)\n- [C](ch02-00-c.md)\n- [Old](ch01-09-old.md)\n";
        let e = errors(summary);
        assert!(
            e.contains(
                "src/SUMMARY.md:3: ch01-01-b.md comes after ch01-50-new.md, but its number is not \
                 higher: run `cargo xtask renumber`"
            ),
            "{e}"
        );
        assert!(
            e.contains("src/SUMMARY.md:4: ch02-03-moved.md is in chapter 01 but numbered ch02"),
            "{e}"
        );
        assert!(
            e.contains(
                "src/SUMMARY.md:6: chapter ch01-09-old.md comes after chapter ch02-00-c.md, but \
                 its number is not higher"
            ),
            "{e}"
        );
        assert_eq!(e.matches("\nsrc/").count(), 3, "{e}");
    }
}
