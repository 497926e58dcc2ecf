//! The command line: argument definitions and dispatch. Each command lives in its own module.

/// `println!` for command output that may go into a closed pipe (`ticheck rules | head`): a
/// failed write ends nothing but the output, never the process with a panic.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `print!` likewise.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($arg)*);
    }};
}

mod check;
mod evaluate;
mod explain;
mod extras;
mod help_zh;
mod init;

// Telling a format by its bytes is the library's (the web server's uploads need it too).
use crate::sniff;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::i18n::Lang;
use crate::report::Format;
use crate::rules::{Rulebook, DEFAULT_RULEBOOK};

/// Exit codes of SPEC §2.
pub mod exit {
    /// Every applicant eligible (or nothing to judge).
    pub const OK: u8 = 0;
    /// At least one applicant ineligible or incomplete (or a warning under `--strict`).
    pub const NOT_ELIGIBLE: u8 = 1;
    /// Usage error, unreadable input, or an invalid profile.
    pub const ERROR: u8 = 2;
}

#[derive(Debug, Parser)]
#[command(
    name = "ticheck",
    version,
    about = "Checks applicants against the founding conditions of Yunnan Provincial Technology Innovation Centers \
             (云南省技术创新中心建设运行管理办法（试行）第十条)",
    after_help = "Exit codes: 0 every applicant eligible; 1 at least one ineligible or incomplete; \
                  2 usage error, unreadable input or an invalid profile."
)]
pub struct Cli {
    /// Output language [default: zh when LANG/LC_ALL starts with zh, else en]
    #[arg(long, global = true, value_enum)]
    lang: Option<Lang>,

    /// Colour diagnostics: auto (a terminal, and NO_COLOR unset), always, never
    #[arg(long, global = true, value_enum, default_value = "auto")]
    color: crate::report::diagnostic::ColorWhen,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check applicants' profiles (.toml, .csv, .xlsx) against every clause of the rulebook.
    Check(CheckArgs),
    /// Evaluate built centers' 3-year performance (Arts. 23–27): score, grade 优/良/中/差 and
    /// its consequence, governance, and the construction-period acceptance.
    Evaluate(EvaluateArgs),
    /// List the clauses of the active rulebook.
    Rules {
        #[command(flatten)]
        rulebook: RulebookArg,
        /// `markdown` writes the reference page docs/clauses.md
        #[arg(long, value_enum, default_value = "table")]
        format: RulesFormat,
    },
    /// Show a clause: the law's original text, the requirement, the bound and the fields used.
    Explain {
        /// Clause id, e.g. A10.4.floor-area
        id: String,
        #[command(flatten)]
        rulebook: RulebookArg,
    },
    /// Write a commented profile template to fill in.
    Init(InitArgs),
    /// Print a JSON Schema of the profile, for editors (taplo, VS Code) to complete and check TOML.
    Schema {
        /// The schema of the evaluation profile (`ticheck evaluate`) instead
        #[arg(long)]
        evaluation: bool,
    },
    /// Serve the web page and the JSON API (SPEC §8) on a loopback address.
    Serve(ServeArgs),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `ticheck man > ticheck.1`.
    Man,
}

