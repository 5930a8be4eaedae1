//! Leases: issue credentials from a dynamic secret, get, renew, revoke, list.

use super::model::{IssuedLease, Lease};
use super::requests::ForcedBody;
use super::{targeted, Target};
use crate::location::WireLocation;
use crate::rest::{member, operation, whole, Routes};
use serde::Serialize;

/// `{lease}` on every route but create.
const ONE: &[&str] = &["lease"];

/// `{location, ttl?}` plus, for a new lease, `dynamicSecretName`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LeaseBody<'a> {
    #[serde(flatten)]
    location: WireLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dynamic_secret_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ttl: Option<&'a str>,
}

/// Issues credentials from a dynamic secret: a new lease.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreateLease {
    target: Target,
    ttl: Option<String>,
}

targeted!(
    CreateLease,
    dynamic_secret_name,
    "A lease of the dynamic secret `dynamic_secret_name` of the root folder of an environment.",
    ttl: None
);

impl CreateLease {
    /// How long the credentials live, such as `30m` (at least a minute; default: the
    /// dynamic secret's default TTL).
    pub fn ttl(mut self, ttl: impl Into<String>) -> Self {
        self.ttl = Some(ttl.into());
        self
    }
}

const CREATE: Routes = Routes::stable("POST /api/v1/dynamic-secrets/leases");

operation! {
    CreateLease => IssuedLease;
    family(Stable)
    validate(s) { s.target.validate("dynamic_secret_name") }
    request(s, generation) {
        let body = LeaseBody {
            location: s.target.location.wire(generation),
            dynamic_secret_name: Some(&s.target.key),
            ttl: s.ttl.as_deref(),
        };
        CREATE.at(generation).send_json(&body)
    }
    answer(response) { whole(&CREATE, response) }
}

/// Gets one lease, with its dynamic secret.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetLease {
    target: Target,
}

targeted!(
    GetLease,
    lease_id,
    "Gets the lease `lease_id` of a dynamic secret of the root folder of an environment."
);

const GET: Routes = Routes::stable("GET /api/v1/dynamic-secrets/leases/{leaseId}");

operation! {
    GetLease => Lease;
    family(Stable)
    validate(s) { s.target.validate("lease_id") }
    request(s, generation) {
        let call = GET.at(generation).arg(&s.target.key);
        s.target.location.query(call, generation).send()
    }
    answer(response) { member(&GET, ONE, response) }
}

/// Extends a lease.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RenewLease {
    target: Target,
    ttl: Option<String>,
}

targeted!(
    RenewLease,
    lease_id,
    "Renews the lease `lease_id` of a dynamic secret of the root folder of an environment.",
    ttl: None
);

impl RenewLease {
    /// How much longer the lease lives, added to its current expiry (default: the dynamic
    /// secret's default TTL); the total stays within the maximum TTL.
    pub fn ttl(mut self, ttl: impl Into<String>) -> Self {
        self.ttl = Some(ttl.into());
        self
    }
}

const RENEW: Routes = Routes::stable("POST /api/v1/dynamic-secrets/leases/{leaseId}/renew");

operation! {
    RenewLease => Lease;
    family(Stable)
    validate(s) { s.target.validate("lease_id") }
    request(s, generation) {
        let body = LeaseBody {
            location: s.target.location.wire(generation),
            dynamic_secret_name: None,
            ttl: s.ttl.as_deref(),
        };
        RENEW.at(generation).arg(&s.target.key).send_json(&body)
    }
    answer(response) { member(&RENEW, ONE, response) }
}

/// Revokes a lease: the provider deletes the credentials.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RevokeLease {
    target: Target,
    force: bool,
}

targeted!(
    RevokeLease,
    lease_id,
    "Revokes the lease `lease_id` of a dynamic secret of the root folder of an environment.",
    force: false
);

impl RevokeLease {
    /// Delete the lease from Infisical even when the provider refuses to revoke it.
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }
}

const REVOKE: Routes = Routes::stable("DELETE /api/v1/dynamic-secrets/leases/{leaseId}");

operation! {
    RevokeLease => Lease;
    family(Stable)
    validate(s) { s.target.validate("lease_id") }
    request(s, generation) {
        let body = ForcedBody {
            location: s.target.location.wire(generation),
            is_forced: s.force,
        };
        REVOKE.at(generation).arg(&s.target.key).send_json(&body)
    }
    answer(response) { member(&REVOKE, ONE, response) }
}

/// Lists the leases of a dynamic secret.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListLeases {
    target: Target,
}

targeted!(
    ListLeases,
    dynamic_secret_name,
    "Lists the leases of the dynamic secret `dynamic_secret_name` of the root folder of an environment."
);

const LIST: Routes = Routes::stable("GET /api/v1/dynamic-secrets/{name}/leases");

operation! {
    ListLeases => Vec<Lease>;
    family(Stable)
    validate(s) { s.target.validate("dynamic_secret_name") }
    request(s, generation) {
        let call = LIST.at(generation).arg(&s.target.key);
        s.target.location.query(call, generation).send()
    }
    answer(response) { member(&LIST, &["leases"], response) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiGeneration, Operation};
    use serde_json::{json, Value};

    fn body(request: &http::Request<bytes::Bytes>) -> Value {
        serde_json::from_slice(request.body()).unwrap()
    }

    #[test]
    fn lease_requests() {
        let create = CreateLease::new("demo", "dev", "db").ttl("30m");
        let request = create.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(request.uri().path(), "/api/v1/dynamic-secrets/leases");
        assert_eq!(
            body(&request),
            json!({"projectSlug": "demo", "environmentSlug": "dev", "path": "/",
                "dynamicSecretName": "db", "ttl": "30m"})
        );
        let renew = RenewLease::new("demo", "dev", "l1")
            .to_http(ApiGeneration::Legacy)
            .unwrap();
        assert_eq!(
            renew.uri().path(),
            "/api/v1/dynamic-secrets/leases/l1/renew"
        );
        assert!(body(&renew).get("ttl").is_none());
        let revoke = RevokeLease::new("demo", "dev", "l1").force(true);
        assert_eq!(
            body(&revoke.to_http(ApiGeneration::Current).unwrap())["isForced"],
            true
        );
        let list = ListLeases::new("demo", "dev", "db")
            .to_http(ApiGeneration::Current)
            .unwrap();
        assert_eq!(list.uri().path(), "/api/v1/dynamic-secrets/db/leases");
        let err = GetLease::new("demo", "dev", "").validate().unwrap_err();
        assert_eq!(err.field(), "lease_id");
    }
}
