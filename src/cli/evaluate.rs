//! `ticheck evaluate`: the 3-year performance evaluation of built centers (SPEC §6).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::check::{read_file_bounded, read_text, same_file};
use super::{exit, EvaluateArgs};
use crate::evaluation::run::{self, Evaluated, Input, Kind, Options};
use crate::evaluation::Evaluation;
use crate::i18n::Lang;
use crate::profile::evaluation_sheet::SheetFile;
use crate::profile::InvalidProfile;
use crate::report::diagnostic::{self, ColorWhen};
use crate::report::evaluation::table::TableOptions;
use crate::report::evaluation::{annotations, csv, json, markdown, table, xlsx, EvaluationFormat};
use crate::rules::evaluation::Rubric;

/// Where and how the report goes: a workbook (`-o round.xlsx`) or a text format.
enum Output {
    Text(EvaluationFormat),
    Workbook(PathBuf),
}

/// `--format`, or else what `--output`'s extension names, exactly as `check` chooses.
fn output_choice(args: &EvaluateArgs, lang: Lang) -> Result<Output, String> {
    let extension = super::output_extension(args.output.as_deref());
    if extension.as_deref() == Some("xlsx") {
        if args.format.is_some_and(|f| f != EvaluationFormat::Table) {
            return Err(lang
                .pick(
                    "写出 .xlsx 工作簿时不能再指定 --format；去掉 --format 或换一个输出文件名",
                    "an .xlsx output is a workbook: drop --format, or write to another file name",
                )
                .to_string());
        }
        return Ok(Output::Workbook(args.output.clone().unwrap_or_default()));
    }
    if let Some(format) = args.format {
        return Ok(Output::Text(format));
    }
    Ok(Output::Text(match extension.as_deref() {
        Some("json") => EvaluationFormat::Json,
        Some("csv") => EvaluationFormat::Csv,
        Some("md" | "markdown") => EvaluationFormat::Markdown,
        Some("sarif") => EvaluationFormat::Sarif,
        Some("xml") => EvaluationFormat::Junit,
        _ => EvaluationFormat::Table,
    }))
}

fn sheet_file(path: &Path) -> Result<SheetFile, InvalidProfile> {
    let name = path.display().to_string();
    // Bounded as `check` bounds a workbook: a sheet file named for /dev/zero is refused.
    let bytes = read_file_bounded(path, &name)?;
    let is_csv = matches!(Kind::of_name(&name), Some(Kind::Sheet { csv: true }));
    Ok(SheetFile {
        name,
        bytes,
        is_csv,
    })
}

fn read_bytes(path: &Path) -> Result<Vec<u8>, InvalidProfile> {
    read_file_bounded(path, &path.display().to_string())
}

/// A file as an input of the run: a TOML profile's text (from standard input for `-`), a
/// sheet's bytes, or why it could not be read.
fn input(file: &Path) -> Input {
    let mut name = file.display().to_string();
    let kind = Kind::of_name(&name);
    let bytes = match kind {
        // Named as `check` names it (`<stdin>` for `-`).
        Some(Kind::Toml | Kind::Json) => read_text(file).map(|(source, text)| {
            name = source;
            text.into_bytes()
        }),
        Some(Kind::Sheet { .. }) => read_bytes(file),
        // Not read: the run says what evaluate reads.
        None => Ok(Vec::new()),
    };
    Input { name, kind, bytes }
}

