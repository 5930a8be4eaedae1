//! The emulator's world: projects, environments, folders, secrets, tags, imports, approval
//! policies, identities and tokens. Everything lives behind one `std::sync::Mutex`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

use serde_json::Value;

use crate::auth::TokenStore;
use crate::faults::FaultQueue;
use crate::record::Recorder;
use crate::util::{canonical_path, now_iso, uuid};
use crate::ServerMode;

/// Builder settings, fixed at start.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Settings {
    pub(crate) mode: ServerMode,
    pub(crate) ttl: Duration,
    pub(crate) max_ttl: Duration,
}

/// A tag of a project.
#[derive(Clone, Debug)]
pub(crate) struct Tag {
    pub(crate) id: String,
    pub(crate) slug: String,
    pub(crate) color: Option<String>,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
    /// The identity that created the tag through the API (`None` for seeded tags).
    pub(crate) created_by: Option<String>,
}

impl Tag {
    pub(crate) fn new(slug: &str, color: Option<String>) -> Tag {
        let now = now_iso();
        Tag {
            id: uuid(),
            slug: slug.to_string(),
            color,
            created_at: now.clone(),
            updated_at: now,
            created_by: None,
        }
    }
}

/// One stored version of a secret.
#[derive(Clone, Debug)]
pub(crate) struct Version {
    pub(crate) version: u64,
    pub(crate) key: String,
    pub(crate) value: String,
    pub(crate) comment: String,
    pub(crate) skip_multiline: bool,
    pub(crate) tags: Vec<String>,
    pub(crate) updated_at: String,
}

/// A shared secret (machine identities cannot own personal secrets, see `secrets.rs`).
#[derive(Clone, Debug)]
pub(crate) struct Secret {
    pub(crate) id: String,
    pub(crate) key: String,
    pub(crate) value: String,
    pub(crate) comment: String,
    pub(crate) version: u64,
    pub(crate) skip_multiline: bool,
    pub(crate) tags: Vec<String>,
    pub(crate) reminder_note: Option<String>,
    pub(crate) reminder_days: Option<f64>,
    /// `secretMetadata` (current servers): key/value pairs.
    pub(crate) metadata: Vec<(String, String)>,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
    pub(crate) history: Vec<Version>,
}

impl Secret {
    pub(crate) fn new(key: &str, value: &str, comment: &str) -> Secret {
        let now = now_iso();
        let mut s = Secret {
            id: uuid(),
            key: key.to_string(),
            value: value.to_string(),
            comment: comment.to_string(),
            version: 1,
            skip_multiline: false,
            tags: Vec::new(),
            reminder_note: None,
            reminder_days: None,
            metadata: Vec::new(),
            created_at: now.clone(),
            updated_at: now,
            history: Vec::new(),
        };
        s.snapshot();
        s
    }

    /// Records the current state as a version.
    pub(crate) fn snapshot(&mut self) {
        self.history.push(Version {
            version: self.version,
            key: self.key.clone(),
            value: self.value.clone(),
            comment: self.comment.clone(),
            skip_multiline: self.skip_multiline,
            tags: self.tags.clone(),
            updated_at: self.updated_at.clone(),
        });
    }

    /// Bumps the version after a change and records it.
    pub(crate) fn bump(&mut self) {
        self.version += 1;
        self.updated_at = now_iso();
        self.snapshot();
    }

    /// This secret as it was at `version`.
    pub(crate) fn at_version(&self, version: u64) -> Option<Secret> {
        let v = self.history.iter().find(|v| v.version == version)?;
        let mut s = self.clone();
        s.version = v.version;
        s.key = v.key.clone();
        s.value = v.value.clone();
        s.comment = v.comment.clone();
        s.skip_multiline = v.skip_multiline;
        s.tags = v.tags.clone();
        s.updated_at = v.updated_at.clone();
        Some(s)
    }
}

/// A secret import: this folder pulls in the secrets of `environment` + `path`.
#[derive(Clone, Debug)]
pub(crate) struct Import {
    pub(crate) id: String,
    pub(crate) environment: String,
    pub(crate) path: String,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
}

