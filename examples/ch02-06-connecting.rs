use std::collections::BTreeMap;
use std::io::{self, BufRead};
use std::process::{self, Child, Command, Stdio};
use std::{env, fs, fs::File};

/// Two roles: `words` prints five words and a warning, then fails;
/// `tally` counts the lines of its stdin, like `sort | uniq -c`.
fn role(name: &str) -> io::Result<()> {
    if name == "words" {
        println!("red\ngreen\nblue\ngreen\nred");
        eprintln!("words: warning, no yellow");
        process::exit(3);
    }
    let mut tally = BTreeMap::new();
    for line in io::stdin().lock().lines() {
        *tally.entry(line?).or_insert(0) += 1;
    }
    tally.iter().for_each(|(line, n)| println!("  {n} {line}"));
    Ok(())
}

fn me(role: &str) -> io::Result<Command> {
    let mut command = Command::new(env::current_exe()?);
    command.arg(role);
    Ok(command)
}

/// Waits for both children, as a shell does, and reports both statuses.
fn wait_both(sh: &str, mut words: Child, mut tally: Child) -> io::Result<()> {
    let (first, last) = (words.wait()?, tally.wait()?);
    println!("({sh}) words: {first}; tally: {last}");
    Ok(())
}

fn main() -> io::Result<()> {
    if let Some(name) = env::args().nth(1) {
        return role(&name);
    }
    let mut words = me("words")?
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let out = words.stdout.take().expect("piped");
    let tally = me("tally")?.stdin(Stdio::from(out)).spawn()?;
    wait_both("words 2>/dev/null | tally", words, tally)?;
    let (reader, writer) = io::pipe()?;
    let words = me("words")?
        .stdout(writer.try_clone()?)
        .stderr(writer)
        .spawn()?; // the Command and its copies of `writer` are gone
    let tally = me("tally")?.stdin(reader).spawn()?;
    wait_both("words 2>&1 | tally", words, tally)?;
    let path = env::temp_dir().join(format!("ch02-06-{}", process::id()));
    let file = Stdio::from(File::create(&path)?);
    let status = me("words")?.stdout(file).stderr(Stdio::null()).status()?;
    let text = fs::read_to_string(&path)?;
    fs::remove_file(&path)?;
    println!("(words > file 2>/dev/null) words: {status}; {text:?}");
    Ok(())
}