pub fn run(args: &EvaluateArgs, lang: Lang, color: ColorWhen) -> ExitCode {
    let rubric = match Rubric::load(&args.rubric) {
        Ok(rubric) => rubric,
        Err(error) => {
            eprintln!("ticheck: {error}");
            return ExitCode::from(exit::ERROR);
        }
    };
    let output = match output_choice(args, lang) {
        Ok(output) => output,
        Err(message) => {
            eprintln!("ticheck: {message}");
            return ExitCode::from(exit::ERROR);
        }
    };
    if let Some(path) = &args.output {
        let inputs = args.files.iter().chain(args.targets.as_ref());
        if inputs.into_iter().any(|file| same_file(file, path)) {
            eprintln!(
                "ticheck: {} {}",
                path.display(),
                lang.pick(
                    "同时是输入文件；请换一个输出文件名，以免覆盖评估数据",
                    "is also an input; choose another output file, or the input would be overwritten"
                )
            );
            return ExitCode::from(exit::ERROR);
        }
    }
    let targets = match args.targets.as_deref().map(sheet_file).transpose() {
        Ok(targets) => targets,
        Err(error) => {
            diagnostic::print(&error, lang, color);
            return ExitCode::from(exit::ERROR);
        }
    };
    let inputs = args.files.iter().map(|file| input(file)).collect();
    let options = Options {
        sheet: args.sheet.as_deref(),
        encoding: args.encoding,
        targets: targets.as_ref(),
    };
    let Evaluated {
        evaluations, notes, ..
    } = match run::run(&rubric, inputs, &options) {
        Ok(evaluated) => evaluated,
        Err(message) => {
            eprintln!("ticheck: --targets: {}", message.get(lang));
            return ExitCode::from(exit::ERROR);
        }
    };
    // What was said of the sheets (the worksheet read, ignored columns, skipped rows), once,
    // on standard error: the report's rows are the centers.
    for note in &notes {
        eprintln!("ticheck: {}", note.get(lang));
    }
    for error in evaluations.iter().filter_map(|e| e.error.as_ref()) {
        diagnostic::print(error, lang, color);
    }
    let written = match (&output, &args.output) {
        (Output::Workbook(path), _) => {
            xlsx::write(path, &rubric, &evaluations, lang, &notes).map_err(io::Error::other)
        }
        (Output::Text(format), Some(path)) => match File::create(path) {
            Ok(file) => write(
                Box::new(BufWriter::new(file)),
                args,
                *format,
                (&rubric, &evaluations, &notes),
                lang,
            ),
            Err(error) => {
                eprintln!(
                    "ticheck: {}",
                    crate::i18n::foreign::cannot_write(path, &error, lang)
                );
                return ExitCode::from(exit::ERROR);
            }
        },
        (Output::Text(format), None) if args.quiet => write(
            Box::new(io::sink()),
            args,
            *format,
            (&rubric, &evaluations, &notes),
            lang,
        ),
        (Output::Text(format), None) => {
            let out = Box::new(BufWriter::new(io::stdout().lock()));
            write(out, args, *format, (&rubric, &evaluations, &notes), lang)
        }
    };
    if let Err(error) = written {
        if error.kind() != io::ErrorKind::BrokenPipe {
            let message = match (&output, lang) {
                (Output::Workbook(path), Lang::Zh) => format!(
                    "无法写入 {}：{}",
                    path.display(),
                    crate::i18n::foreign::io_error_zh(&error)
                ),
                (Output::Workbook(path), Lang::En) => {
                    format!("cannot write {}: {error}", path.display())
                }
                _ => crate::i18n::foreign::write_failed(&error, lang),
            };
            eprintln!("ticheck: {message}");
            return ExitCode::from(exit::ERROR);
        }
    }
    ExitCode::from(exit_code(&evaluations))
}

fn write(
    mut out: Box<dyn Write + '_>,
    args: &EvaluateArgs,
    format: EvaluationFormat,
    (rubric, evaluations, notes): (&Rubric, &[Evaluation<'_>], &[crate::i18n::Text]),
    lang: Lang,
) -> io::Result<()> {
    match format {
        EvaluationFormat::Table => table::write(
            out.as_mut(),
            rubric,
            evaluations,
            lang,
            TableOptions {
                to_file: args.output.is_some(),
                detail: args.detail,
            },
        )?,
        EvaluationFormat::Json => json::write(out.as_mut(), rubric, evaluations, lang, notes)?,
        EvaluationFormat::Csv => csv::write(
            out.as_mut(),
            rubric,
            evaluations,
            lang,
            args.output_encoding,
        )?,
        EvaluationFormat::Markdown => {
            markdown::write(out.as_mut(), rubric, evaluations, lang, notes)?
        }
        EvaluationFormat::Sarif => {
            annotations::write_sarif(out.as_mut(), rubric, evaluations, lang)?
        }
        EvaluationFormat::Junit => {
            annotations::write_junit(out.as_mut(), rubric, evaluations, lang)?
        }
        EvaluationFormat::Github => {
            annotations::write_github(out.as_mut(), rubric, evaluations, lang)?
        }
    }
    out.flush()
}

/// 2 if any profile could not be read; 1 if any center needs attention (graded below 良, not
/// gradable, or its acceptance not passed or not decided); else 0.
pub fn exit_code(evaluations: &[Evaluation<'_>]) -> u8 {
    if evaluations
        .iter()
        .any(|evaluation| evaluation.error.is_some())
    {
        exit::ERROR
    } else if evaluations.iter().any(Evaluation::needs_attention) {
        exit::NOT_ELIGIBLE
    } else {
        exit::OK
    }
}
