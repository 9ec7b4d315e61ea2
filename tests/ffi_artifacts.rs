//! Artifact checks of the C ABI: the committed header is what cbindgen generates from the code,
//! every exported function sits behind the panic boundary, the version macros follow
//! Cargo.toml, and the shared library exports `authy_*` symbols only, under the soname
//! `libauthy.so.0`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn committed_header() -> String {
    fs::read_to_string(manifest_dir().join("include/authy.h")).expect("include/authy.h")
}

/// The header build.rs generated from this very source tree (written to `$OUT_DIR`).
#[cfg(feature = "header")]
fn fresh_header() -> &'static str {
    include_str!(concat!(env!("OUT_DIR"), "/authy.h"))
}

#[cfg(feature = "header")]
#[test]
fn header_has_not_drifted() {
    let committed = committed_header();
    let fresh = fresh_header();
    if committed != fresh {
        let line = committed
            .lines()
            .zip(fresh.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || "at the end".to_string(),
                |n| format!("at line {}", n + 1),
            );
        panic!(
            "include/authy.h differs from the header cbindgen generates ({line}); \
             refresh it with `make header` and commit it"
        );
    }
}

/// Exported functions found in `src/ffi`: (file, name, body).
fn exported_functions() -> Vec<(String, String, String)> {
    let dir = manifest_dir().join("src/ffi");
    let mut out = Vec::new();
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    for path in files {
        let src = fs::read_to_string(&path).unwrap();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut rest = src.as_str();
        while let Some(at) = rest.find("extern \"C\" fn ") {
            let after = &rest[at + "extern \"C\" fn ".len()..];
            // A private `extern "C"` function is a callback handed to the C library (the
            // fork handler), not an export: it must not be `no_mangle`, and nm (below) shows
            // nothing but `authy_` symbols leave the library.
            let line_start = rest[..at].rfind('\n').map_or(0, |i| i + 1);
            if !rest[line_start..at].trim_start().starts_with("pub ") {
                let attrs = &rest[rest[..line_start].rfind("\n\n").unwrap_or(0)..line_start];
                assert!(!attrs.contains("no_mangle"), "{file}: a private export");
                rest = after;
                continue;
            }
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            // The body: from the first '{' after the signature to its matching '}'.
            let open = after.find('{').expect("function body");
            let mut depth = 0usize;
            let mut end = open;
            for (i, ch) in after[open..].char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = open + i;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let body = after[open + 1..end].to_string();
            // Attributes and docs just before the item.
            let before = &rest[..at];
            let item_start = before.rfind("\n\n").map_or(0, |i| i + 2);
            let preamble = before[item_start..].to_string();
            out.push((file.clone(), name, format!("{preamble}\u{0}{body}")));
            rest = &after[end..];
        }
    }
    out
}

#[test]
fn every_exported_function_is_behind_the_panic_boundary() {
    let functions = exported_functions();
    assert!(
        functions.len() >= 60,
        "found only {} exported functions",
        functions.len()
    );
    for (file, name, text) in &functions {
        let (preamble, body) = text.split_once('\u{0}').unwrap();
        assert!(
            name.starts_with("authy_"),
            "{file}: {name} does not start with authy_"
        );
        assert!(
            preamble.contains("#[unsafe(no_mangle)]"),
            "{file}: {name} lacks #[unsafe(no_mangle)]"
        );
        assert!(
            preamble.contains("/// "),
            "{file}: {name} is not documented"
        );
        let first = body
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with("//"))
            .unwrap_or("");
        assert!(
            first.starts_with("guard(")
                || first.starts_with("guard_result(")
                || first.starts_with("guard_result_deny_first("),
            "{file}: the body of {name} must start with guard(...), guard_result(...) or \
             guard_result_deny_first(...), \
             found: {first}"
        );
        // Exactly one boundary per function, wrapping the whole body.
        let calls = body.matches("guard(").count()
            + body.matches("guard_result(").count()
            + body.matches("guard_result_deny_first(").count();
        assert_eq!(calls, 1, "{file}: {name} has {calls} boundary calls");
    }
}

/// Every `.rs` file below `dir`, in sub-folders too, except those below `skip`; sorted.
fn rust_files_below(dir: &Path, skip: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path != skip {
                rust_files_below(&path, skip, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
}

#[test]
fn only_the_ffi_module_uses_unsafe_or_extern() {
    let src = manifest_dir().join("src");
    let mut files = Vec::new();
    rust_files_below(&src, &src.join("ffi"), &mut files);
    // The scan must reach the sub-folders of src/ (src/transport/ at least) and skip src/ffi/.
    assert!(
        files.iter().any(|p| p.parent() != Some(src.as_path())),
        "no file in a sub-folder of src/ was scanned: {files:?}"
    );
    assert!(
        files.iter().all(|p| !p.starts_with(src.join("ffi"))),
        "src/ffi/ was scanned"
    );
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            assert!(
                !code.contains("unsafe ")
                    && !code.contains("unsafe{")
                    && !code.contains("unsafe(")
                    && !code.contains("extern \"C\""),
                "{}:{}: unsafe code outside src/ffi: {line}",
                path.display(),
                n + 1
            );
        }
    }
}

/// The compiler keeps it so: `unsafe` outside `mod ffi` is a compile error.
#[test]
fn the_crate_root_denies_unsafe_code_except_in_ffi() {
    let lib = fs::read_to_string(manifest_dir().join("src/lib.rs")).unwrap();
    assert!(lib.contains("#![deny(unsafe_code)]"), "src/lib.rs");
    let allowances: Vec<&str> = lib
        .lines()
        .filter(|l| l.contains("allow(unsafe_code)"))
        .collect();
    assert_eq!(allowances, ["#[allow(unsafe_code)]"], "one allowance");
    let at = lib.find("#[allow(unsafe_code)]").unwrap();
    let next = lib[at..].lines().nth(1).unwrap_or("");
    assert_eq!(next.trim(), "mod ffi;", "the allowance is on mod ffi");
}