impl Import {
    pub(crate) fn new(environment: &str, path: &str) -> Import {
        let now = now_iso();
        Import {
            id: uuid(),
            environment: environment.to_string(),
            path: canonical_path(path),
            created_at: now.clone(),
            updated_at: now,
        }
    }
}

/// A folder of an environment (its name is the last segment of its path).
#[derive(Clone, Debug)]
pub(crate) struct Folder {
    pub(crate) id: String,
    pub(crate) secrets: Vec<Secret>,
    pub(crate) imports: Vec<Import>,
    pub(crate) dynamic_secrets: Vec<crate::dynamic_secrets::DynamicSecret>,
    pub(crate) version: u64,
    pub(crate) description: Option<String>,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
}

impl Folder {
    pub(crate) fn new() -> Folder {
        let now = now_iso();
        Folder {
            id: uuid(),
            secrets: Vec::new(),
            imports: Vec::new(),
            dynamic_secrets: Vec::new(),
            version: 1,
            description: None,
            created_at: now.clone(),
            updated_at: now,
        }
    }

    pub(crate) fn secret(&self, key: &str) -> Option<&Secret> {
        self.secrets.iter().find(|s| s.key == key)
    }

    pub(crate) fn secret_mut(&mut self, key: &str) -> Option<&mut Secret> {
        self.secrets.iter_mut().find(|s| s.key == key)
    }
}

/// An environment and its folders, keyed by canonical path (`/`, `/app`, `/app/db`).
#[derive(Clone, Debug)]
pub(crate) struct Environment {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) slug: String,
    pub(crate) position: u64,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
    pub(crate) folders: BTreeMap<String, Folder>,
}

impl Environment {
    pub(crate) fn new(name: &str, slug: &str, position: u64) -> Environment {
        let mut folders = BTreeMap::new();
        folders.insert("/".to_string(), Folder::new());
        let now = now_iso();
        Environment {
            id: uuid(),
            name: name.to_string(),
            slug: slug.to_string(),
            position,
            created_at: now.clone(),
            updated_at: now,
            folders,
        }
    }

    /// The folder at `path` (canonicalised), creating it and its parents if missing.
    pub(crate) fn ensure_folder(&mut self, path: &str) -> &mut Folder {
        let canonical = canonical_path(path);
        let mut current = String::new();
        for seg in canonical.split('/').filter(|s| !s.is_empty()) {
            current.push('/');
            current.push_str(seg);
            self.folders
                .entry(current.clone())
                .or_insert_with(Folder::new);
        }
        self.folders.entry(canonical).or_insert_with(Folder::new)
    }
}

/// An approval policy on an environment + path (`secret-approval-policies.ts`): users'
/// writes there become approval requests; `approvals` of the `approvers` (user ids) must
/// approve before a merge.
#[derive(Clone, Debug)]
pub(crate) struct Policy {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) environment: String,
    pub(crate) path: String,
    pub(crate) approvals: usize,
    pub(crate) approvers: Vec<String>,
    /// `hard` or `soft`.
    pub(crate) enforcement: String,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
}

impl Policy {
    /// Renames and moves it (a blank path leaves it where it is), as of now.
    pub(crate) fn change(&mut self, name: Option<String>, path: Option<String>) {
        if let Some(name) = name {
            self.name = name;
        }
        if let Some(path) = path.filter(|p| !p.is_empty()) {
            self.path = canonical_path(&path);
        }
        self.updated_at = now_iso();
    }
}

/// A project ("workspace" in v3 parameters).
#[derive(Clone, Debug)]
pub(crate) struct Project {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) auto_capitalization: bool,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
    pub(crate) slug: String,
    pub(crate) environments: Vec<Environment>,
    pub(crate) tags: Vec<Tag>,
    pub(crate) policies: Vec<Policy>,
    /// The id of the project's secret-manager KMS key (`kmsSecretManagerKeyId`).
    pub(crate) kms_key_id: String,
    /// The id of the KMS key the project's certificate authorities use
    /// (`kmsCertificateKeyId`, shown once the project has a CA).
    pub(crate) kms_certificate_key_id: String,
}

impl Project {
    pub(crate) fn env(&self, slug: &str) -> Option<&Environment> {
        self.environments.iter().find(|e| e.slug == slug)
    }