#[derive(Debug, Args)]
struct RulebookArg {
    /// Built-in rulebook name or path to a rulebook TOML file
    #[arg(long, default_value = DEFAULT_RULEBOOK, value_name = "NAME|PATH")]
    rulebook: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RulesFormat {
    Table,
    Markdown,
}

pub use crate::check::InputFormat;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Profiles to check; `-` reads standard input (its format told by its content, or by
    /// --input-format)
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Output format [default: from the --output file's extension (.json, .csv, .sarif, .xml,
    /// .md, .xlsx), else table]
    #[arg(long, value_enum)]
    format: Option<Format>,

    /// Write the report to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Evaluate as if the application were made on this date (fixes the year windows)
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    as_of: Option<chrono::NaiveDate>,

    #[command(flatten)]
    rulebook: RulebookArg,

    /// Format of standard input (`-`; told by its content when not given) and of files whose
    /// extension does not tell
    #[arg(long, value_enum)]
    input_format: Option<InputFormat>,

    /// Text encoding of CSV input [default: detected: UTF-8, UTF-8 with BOM, GB18030/GBK, UTF-16]
    #[arg(long, value_enum)]
    encoding: Option<crate::profile::sheet::encoding::EncodingChoice>,

    /// Treat warnings as failures (exit 1)
    #[arg(long)]
    strict: bool,

    /// With many applicants, also print every applicant's clause table
    #[arg(long)]
    detail: bool,

    /// In a batch, list as near misses (培育库) the ineligible applicants that fail at most N
    /// conditions and lack no data, closest first
    #[arg(long, value_name = "N", default_value_t = 2)]
    near_miss: usize,

    /// Print no report on standard output; the exit code and diagnostics still tell
    #[arg(long, short)]
    quiet: bool,

    /// The worksheet of an .xlsx workbook to read [default: the first with a recognisable
    /// header]
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,

    /// Text encoding of CSV output: UTF-8 with a byte-order mark (what Excel opens without
    /// mojibake), or GB18030 for older Chinese Excel and WPS
    #[arg(long, value_enum, default_value = "utf-8-bom")]
    output_encoding: crate::report::OutputEncoding,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 every center graded 优 or 良 (and estimated to pass the acceptance, when contract targets are listed); \
                  1 any center graded 中 or 差, not gradable for missing data, or whose acceptance is estimated not to pass, undecided or not assessed; \
                  2 usage error or a profile that cannot be read or is invalid. The built-in rubric is ticheck's default: \
                  the measures publish none (docs/evaluation.md)."
)]
pub struct EvaluateArgs {
    /// Evaluation profiles (.toml; `ticheck init --evaluation` writes one) or sheets of a round
    /// (.csv, .xlsx: one center per row; `ticheck init --evaluation --sheet` writes one); `-`
    /// reads a TOML profile from standard input
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Output format [default: by --output's extension (.json, .csv, .sarif, .xml, .md, .xlsx),
    /// else table]
    #[arg(long, value_enum)]
    format: Option<crate::report::evaluation::EvaluationFormat>,

    /// The construction contracts' targets of a sheet's centers (.csv or .xlsx, one target per
    /// row keyed by the center's name or USCC) [default: the workbook's targets worksheet]
    #[arg(long, value_name = "FILE")]
    targets: Option<PathBuf>,

    /// Read this worksheet of an .xlsx workbook [default: the first with a recognisable header]
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,

    /// With several centers, also print every center's indicator table
    #[arg(long)]
    detail: bool,

    /// Text encoding of CSV input [default: detected: UTF-8, UTF-8 with BOM, GB18030/GBK, UTF-16]
    #[arg(long, value_enum)]
    encoding: Option<crate::profile::sheet::encoding::EncodingChoice>,

    /// Text encoding of CSV output: UTF-8 with a byte-order mark (what Excel opens without
    /// mojibake), or GB18030 for older Chinese Excel and WPS
    #[arg(long, value_enum, default_value = "utf-8-bom")]
    output_encoding: crate::report::OutputEncoding,

    /// Write the report to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Built-in rubric name or path to a rubric TOML file (the built-in one is ticheck's
    /// default: the measures publish none)
    #[arg(long, default_value = crate::rules::evaluation::DEFAULT_RUBRIC, value_name = "NAME|PATH")]
    rubric: String,

    /// Print no report on standard output; the exit code and diagnostics still tell
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; loopback unless told otherwise
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "IP:PORT")]
    addr: std::net::SocketAddr,

    #[command(flatten)]
    rulebook: RulebookArg,

    /// Built-in rubric name or path to a rubric TOML file, for /api/evaluate
    #[arg(long, default_value = crate::rules::evaluation::DEFAULT_RUBRIC, value_name = "NAME|PATH")]
    rubric: String,

    /// Largest request body accepted, in bytes (larger ones are answered 413)
    #[arg(long, default_value_t = crate::serve::DEFAULT_MAX_BODY, value_name = "BYTES")]
    max_body: usize,

    /// Seconds a request may take before it is answered 408
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    timeout: u64,

    /// Sheets checked at once; more uploads wait their turn, or are answered 503 when many wait
    #[arg(long, default_value_t = crate::serve::jobs::DEFAULT_MAX_SHEET_JOBS, value_name = "N")]
    max_sheet_jobs: usize,
}

#[derive(Debug, Args)]
struct InitArgs {
    /// Applicant kind of the template
    #[arg(long, value_enum, default_value = "enterprise")]
    kind: init::Kind,

    /// Write the template of a built center's evaluation profile (`ticheck evaluate`) instead
    #[arg(long, conflicts_with = "kind")]
    evaluation: bool,

    /// Write the template to this file instead of standard output
    #[arg(value_name = "FILE")]
    output: Option<PathBuf>,

    /// Overwrite FILE if it exists
    #[arg(long)]
    force: bool,

    /// Write a workbook template for a bureau to send out (one applicant per row, Chinese
    /// headers, dropdowns, notes, a 填表说明 sheet) to this .xlsx file
    #[arg(long, value_name = "FILE.xlsx", conflicts_with = "output")]
    sheet: Option<PathBuf>,
}

/// `--lang zh` or `--lang=zh` among the arguments, before clap has parsed them.
fn lang_of_args(args: impl Iterator<Item = String>) -> Option<Lang> {
    let args: Vec<String> = args.collect();
    args.iter().enumerate().find_map(|(index, arg)| {
        let value = match arg.strip_prefix("--lang") {
            Some("") => args.get(index + 1)?.as_str(),
            Some(rest) => rest.strip_prefix('=')?,
            None => return None,
        };
        Lang::from_str(value, true).ok()
    })
}

