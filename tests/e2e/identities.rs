//! Machine identities as a platform team bootstraps them: an identity creates another,
//! gives it universal auth and a client secret, and the new identity logs in with it; then
//! every identities method, on both server generations and both clients.

/// The bootstrap flow through `$client`; `$login(client_id, client_secret)` builds a client
/// of the same kind for the new identity.
macro_rules! bootstrap {
    ($client:expr, $world:expr, $login:expr, [$($aw:tt)*]) => {{
        use infisical::identities::*;
        use std::time::Duration;

        let world: &$crate::support::World = $world;
        let emu = &world.emulator;
        emu.set_secret(&world.project, "dev", "/", "DATABASE_URL", "postgres://db");
        let org = emu.organization_id();
        let identities = $client.identities();

        let deployer = identities
            .create(CreateIdentity::new(&org, "deployer").role("member"))$($aw)*
            .expect("create");
        assert_eq!(deployer.name, "deployer");
        assert!(!deployer.has_universal_auth());
        let ua = identities
            .attach_universal_auth(
                AttachUniversalAuth::new(&deployer.id)
                    .access_token_ttl(Duration::from_secs(3600))
                    .access_token_max_ttl(Duration::from_secs(86_400))
                    .client_secret_trusted_ips(["10.0.0.0/8", "127.0.0.1"]),
            )$($aw)*
            .expect("attach");
        assert_eq!((ua.access_token_ttl, ua.access_token_max_ttl), (3600, 86_400));
        assert_eq!(ua.identity_id, deployer.id);
        assert_eq!(ua.client_secret_trusted_ips[0].prefix, Some(8));
        assert_eq!(ua.client_secret_trusted_ips[1].prefix, None);
        let secret = identities
            .create_client_secret(CreateClientSecret::new(&deployer.id).description("ci"))$($aw)*
            .expect("client secret");
        let shown = secret.secret().expose().to_owned();
        assert_eq!(shown.len(), 64);
        assert!(!format!("{secret:?}").contains(&shown), "Debug never shows the secret");
        assert!(shown.starts_with(&secret.info.client_secret_prefix));

        // The new identity logs in with what it was given; it reads the project's secrets
        // once it is a member of the project, not before.
        let dev = || infisical::secrets::ListSecrets::new(&world.project, "dev");
        let new_client = $login(ua.client_id.clone(), shown.clone());
        let outsider = new_client.secrets().list(dev())$($aw)*.unwrap_err();
        assert_eq!(outsider.status().map(|s| s.as_u16()), Some(403), "{outsider}");
        let added = identities
            .add_to_project(AddIdentityToProject::new(
                &world.project,
                &deployer.id,
                [RoleAssignment::permanent("viewer")],
            ))$($aw)*
            .expect("add to the project");
        assert_eq!(added.identity_id, deployer.id);
        let list = new_client.secrets().list(dev())$($aw)*.expect("the new identity reads");
        // Of the organization's projects, it sees its own only.
        emu.create_project("not-theirs");
        let in_org = infisical::projects::ListProjects::in_organization(&org);
        let visible = new_client.projects().list(in_org.clone())$($aw)*.expect("its projects");
        assert_eq!(visible.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), [world.project.as_str()]);
        assert_eq!($client.projects().list(in_org)$($aw)*.unwrap().len(), 2, "the admin sees both");
        assert_eq!(list.get("DATABASE_URL").unwrap().value().unwrap(), "postgres://db");
        let used = identities
            .list_client_secrets(ListClientSecrets::new(&deployer.id))$($aw)*
            .unwrap();
        assert_eq!(used.len(), 1);
        assert_eq!(used[0].client_secret_num_uses, 1, "one login: the token was reused");

        // Revoked: the next login with it is refused, typed, and nothing is listed.
        identities
            .revoke_client_secret(RevokeClientSecret::new(&deployer.id, &secret.info.id))$($aw)*
            .expect("revoke");
        let refused = $login(ua.client_id.clone(), shown.clone()).secrets().list(dev())$($aw)*.unwrap_err();
        let infisical::Error::Credentials(cred) = &refused else { panic!("{refused:?}") };
        assert_eq!(cred.kind(), infisical::CredentialsErrorKind::LoginRejected, "{refused}");
        assert!(!refused.to_string().contains(&shown));
        assert!(identities
            .list_client_secrets(ListClientSecrets::new(&deployer.id))$($aw)*
            .unwrap()
            .is_empty());
    }};
}

