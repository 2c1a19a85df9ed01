//! `mercato`: transfer-rumour intelligence from football news.
//!
//! The binary is a thin shell: argument parsing lives in [`cli`], each subcommand in its
//! own module.

mod cli;
mod extract_cmd;
mod kb_cmd;
mod output;

fn main() -> std::process::ExitCode {
    cli::main()
}
