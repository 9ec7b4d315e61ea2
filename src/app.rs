//! Application endpoints (authy-api.md §3.11, §3.12): details and monthly statistics.

use crate::client::Client;
use crate::endpoints;
use crate::error::Error;
use crate::params::Params;
use crate::response::Response;

impl Client {
    /// The application's details (`GET /protected/json/app/details`): name, plan, enabled
    /// features (see `Response::pointer("/app/name")`). **Blocks.**
    pub fn app_details(&self) -> Result<Response, Error> {
        self.call(&endpoints::APP_DETAILS, &[], &Params::new())
    }

    /// The application's monthly statistics (`GET /protected/json/app/stats`). **Blocks.**
    pub fn app_stats(&self) -> Result<Response, Error> {
        self.call(&endpoints::APP_STATS, &[], &Params::new())
    }
}
