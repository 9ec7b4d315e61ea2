//! List pages (verify-v2.md §1.6): `PageSize` (1–1000, default 50), `Page`, `PageToken`, and
//! the `meta` object whose `next_page_url` points at the sandbox itself (both libraries follow
//! it verbatim).
//!
//! A `PageToken` is `PT{offset}`; without one, the offset is `Page × PageSize`.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};

use super::Ctx;
use super::envelope::ok;
use crate::reply::Reply;

/// Largest `PageSize`.
pub const MAX_PAGE_SIZE: i64 = 1000;
/// `PageSize` when none is given.
pub const DEFAULT_PAGE_SIZE: i64 = 50;

/// Characters left as they are in query values (RFC 3986 unreserved).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One page of `records` (already filtered and ordered) under `meta.key = key`. `filters` are
/// the query parameters (wire names) repeated in every page URL.
pub fn render(ctx: &Ctx<'_>, key: &str, records: Vec<Value>, filters: &[&str]) -> Reply {
    match page(ctx, key, records, filters) {
        Ok(v) => ok(v),
        Err(r) => r,
    }
}

fn page(ctx: &Ctx<'_>, key: &str, records: Vec<Value>, filters: &[&str]) -> Result<Value, Reply> {
    let form = ctx.form;
    let size = form
        .int("PageSize", 1, MAX_PAGE_SIZE)?
        .unwrap_or(DEFAULT_PAGE_SIZE) as usize;
    let page = form.int("Page", 0, i64::from(u32::MAX))?.unwrap_or(0) as usize;
    let offset = form
        .text("PageToken")
        .and_then(|t| t.strip_prefix("PT"))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or_else(|| page.saturating_mul(size));
    let mut base = ctx.url(&ctx.path);
    base.push('?');
    for name in filters {
        for v in form.all(name) {
            base.push_str(name);
            base.push('=');
            base.extend(utf8_percent_encode(v, QUERY_VALUE));
            base.push('&');
        }
    }
    let url_for = |page: usize, offset: usize| {
        let mut u = format!("{base}PageSize={size}&Page={page}");
        if offset > 0 {
            u.push_str(&format!("&PageToken=PT{offset}"));
        }
        u
    };
    let total = records.len();
    let items: Vec<Value> = records.into_iter().skip(offset).take(size).collect();
    let next = (offset.saturating_add(size) < total).then(|| url_for(page + 1, offset + size));
    let previous = (page > 0 && offset > 0).then(|| url_for(page - 1, offset.saturating_sub(size)));
    Ok(json!({
        key: items,
        "meta": {
            "page": page,
            "page_size": size,
            "first_page_url": url_for(0, 0),
            "previous_page_url": previous,
            "url": url_for(page, offset),
            "next_page_url": next,
            "key": key,
        }
    }))
}
