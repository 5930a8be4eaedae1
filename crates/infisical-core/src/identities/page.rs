//! The `offset` and `limit` of the identity lists (an organization's, a project's).

use crate::rest::Call;
use crate::InvalidRequest;

/// One page: skip `offset`, take at most `limit` (1 to 20000; the server's default is 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Page {
    pub(super) offset: u64,
    pub(super) limit: u32,
}

impl Default for Page {
    fn default() -> Self {
        Self {
            offset: 0,
            limit: 100,
        }
    }
}

impl Page {
    pub(super) fn validate(&self) -> Result<(), InvalidRequest> {
        if self.limit == 0 || self.limit > 20_000 {
            return Err(InvalidRequest::new("limit", "must be 1 to 20000"));
        }
        Ok(())
    }

    pub(super) fn add_to(&self, call: Call) -> Call {
        call.query("offset", &self.offset.to_string())
            .query("limit", &self.limit.to_string())
    }
}

/// `offset` and `limit` setters for a request with a `page: Page` field.
macro_rules! page_setters {
    ($ty:ty) => {
        impl $ty {
            /// Skips this many.
            pub fn offset(mut self, offset: u64) -> Self {
                self.page.offset = offset;
                self
            }

            /// At most this many per page (1 to 20000; default 100).
            pub fn limit(mut self, limit: u32) -> Self {
                self.page.limit = limit;
                self
            }
        }
    };
}
pub(super) use page_setters;
