//! (in progress)

use super::Route;

/// The routes.
pub const ROUTES: &[Route] = &[];
