//! The `ticheck` binary: everything lives in the library; see `ticheck::cli`.

// A sheet of a million candidates allocates many small values on two threads; mimalloc keeps
// that from dominating the run (see docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    ticheck::cli::main()
}
