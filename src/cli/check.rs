//! `ticheck check`: read each input, judge each applicant, stream the report.
//!
//! TOML files hold one applicant; CSV and XLSX sheets one per row. Sheet rows are typed and
//! judged in parallel chunks and reported in input order, one result per row.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, OnceLock};

use super::{exit, CheckArgs, InputFormat};
use crate::check::Run;
use crate::engine::Assessment;
use crate::i18n::{Lang, Text};
use crate::normalise::DateChoice;
use crate::profile::sheet;
use crate::profile::{InvalidProfile, Profile};
use crate::report::diagnostic::ColorWhen;
use crate::report::{self, Format, Settings, Summary};
use crate::rules::Rulebook;

pub fn run(args: &CheckArgs, rulebook: &Rulebook, lang: Lang, color: ColorWhen) -> ExitCode {
    // A directory is no profile: say so, rather than that its format is unknown.
    if let Some(directory) = args.files.iter().find(|file| file.is_dir()) {
        eprintln!(
            "ticheck: {}: {}",
            directory.display(),
            lang.pick(
                "是一个目录，不是档案文件；请给出其中的 .toml、.csv 或 .xlsx 文件（如 目录/*.toml）",
                "is a directory, not a profile; give the .toml, .csv or .xlsx files in it (e.g. dir/*.toml)"
            )
        );
        return ExitCode::from(exit::ERROR);
    }
    let mut formats = Vec::with_capacity(args.files.len());
    for file in &args.files {
        match input_format(file, args.input_format) {
            Some(format) => formats.push(format),
            None if file.as_os_str() == "-" => match sniff_stdin() {
                Ok(format) => formats.push(format),
                Err(message) => {
                    eprintln!("ticheck: {}", message.get(lang));
                    return ExitCode::from(exit::ERROR);
                }
            },
            None => {
                eprintln!(
                    "ticheck: {}",
                    lang.pick(
                        "无法判断输入格式：文件应以 .toml、.csv 或 .xlsx 结尾，或用 --input-format 指定",
                        "cannot tell the input format: files must end in .toml, .csv or .xlsx, or give --input-format"
                    )
                );
                return ExitCode::from(exit::ERROR);
            }
        }
    }
    let settings = Settings {
        rulebook,
        lang,
        many: args.files.len() > 1 || formats.iter().any(|f| *f != InputFormat::Toml),
        detail: args.detail,
        strict: args.strict,
        near_miss: args.near_miss,
        output_encoding: args.output_encoding,
        to_file: args.output.is_some(),
    };
    if let Some(output) = &args.output {
        if args.files.iter().any(|file| same_file(file, output)) {
            eprintln!(
                "ticheck: {} {}",
                output.display(),
                lang.pick(
                    "同时是输入文件；请换一个输出文件名，以免覆盖申报材料",
                    "is also an input; choose another output file, or the input would be overwritten"
                )
            );
            return ExitCode::from(exit::ERROR);
        }
    }
    let workbook_path = args.output.clone().filter(|p| {
        p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    });
    let format = output_format(args);
    if workbook_path.is_some() && args.format.is_some_and(|f| f != Format::Table) {
        eprintln!(
            "ticheck: {}",
            lang.pick(
                "写出 .xlsx 工作簿时不能再指定 --format；去掉 --format 或换一个输出文件名",
                "an .xlsx output is a workbook: drop --format, or write to another file name"
            )
        );
        return ExitCode::from(exit::ERROR);
    }
    let mut emitter = match &workbook_path {
        Some(path) => report::workbook(settings, path.clone()),
        None => report::emitter(format, settings),
    };
    let renderer = match &workbook_path {
        Some(_) => None,
        None => report::row_renderer(format, settings),
    };
    let mut out: Box<dyn Write> = match (&args.output, &workbook_path) {
        (_, Some(_)) => Box::new(io::sink()),
        (Some(path), None) => match File::create(path) {
            Ok(file) => Box::new(BufWriter::new(file)),
            Err(error) => {
                eprintln!(
                    "ticheck: {}",
                    crate::i18n::foreign::cannot_write(path, &error, lang)
                );
                return ExitCode::from(exit::ERROR);
            }
        },
        (None, None) if args.quiet => Box::new(io::sink()),
        (None, None) => Box::new(BufWriter::with_capacity(256 * 1024, io::stdout().lock())),
    };
    let mut run = Run {
        rulebook,
        lang,
        diagnostics: Some(color),
        dates: DateChoice {
            as_of: args.as_of,
            today: chrono::Local::now().date_naive(),
        },
        emitter: emitter.as_mut(),
        renderer,
        out: out.as_mut(),
        summary: Summary::default(),
        // Collected only for the formats that list them (SPEC §7).
        near_miss: (workbook_path.is_some() || report::lists_near_misses(format))
            .then_some(args.near_miss),
        warned: Vec::new(),
        warned_count: 0,
        invalid_fields: false,
        written: Ok(()),
    };
    for (file, format) in args.files.iter().zip(formats) {
        match format {
            InputFormat::Toml => {
                let assessment = match read_toml(file) {
                    Ok(profile) => crate::assess_profile(&profile, rulebook, run.dates),
                    Err(error) => Assessment::invalid(error),
                };
                run.report(&assessment);
            }
            InputFormat::Csv => match open_twice(file) {
                // The second reader lets the sheet find the same applicant twice (SPEC §7).
                Ok((input, again, name)) => {
                    match sheet::csv::open_checked(input, again, &name, args.encoding) {
                        Ok((columns, rows)) => run.sheet(&columns, rows),
                        Err(error) => run.report(&Assessment::invalid(error)),
                    }
                }
                Err(error) => run.report(&Assessment::invalid(error)),
            },
            InputFormat::Xlsx => {
                let opened = open_input(file).and_then(|(input, name)| {
                    let bytes = read_bounded(input, &name, WORKBOOK_MAX_BYTES)?;
                    sheet::xlsx::open(bytes, &name, args.sheet.as_deref())
                });
                match opened {
                    Ok((columns, rows)) => run.sheet(&columns, rows),
                    Err(error) => run.report(&Assessment::invalid(error)),
                }
            }
        }
    }
    let summary = run.summary;
    let strict_failure = run.warned_count > 0 && args.strict;
    if strict_failure {
        let code = exit_code(&summary, true);
        strict_account(&run.warned, run.warned_count, code, lang);
    }
    let mut written = run.written;
    written = written
        .and_then(|_| emitter.finish(&mut out, &summary))
        .and_then(|_| out.flush());
    if let Err(error) = written {
        if error.kind() != io::ErrorKind::BrokenPipe {
            let message = match (lang, &workbook_path) {
                // The workbook is written at the end: name it.
                (Lang::Zh, Some(path)) => format!(
                    "无法写入 {}：{}",
                    path.display(),
                    crate::i18n::foreign::io_error_zh(&error)
                ),
                _ => crate::i18n::foreign::write_failed(&error, lang),
            };
            eprintln!("ticheck: {message}");
            return ExitCode::from(exit::ERROR);
        }
    }
    ExitCode::from(exit_code(&summary, strict_failure))
}

