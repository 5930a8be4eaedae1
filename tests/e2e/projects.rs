//! Every projects method, through the async client on a current and on a legacy server, and
//! through the blocking client.

use crate::support::World;
use infisical::credentials::UniversalAuth;
use infisical_emulator::ServerMode;

/// Runs every projects method through `$client.projects()` against `$world` in `$mode`.
macro_rules! exercise_every_projects_method {
    ($client:expr, $world:expr, $mode:expr, [$($aw:tt)*]) => {{
        use infisical::projects::*;
        use infisical_emulator::ServerMode;

        let world: &$crate::support::World = $world;
        let emu = &world.emulator;
        let p = world.project.as_str();
        let legacy = matches!($mode, ServerMode::Legacy);
        let projects = $client.projects();

        // list: through the organization on every server; the plain list is refused to machine
        // identities by October 2024 servers (recorded)
        let org = emu.organization_id();
        let all = projects.list(ListProjects::in_organization(&org))$($aw)*.expect("list in organization");
        assert_eq!(all.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), [p]);
        assert_eq!(all[0].org_id.as_deref(), Some(org.as_str()));
        let slugs: Vec<_> = all[0].environments.iter().map(|e| e.slug.as_str()).collect();
        assert_eq!(slugs, ["dev", "staging", "prod"]);
        let plain = projects.list(ListProjects::new())$($aw)*;
        if legacy {
            let err = plain.unwrap_err();
            assert_eq!(err.status().map(|s| s.as_u16()), Some(403), "{err}");
        } else {
            assert_eq!(plain.expect("list").len(), 1);
        }
        let no_org = projects.list(ListProjects::in_organization(" "))$($aw)*.unwrap_err();
        assert!(matches!(no_org, infisical::Error::InvalidRequest(ref e) if e.field() == "organization_id"), "{no_org}");

        // get by id, get by slug: with the environments in order
        let got = projects.get(GetProject::new(p))$($aw)*.expect("get");
        assert_eq!((got.name.as_str(), got.slug.as_str()), ("e2e", "e2e"));
        let slugs: Vec<_> = got.environments.iter().map(|e| e.slug.as_str()).collect();
        assert_eq!(slugs, ["dev", "staging", "prod"]);
        assert!(got.org_id.is_some());
        let by_slug = projects.get_by_slug(GetProjectBySlug::new("e2e"))$($aw)*.expect("get by slug");
        assert_eq!(by_slug.id, p);

        // create: with a slug, or one derived from the name; descriptions need the current routes
        let made = projects.create(CreateProject::new("Payments").slug("payments-api"))$($aw)*.expect("create");
        assert_eq!((made.name.as_str(), made.slug.as_str()), ("Payments", "payments-api"));
        assert_eq!(made.environments.len(), 3);
        assert_eq!(emu.project_ids(), [p, made.id.as_str()]);
        let derived = projects.create(CreateProject::new("Web App"))$($aw)*.unwrap();
        assert!(derived.slug.starts_with("web-app-"), "{}", derived.slug);
        let described = projects.create(CreateProject::new("Docs").description("all the docs"))$($aw)*;
        if legacy {
            assert!(matches!(described.unwrap_err(), infisical::Error::InvalidRequest(ref e) if e.field() == "description"));
        } else {
            assert_eq!(described.unwrap().description.as_deref(), Some("all the docs"));
        }

        // update: only what is set changes; slugs need the current routes
        let updated = projects
            .update(UpdateProject::new(&made.id).name("Billing").auto_capitalization(false))
            $($aw)*
            .expect("update");
        assert_eq!((updated.name.as_str(), updated.auto_capitalization), ("Billing", Some(false)));
        assert_eq!(updated.slug, "payments-api");
        let reslug = projects.update(UpdateProject::new(&made.id).slug("billing-api"))$($aw)*;
        if legacy {
            assert!(matches!(reslug.unwrap_err(), infisical::Error::InvalidRequest(ref e) if e.field() == "slug"));
        } else {
            assert_eq!(reslug.unwrap().slug, "billing-api");
            assert_eq!(projects.get_by_slug(GetProjectBySlug::new("billing-api"))$($aw)*.unwrap().id, made.id);
        }

        // delete; a project that is gone is a 404, or a 500 on October 2024 servers
        let deleted = projects.delete(DeleteProject::new(&made.id))$($aw)*.expect("delete");
        assert_eq!(deleted.name, "Billing");
        assert!(!emu.project_ids().contains(&made.id));
        let gone = projects.get(GetProject::new(&made.id))$($aw)*.unwrap_err();
        if legacy {
            assert_eq!(gone.status().map(|s| s.as_u16()), Some(500), "{gone}");
        } else {
            assert!(gone.is_not_found(), "{gone}");
        }

        // required parameters are checked before sending
        let sent = emu.requests().len();
        let err = projects.update(UpdateProject::new(p))$($aw)*.unwrap_err();
        assert!(matches!(err, infisical::Error::InvalidRequest(_)), "{err}");
        let err = projects.get_by_slug(GetProjectBySlug::new(""))$($aw)*.unwrap_err();
        assert!(matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "slug"), "{err}");
        assert_eq!(emu.requests().len(), sent);
    }};
}

#[tokio::test]
async fn every_projects_method_on_a_current_server() {
    let world = World::new(ServerMode::Modern);
    let client = world.client_without_retries();
    exercise_every_projects_method!(client, &world, ServerMode::Modern, [.await]);
    assert_eq!(
        world.count_any("/api/v1/workspace"),
        0,
        "never the older routes"
    );
    assert_eq!(
        world.count_any("/api/v2/workspace"),
        0,
        "never the older routes"
    );
}

#[tokio::test]
async fn every_projects_method_on_a_legacy_server() {
    let world = World::new(ServerMode::Legacy);
    let client = world.client_without_retries();
    exercise_every_projects_method!(client, &world, ServerMode::Legacy, [.await]);
    assert_eq!(
        world.count_any("/api/v1/projects"),
        1,
        "the current route is tried once"
    );
}

#[test]
fn every_projects_method_through_the_blocking_client() {
    let world = World::new(ServerMode::Legacy);
    let client = infisical::blocking::Client::builder()
        .base_url(world.emulator.url())
        .credentials(UniversalAuth::new(
            world.client_id.clone(),
            world.client_secret.clone(),
        ))
        .no_retries()
        .build()
        .unwrap();
    exercise_every_projects_method!(client, &world, ServerMode::Legacy, []);
}
