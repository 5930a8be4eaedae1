//! Medians, spreads, ratios to the baseline, goals, and the printed table.

use super::interval::median_interval;
use super::*;

/// Every run's fields, by workload and implementation, in run order.
#[derive(Default)]
pub(super) struct Results(BTreeMap<(String, String), Vec<Fields>>);

impl Results {
    pub(super) fn push(&mut self, workload: &str, imp: &str, fields: Fields) {
        self.0
            .entry((workload.to_owned(), imp.to_owned()))
            .or_default()
            .push(fields);
    }

    pub(super) fn values(&self, workload: &str, imp: &str, key: &str) -> Vec<f64> {
        self.0
            .get(&(workload.to_owned(), imp.to_owned()))
            .map(|runs| runs.iter().filter_map(|f| f.get(key).copied()).collect())
            .unwrap_or_default()
    }
}

pub(super) fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    Some(if sorted.len() % 2 == 0 {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    })
}

/// (max − min) / median, as a percentage: how noisy a figure was.
pub(super) fn spread(values: &[f64]) -> Option<f64> {
    let med = median(values)?;
    let max = values.iter().copied().fold(f64::MIN, f64::max);
    let min = values.iter().copied().fold(f64::MAX, f64::min);
    (med > 0.0).then(|| (max - min) / med * 100.0)
}

/// Which way a figure should go relative to its reference.
#[derive(Clone, Copy)]
pub(super) enum Goal {
    AtMost(f64),
    AtLeast(f64),
    None,
}

/// One line of a table.
pub(super) struct Row {
    pub(super) name: String,
    pub(super) metric: String,
    pub(super) ours: String,
    pub(super) reference: String,
    pub(super) ratio: String,
    pub(super) goal: String,
    pub(super) met: String,
    /// The official Rust SDK's figure and its ratio to the same reference, if it ran.
    pub(super) official: String,
    /// This SDK against the official one: ahead, level or behind.
    pub(super) vs_official: String,
}

/// A figure of one implementation against the same figure of a reference. Runs are paired
/// by order: the ratio is the median of the per-run ratios, which cancels drift in the
/// machine's load.
pub(super) fn compare(results: &Results, figure: &Figure) -> Row {
    let (name, metric, key, scale, (workload, imp), (ref_workload, ref_imp), goal) = *figure;
    let goal_kind = goal;
    let ours = results.values(workload, imp, key);
    let theirs = results.values(ref_workload, ref_imp, key);
    let ratios = paired_ratios(&ours, &theirs);
    let ratio = median(&ratios);
    let interval = median_interval(&ratios);
    let with_spread = |values: &[f64]| match (median(values), spread(values)) {
        (Some(m), Some(s)) => format!("{} ±{:.0}%", fmt(m * scale), s / 2.0),
        (Some(m), None) => fmt(m * scale),
        _ => "—".to_owned(),
    };
    let verdict = |ok: bool, limit: f64| {
        let mut met = yes_no(ok);
        if interval.is_some_and(|(low, high)| low <= limit && limit <= high) {
            met.push_str(" (in noise)");
        }
        met
    };
    let (goal, met) = match goal {
        Goal::AtMost(limit) => (
            format!("≤ {limit:.2}×"),
            ratio.map_or("—".to_owned(), |r| verdict(r <= limit, limit)),
        ),
        Goal::AtLeast(limit) => (
            format!("≥ {limit:.2}×"),
            ratio.map_or("—".to_owned(), |r| verdict(r >= limit, limit)),
        ),
        Goal::None => ("(report)".to_owned(), "—".to_owned()),
    };
    let higher_is_better = matches!(goal_kind, Goal::AtLeast(_));
    let (official, vs_official) = official_cells(results, figure, &ours, higher_is_better);
    Row {
        name: name.to_owned(),
        metric: metric.to_owned(),
        ours: with_spread(&ours),
        reference: with_spread(&theirs),
        ratio: match (ratio, interval) {
            (Some(r), Some((low, high))) => format!("{r:.3}× ({low:.2}–{high:.2})"),
            (Some(r), None) => format!("{r:.3}×"),
            _ => "—".to_owned(),
        },
        goal,
        met,
        official,
        vs_official,
    }
}

/// The official SDK's figure (median, and its ratio to the same reference) and this SDK's
/// standing against it, when the official SDK ran the same workload.
fn official_cells(
    results: &Results,
    figure: &Figure,
    ours: &[f64],
    higher_is_better: bool,
) -> (String, String) {
    let (_, _, key, scale, (workload, imp), (ref_workload, ref_imp), _) = *figure;
    let official = results.values(workload, "official", key);
    let reference = results.values(ref_workload, ref_imp, key);
    let (Some(theirs), true) = (median(&official), imp == "sdk") else {
        return ("—".to_owned(), "—".to_owned());
    };
    let to_reference = paired_ratio(&official, &reference);
    let cell = match to_reference {
        Some(r) => format!("{} ({r:.3}×)", fmt(theirs * scale)),
        None => fmt(theirs * scale),
    };
    let standing = match paired_ratio(ours, &official) {
        Some(r) => {
            let behind = if higher_is_better { r < 1.0 } else { r > 1.0 };
            format!(
                "{r:.3}× {}",
                if behind { "behind" } else { "ahead or level" }
            )
        }
        None => "—".to_owned(),
    };
    (cell, standing)
}