/// SPEC §2: under `--strict` the output says which warnings failed the run.
/// `code` is the run's exit code: 1 for the warnings, or 2 when a profile could not be read
/// at all, which outranks them (SPEC §2).
fn strict_account(warned: &[(String, usize, String)], count: usize, code: u8, lang: Lang) {
    let plural = if count == 1 { "" } else { "s" };
    eprintln!(
        "ticheck: {}",
        match (lang, code) {
            (Lang::Zh, exit::ERROR) => format!(
                "--strict：{count} 个申报单位有警告；另有无法读取的申报材料，退出码为 2："
            ),
            (Lang::Zh, _) => format!("--strict：{count} 个申报单位有警告，退出码为 1："),
            (Lang::En, exit::ERROR) => format!(
                "--strict: {count} applicant{plural} with warnings; a profile could not be read, so the exit code is 2:"
            ),
            (Lang::En, _) => format!(
                "--strict: {count} applicant{plural} with warnings, so the exit code is 1:"
            ),
        }
    );
    for (source, warnings, first) in warned {
        let more = match (lang, warnings - 1) {
            (_, 0) => String::new(),
            (Lang::Zh, n) => format!("（另有 {n} 条）"),
            (Lang::En, n) => format!(" (and {n} more)"),
        };
        eprintln!("  {source}: {first}{more}");
    }
    if count > warned.len() {
        eprintln!(
            "  {}",
            match lang {
                Lang::Zh => format!("……另有 {} 个", count - warned.len()),
                Lang::En => format!("… and {} more", count - warned.len()),
            }
        );
    }
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

/// `--format`, or else what the output file's extension names, or else the table.
fn output_format(args: &CheckArgs) -> Format {
    if let Some(format) = args.format {
        return format;
    }
    let extension = super::output_extension(args.output.as_deref());
    match extension.as_deref() {
        Some("json") => Format::Json,
        Some("csv") => Format::Csv,
        Some("sarif") => Format::Sarif,
        Some("xml") => Format::Junit,
        Some("md" | "markdown") => Format::Markdown,
        _ => Format::Table,
    }
}

/// Whether two paths name the same existing file (however they are written).
pub(super) fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A file's format by its extension; `--input-format` for standard input and for files whose
/// extension does not tell.
fn input_format(file: &Path, forced: Option<InputFormat>) -> Option<InputFormat> {
    let by_extension = match file.to_str() {
        _ if file.as_os_str() == "-" => None,
        Some(name) => InputFormat::of_name(name),
        None => file
            .extension()
            .and_then(|e| e.to_str())
            .and_then(|e| InputFormat::of_name(&format!("a.{e}"))),
    };
    by_extension.or(forced)
}

pub(super) use crate::check::file_problem;

fn unreadable(source: &str, error: &io::Error) -> InvalidProfile {
    file_problem(
        source,
        format!("无法读取文件：{}", crate::i18n::foreign::io_error_zh(error)),
        format!("cannot read the file: {error}"),
    )
}

/// Standard input, once it has been read whole to tell its format.
static STDIN: OnceLock<Arc<[u8]>> = OnceLock::new();

/// The format of standard input when `--input-format` does not give it, told by its bytes
/// ([`super::sniff`]); standard input is read whole for it, and read from memory afterwards.
fn sniff_stdin() -> Result<InputFormat, Text> {
    let bytes = match STDIN.get() {
        Some(bytes) => bytes.clone(),
        None => {
            let mut bytes = Vec::new();
            io::stdin().read_to_end(&mut bytes).map_err(|error| {
                Text::new(
                    format!(
                        "无法读取标准输入：{}",
                        crate::i18n::foreign::io_error_zh(&error)
                    ),
                    format!("cannot read standard input: {error}"),
                )
            })?;
            STDIN.get_or_init(|| bytes.into()).clone()
        }
    };
    super::sniff::sniff(&bytes).ok_or_else(|| {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            Text::new(
                "标准输入为空；请把档案或表格通过管道传入，并用 --input-format toml|csv|xlsx 指定其格式",
                "standard input is empty; pipe a profile or a sheet in, and give its format with --input-format toml|csv|xlsx",
            )
        } else {
            Text::new(
                "无法从内容判断标准输入的格式（不是 Excel 工作簿，也没有 TOML 的 [节名] 或“键 = 值”行，首行也不是以逗号或制表符分隔的表头）；请用 --input-format toml|csv|xlsx 指定",
                "cannot tell the format of standard input from its content (not an Excel workbook, no TOML [section] or key = value line, no first line of cells separated by commas or tabs); give --input-format toml|csv|xlsx",
            )
        }
    })
}

