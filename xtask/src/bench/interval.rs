//! How firm a median is: a 95 % confidence interval from the runs' order statistics.
//!
//! The machine's noise is not normal (a run is slow when another tenant is busy, never
//! fast for the same reason), so the interval assumes nothing about its distribution:
//! the median of `n` runs lies below the `k`-th smallest value only if fewer than `k` runs
//! fell below it, which happens with the probability of a binomial(`n`, ½) count below
//! `k`. The interval is the `k`-th smallest to the `k`-th largest value, for the largest
//! `k` keeping that probability under 2.5 % at each end. A ratio whose interval holds its
//! goal is met or missed within the noise, whatever its median says.

/// The chance allowed at each end of the interval.
const TAIL: f64 = 0.025;

/// A 95 % (or wider) confidence interval for the median of `values`; `None` for fewer
/// than six values, which cannot give one.
pub(super) fn median_interval(values: &[f64]) -> Option<(f64, f64)> {
    let n = values.len();
    let k = order_for(n)?;
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let low = *sorted.get(k.checked_sub(1)?)?;
    let high = *sorted.get(n.checked_sub(k)?)?;
    Some((low, high))
}

/// The largest `k ≥ 1` with P(binomial(`n`, ½) < `k`) ≤ [`TAIL`], if there is one.
fn order_for(n: usize) -> Option<usize> {
    let exponent = i32::try_from(n).ok()?;
    let mut point = 0.5_f64.powi(exponent); // P(X = j), from j = 0
    let mut below = 0.0; // P(X < k)
    let mut k = 0;
    for j in 0..n {
        below += point;
        if below > TAIL {
            break;
        }
        k = j.checked_add(1)?;
        point *= n.checked_sub(j)? as f64 / k as f64;
    }
    (k > 0).then_some(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_matches_the_binomial_tables() {
        // Standard values for a 95 % interval of the median (e.g. Conover, table A3).
        assert_eq!(order_for(5), None, "five runs cannot give 95 %");
        assert_eq!(order_for(6), Some(1));
        assert_eq!(order_for(10), Some(2));
        assert_eq!(order_for(15), Some(4));
        assert_eq!(order_for(20), Some(6));
        assert_eq!(order_for(60), Some(22));
    }

    #[test]
    fn the_interval_takes_the_values_at_that_order_whatever_their_input_order() {
        let values: Vec<f64> = [9, 1, 14, 3, 7, 12, 5, 2, 15, 4, 11, 6, 13, 8, 10]
            .map(f64::from)
            .to_vec();
        assert_eq!(median_interval(&values), Some((4.0, 12.0)));
        assert_eq!(median_interval(&values[..5]), None);
        assert_eq!(median_interval(&[]), None);
    }
}