/// The median of run-by-run ratios `a / b` (runs paired by order).
fn paired_ratio(a: &[f64], b: &[f64]) -> Option<f64> {
    median(&paired_ratios(a, b))
}

/// The run-by-run ratios `a / b` (runs paired by order).
fn paired_ratios(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter()
        .zip(b)
        .filter(|(_, b)| **b > 0.0)
        .map(|(a, b)| a / b)
        .collect()
}

pub(super) fn yes_no(ok: bool) -> String {
    if ok { "yes" } else { "NO" }.to_owned()
}

pub(super) fn fmt(value: f64) -> String {
    if value >= 1000.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// One compared figure of the table: name, metric, result key, scale for display, the
/// measured (workload, implementation), its reference, and the goal for the ratio.
type Figure = (
    &'static str,
    &'static str,
    &'static str,
    f64,
    (&'static str, &'static str),
    (&'static str, &'static str),
    Goal,
);

pub(super) const US: f64 = 1e-3;
pub(super) const MS: f64 = 1e-6;
pub(super) const W1: (&str, &str) = ("w1", "sdk");
pub(super) const W1_BASE: (&str, &str) = ("w1", "baseline");

/// The table's comparisons, in order (W4 has rows of its own).
#[rustfmt::skip]
pub(super) const FIGURES: &[Figure] = &[
    ("W1 sequential, 2000 × list(50)", "CPU µs/call", "cpu_ns_per_call", US, W1, W1_BASE, Goal::AtMost(1.05)),
    ("", "wall µs/call", "wall_ns_per_call", US, W1, W1_BASE, Goal::None),
    ("  SDK without timeout or deadline", "CPU µs/call", "cpu_ns_per_call", US, ("w1", "sdk-untimed"), W1_BASE, Goal::None),
    ("  baseline with a 30 s timeout", "CPU µs/call", "cpu_ns_per_call", US, ("w1", "baseline-timeout"), W1_BASE, Goal::None),
    ("  baseline's transport, SDK's decoding", "CPU µs/call", "cpu_ns_per_call", US, ("w1", "baseline-sdk-decoding"), W1_BASE, Goal::None),
    ("W2 concurrent, 64 in flight, 10000", "calls/s", "calls_per_sec", 1.0, ("w2", "sdk"), ("w2", "baseline"), Goal::AtLeast(0.95)),
    ("", "CPU µs/call", "cpu_ns_per_call", US, ("w2", "sdk"), ("w2", "baseline"), Goal::None),
    ("  baseline's transport, SDK's decoding", "CPU µs/call", "cpu_ns_per_call", US, ("w2", "baseline-sdk-decoding"), ("w2", "baseline"), Goal::None),
    ("W3 large, 20 × list(10000 × 100 B)", "ms/call", "wall_ns_per_call", MS, ("w3", "sdk"), ("w3", "baseline"), Goal::AtMost(1.05)),
    ("", "peak RSS MiB", "peak_rss_kib", 1.0 / 1024.0, ("w3", "sdk"), ("w3", "baseline"), Goal::AtMost(1.1)),
    ("", "CPU ms/call", "cpu_ns_per_call", MS, ("w3", "sdk"), ("w3", "baseline"), Goal::None),
    ("W5 cold start", "ms to first value", "first_value_ns", MS, ("w5", "sdk"), ("w5", "baseline"), Goal::AtMost(1.2)),
    ("", "peak RSS MiB", "peak_rss_kib", 1.0 / 1024.0, ("w5", "sdk"), ("w5", "baseline"), Goal::AtMost(1.3)),
    ("  environment scrubbed", "ms to first value", "first_value_ns", MS, ("w5", "sdk scrubbed"), ("w5", "baseline scrubbed"), Goal::None),
    ("W6 blocking W1 (ref: async SDK)", "CPU µs/call", "cpu_ns_per_call", US, ("w6", "sdk"), W1, Goal::None),
    ("", "wall µs/call", "wall_ns_per_call", US, ("w6", "sdk"), W1, Goal::None),
];

pub(super) fn print_table(results: &Results, options: &Options) {
    let mut rows = Vec::new();
    for figure in FIGURES {
        let (ours, reference) = (figure.4, figure.5);
        if !options.wants(ours.0) || !options.wants(reference.0) {
            continue;
        }
        if ours == ("w5", "sdk") && !figure.0.is_empty() && options.wants("w4") {
            for imp in ["async", "blocking", "official"] {
                rows.push(storm_row(results, imp));
            }
        }
        let mut row = compare(results, figure);
        if ours.0 != reference.0 {
            row.ratio.push_str(" of async");
        }
        rows.push(row);
    }
    if options.wants("w4") && !options.wants("w5") {
        for imp in ["async", "blocking", "official"] {
            rows.push(storm_row(results, imp));
        }
    }
    print_rows(&rows);
}

/// W4: every run must see exactly one login and no failed call.
pub(super) fn storm_row(results: &Results, imp: &str) -> Row {
    let logins = results.values("w4", imp, "logins");
    let failures = results.values("w4", imp, "failures");
    let runs = logins.len();
    let good = logins
        .iter()
        .zip(&failures)
        .filter(|(l, f)| **l == 1.0 && **f == 0.0)
        .count();
    let range = |v: &[f64]| {
        let max = v.iter().copied().fold(0.0, f64::max);
        let min = v.iter().copied().fold(f64::MAX, f64::min);
        if runs == 0 {
            "—".to_owned()
        } else if min == max {
            format!("{max}")
        } else {
            format!("{min}–{max}")
        }
    };
    let official = imp == "official";
    let figures = format!("{} / {}", range(&logins), range(&failures));
    Row {
        name: format!("W4 refresh storm, 200 calls ({imp})"),
        metric: "logins / failed calls".to_owned(),
        ours: if official {
            "—".to_owned()
        } else {
            figures.clone()
        },
        reference: "—".to_owned(),
        ratio: format!("{good} of {runs} runs"),
        goal: "1 / 0 every run".to_owned(),
        met: if official {
            "—".to_owned()
        } else {
            yes_no(runs > 0 && good == runs)
        },
        official: if official { figures } else { "—".to_owned() },
        vs_official: "—".to_owned(),
    }
}

pub(super) fn print_rows(rows: &[Row]) {
    let header = Row {
        name: "workload".to_owned(),
        metric: "figure".to_owned(),
        ours: "SDK".to_owned(),
        reference: "baseline".to_owned(),
        ratio: "ratio".to_owned(),
        goal: "goal".to_owned(),
        met: "met".to_owned(),
        official: "official SDK 0.0.4 (ratio)".to_owned(),
        vs_official: "SDK / official".to_owned(),
    };
    let cells = |r: &Row| {
        [
            r.name.clone(),
            r.metric.clone(),
            r.ours.clone(),
            r.reference.clone(),
            r.ratio.clone(),
            r.goal.clone(),
            r.met.clone(),
            r.official.clone(),
            r.vs_official.clone(),
        ]
    };
    let all: Vec<[String; 9]> = std::iter::once(&header).chain(rows).map(cells).collect();
    let widths: Vec<usize> = (0..9)
        .map(|i| all.iter().map(|c| c[i].chars().count()).max().unwrap_or(0))
        .collect();
    for (n, row) in all.iter().enumerate() {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        println!("| {} |", line.join(" | "));
        if n == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            println!("|-{}-|", rule.join("-|-"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fifteen runs of W1 for the SDK and the baseline, the SDK's CPU `ratios` times the
    /// baseline's in each.
    fn w1_runs(ratios: &[f64]) -> Results {
        let mut results = Results::default();
        for (n, ratio) in ratios.iter().enumerate() {
            let baseline = 200_000.0 + n as f64 * 1_000.0;
            for (imp, cpu) in [("baseline", baseline), ("sdk", baseline * ratio)] {
                let fields = Fields::from([("cpu_ns_per_call".to_owned(), cpu)]);
                results.push("w1", imp, fields);
            }
        }
        results
    }

    #[test]
    fn a_goal_inside_the_ratios_interval_is_met_or_missed_in_noise() {
        let figure = FIGURES.first().expect("W1 CPU");
        // Median 1.07; the interval (4th to 12th of 15) 1.04–1.10 holds the goal 1.05.
        let spread = [1.0, 1.02, 1.03, 1.04, 1.05, 1.06, 1.065, 1.07];
        let ratios: Vec<f64> = spread
            .iter()
            .chain(&[1.075, 1.08, 1.09, 1.10, 1.12, 1.15, 1.2])
            .copied()
            .collect();
        let row = compare(&w1_runs(&ratios), figure);
        assert_eq!(row.ratio, "1.070× (1.04–1.10)");
        assert_eq!(row.met, "NO (in noise)");

        // All fifteen well under the goal: met, and firmly.
        let row = compare(&w1_runs(&[0.9; 15]), figure);
        assert_eq!(row.ratio, "0.900× (0.90–0.90)");
        assert_eq!(row.met, "yes");
    }
}