/// Opens a file, or standard input for `-`; returns the reader and the name for messages.
fn open_input(file: &Path) -> Result<(Box<dyn Read + Send>, String), InvalidProfile> {
    if file.as_os_str() == "-" {
        let input: Box<dyn Read + Send> = match STDIN.get() {
            Some(bytes) => Box::new(io::Cursor::new(bytes.clone())),
            None => Box::new(io::stdin()),
        };
        return Ok((input, "<stdin>".to_string()));
    }
    let name = file.display().to_string();
    match File::open(file) {
        Ok(handle) => Ok((Box::new(BufReader::with_capacity(256 * 1024, handle)), name)),
        Err(error) => Err(unreadable(&name, &error)),
    }
}

type Input = Box<dyn Read + Send>;

/// Two readers of the same input, and its name: a sheet is read twice, first for its rows'
/// names and USCCs. Standard input is held in memory for it; a file is opened twice (without
/// the second reader when it cannot be).
fn open_twice(file: &Path) -> Result<(Input, Option<Input>, String), InvalidProfile> {
    let (mut input, name) = open_input(file)?;
    if file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        input
            .read_to_end(&mut bytes)
            .map_err(|error| unreadable(&name, &error))?;
        let bytes: std::sync::Arc<[u8]> = bytes.into();
        return Ok((
            Box::new(io::Cursor::new(bytes.clone())),
            Some(Box::new(io::Cursor::new(bytes))),
            name,
        ));
    }
    let again = open_input(file).ok().map(|(again, _)| again);
    Ok((input, again, name))
}

