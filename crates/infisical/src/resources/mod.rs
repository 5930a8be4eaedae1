//! The resources beyond secrets: each is a list of methods, one per request type, that the
//! [`resource!`] macro turns into an async handle (`client.folders()`) and its blocking twin
//! (`blocking_client.folders()`), both delegating to the same `Client::execute`.

pub(crate) mod certificates;
pub(crate) mod dynamic_secrets;
pub(crate) mod environments;
pub(crate) mod folders;
pub(crate) mod kms;
pub(crate) mod leases;
pub(crate) mod projects;
pub(crate) mod secret_imports;
pub(crate) mod tags;

/// Defines a resource handle: `$name` for [`crate::Client`] and `blocking::$name` for
/// [`crate::blocking::Client`], with one method per `fn name(Request) -> Output;` line.
macro_rules! resource {
    (
        $(#[$doc:meta])*
        $name:ident, $accessor:literal;
        $( $(#[$mdoc:meta])* fn $method:ident($request:ty) -> $output:ty; )*
    ) => {
        $(#[$doc])*
        #[doc = concat!("\n\nGet it with [`Client::", $accessor, "`](crate::Client::", $accessor, ").")]
        #[derive(Debug, Clone, Copy)]
        pub struct $name<'a> {
            pub(crate) client: &'a crate::Client,
        }

        impl<'a> $name<'a> {
            pub(crate) fn new(client: &'a crate::Client) -> Self {
                Self { client }
            }

            $(
                $(#[$mdoc])*
                pub async fn $method(self, request: $request) -> Result<$output, crate::Error> {
                    self.client.execute(&request).await
                }
            )*
        }

        /// The blocking twin of the handle.
        pub mod blocking {
            #[allow(unused_imports)]
            use super::*;

            $(#[$doc])*
            #[doc = concat!(
                "\n\nThe blocking twin of [`", stringify!($name), "`](crate::", stringify!($name),
                "): each method runs the async method of the same name to completion. Get it with \
                 [`blocking::Client::", $accessor, "`](crate::blocking::Client::", $accessor, ")."
            )]
            #[derive(Debug, Clone, Copy)]
            pub struct $name<'a> {
                pub(crate) client: &'a crate::blocking::Client,
            }

            impl<'a> $name<'a> {
                pub(crate) fn new(client: &'a crate::blocking::Client) -> Self {
                    Self { client }
                }

                $(
                    $(#[$mdoc])*
                    pub fn $method(self, request: $request) -> Result<$output, crate::Error> {
                        self.client.send(request)
                    }
                )*
            }
        }
    };
}
pub(crate) use resource;
