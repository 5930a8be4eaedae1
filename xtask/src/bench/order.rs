//! The order the implementations of one workload run in, round after round.

/// `runs` in the order of round `round`: shifted by one place every two rounds and
/// reversed every other round, so that over the rounds every implementation runs in every
/// place — first after another workload, last before one — and after each of its
/// neighbours. Reversing alone kept two implementations at the two ends and the others in
/// the middle, and an end is not a neutral place (W1 ran 8 % slower first than last).
pub(super) fn in_round_order<T>(mut runs: Vec<T>, round: usize) -> Vec<T> {
    if !runs.is_empty() {
        let shift = (round / 2) % runs.len();
        runs.rotate_left(shift);
    }
    if round % 2 == 1 {
        runs.reverse();
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::in_round_order;

    #[test]
    fn every_implementation_runs_in_every_place() {
        let runs = vec!['a', 'b', 'c', 'd', 'e', 'f'];
        let rounds = 2 * runs.len();
        for (place, _) in runs.iter().enumerate() {
            let mut seen: Vec<char> = (0..rounds)
                .map(|round| in_round_order(runs.clone(), round)[place])
                .collect();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), runs.len(), "place {place}: {seen:?}");
        }
        assert_eq!(in_round_order(runs.clone(), 0), runs);
        assert!(in_round_order(Vec::<char>::new(), 3).is_empty());
    }
}
