//! Leases of dynamic secrets: `/api/v1/dynamic-secrets/leases[/{leaseId}[/renew]]` and
//! `GET /api/v1/dynamic-secrets/{name}/leases`. After `ee/routes/v1/dynamic-secret-lease-router.ts`
//! and `ee/services/dynamic-secret-lease/dynamic-secret-lease-service.ts`. The emulated
//! `sql-database` provider issues `{DB_USERNAME, DB_PASSWORD}` and names the lease's external
//! entity after the user; a lease past its expiry is gone, as the server's revocation queue
//! would have removed it.

use serde_json::{json, Value};

use crate::dynamic_secrets::{dynamic_secret_json, folder_mut, place, DynamicSecret};
use crate::errors::ApiError;
use crate::resources::{handler, Handler, Input};
use crate::state::{Folder, State};
use crate::util::{iso_at, now_iso, now_millis, random_alnum, uuid};
use crate::validate::Check;

/// A lease: the credentials live until `expire_ms`.
#[derive(Clone, Debug)]
pub(crate) struct Lease {
    id: String,
    version: u64,
    external_entity_id: String,
    created_ms: u64,
    expire_ms: u64,
    created_at: String,
    updated_at: String,
}

/// The lease routes, given the path after `/api/v1/dynamic-secrets`.
pub(crate) fn route(method: &str, rest: &[&str]) -> Option<Handler> {
    let arg = rest.get(1).map(|s| s.to_string()).unwrap_or_default();
    match (method, rest) {
        ("POST", ["leases"]) => handler(create),
        ("GET", ["leases", _]) => handler(move |st, i| get(st, &arg, i)),
        ("POST", ["leases", _, "renew"]) => handler(move |st, i| renew(st, &arg, i)),
        ("DELETE", ["leases", _]) => handler(move |st, i| revoke(st, &arg, i)),
        ("GET", [name, "leases"]) => {
            let name = name.to_string();
            handler(move |st, i| list(st, &name, i))
        }
        _ => None,
    }
}

/// `ms(value)` of the `ms` package: a number and an optional unit (milliseconds without one).
pub(crate) fn parse_ttl(value: &str) -> Option<u64> {
    let v = value.trim().to_ascii_lowercase();
    let split = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(v.len());
    let (number, unit) = v.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor: f64 = match unit.trim() {
        "" | "ms" | "msec" | "msecs" | "millisecond" | "milliseconds" => 1.0,
        "s" | "sec" | "secs" | "second" | "seconds" => 1e3,
        "m" | "min" | "mins" | "minute" | "minutes" => 6e4,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3.6e6,
        "d" | "day" | "days" => 8.64e7,
        "w" | "week" | "weeks" => 6.048e8,
        "y" | "yr" | "yrs" | "year" | "years" => 3.15576e10,
        _ => return None,
    };
    Some((number * factor).round() as u64)
}

/// `DynamicSecretLeasesSchema`.
fn lease_json(ds: &DynamicSecret, lease: &Lease) -> Value {
    json!({
        "id": lease.id,
        "version": lease.version,
        "externalEntityId": lease.external_entity_id,
        "expireAt": iso_at(lease.expire_ms),
        "status": null,
        "statusDetails": null,
        "dynamicSecretId": ds.id,
        "createdAt": lease.created_at,
        "updatedAt": lease.updated_at,
    })
}

/// Drops the leases whose credentials have expired.
fn prune(folder: &mut Folder) {
    let now = now_millis();
    for ds in &mut folder.dynamic_secrets {
        ds.leases.retain(|l| l.expire_ms > now);
    }
}

/// The `ttl` of a body: the requested one or the dynamic secret's default, in ms.
fn ttl_ms(requested: Option<&str>, ds: &DynamicSecret) -> u64 {
    parse_ttl(requested.unwrap_or(&ds.default_ttl)).unwrap_or_default()
}

/// Reads `ttl` (optional, at least a minute) from a body.
fn read_ttl(c: &mut Check, m: &serde_json::Map<String, Value>) -> Option<String> {
    let ttl = c.string(m, &[], "ttl", false, false)?;
    if parse_ttl(&ttl).is_none_or(|ms| ms < 60_000) {
        c.custom(&["ttl"], "TTL must be a greater than 1min");
    }
    Some(ttl)
}

