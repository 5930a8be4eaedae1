//! `client.dynamic_secret_leases()`.

use crate::dynamic_secrets::{
    CreateLease, GetLease, IssuedLease, Lease, ListLeases, RenewLease, RevokeLease,
};

super::resource! {
    /// The leases of dynamic secrets: credentials issued for a while.
    DynamicSecretLeases, dynamic_secret_leases;
    /// Issues credentials: answers the lease and the credentials.
    fn create(CreateLease) -> IssuedLease;
    /// Gets one lease.
    fn get(GetLease) -> Lease;
    /// Extends a lease.
    fn renew(RenewLease) -> Lease;
    /// Revokes a lease; answers the revoked lease.
    fn revoke(RevokeLease) -> Lease;
    /// Lists the leases of a dynamic secret.
    fn list(ListLeases) -> Vec<Lease>;
}
