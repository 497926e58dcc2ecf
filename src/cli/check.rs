//! `ticheck check`: read each file, judge each applicant, stream the report.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use super::{exit, CheckArgs, InputFormat};
use crate::engine::Assessment;
use crate::i18n::{Lang, Text};
use crate::normalise::DateChoice;
use crate::profile::{InvalidProfile, Problem, Profile};
use crate::report::{self, Format, Settings, Summary};
use crate::rules::Rulebook;

pub fn run(args: &CheckArgs, rulebook: &Rulebook, lang: Lang) -> ExitCode {
    let formats: Vec<InputFormat> = args
        .files
        .iter()
        .map(|file| input_format(file, args.input_format))
        .collect::<Option<_>>()
        .unwrap_or_default();
    if formats.len() != args.files.len() {
        eprintln!(
            "ticheck: {}",
            lang.pick(
                "无法判断输入格式：文件应以 .toml、.csv 或 .xlsx 结尾；读取标准输入（-）时请用 --input-format 指定",
                "cannot tell the input format: files must end in .toml, .csv or .xlsx; for standard input (-) give --input-format"
            )
        );
        return ExitCode::from(exit::ERROR);
    }
    if let Some(format) = formats.iter().find(|format| **format != InputFormat::Toml) {
        eprintln!(
            "ticheck: {}",
            lang.pick(
                &format!("暂不支持 {format:?} 输入，目前仅支持 TOML 档案"),
                &format!("{format:?} input is not supported yet; only TOML profiles are"),
            )
        );
        return ExitCode::from(exit::ERROR);
    }
    let settings = Settings {
        rulebook,
        lang,
        many: args.files.len() > 1,
        detail: args.detail,
    };
    let Some(mut emitter) = report::emitter(args.format, settings) else {
        eprintln!(
            "ticheck: {}",
            lang.pick(
                "该输出格式尚未实现；可用 --format table 或 --format json",
                "this output format is not available yet; use --format table or --format json"
            )
        );
        return ExitCode::from(exit::ERROR);
    };
    if args.format == Format::Table
        && args.output.as_ref().is_some_and(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
        })
    {
        eprintln!(
            "ticheck: {}",
            lang.pick(
                "暂不支持写出 .xlsx 工作簿",
                "writing an .xlsx workbook is not supported yet"
            )
        );
        return ExitCode::from(exit::ERROR);
    }
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => match File::create(path) {
            Ok(file) => Box::new(BufWriter::new(file)),
            Err(error) => {
                eprintln!("ticheck: {}: {error}", path.display());
                return ExitCode::from(exit::ERROR);
            }
        },
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    let dates = DateChoice {
        as_of: args.as_of,
        today: chrono::Local::now().date_naive(),
    };
    let mut summary = Summary::default();
    let mut warned = false;
    let mut written = Ok(());
    for file in &args.files {
        let assessment = match read_toml(file) {
            Ok(profile) => crate::assess(&profile, rulebook, dates),
            Err(error) => Assessment::invalid(error),
        };
        if let Some(error) = &assessment.error {
            eprintln!("{}", error.render(lang));
        }
        summary.add(assessment.verdict);
        warned |= !assessment.warnings.is_empty();
        written = written.and_then(|_| emitter.emit(&mut out, &assessment));
    }
    written = written
        .and_then(|_| emitter.finish(&mut out, &summary))
        .and_then(|_| out.flush());
    if let Err(error) = written {
        if error.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("ticheck: {error}");
            return ExitCode::from(exit::ERROR);
        }
    }
    ExitCode::from(exit_code(&summary, warned && args.strict))
}

/// SPEC §2: 2 if any profile is invalid; 1 if any applicant is not eligible (or, under
/// `--strict`, if anything was warned about); else 0.
pub fn exit_code(summary: &Summary, strict_warning: bool) -> u8 {
    if summary.error > 0 {
        exit::ERROR
    } else if summary.ineligible + summary.incomplete > 0 || strict_warning {
        exit::NOT_ELIGIBLE
    } else {
        exit::OK
    }
}

fn input_format(file: &Path, forced: Option<InputFormat>) -> Option<InputFormat> {
    if let Some(forced) = forced {
        return Some(forced);
    }
    let extension = file.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "toml" => Some(InputFormat::Toml),
        "csv" => Some(InputFormat::Csv),
        "xlsx" => Some(InputFormat::Xlsx),
        _ => None,
    }
}

fn file_problem(source: &str, zh: String, en: String) -> InvalidProfile {
    InvalidProfile::single(
        source,
        Problem {
            at: None,
            field: None,
            message: Text::new(zh, en),
        },
    )
}

/// Reads a TOML profile from a file, or from standard input for `-`.
fn read_toml(file: &Path) -> Result<Profile, InvalidProfile> {
    let stdin = file.as_os_str() == "-";
    let source = if stdin {
        "<stdin>".to_string()
    } else {
        file.display().to_string()
    };
    let bytes = if stdin {
        let mut bytes = Vec::new();
        io::Read::read_to_end(&mut io::stdin(), &mut bytes).map(|_| bytes)
    } else {
        std::fs::read(file)
    }
    .map_err(|error| {
        file_problem(
            &source,
            format!("无法读取文件：{error}"),
            format!("cannot read the file: {error}"),
        )
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = std::str::from_utf8(bytes).map_err(|error| {
        file_problem(
            &source,
            format!(
                "文件不是 UTF-8 文本（第 {} 字节处）；请以 UTF-8 编码保存 TOML 档案",
                error.valid_up_to() + 1
            ),
            format!(
                "the file is not UTF-8 text (at byte {}); save TOML profiles as UTF-8",
                error.valid_up_to() + 1
            ),
        )
    })?;
    crate::profile::toml::load(&source, text)
}
