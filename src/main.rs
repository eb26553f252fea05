//! The `factbot` binary: parse arguments, run, map the result to an exit code. Logging is set
//! up by the CLI once the config (and its `[log]` table) is read.

use std::process::ExitCode;

use clap::Parser as _;

/// mimalloc instead of the system allocator: loading facts makes and frees millions of small
/// strings and vectors (parsing, linking, indexing), and glibc's malloc and free were about a
/// third of a load's time. The bench of loading (`benches/matching.rs`) uses it too.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
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
