//! What this process has used so far, read from `/proc` (Linux): CPU time and peak memory.
//!
//! No `getrusage`: the workspace forbids `unsafe`, and `/proc` says the same thing.

use std::fs;

/// CPU time (user + system) the process has used so far, in nanoseconds.
#[derive(Debug, Clone, Copy)]
pub struct CpuTime {
    /// Summed over the live threads' `/proc/self/task/*/schedstat` (time on CPU, in ns):
    /// precise, but blind to threads that have exited.
    pub threads_ns: u64,
    /// `utime + stime` of `/proc/self/stat`: every thread, exited ones included, but in
    /// clock ticks (10 ms).
    pub ticks_ns: u64,
}

impl CpuTime {
    /// The CPU time used so far.
    pub fn now() -> Self {
        Self {
            threads_ns: threads_on_cpu_ns(),
            ticks_ns: stat_ticks_ns(),
        }
    }

    /// CPU nanoseconds between `earlier` and `self`: the precise per-thread sum, unless
    /// threads exited meanwhile (the coarse total then says more).
    pub fn since(self, earlier: CpuTime) -> u64 {
        let precise = self.threads_ns.saturating_sub(earlier.threads_ns);
        let coarse = self.ticks_ns.saturating_sub(earlier.ticks_ns);
        // Ticks are 10 ms; allow two of them (and 10 %) of disagreement.
        if coarse > precise + precise / 10 + 20_000_000 {
            coarse
        } else {
            precise
        }
    }
}

fn threads_on_cpu_ns() -> u64 {
    let Ok(tasks) = fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .filter_map(Result::ok)
        .filter_map(|task| fs::read_to_string(task.path().join("schedstat")).ok())
        .filter_map(|line| line.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

/// `/proc/<pid>/stat` counts in USER_HZ, which Linux fixes at 100 per second.
const NS_PER_TICK: u64 = 10_000_000;

fn stat_ticks_ns() -> u64 {
    let Ok(stat) = fs::read_to_string("/proc/self/stat") else {
        return 0;
    };
    // The command name (field 2) may hold spaces: count fields after its closing `)`.
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return 0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
    let field = |n: usize| fields.get(n - 3).and_then(|f| f.parse::<u64>().ok());
    (field(14).unwrap_or(0) + field(15).unwrap_or(0)) * NS_PER_TICK
}

/// The peak resident set size so far (`VmHWM`), in KiB.
pub fn peak_rss_kib() -> u64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cpu_time_and_peak_memory() {
        let before = CpuTime::now();
        let mut x = 0u64;
        for i in 0..3_000_000u64 {
            x = x.wrapping_mul(31).wrapping_add(i);
        }
        std::hint::black_box(x);
        let after = CpuTime::now();
        assert!(after.threads_ns > 0 && after.since(before) > 0);
        assert!(peak_rss_kib() > 0);
    }
}
