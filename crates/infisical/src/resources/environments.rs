//! `client.environments()`.

use crate::environments::{
    CreateEnvironment, DeleteEnvironment, Environment, GetEnvironment, UpdateEnvironment,
};

super::resource! {
    /// The environments of a project.
    Environments, environments;
    /// Gets one environment by id.
    fn get(GetEnvironment) -> Environment;
    /// Creates an environment.
    fn create(CreateEnvironment) -> Environment;
    /// Changes an environment's name, slug or position.
    fn update(UpdateEnvironment) -> Environment;
    /// Deletes an environment with everything in it; answers the deleted environment.
    fn delete(DeleteEnvironment) -> Environment;
}