/// Reads a TOML profile from a file, or from standard input for `-`. A built center's
/// evaluation profile given here is pointed to `ticheck evaluate`.
fn read_toml(file: &Path) -> Result<Profile, InvalidProfile> {
    let (source, text) = read_text(file)?;
    crate::check::load_toml(&source, &text)
}

/// The largest TOML profile read, and the largest workbook: files read whole into memory. A
/// profile is a few KB and a bureau's workbook of a million rows about 150 MB; without a bound
/// `/dev/zero` or a mistaken path would be read until memory runs out (issue 15). (Reading
/// grows its buffer by doubling: up to twice the bound is asked of the allocator.)
const TEXT_MAX_BYTES: u64 = 64 << 20;
const WORKBOOK_MAX_BYTES: u64 = 512 << 20;

/// Reads an input whole, refusing one larger than `limit` bytes with a message naming it. The
/// buffer doubles as the input comes, but never past `limit`: `read_to_end` would ask for twice
/// the bound to hold one byte more than it.
fn read_bounded(mut input: impl Read, name: &str, limit: u64) -> Result<Vec<u8>, InvalidProfile> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 256 * 1024];
    loop {
        let read = match input.read(&mut chunk) {
            Ok(0) => return Ok(bytes),
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(unreadable(name, &error)),
        };
        if bytes.len() + read > limit {
            let mib = limit >> 20;
            return Err(file_problem(
                name,
                format!("文件超过 {mib} MiB，未读取：档案与表格远小于此（文件是否选错？）"),
                format!("the file is larger than {mib} MiB and was not read: profiles and sheets are far smaller (the wrong file?)"),
            ));
        }
        if bytes.capacity() - bytes.len() < read {
            let grown = (bytes.len() * 2).max(bytes.len() + read).min(limit);
            bytes
                .try_reserve_exact(grown - bytes.len())
                .map_err(|_| unreadable(name, &io::Error::from(io::ErrorKind::OutOfMemory)))?;
        }
        bytes.extend_from_slice(&chunk[..read]);
    }
}

/// A sheet file read whole (`evaluate`'s rounds), at most as large as a workbook `check` reads.
pub(super) fn read_file_bounded(path: &Path, name: &str) -> Result<Vec<u8>, InvalidProfile> {
    let file = File::open(path).map_err(|error| unreadable(name, &error))?;
    read_bounded(file, name, WORKBOOK_MAX_BYTES)
}

/// Reads a UTF-8 text file (a BOM is dropped; GB18030 is read too), or standard input for
/// `-`; returns the name for messages and the text.
pub(super) fn read_text(file: &Path) -> Result<(String, String), InvalidProfile> {
    let (input, source) = open_input(file)?;
    let bytes = read_bounded(input, &source, TEXT_MAX_BYTES)?;
    let text = crate::check::decode_text(&source, bytes)?;
    Ok((source, text))
}