fn create(state: &mut State, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let p = place(&mut c, m);
    let name = c
        .non_empty_string(m, &[], "dynamicSecretName")
        .map(|n| n.to_lowercase());
    let ttl = read_ttl(&mut c, m);
    c.finish()?;
    let name = name.unwrap_or_default();
    let (folder, _) = folder_mut(state, &p)?;
    prune(folder);
    let ds = folder
        .dynamic_secrets
        .iter_mut()
        .find(|d| d.name == name)
        .ok_or_else(|| ApiError::not_found("Dynamic secret not found"))?;
    let now = now_millis();
    let expire_ms = now + ttl_ms(ttl.as_deref(), ds);
    if let Some(max) = ds.max_ttl.as_deref().and_then(parse_ttl) {
        if expire_ms > now + max {
            return Err(ApiError::bad_request("TTL cannot be larger than max TTL"));
        }
    }
    let username = random_alnum(32).to_lowercase();
    let created_at = now_iso();
    let lease = Lease {
        id: uuid(),
        version: 1,
        external_entity_id: username.clone(),
        created_ms: now,
        expire_ms,
        created_at: created_at.clone(),
        updated_at: created_at,
    };
    let answer_lease = lease_json(ds, &lease);
    ds.leases.push(lease);
    let ds = ds.clone();
    Ok(json!({
        "lease": answer_lease,
        "dynamicSecret": dynamic_secret_json(folder, &ds),
        "data": {"DB_USERNAME": username, "DB_PASSWORD": random_alnum(48)},
    }))
}

/// The body or query of the routes on one lease: its place, and the folder it must be in.
fn lease_place(
    input: &Input<'_>,
    from_query: bool,
) -> Result<(crate::dynamic_secrets::Place, Option<String>), ApiError> {
    let mut c = Check::new();
    let m = if from_query {
        input.query
    } else {
        c.object(input.body)?
    };
    let p = place(&mut c, m);
    let ttl = if from_query {
        None
    } else {
        read_ttl(&mut c, m)
    };
    if !from_query {
        c.boolean(m, &[], "isForced", false);
    }
    c.finish()?;
    Ok((p, ttl))
}

/// The lease with this id among the folder's dynamic secrets: indexes, or 404.
fn find(folder: &Folder, id: &str) -> Result<(usize, usize), ApiError> {
    folder
        .dynamic_secrets
        .iter()
        .enumerate()
        .find_map(|(d, ds)| ds.leases.iter().position(|l| l.id == id).map(|l| (d, l)))
        .ok_or_else(|| ApiError::not_found("Dynamic secret lease not found"))
}

fn get(state: &mut State, id: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    let (p, _) = lease_place(input, true)?;
    let (folder, _) = folder_mut(state, &p)?;
    prune(folder);
    let (d, l) = find(folder, id)?;
    let ds = &folder.dynamic_secrets[d];
    let mut v = lease_json(ds, &ds.leases[l]);
    v["dynamicSecret"] = dynamic_secret_json(folder, ds);
    Ok(json!({ "lease": v }))
}

fn renew(state: &mut State, id: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    let (p, ttl) = lease_place(input, false)?;
    let (folder, _) = folder_mut(state, &p)?;
    prune(folder);
    let (d, l) = find(folder, id)?;
    let ds = &mut folder.dynamic_secrets[d];
    let add = ttl_ms(ttl.as_deref(), ds);
    let max = ds.max_ttl.as_deref().and_then(parse_ttl);
    let lease = &mut ds.leases[l];
    let expire_ms = lease.expire_ms + add;
    if max.is_some_and(|max| expire_ms > lease.created_ms + max) {
        return Err(ApiError::bad_request("TTL cannot be larger than max ttl"));
    }
    lease.expire_ms = expire_ms;
    lease.version += 1;
    lease.updated_at = now_iso();
    let ds = &folder.dynamic_secrets[d];
    Ok(json!({ "lease": lease_json(ds, &ds.leases[l]) }))
}

fn revoke(state: &mut State, id: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    let (p, _) = lease_place(input, false)?;
    let (folder, _) = folder_mut(state, &p)?;
    prune(folder);
    let (d, l) = find(folder, id)?;
    let ds = &mut folder.dynamic_secrets[d];
    let lease = ds.leases.remove(l);
    Ok(json!({ "lease": lease_json(ds, &lease) }))
}

fn list(state: &mut State, name: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    let (p, _) = lease_place(input, true)?;
    let (folder, _) = folder_mut(state, &p)?;
    prune(folder);
    let ds = folder
        .dynamic_secrets
        .iter()
        .find(|d| d.name == name)
        .ok_or_else(|| ApiError::not_found("Dynamic secret not found"))?;
    let leases: Vec<Value> = ds.leases.iter().map(|l| lease_json(ds, l)).collect();
    Ok(json!({ "leases": leases }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttls_read_like_ms() {
        assert_eq!(parse_ttl("1h"), Some(3_600_000));
        assert_eq!(parse_ttl("30m"), Some(1_800_000));
        assert_eq!(parse_ttl("2 days"), Some(172_800_000));
        assert_eq!(parse_ttl("1500"), Some(1500));
        assert_eq!(parse_ttl("soon"), None);
    }
}