#[test]
fn every_exported_function_is_in_the_header() {
    let header = committed_header();
    for (file, name, _) in exported_functions() {
        assert!(
            header.contains(&format!(" {name}(")) || header.contains(&format!("*{name}(")),
            "{file}: {name} is missing from include/authy.h"
        );
    }
}

/// A code returned as a plain integer reads a caught panic (`guard`'s zero) as
/// `AUTHY_RESULT_OK`: every function answering with a result code returns `authy_result`, whose
/// panic value is `AUTHY_RESULT_PANIC` (issue 13: `authy_health_result` returned `uint32_t`).
/// The integers left are counts and versions, where 0 is not a success code.
#[test]
fn result_codes_are_returned_as_authy_result() {
    const COUNTS: [&str; 2] = ["authy_error_attempts", "authy_version_number"];
    let header = committed_header();
    let mut found = Vec::new();
    for line in header.lines() {
        let Some(rest) = line.strip_prefix("uint32_t ") else {
            continue;
        };
        let name = rest.split('(').next().unwrap_or("").trim();
        if name.starts_with("authy_") {
            found.push(name.to_string());
            assert!(
                COUNTS.contains(&name),
                "{name} returns uint32_t: return authy_result if it is a result code, or add it \
                 to the counts here"
            );
        }
    }
    assert_eq!(found.len(), COUNTS.len(), "{found:?}");
    assert!(header.contains("authy_result authy_health_result(const authy_health *health);"));
}

#[test]
fn version_macros_follow_cargo_toml() {
    let header = committed_header();
    let define = |name: &str| -> String {
        let prefix = format!("#define {name} ");
        header
            .lines()
            .find_map(|l| l.strip_prefix(prefix.as_str()))
            .unwrap_or_else(|| panic!("{name} missing from the header"))
            .trim()
            .to_string()
    };
    assert_eq!(
        define("AUTHY_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MAJOR")
    );
    assert_eq!(
        define("AUTHY_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_MINOR")
    );
    assert_eq!(
        define("AUTHY_VERSION_PATCH"),
        env!("CARGO_PKG_VERSION_PATCH")
    );
    assert_eq!(
        define("AUTHY_VERSION_STRING"),
        format!("\"{}\"", env!("CARGO_PKG_VERSION"))
    );
    // And Cargo.toml itself says the same (the env! values come from it).
    let toml = fs::read_to_string(manifest_dir().join("Cargo.toml")).unwrap();
    assert!(toml.contains(&format!("version = \"{}\"", env!("CARGO_PKG_VERSION"))));
}

#[test]
fn header_preamble_states_the_conventions() {
    let header = committed_header();
    for needle in [
        "#ifndef AUTHY_H",
        "extern \"C\"",
        "Ownership",
        "Borrowed strings",
        "Threads",
        "Blocking",
        "accepts NULL",
        "written only on success",
        "U+0000 in text",
    ] {
        assert!(header.contains(needle), "header lacks {needle:?}");
    }
    // Nothing but authy_/AUTHY_ names at file scope.
    for line in header.lines() {
        for prefix in ["#define ", "typedef ", "enum "] {
            if let Some(rest) = line.strip_prefix(prefix) {
                let name = rest
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .find(|w| !w.is_empty() && *w != "struct" && *w != "enum" && *w != "uint32_t")
                    .unwrap_or("");
                assert!(
                    name.to_ascii_lowercase().starts_with("authy_") || name == "AUTHY_H",
                    "non-authy name in the header: {line}"
                );
            }
        }
    }
}

/// The cdylib of this build: cargo writes it into `deps/`, next to this test binary, when it
/// compiles the library (crate types rlib, cdylib and staticlib) for the tests.
fn cdylib() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let lib = exe.parent().unwrap().join("libauthy.so");
    assert!(lib.is_file(), "{} not found", lib.display());
    lib
}

fn tool(name: &str, args: &[&str], lib: &Path) -> Option<String> {
    let out = Command::new(name).args(args).arg(lib).output().ok()?;
    assert!(
        out.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

#[cfg(target_os = "linux")]
#[test]
fn shared_library_exports_authy_symbols_only() {
    let lib = cdylib();
    let Some(nm) = tool("nm", &["-D", "--defined-only"], &lib) else {
        panic!("nm (binutils) is required for this test");
    };
    let exported: Vec<&str> = nm
        .lines()
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let (_addr, kind, name) = (parts.next()?, parts.next()?, parts.next()?);
            // Text and data symbols; weak/version markers aside.
            matches!(kind, "T" | "D" | "B" | "R").then_some(name)
        })
        .collect();
    let bad: Vec<_> = exported
        .iter()
        .filter(|s| !s.starts_with("authy_"))
        .collect();
    assert!(bad.is_empty(), "non-authy symbols exported: {bad:?}");
    let functions = exported_functions();
    for (_, name, _) in &functions {
        assert!(exported.contains(&name.as_str()), "{name} is not exported");
    }
    assert_eq!(exported.len(), functions.len(), "exported: {exported:?}");
}

#[cfg(target_os = "linux")]
#[test]
fn shared_library_soname() {
    let lib = cdylib();
    let Some(dynamic) = tool("readelf", &["-d"], &lib) else {
        panic!("readelf (binutils) is required for this test");
    };
    assert!(
        dynamic.contains("Library soname: [libauthy.so.0]"),
        "unexpected soname:\n{dynamic}"
    );
}
