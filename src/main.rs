//! The `factbot` binary: parse arguments, run, map the result to an exit code. Logging is set
//! up by the CLI once the config (and its `[log]` table) is read.

use std::process::ExitCode;

use clap::Parser as _;

/// mimalloc instead of the system allocator: loading facts makes and frees millions of small
/// strings and vectors (parsing, linking, indexing), and glibc's malloc and free were about a
/// third of a load's time. The bench of loading (`benches/matching.rs`) uses it too.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's option numbers: positions in `mi_option_e` of the v3 `mimalloc.h` that
/// libmimalloc-sys 0.1.49 builds (pinned in Cargo.toml for this reason).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const MI_OPTION_ALLOW_THP: libmimalloc_sys::mi_option_t = 43;

/// Makes the allocator give memory back as soon as it is free. By default mimalloc keeps
/// freed pages for a second and backs its arenas with transparent huge pages, so a process that
/// loads once and then idles keeps the high-water mark of loading, in 2 MiB pieces: 57 MiB
/// resident after loading the bundled story, against 28 MiB with these settings
/// (`benches/README.md`), at no measurable cost to load time.
fn return_freed_memory() {
    // SAFETY: mi_option_set is not thread-safe; this runs first in main, before any thread
    // of ours exists, and both options are plain integers read when memory is purged or
    // reserved. prctl only sets a flag of this process.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
        libmimalloc_sys::mi_option_set(MI_OPTION_ALLOW_THP, 0);
        // mimalloc reserves its first arena before main, where the option above comes too
        // late: it is built with `no_thp` (Cargo.toml), so it never asks for huge pages, and
        // this flag keeps a system set to THP `always` off every other mapping.
        #[cfg(target_os = "linux")]
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> ExitCode {
    return_freed_memory();
    factbot::pages::release_loader_relocations();
    let cli = factbot::cli::Cli::parse();
    match factbot::cli::run(cli) {
        Ok(code) => code,
        // A reader that stops early (`factbot ask … | head`) is not an error.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            let message = format!("{error:#}");
            eprintln!("error: {}", factbot::chars::escape_controls(&message));
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
