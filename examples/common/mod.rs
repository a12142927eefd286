//! What every example program shares: reading an option's value, printing the output (a closed
//! pipe is not an error), and printing an error with its causes.
// Each example compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::io::Write as _;
use std::process::ExitCode;

/// The value of the current option as text.
pub fn value(parser: &mut lexopt::Parser) -> Result<String, String> {
    use lexopt::prelude::*;
    parser
        .value()
        .map_err(|e| e.to_string())?
        .string()
        .map_err(|e| e.to_string())
}

/// The value of the current option as a number, or an error naming the option.
pub fn number<T: std::str::FromStr>(parser: &mut lexopt::Parser, name: &str) -> Result<T, String> {
    let v = value(parser)?;
    v.parse()
        .map_err(|_| format!("{name} takes a whole number, got {v:?}"))
}

/// Parses the arguments with `parse`, then runs `run` and prints its output: exit 0 on success,
/// 2 on bad arguments (with the help text), 1 on errors (with every cause).
pub fn main_with<A, E>(
    help: &str,
    parse: impl FnOnce() -> Result<A, String>,
    run: impl FnOnce(&A) -> Result<String, E>,
) -> ExitCode
where
    E: Into<Box<dyn std::error::Error>>,
{
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}\n\n{help}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(out) => {
            // A closed pipe (`| head`) is not an error worth a panic.
            let _ = std::io::stdout().lock().write_all(out.as_bytes());
            ExitCode::SUCCESS
        }
        Err(e) => {
            let e: Box<dyn std::error::Error> = e.into();
            eprintln!("error: {e}");
            let mut source = e.source();
            while let Some(s) = source {
                eprintln!("  caused by: {s}");
                source = s.source();
            }
            ExitCode::FAILURE
        }
    }
}
