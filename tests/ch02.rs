mod common;

#[test]
fn continents_each_worker_prints_its_line() {
    let run = common::run("ch02-01-continents", &[]).success();
    common::assert_same_lines(
        &run.lines(),
        &[
            "The name of continent is :  Asia",
            "The name of continent is :  America",
            "The name of continent is :  Europe",
            "The name of continent is :  Africa",
        ],
    );
}
