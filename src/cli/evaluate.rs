//! `ticheck evaluate`: the 3-year performance evaluation of built centers (SPEC §6).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::check::{file_problem, read_file_bounded, read_text, same_file};
use super::{exit, EvaluateArgs};
use crate::evaluation::{evaluate, Evaluation};
use crate::i18n::Lang;
use crate::profile::evaluation::{CenterProfile, LoadTerms};
use crate::profile::evaluation_sheet::{read_round, SheetFile};
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

/// What kind of input a file is, by its extension: a TOML profile or a sheet of a round.
fn is_sheet(file: &Path) -> Option<bool> {
    if file.as_os_str() == "-" {
        return Some(false);
    }
    let extension = file.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "toml" => Some(false),
        "csv" | "tsv" | "txt" => Some(true),
        "xlsx" | "xlsm" | "xls" | "ods" => Some(true),
        _ => None,
    }
}

fn sheet_file(path: &Path) -> Result<SheetFile, InvalidProfile> {
    let name = path.display().to_string();
    // Bounded as `check` bounds a workbook: a sheet file named for /dev/zero is refused.
    let bytes = read_file_bounded(path, &name)?;
    let is_csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "csv" | "tsv" | "txt"));
    Ok(SheetFile {
        name,
        bytes,
        is_csv,
    })
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
    let sheets = args
        .files
        .iter()
        .filter(|file| is_sheet(file) == Some(true))
        .count();
    if args.targets.is_some() && sheets == 0 {
        eprintln!(
            "ticheck: {}",
            lang.pick(
                "--targets 用于汇总表（.csv、.xlsx）；TOML 档案的合同指标写在其 [[target]] 中",
                "--targets goes with a sheet (.csv, .xlsx); a TOML profile lists its targets as [[target]]"
            )
        );
        return ExitCode::from(exit::ERROR);
    }
    if args.targets.is_some() && sheets > 1 {
        eprintln!(
            "ticheck: {}",
            lang.pick(
                "--targets 只能与一个汇总表一起使用：合同指标按中心名称对应到该表的各行",
                "--targets goes with one sheet: its targets are matched to that sheet's rows"
            )
        );
        return ExitCode::from(exit::ERROR);
    }
    let targets = match args.targets.as_deref().map(sheet_file).transpose() {
        Ok(targets) => targets,
        Err(error) => {
            diagnostic::print(&error, lang, color);
            return ExitCode::from(exit::ERROR);
        }
    };
    let terms = load_terms(&rubric);
    let mut centers: Vec<Result<CenterProfile, InvalidProfile>> = Vec::new();
    let mut notes: Vec<crate::i18n::Text> = Vec::new();
    for file in &args.files {
        match is_sheet(file) {
            Some(true) => {
                let round = sheet_file(file).and_then(|sheet| {
                    read_round(
                        &sheet,
                        args.sheet.as_deref(),
                        args.encoding,
                        targets.as_ref(),
                        terms,
                    )
                });
                match round {
                    Ok(round) => {
                        centers.extend(round.centers);
                        notes.extend(round.notes);
                    }
                    Err(error) => centers.push(Err(error)),
                }
            }
            Some(false) => centers.push(read_toml(file, terms)),
            None => centers.push(Err(file_problem(
                &file.display().to_string(),
                "绩效评估读取 TOML 评估档案或 .csv、.xlsx 汇总表（ticheck init --evaluation [--sheet] 生成模板）".to_string(),
                "evaluate reads TOML evaluation profiles or .csv/.xlsx sheets (ticheck init --evaluation [--sheet] writes a template)"
                    .to_string(),
            ))),
        }
    }
    // What was said of the sheets (the worksheet read, ignored columns, skipped rows), once,
    // on standard error: the report's rows are the centers.
    for note in &notes {
        eprintln!("ticheck: {}", note.get(lang));
    }
    let evaluations: Vec<Evaluation<'_>> = centers
        .into_iter()
        .map(|center| match center {
            Ok(center) => evaluate(&rubric, &center),
            Err(error) => {
                diagnostic::print(&error, lang, color);
                Evaluation::invalid(&rubric, error)
            }
        })
        .collect();
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

/// A TOML evaluation profile; an applicant's profile given here is pointed to `ticheck check`.
fn read_toml(file: &Path, terms: LoadTerms<'_>) -> Result<CenterProfile, InvalidProfile> {
    read_text(file).and_then(|(source, text)| {
        // A profile that states no cycle has the rubric's (第二十四条).
        crate::profile::evaluation::load_with_terms(&source, &text, terms).map_err(|mut error| {
            let sections = ["applicant", "team", "facilities", "rnd_spend", "record"];
            if super::check::declares_section(&text, &sections) {
                error.problems.insert(
                    0,
                    crate::profile::Problem {
                        at: None,
                        field: None,
                        message: crate::i18n::Text::new(
                            "这是申报单位档案（有 [applicant]、[team] 等节）：请用 ticheck check 检查申报条件，ticheck evaluate 评估的是已建创新中心",
                            "this is an applicant's profile ([applicant], [team] …): check it with ticheck check; ticheck evaluate evaluates built centers",
                        ),
                    },
                );
            }
            error
        })
    })
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

/// What loading a profile needs from the rubric: its cycle (第二十四条) and the units that
/// compare as one in a contract target.
pub fn load_terms(rubric: &Rubric) -> crate::profile::evaluation::LoadTerms<'_> {
    crate::profile::evaluation::LoadTerms {
        cycle_years: Some(rubric.meta.cycle_years),
        same_units: &rubric.acceptance.same_units,
    }
}
