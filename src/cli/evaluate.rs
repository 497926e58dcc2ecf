//! `ticheck evaluate`: the 3-year performance evaluation of built centers (SPEC §6).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use super::check::{file_problem, read_text};
use super::{exit, EvaluateArgs};
use crate::evaluation::{evaluate, Evaluation};
use crate::i18n::Lang;
use crate::report::diagnostic::{self, ColorWhen};
use crate::report::evaluation::{json, table, EvaluationFormat};
use crate::rules::evaluation::Rubric;

pub fn run(args: &EvaluateArgs, lang: Lang, color: ColorWhen) -> ExitCode {
    let rubric = match Rubric::load(&args.rubric) {
        Ok(rubric) => rubric,
        Err(error) => {
            eprintln!("ticheck: {error}");
            return ExitCode::from(exit::ERROR);
        }
    };
    let centers: Vec<_> = args
        .files
        .iter()
        .map(|file| {
            // A sheet or other file is an error for that file; the other centers are still
            // evaluated and reported (SPEC §2).
            let is_toml = file.as_os_str() == "-"
                || file
                    .extension()
                    .is_some_and(|extension| extension.eq_ignore_ascii_case("toml"));
            if !is_toml {
                return Err(file_problem(
                    &file.display().to_string(),
                    "绩效评估读取 TOML 评估档案（ticheck init --evaluation 生成模板）".to_string(),
                    "evaluate reads TOML evaluation profiles (ticheck init --evaluation writes a template)"
                        .to_string(),
                ));
            }
            read_text(file).and_then(|(source, text)| {
                // A profile that states no cycle has the rubric's (第二十四条).
                crate::profile::evaluation::load_with_terms(&source, &text, load_terms(&rubric))
                    .map_err(|mut error| {
                        // An applicant's profile given here is pointed to `ticheck check`.
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
        })
        .collect();
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
    let written = match &args.output {
        Some(path) => match File::create(path) {
            Ok(file) => write(
                Box::new(BufWriter::new(file)),
                args,
                &rubric,
                &evaluations,
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
        None if args.quiet => write(Box::new(io::sink()), args, &rubric, &evaluations, lang),
        None => {
            let out = Box::new(BufWriter::new(io::stdout().lock()));
            write(out, args, &rubric, &evaluations, lang)
        }
    };
    if let Err(error) = written {
        if error.kind() != io::ErrorKind::BrokenPipe {
            eprintln!(
                "ticheck: {}",
                crate::i18n::foreign::write_failed(&error, lang)
            );
            return ExitCode::from(exit::ERROR);
        }
    }
    ExitCode::from(exit_code(&evaluations))
}

fn write(
    mut out: Box<dyn Write + '_>,
    args: &EvaluateArgs,
    rubric: &Rubric,
    evaluations: &[Evaluation<'_>],
    lang: Lang,
) -> io::Result<()> {
    match args.format {
        EvaluationFormat::Table => table::write(
            out.as_mut(),
            rubric,
            evaluations,
            lang,
            args.output.is_some(),
        )?,
        EvaluationFormat::Json => json::write(out.as_mut(), rubric, evaluations, lang)?,
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