#[tokio::test]
async fn an_identity_bootstraps_another_that_logs_in_and_reads_a_secret() {
    let world = crate::support::World::modern();
    let client = world.client();
    let url = world.emulator.url();
    let login = |id: String, secret: String| {
        infisical::Client::builder()
            .base_url(&url)
            .credentials(infisical::credentials::UniversalAuth::new(id, secret))
            .build()
            .unwrap()
    };
    bootstrap!(client, &world, login, [.await]);
}

#[test]
fn the_bootstrap_flow_through_the_blocking_client() {
    let world = crate::support::World::modern();
    let client = world.blocking_client();
    let url = world.emulator.url();
    let login = |id: String, secret: String| {
        infisical::blocking::Client::builder()
            .base_url(&url)
            .credentials(infisical::credentials::UniversalAuth::new(id, secret))
            .build()
            .unwrap()
    };
    bootstrap!(client, &world, login, []);
}

/// Every identities method through `$client` against `$world`.
macro_rules! exercise_identities {
    ($client:expr, $world:expr, [$($aw:tt)*]) => {{
        use infisical::identities::*;
        use std::time::Duration;

        let world: &$crate::support::World = $world;
        let emu = &world.emulator;
        let modern = emu.mode() != infisical_emulator::ServerMode::Legacy;
        let org = emu.organization_id();
        let identities = $client.identities();

        let a = identities.create(CreateIdentity::new(&org, "b-builder"))$($aw)*.unwrap();
        let b = identities.create(CreateIdentity::new(&org, "a-auditor").role("admin"))$($aw)*.unwrap();

        // get: the organization membership, and the identity in it
        let got = identities.get(GetIdentity::new(&a.id))$($aw)*.expect("get");
        assert_eq!((got.identity_id.as_str(), got.role.as_str()), (a.id.as_str(), "no-access"));
        assert_eq!(got.identity.name, "b-builder");
        assert_ne!(got.id, a.id, "the membership's id is not the identity's");

        // list: by name, a page at a time, searched
        let page = identities.list(ListIdentities::new(&org).limit(1))$($aw)*.expect("list");
        assert_eq!(page.total_count, 2);
        assert_eq!(page.identities.len(), 1);
        assert_eq!(page.identities[0].identity.name, "a-auditor");
        let second = identities.list(ListIdentities::new(&org).offset(1))$($aw)*.unwrap();
        assert_eq!(second.identities[0].identity_id, a.id);
        let found = identities.list(ListIdentities::new(&org).search("AUDIT"))$($aw)*.unwrap();
        assert_eq!(found.total_count, 1);

        // update and universal auth, on either generation's `authMethod(s)`
        let renamed = identities.update(UpdateIdentity::new(&a.id).name("builder").role("member"))$($aw)*.unwrap();
        assert_eq!(renamed.name, "builder");
        identities.attach_universal_auth(AttachUniversalAuth::new(&a.id))$($aw)*.unwrap();
        let after = identities.get(GetIdentity::new(&a.id))$($aw)*.unwrap();
        assert_eq!(after.role, "member");
        assert!(after.identity.has_universal_auth());
        assert_eq!(after.identity.auth_methods.is_empty(), !modern);
        let ua = identities.get_universal_auth(GetUniversalAuth::new(&a.id))$($aw)*.unwrap();
        assert_eq!(ua.access_token_ttl, 2_592_000, "the server's default");
        assert_eq!(ua.client_secret_trusted_ips.len(), 2, "any IPv4 and IPv6 address");
        let again = identities.attach_universal_auth(AttachUniversalAuth::new(&a.id))$($aw)*.unwrap_err();
        assert_eq!(again.status().map(|s| s.as_u16()), Some(400), "{again}");
        let changed = identities
            .update_universal_auth(UpdateUniversalAuth::new(&a.id).access_token_ttl(Duration::from_secs(60)).access_token_num_uses_limit(5))$($aw)*
            .unwrap();
        assert_eq!((changed.access_token_ttl, changed.access_token_num_uses_limit), (60, 5));
        assert_eq!(changed.client_id, ua.client_id);
        let too_long = identities
            .update_universal_auth(UpdateUniversalAuth::new(&a.id).access_token_ttl(Duration::from_secs(9_999_999)))$($aw)*
            .unwrap_err();
        assert_eq!(too_long.status().map(|s| s.as_u16()), Some(400), "longer than the max TTL: {too_long}");

        // client secrets: a use limit is enforced by the login
        let once = identities
            .create_client_secret(CreateClientSecret::new(&a.id).num_uses_limit(1))$($aw)*
            .unwrap();
        assert_eq!(once.info.client_secret_num_uses_limit, 1);
        assert_eq!(identities.list_client_secrets(ListClientSecrets::new(&a.id))$($aw)*.unwrap().len(), 1);
        let revoked = identities.revoke_universal_auth(RevokeUniversalAuth::new(&a.id))$($aw)*.unwrap();
        assert_eq!(revoked.client_id, ua.client_id);
        let gone = identities.get_universal_auth(GetUniversalAuth::new(&a.id))$($aw)*.unwrap_err();
        assert_eq!(gone.status().map(|s| s.as_u16()), Some(400), "{gone}");

        // memberships of projects: add, list, get, change roles, remove
        let p = world.project.as_str();
        identities.add_to_project(AddIdentityToProject::new(p, &b.id, [RoleAssignment::permanent("viewer")]))$($aw)*.expect("add");
        let twice = identities.add_to_project(AddIdentityToProject::new(p, &b.id, [RoleAssignment::permanent("viewer")]))$($aw)*.unwrap_err();
        assert_eq!(twice.status().map(|s| s.as_u16()), Some(400), "{twice}");
        let members = identities.list_in_project(ListProjectIdentities::new(p))$($aw)*.expect("list in project");
        assert_eq!(members.total_count, 1);
        assert_eq!(members.identities[0].identity.name, "a-auditor");
        assert_eq!(members.identities[0].project.as_ref().unwrap().id, p);
        let roles = identities
            .update_project_roles(UpdateProjectIdentityRoles::new(p, &b.id, [
                RoleAssignment::permanent("member"),
                RoleAssignment::temporary("admin", "1h", "2026-12-04T00:00:00Z"),
            ]))$($aw)*
            .expect("roles");
        assert_eq!(roles.len(), 2);
        let member = identities.get_in_project(GetProjectIdentity::new(p, &b.id))$($aw)*.expect("get in project");
        assert_eq!(member.roles[1].role, "admin");
        assert!(member.roles[1].is_temporary);
        assert_eq!(member.roles[1].temporary_range.as_deref(), Some("1h"));
        let removed = identities.remove_from_project(RemoveIdentityFromProject::new(p, &b.id))$($aw)*.expect("remove");
        assert_eq!(removed.project_id, p);
        assert!(identities.get_in_project(GetProjectIdentity::new(p, &b.id))$($aw)*.unwrap_err().is_not_found());

        // delete, then nothing to find; refused before sending
        let deleted = identities.delete(DeleteIdentity::new(&b.id))$($aw)*.unwrap();
        assert_eq!(deleted.id, b.id);
        assert!(identities.get(GetIdentity::new(&b.id))$($aw)*.unwrap_err().is_not_found());
        let sent = emu.requests().len();
        let err = identities.create(CreateIdentity::new(&org, " "))$($aw)*.unwrap_err();
        assert!(matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "name"));
        assert_eq!(emu.requests().len(), sent, "nothing was sent");
    }};
}

