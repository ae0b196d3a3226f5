//! The `kravia-invoice` command line: a thin shell over the library.

mod cli;

/// mimalloc instead of the system allocator: under `serve` load (several
/// threads rendering, parsing and answering at once) glibc's malloc and free
/// took about 15% of the server's CPU (perf during `bench/serve.sh`), and
/// the closed-loop throughput rose by a fifth with mimalloc. Built without
/// transparent huge pages (feature `no_thp`): with them the peak RSS under
/// load was 120–130 MB instead of about 50 MB.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run(std::env::args_os().collect()).into()
}
