//! `client.snapshots()`.

use crate::snapshots::{
    CountSnapshots, GetSnapshot, ListSnapshots, RollBackSnapshot, Snapshot, SnapshotSummary,
};

super::resource! {
    /// Point-in-time snapshots of a folder: list, count, get, roll back.
    Snapshots, snapshots;
    /// Lists a folder's snapshots, newest first, a page at a time.
    fn list(ListSnapshots) -> Vec<SnapshotSummary>;
    /// Counts a folder's snapshots.
    fn count(CountSnapshots) -> u64;
    /// Gets a snapshot with the secrets it holds.
    fn get(GetSnapshot) -> Snapshot;
    /// Rolls the folder back to a snapshot (servers of 2024; current servers answer an
    /// error: they replaced it with "PIT commits", for users only).
    fn roll_back(RollBackSnapshot) -> SnapshotSummary;
}