on_every_client!(exercise_identities, blocking: Modern);

#[test]
fn a_client_secret_past_its_use_limit_is_refused() {
    use infisical::identities::*;
    let world = crate::support::World::modern();
    let admin = world.blocking_client();
    let org = world.emulator.organization_id();
    let identities = admin.identities();
    let id = identities
        .create(CreateIdentity::new(&org, "once"))
        .unwrap()
        .id;
    let ua = identities
        .attach_universal_auth(AttachUniversalAuth::new(&id))
        .unwrap();
    let secret = identities
        .create_client_secret(CreateClientSecret::new(&id).num_uses_limit(1))
        .unwrap();
    identities
        .add_to_project(AddIdentityToProject::new(
            &world.project,
            &id,
            [RoleAssignment::permanent("viewer")],
        ))
        .unwrap();
    let login = || {
        infisical::blocking::Client::builder()
            .base_url(world.emulator.url())
            .credentials(infisical::credentials::UniversalAuth::new(
                &ua.client_id,
                secret.secret().expose(),
            ))
            .build()
            .unwrap()
            .secrets()
            .list(infisical::secrets::ListSecrets::new(&world.project, "dev"))
    };
    login().expect("the one allowed use");
    let err = login().unwrap_err();
    assert!(err.to_string().contains("usage limit"), "{err}");
}

