//! `client.projects()`.

use crate::projects::{
    CreateProject, DeleteProject, GetProject, GetProjectBySlug, ListProjects, Project,
    UpdateProject,
};

super::resource! {
    /// The projects the caller is a member of.
    Projects, projects;
    /// Lists the caller's projects. Machine identities list through their organization
    /// (`ListProjects::in_organization`), which works on every server generation; October
    /// 2024 servers refuse them `ListProjects::new()` (403).
    fn list(ListProjects) -> Vec<Project>;
    /// Gets one project by id, with its environments.
    fn get(GetProject) -> Project;
    /// Gets one project by slug, with its environments.
    fn get_by_slug(GetProjectBySlug) -> Project;
    /// Creates a project with the default environments.
    fn create(CreateProject) -> Project;
    /// Changes a project's name, description, slug or auto-capitalization.
    fn update(UpdateProject) -> Project;
    /// Deletes a project with everything in it; answers the deleted project.
    fn delete(DeleteProject) -> Project;
}
