//! What every example program shares: the options they all spell the same way (`--community`,
//! `--weights`, `--format`, `--top`), loading the engine, progress bars, printing the output (a
//! closed pipe is not an error) and printing an error with its causes.
// Each example compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use pollinate::{Community, Engine, MatchWeights, Progress};

/// How results are printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// For people.
    #[default]
    Text,
    /// The typed results, serialized.
    Json,
}

/// The options every example spells the same way. Each example says which it takes.
#[derive(Debug, Default)]
pub struct Shared {
    /// `--community PATH`: a JSON community file or a folder of CSV files.
    pub community: Option<PathBuf>,
    /// `--weights FILE.toml`: match weights merged over the defaults.
    pub weights: Option<PathBuf>,
    /// `--format text|json`.
    pub format: Format,
    /// `--top K`: how long each list is.
    pub top: Option<usize>,
}

impl Shared {
    /// The shared options' names, without the dashes.
    pub const NAMES: [&'static str; 4] = ["community", "weights", "format", "top"];

    /// Reads the value of shared option `--name` (one of [`Shared::NAMES`]).
    pub fn set(&mut self, name: &str, parser: &mut lexopt::Parser) -> Result<(), String> {
        match name {
            "community" => self.community = Some(value(parser)?.into()),
            "weights" => self.weights = Some(value(parser)?.into()),
            "format" => {
                self.format = match value(parser)?.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    other => return Err(format!("--format must be text or json, got {other:?}")),
                }
            }
            "top" => self.top = Some(number(parser, "--top")?),
            other => return Err(format!("--{other} is not a shared option")),
        }
        Ok(())
    }

    /// The community path, required.
    pub fn community(&self) -> Result<&Path, String> {
        self.community
            .as_deref()
            .ok_or_else(|| "--community PATH is required".to_owned())
    }

    /// The weights: the file's, merged over the defaults, or the defaults.
    pub fn match_weights(&self) -> Result<MatchWeights, pollinate::Error> {
        self.weights
            .as_ref()
            .map_or_else(|| Ok(MatchWeights::default()), MatchWeights::from_toml_path)
    }

    /// Loads the community (with a spinner) and builds the engine with the weights.
    pub fn engine(&self) -> Result<Engine, Box<dyn std::error::Error>> {
        let path = self.community()?;
        let weights = self.match_weights()?;
        let spinner = spinner(format!("loading {}", path.display()));
        let community = Community::load(path)?;
        spinner.finish_and_clear();
        Ok(Engine::new(community, weights)?)
    }
}

/// The value of the current option as text.
pub fn value(parser: &mut lexopt::Parser) -> Result<String, String> {
    use lexopt::ValueExt as _;
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
        .map_err(|_| format!("{name} takes a number in range, got {v:?}"))
}

/// A progress bar on standard error for `len` units of `what`; drawn only when standard error
/// is a terminal.
pub fn bar(len: usize, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len as u64);
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{{elapsed_precise}} [{{bar:40}}] {{pos}}/{{len}} {what} (eta {{eta}})"
        ))
        .expect("a valid template")
        .progress_chars("=> "),
    );
    bar
}

/// The library's progress callback, advancing `bar`.
pub fn progress_of(bar: &ProgressBar) -> Progress {
    let bar = bar.clone();
    Progress::new(move |n| bar.inc(n as u64))
}

/// A spinner on standard error with `message`; drawn only when standard error is a terminal.
pub fn spinner(message: String) -> ProgressBar {
    let spinner = ProgressBar::new_spinner();
    spinner.set_message(message);
    spinner.enable_steady_tick(Duration::from_millis(100));
    spinner
}

/// `value` as pretty JSON and a newline.
pub fn json<T: serde::Serialize>(value: &T) -> String {
    let mut out = serde_json::to_string_pretty(value).expect("results serialize");
    out.push('\n');
    out
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

/// Writes `bytes` to `path` atomically: to a temporary file in the same folder, flushed to
/// disk, then renamed over `path`, so readers see the old file or the new one, never a part.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(folder)
        .map_err(|e| format!("cannot write in {}: {e}", folder.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.as_file().sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    file.persist(path)
        .map_err(|e| format!("cannot write {}: {}", path.display(), e.error))?;
    Ok(())
}

/// A write error on standard output: a closed pipe (`| head`) ends the program quietly, any
/// other error is one.
pub fn closed_pipe_is_done(e: &std::io::Error) -> Result<String, Box<dyn std::error::Error>> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(String::new())
    } else {
        Err(format!("cannot write the output: {e}").into())
    }
}

/// Prints the help text and exits 0.
pub fn help(text: &str) -> ! {
    print!("{text}");
    std::process::exit(0);
}
