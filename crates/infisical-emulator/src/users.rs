//! Users with a session (`AuthMode.JWT`, what `infisical login` stores): who they are
//! (`db/schemas/users.ts`: `email`, `username`, `firstName`, `lastName`) and whether they
//! are an admin of every project (`ProjectMembershipRole.Admin`), which the approval routes
//! consult.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::util::uuid;

/// A user of the organization.
#[derive(Clone, Debug)]
pub(crate) struct User {
    pub(crate) id: String,
    pub(crate) email: String,
    pub(crate) admin: bool,
}

/// The users and the sessions they hold.
#[derive(Default)]
pub(crate) struct Users {
    users: Vec<User>,
    /// Session token → user id.
    sessions: HashMap<String, String>,
}

impl Users {
    /// Adds a user holding the session `token`; answers the user's id.
    pub(crate) fn add(&mut self, email: &str, token: &str, admin: bool) -> String {
        let id = uuid();
        self.users.push(User {
            id: id.clone(),
            email: email.to_string(),
            admin,
        });
        self.sessions.insert(token.to_string(), id.clone());
        id
    }

    /// The id of the user whose session `token` is.
    pub(crate) fn by_session(&self, token: &str) -> Option<&str> {
        self.sessions.get(token).map(String::as_str)
    }

    pub(crate) fn get(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    /// Whether `id` is an admin of every project.
    pub(crate) fn is_admin(&self, id: &str) -> bool {
        self.get(id).is_some_and(|u| u.admin)
    }

    /// `approvalRequestUser` of the approval routers: `{userId, email, firstName, lastName,
    /// username}` (the username is the email, as for users who sign up with one).
    pub(crate) fn summary(&self, id: &str) -> Value {
        let email = self.get(id).map(|u| u.email.clone()).unwrap_or_default();
        json!({
            "userId": id,
            "email": email,
            "firstName": null,
            "lastName": null,
            "username": email,
        })
    }
}