    pub(crate) fn env_mut(&mut self, slug: &str) -> Option<&mut Environment> {
        self.environments.iter_mut().find(|e| e.slug == slug)
    }

    /// The folder at `path` if `path` is exactly a stored folder path.
    pub(crate) fn folder(&self, env: &str, path: &str) -> Option<&Folder> {
        self.env(env)?.folders.get(path)
    }

    pub(crate) fn folder_mut(&mut self, env: &str, path: &str) -> Option<&mut Folder> {
        self.env_mut(env)?.folders.get_mut(path)
    }

    pub(crate) fn tag(&self, id: &str) -> Option<&Tag> {
        self.tags.iter().find(|t| t.id == id)
    }

    pub(crate) fn policy(&self, env: &str, path: &str) -> Option<&Policy> {
        self.policies
            .iter()
            .find(|p| p.environment == env && p.path == path)
    }
}

/// A universal-auth identity.
#[derive(Clone, Debug)]
pub(crate) struct Identity {
    pub(crate) id: String,
    pub(crate) client_secret: String,
}

/// The whole mutable world.
pub(crate) struct State {
    pub(crate) settings: Settings,
    /// The one organization every project and identity belongs to.
    pub(crate) org_id: String,
    /// The KMS keys of every project.
    pub(crate) kms_keys: Vec<crate::kms::KmsKey>,
    /// Machine identities created through the API (not the seeded callers).
    pub(crate) managed: crate::identities::Managed,
    /// Their memberships of projects.
    pub(crate) memberships: crate::identity_memberships::Memberships,
    /// Their token auth and its tokens.
    pub(crate) token_auths: crate::token_auth::TokenAuths,
    /// Certificate authorities and certificates.
    pub(crate) pki: crate::pki::Pki,
    /// Certificate profiles and requests.
    pub(crate) cert_manager: crate::cert_manager::CertManager,
    pub(crate) projects: Vec<Project>,
    pub(crate) identities: HashMap<String, Identity>,
    pub(crate) static_tokens: HashSet<String>,
    /// Point-in-time snapshots of folders, oldest first.
    pub(crate) snapshots: Vec<crate::snapshots::FolderSnapshot>,
    /// Users and their sessions (the CLI's login): `AuthMode.JWT`.
    pub(crate) users: crate::users::Users,
    pub(crate) tokens: TokenStore,
    /// Identities of the other login methods (Kubernetes, AWS, GCP, ...).
    pub(crate) identity_logins: crate::identity_logins::IdentityLogins,
    pub(crate) recorder: Recorder,
    pub(crate) faults: FaultQueue,
    /// Access policies and access requests.
    pub(crate) access_approvals: crate::access_requests::AccessApprovals,
    /// Secret approval requests, oldest first.
    pub(crate) approvals: Vec<crate::approval::ApprovalRequest>,
    /// The user's write being handled, for an approval policy to catch (set by the router).
    pub(crate) pending_write: Option<crate::approval::PendingWrite>,
    /// What login and renew answers claim as `expiresIn` / `accessTokenMaxTTL`, whatever the
    /// tokens really do (set by [`crate::Emulator::announce_token_lifetimes`]).
    pub(crate) announced_lifetimes: Option<(Value, Value)>,
}

pub(crate) fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "project".to_string()
    } else {
        out
    }
}

impl State {
    pub(crate) fn new(settings: Settings) -> State {
        State {
            settings,
            org_id: uuid(),
            kms_keys: Vec::new(),
            managed: Default::default(),
            memberships: Default::default(),
            token_auths: Default::default(),
            pki: crate::pki::Pki::default(),
            cert_manager: Default::default(),
            projects: Vec::new(),
            identities: HashMap::new(),
            static_tokens: HashSet::new(),
            users: Default::default(),
            snapshots: Vec::new(),
            tokens: TokenStore::default(),
            identity_logins: Default::default(),
            recorder: Recorder::default(),
            faults: FaultQueue::default(),
            approvals: Vec::new(),
            access_approvals: Default::default(),
            pending_write: None,
            announced_lifetimes: None,
        }
    }