/// Token auth through `$client`: an identity gets tokens made for it, one reads the project
/// through `$with_token(token)` (a client of the same kind), is listed, then revoked.
macro_rules! token_auth_flow {
    ($client:expr, $world:expr, $with_token:expr, [$($aw:tt)*]) => {{
        use infisical::identities::*;
        use std::time::Duration;

        let world: &$crate::support::World = $world;
        let org = world.emulator.organization_id();
        world.emulator.set_secret(&world.project, "dev", "/", "K", "v");
        let identities = $client.identities();
        let id = identities.create(CreateIdentity::new(&org, "cron"))$($aw)*.unwrap().id;
        let config = identities
            .attach_token_auth(AttachTokenAuth::new(&id).access_token_ttl(Duration::from_secs(600)))$($aw)*
            .expect("attach token auth");
        assert_eq!(config.access_token_ttl, 600);
        assert_eq!(identities.get_token_auth(GetTokenAuth::new(&id))$($aw)*.unwrap().id, config.id);
        let listed = identities.get(GetIdentity::new(&id))$($aw)*.unwrap();
        assert_eq!(
            listed.identity.auth_method.as_deref().or(listed.identity.auth_methods.first().map(String::as_str)),
            Some("token-auth")
        );
        identities
            .add_to_project(AddIdentityToProject::new(&world.project, &id, [RoleAssignment::permanent("viewer")]))$($aw)*
            .unwrap();

        let made = identities.create_token(CreateIdentityToken::new(&id).name("nightly"))$($aw)*.expect("token");
        let token = made.token().expose().to_owned();
        assert!(!format!("{made:?}").contains(&token));
        assert_eq!(made.expires_in, 600);
        let reader = $with_token(token.clone());
        let list = reader.secrets().list(infisical::secrets::ListSecrets::new(&world.project, "dev"))$($aw)*;
        assert_eq!(list.expect("the token reads").get("K").unwrap().value().unwrap(), "v");

        let tokens = identities.list_tokens(ListIdentityTokens::new(&id))$($aw)*.expect("list tokens");
        assert_eq!(tokens.len(), 1);
        assert_eq!(tokens[0].name.as_deref(), Some("nightly"));
        assert!(!tokens[0].is_access_token_revoked);
        identities.revoke_token(RevokeIdentityToken::new(&tokens[0].id))$($aw)*.expect("revoke");
        let refused = $with_token(token.clone())
            .secrets()
            .list(infisical::secrets::ListSecrets::new(&world.project, "dev"))$($aw)*
            .unwrap_err();
        assert!(refused.is_auth(), "{refused}");
        assert!(identities.list_tokens(ListIdentityTokens::new(&id))$($aw)*.unwrap()[0].is_access_token_revoked);
        let unknown = identities.revoke_token(RevokeIdentityToken::new("no-such-token"))$($aw)*.unwrap_err();
        assert!(unknown.is_not_found(), "{unknown}");
        identities.revoke_token_auth(RevokeTokenAuth::new(&id))$($aw)*.expect("remove token auth");
        assert_eq!(
            identities.get_token_auth(GetTokenAuth::new(&id))$($aw)*.unwrap_err().status().map(|s| s.as_u16()),
            Some(400)
        );
    }};
}

#[tokio::test]
async fn token_auth_makes_tokens_that_read_until_revoked() {
    let world = crate::support::World::new(infisical_emulator::ServerMode::Legacy);
    let client = world.client();
    let url = world.emulator.url();
    let with_token = |token: String| {
        infisical::Client::builder()
            .base_url(&url)
            .credentials(infisical::credentials::ClientCredentials::access_token(
                token,
            ))
            .build()
            .unwrap()
    };
    token_auth_flow!(client, &world, with_token, [.await]);
}

#[test]
fn token_auth_through_the_blocking_client() {
    let world = crate::support::World::modern();
    let client = world.blocking_client();
    let url = world.emulator.url();
    let with_token = |token: String| {
        infisical::blocking::Client::builder()
            .base_url(&url)
            .credentials(infisical::credentials::ClientCredentials::access_token(
                token,
            ))
            .build()
            .unwrap()
    };
    token_auth_flow!(client, &world, with_token, []);
}
