//! What the figures were measured on: CPU model, cores, OS, memory, load, date.

use std::collections::BTreeSet;
use std::process::Command;

#[derive(Clone, Debug)]
pub struct Machine {
    pub cpu: String,
    pub physical_cores: usize,
    pub logical_cpus: usize,
    pub os: String,
    pub memory_gib: f64,
    pub rustc: String,
    pub python: Option<String>,
    pub date: String,
}

impl Machine {
    pub fn detect() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        // The machine's CPUs (the load average counts work on all of them), not just those this
        // process may use, which is what `available_parallelism` reports.
        let logical_cpus = match cpuinfo
            .lines()
            .filter(|l| l.starts_with("processor"))
            .count()
        {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        let cpu = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name")?.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_else(|| std::env::consts::ARCH.to_string());
        Machine {
            cpu,
            physical_cores: physical_cores(&cpuinfo).unwrap_or(logical_cpus),
            logical_cpus,
            os: os_name(),
            memory_gib: meminfo_kb("MemTotal").unwrap_or(0) as f64 / (1024.0 * 1024.0),
            rustc: command_line("rustc", &["--version"]).unwrap_or_else(|| "rustc ?".into()),
            python: command_line("python3", &["--version"]),
            date: utc_now(),
        }
    }

    /// One line, for the table and the book.
    pub fn describe(&self) -> String {
        format!(
            "{} ({} physical cores, {} logical CPUs), {:.0} GiB RAM, {}; {}{}",
            self.cpu,
            self.physical_cores,
            self.logical_cpus,
            self.memory_gib,
            self.os,
            self.rustc,
            self.python
                .as_deref()
                .map(|p| format!(", {p}"))
                .unwrap_or_default()
        )
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "cpu": self.cpu,
            "physical_cores": self.physical_cores,
            "logical_cpus": self.logical_cpus,
            "os": self.os,
            "memory_gib": self.memory_gib,
            "rustc": self.rustc,
            "python": self.python,
            "date": self.date,
        })
    }
}

/// Distinct (physical id, core id) pairs of /proc/cpuinfo.
fn physical_cores(cpuinfo: &str) -> Option<usize> {
    let mut cores = BTreeSet::new();
    for cpu in cpuinfo.split("\n\n") {
        let field = |name: &str| {
            cpu.lines()
                .find_map(|l| l.strip_prefix(name)?.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        };
        if let Some(core) = field("core id") {
            cores.insert((field("physical id").unwrap_or_default(), core));
        }
    }
    (!cores.is_empty()).then_some(cores.len())
}

fn os_name() -> String {
    let release = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
    let pretty = release
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map(|v| v.trim_matches('"').to_string())
        .unwrap_or_else(|| std::env::consts::OS.to_string());
    match std::fs::read_to_string("/proc/sys/kernel/osrelease") {
        Ok(kernel) => format!("{pretty}, Linux {}", kernel.trim()),
        Err(_) => pretty,
    }
}

pub fn meminfo_kb(key: &str) -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    info.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The 1-minute load average, from /proc/loadavg.
pub fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn command_line(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let text = if text.is_empty() {
        String::from_utf8_lossy(&out.stderr).trim().to_string()
    } else {
        text
    };
    // "rustc 1.95.0 (59807616e 2026-04-14)" -> "rustc 1.95.0"
    Some(text.split(" (").next().unwrap_or(&text).to_string())
}

/// The current UTC date and time, as `YYYY-MM-DD HH:MM UTC`.
pub fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's days-to-civil algorithm
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_physical_cores_once() {
        let info = "processor : 0\nphysical id : 0\ncore id : 0\n\n\
                    processor : 1\nphysical id : 0\ncore id : 0\n\n\
                    processor : 2\nphysical id : 0\ncore id : 1\n";
        assert_eq!(physical_cores(info), Some(2));
        assert_eq!(physical_cores("processor : 0\n"), None);
    }

    #[test]
    fn the_date_looks_like_a_date() {
        let d = utc_now();
        assert_eq!(d.len(), "2026-01-01 00:00 UTC".len(), "{d}");
        assert!(d.starts_with("20") && d.ends_with(" UTC"), "{d}");
    }
}