    pub(crate) fn project(&self, id: &str) -> Option<&Project> {
        self.projects.iter().find(|p| p.id == id)
    }

    pub(crate) fn project_mut(&mut self, id: &str) -> Option<&mut Project> {
        self.projects.iter_mut().find(|p| p.id == id)
    }

    pub(crate) fn project_by_slug(&self, slug: &str) -> Option<&Project> {
        self.projects.iter().find(|p| p.slug == slug)
    }

    /// Seeding: the project, or a panic naming it.
    pub(crate) fn seed_project(&mut self, id: &str) -> &mut Project {
        match self.projects.iter_mut().find(|p| p.id == id) {
            Some(p) => p,
            None => panic!("infisical-emulator: no project with id {id:?} (use create_project)"),
        }
    }

    /// Seeding: the environment, or a panic naming it.
    pub(crate) fn seed_env(&mut self, project_id: &str, env: &str) -> &mut Environment {
        let project = self.seed_project(project_id);
        match project.env_mut(env) {
            Some(e) => e,
            None => panic!(
                "infisical-emulator: project {project_id:?} has no environment {env:?} (use add_environment)"
            ),
        }
    }

    pub(crate) fn create_project(&mut self, name: &str) -> String {
        let base = slugify(name);
        let slug = if self.project_by_slug(&base).is_some() {
            format!("{base}-{}", crate::util::random_hex(4))
        } else {
            base
        };
        self.create_project_with_slug(name, &slug)
    }

    /// A project with the default environments; the caller checked the slug is free.
    pub(crate) fn create_project_with_slug(&mut self, name: &str, slug: &str) -> String {
        let id = uuid();
        let now = now_iso();
        self.projects.push(Project {
            id: id.clone(),
            name: name.to_string(),
            description: None,
            kms_key_id: uuid(),
            kms_certificate_key_id: uuid(),
            auto_capitalization: true,
            created_at: now.clone(),
            updated_at: now,
            slug: slug.to_string(),
            environments: [
                ("Development", "dev"),
                ("Staging", "staging"),
                ("Production", "prod"),
            ]
            .iter()
            .zip(1..)
            .map(|((name, slug), position)| Environment::new(name, slug, position))
            .collect(),
            tags: Vec::new(),
            policies: Vec::new(),
        });
        id
    }

    pub(crate) fn add_environment(&mut self, project_id: &str, slug: &str) {
        let project = self.seed_project(project_id);
        if project.env(slug).is_none() {
            let position = project.environments.len() as u64 + 1;
            project
                .environments
                .push(Environment::new(slug, slug, position));
        }
    }

    pub(crate) fn set_secret(
        &mut self,
        project_id: &str,
        env: &str,
        path: &str,
        key: &str,
        value: &str,
    ) {
        let folder = self.seed_env(project_id, env).ensure_folder(path);
        match folder.secret_mut(key) {
            Some(s) => {
                s.value = value.to_string();
                s.bump();
            }
            None => folder.secrets.push(Secret::new(key, value, "")),
        }
    }

    pub(crate) fn create_tag(&mut self, project_id: &str, slug: &str) -> String {
        let project = self.seed_project(project_id);
        if let Some(t) = project.tags.iter().find(|t| t.slug == slug) {
            return t.id.clone();
        }
        let tag = Tag::new(slug, None);
        let id = tag.id.clone();
        project.tags.push(tag);
        id
    }

    /// Puts `env` + `path` under a policy needing `approvals` of `approvers` (replacing the
    /// policy there).
    pub(crate) fn require_approval(
        &mut self,
        project_id: &str,
        env: &str,
        path: &str,
        approvers: &[&str],
        approvals: usize,
    ) {
        let path = canonical_path(path);
        self.seed_env(project_id, env);
        let project = self.seed_project(project_id);
        project
            .policies
            .retain(|p| !(p.environment == env && p.path == path));
        project.policies.push(Policy {
            id: uuid(),
            name: format!("{env}{path}"),
            environment: env.to_string(),
            path,
            approvals,
            approvers: approvers.iter().map(|a| a.to_string()).collect(),
            enforcement: "hard".into(),
            created_at: now_iso(),
            updated_at: now_iso(),
        });
    }
}