fn parse_as_of(text: &str) -> Result<chrono::NaiveDate, String> {
    crate::profile::value::parse_date(text).map_err(|error| error.message(Lang::En))
}

fn load_rulebook(arg: &RulebookArg) -> Result<Rulebook, ExitCode> {
    Rulebook::load(&arg.rulebook).map_err(|error| {
        eprintln!("ticheck: {error}");
        ExitCode::from(exit::ERROR)
    })
}

/// Parses the command line and runs the command; returns the process exit code.
pub fn main() -> ExitCode {
    // The language is known before the arguments are parsed, so that `--help` and the usage
    // errors speak it.
    let lang = lang_of_args(std::env::args()).unwrap_or_else(Lang::from_env);
    let command = match lang {
        Lang::Zh => help_zh::localize(Cli::command()),
        Lang::En => Cli::command(),
    };
    let parsed = command
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(error) => {
            use clap::error::ErrorKind;
            let shown = matches!(
                error.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
            );
            if lang == Lang::Zh && !shown {
                eprint!("{}", help_zh::usage_error(&error));
                return ExitCode::from(exit::ERROR);
            }
            // clap wraps help at spaces, and Chinese has none: the text is rewrapped as the
            // tables are, to the terminal's width.
            if lang == Lang::Zh && error.kind() == ErrorKind::DisplayHelp {
                let width = usize::from(crate::report::output_width());
                print!("{}", help_zh::fit(&error.render().to_string(), width));
                return ExitCode::from(exit::OK);
            }
            error.exit()
        }
    };
    let lang = cli.lang.unwrap_or(lang);
    match cli.command {
        Command::Check(args) => match load_rulebook(&args.rulebook) {
            Ok(rulebook) => check::run(&args, &rulebook, lang, cli.color),
            Err(code) => code,
        },
        Command::Evaluate(args) => evaluate::run(&args, lang, cli.color),
        Command::Rules { rulebook, format } => match load_rulebook(&rulebook) {
            Ok(rulebook) => explain::list(&rulebook, format == RulesFormat::Markdown, lang),
            Err(code) => code,
        },
        Command::Explain { id, rulebook } => match load_rulebook(&rulebook) {
            Ok(rulebook) => explain::explain(&rulebook, &id, lang),
            Err(code) => code,
        },
        Command::Init(args) => {
            let template = match args.evaluation {
                true => init::Template::Evaluation,
                false => init::Template::Applicant(args.kind),
            };
            match &args.sheet {
                Some(path) => init::sheet(template, path, args.force, lang),
                None => init::run(template, args.output.as_deref(), args.force, lang),
            }
        }
        Command::Schema { evaluation } => extras::schema(evaluation),
        Command::Serve(args) => match load_rulebook(&args.rulebook) {
            Ok(rulebook) => serve(args, rulebook, lang),
            Err(code) => code,
        },
        Command::Completions { shell } => extras::completions(shell),
        Command::Man => extras::man(),
    }
}

/// `ticheck serve`: prints the URL, then serves until the process is stopped.
fn serve(args: ServeArgs, rulebook: Rulebook, lang: Lang) -> ExitCode {
    let rubric = match crate::rules::evaluation::Rubric::load(&args.rubric) {
        Ok(rubric) => rubric,
        Err(error) => {
            eprintln!("ticheck: {error}");
            return ExitCode::from(exit::ERROR);
        }
    };
    crate::serve::jobs::set_max_sheet_jobs(args.max_sheet_jobs);
    let config = crate::serve::Config {
        rulebook,
        rubric,
        max_body: args.max_body,
        timeout: std::time::Duration::from_secs(args.timeout.max(1)),
        log: true,
    };
    match crate::serve::Server::start(args.addr, config) {
        Ok(server) => {
            // The address on standard output, for a script to read; the sentence for people.
            eprintln!(
                "ticheck: {}",
                lang.pick(
                    "已启动，请在浏览器中打开下面的网址（Ctrl+C 停止）：",
                    "serving; open this address in a browser (Ctrl+C stops):"
                )
            );
            outln!("http://{}/", server.addr);
            if !server.addr.ip().is_loopback() {
                eprintln!(
                    "ticheck: {}",
                    lang.pick(
                        "注意：监听的不是本机回环地址，局域网内的其他计算机也能访问",
                        "note: not a loopback address; other machines on the network can reach it"
                    )
                );
            }
            server.wait();
            ExitCode::from(exit::OK)
        }
        Err(error) => {
            eprintln!(
                "ticheck: {} {}: {error}",
                lang.pick("无法监听", "cannot listen on"),
                args.addr
            );
            ExitCode::from(exit::ERROR)
        }
    }
}

/// The extension of `--output`'s file, lower-cased: what chooses the output format when
/// `--format` is not given (`check` and `evaluate` alike).
fn output_extension(output: Option<&std::path::Path>) -> Option<String> {
    output
        .and_then(|path| path.extension())
        .and_then(|extension| extension.to_str())
        .map(str::to_ascii_lowercase)
}
