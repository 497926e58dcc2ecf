//! An evaluation run over inputs held in memory: what `ticheck evaluate` and the web server
//! share (SPEC §6, §8), as [`crate::check`] is for `check`.
//!
//! Each input is a TOML evaluation profile, the same written as JSON, or a round's sheet (CSV
//! or a workbook, one center per row, the contract targets in a worksheet of their own or a
//! targets file). [`run`] reads them with the rubric's terms (its cycle, 第二十四条, and the
//! units that compare as one, 第二十三条), evaluates every center and keeps what was said of the
//! sheets; [`Evaluated`] renders the JSON and the workbook. The command line reads files and
//! the server request bodies, but both come here, so both answer the same bytes for the same
//! input.

use crate::check::{at_json_paths, declares_section, decode_text, file_problem, json_to_toml};
use crate::i18n::{Lang, Text};
use crate::profile::evaluation::{load_with_terms, CenterProfile, LoadTerms};
use crate::profile::evaluation_sheet::{read_round, SheetFile};
use crate::profile::sheet::encoding::EncodingChoice;
use crate::profile::{InvalidProfile, Problem};
use crate::rules::evaluation::Rubric;

use super::{evaluate, Evaluation};

/// What an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A TOML evaluation profile.
    Toml,
    /// An evaluation profile written as JSON with the TOML's shape.
    Json,
    /// A round's sheet: a CSV (or TSV) file, or a workbook.
    Sheet { csv: bool },
}

impl Kind {
    /// An input's kind by its name's extension; `-` (standard input) is a TOML profile.
    pub fn of_name(name: &str) -> Option<Kind> {
        if name == "-" {
            return Some(Kind::Toml);
        }
        let extension = std::path::Path::new(name)
            .extension()?
            .to_str()?
            .to_ascii_lowercase();
        match extension.as_str() {
            "toml" => Some(Kind::Toml),
            "csv" | "tsv" | "txt" => Some(Kind::Sheet { csv: true }),
            "xlsx" | "xlsm" | "xls" | "ods" => Some(Kind::Sheet { csv: false }),
            _ => None,
        }
    }

    /// The kind of an input whose format was told otherwise (a `Content-Type`, its content).
    pub fn of_format(format: crate::check::InputFormat) -> Kind {
        match format {
            crate::check::InputFormat::Toml => Kind::Toml,
            crate::check::InputFormat::Csv => Kind::Sheet { csv: true },
            crate::check::InputFormat::Xlsx => Kind::Sheet { csv: false },
        }
    }
}

/// One input: its name in the report, its kind when known, and its bytes, or why they could
/// not be read (a missing file): the problem then stands in the report in the input's place.
pub struct Input {
    pub name: String,
    pub kind: Option<Kind>,
    pub bytes: Result<Vec<u8>, InvalidProfile>,
}

/// How the inputs are read: `--sheet`, `--encoding`, `--targets`.
#[derive(Default, Clone, Copy)]
pub struct Options<'a> {
    /// The worksheet of a workbook to read (default: the first with a header of evaluation
    /// fields).
    pub sheet: Option<&'a str>,
    /// The text encoding of a CSV sheet (default: detected).
    pub encoding: Option<EncodingChoice>,
    /// The contract targets of a sheet's centers, in a file of their own (default: the
    /// workbook's worksheet of targets).
    pub targets: Option<&'a SheetFile>,
}

/// The centers evaluated, in input order, and what was said of the sheets (the worksheet
/// read, ignored columns, skipped rows).
pub struct Evaluated<'r> {
    pub rubric: &'r Rubric,
    pub evaluations: Vec<Evaluation<'r>>,
    pub notes: Vec<Text>,
}

/// Whether the inputs could be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Every center was read and evaluated.
    Read,
    /// Some center was read but is invalid (a problem names its field), or some were read and
    /// others not.
    Invalid,
    /// Nothing could be read as a center at all (not TOML, not a sheet of a round…).
    Unreadable,
}

impl Evaluated<'_> {
    /// `ticheck evaluate --format json`'s bytes (SPEC §6).
    pub fn json(&self, lang: Lang) -> Vec<u8> {
        let mut out = Vec::new();
        // Writing into memory does not fail.
        let _ = crate::report::evaluation::json::write(
            &mut out,
            self.rubric,
            &self.evaluations,
            lang,
            &self.notes,
        );
        out
    }

    /// The results workbook, `ticheck evaluate --output FILE.xlsx`'s bytes.
    pub fn workbook(&self, lang: Lang) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        crate::report::evaluation::xlsx::bytes(self.rubric, &self.evaluations, lang, &self.notes)
    }

    /// Whether every center was read, as `check` tells it for its applicants.
    pub fn reading(&self) -> Reading {
        let errors: Vec<&InvalidProfile> = self
            .evaluations
            .iter()
            .filter_map(|evaluation| evaluation.error.as_ref())
            .collect();
        let invalid_fields = errors
            .iter()
            .any(|error| error.problems.iter().any(|p| p.field.is_some()));
        if errors.is_empty() {
            Reading::Read
        } else if !invalid_fields && errors.len() == self.evaluations.len() {
            Reading::Unreadable
        } else {
            Reading::Invalid
        }
    }
}

/// What loading a profile needs from the rubric: its cycle (第二十四条) and the units that
/// compare as one in a contract target (第二十三条; 项/件/个).
pub fn load_terms(rubric: &Rubric) -> LoadTerms<'_> {
    LoadTerms {
        cycle_years: Some(rubric.meta.cycle_years),
        same_units: &rubric.acceptance.same_units,
    }
}

/// Reads and evaluates the inputs. A targets file goes with exactly one sheet: its targets are
/// matched, by the center's name or USCC, to that sheet's rows; otherwise the answer is why not.
pub fn run<'r>(
    rubric: &'r Rubric,
    inputs: Vec<Input>,
    options: &Options<'_>,
) -> Result<Evaluated<'r>, Text> {
    if options.targets.is_some() {
        let sheets = inputs
            .iter()
            .filter(|input| matches!(input.kind, Some(Kind::Sheet { .. })))
            .count();
        if sheets == 0 {
            return Err(Text::new(
                "合同指标文件用于汇总表（.csv、.xlsx）；TOML 档案的合同指标写在其 [[target]] 中",
                "a targets file goes with a sheet (.csv, .xlsx); a TOML profile lists its targets as [[target]]",
            ));
        }
        if sheets > 1 {
            return Err(Text::new(
                "合同指标文件只能与一个汇总表一起使用：合同指标按中心名称对应到该表的各行",
                "a targets file goes with one sheet: its targets are matched to that sheet's rows",
            ));
        }
    }
    let terms = load_terms(rubric);
    let mut centers: Vec<Result<CenterProfile, InvalidProfile>> = Vec::new();
    let mut notes = Vec::new();
    for input in inputs {
        let Some(kind) = input.kind else {
            centers.push(Err(not_an_input(&input.name)));
            continue;
        };
        let bytes = match input.bytes {
            Ok(bytes) => bytes,
            Err(error) => {
                centers.push(Err(error));
                continue;
            }
        };
        let name = input.name;
        match kind {
            Kind::Toml => centers
                .push(decode_text(&name, bytes).and_then(|text| load_toml(&name, &text, terms))),
            // The caller wrote JSON: problems are named by its paths, not by lines of the
            // TOML it was turned into.
            Kind::Json => centers.push(json_to_toml(&name, &bytes).and_then(|text| {
                load_toml(&name, &text, terms).map_err(|error| at_json_paths(error, &text))
            })),
            Kind::Sheet { csv } => {
                let file = SheetFile {
                    name,
                    bytes,
                    is_csv: csv,
                };
                match read_round(
                    &file,
                    options.sheet,
                    options.encoding,
                    options.targets,
                    terms,
                ) {
                    Ok(round) => {
                        centers.extend(round.centers);
                        notes.extend(round.notes);
                    }
                    Err(error) => centers.push(Err(error)),
                }
            }
        }
    }
    let evaluations = centers
        .into_iter()
        .map(|center| match center {
            Ok(center) => evaluate(rubric, &center),
            Err(error) => Evaluation::invalid(rubric, error),
        })
        .collect();
    Ok(Evaluated {
        rubric,
        evaluations,
        notes,
    })
}

/// Why an input of no known kind is not read.
pub fn not_an_input(name: &str) -> InvalidProfile {
    file_problem(
        name,
        "绩效评估读取 TOML 评估档案或 .csv、.xlsx 汇总表（ticheck init --evaluation [--sheet] 生成模板）".to_string(),
        "evaluate reads TOML evaluation profiles or .csv/.xlsx sheets (ticheck init --evaluation [--sheet] writes a template)"
            .to_string(),
    )
}

/// A center's TOML evaluation profile; a profile that states no cycle has the rubric's
/// (第二十四条). An applicant's profile given here is pointed to `ticheck check`.
pub fn load_toml(
    source: &str,
    text: &str,
    terms: LoadTerms<'_>,
) -> Result<CenterProfile, InvalidProfile> {
    load_with_terms(source, text, terms).map_err(|mut error| {
        let sections = ["applicant", "team", "facilities", "rnd_spend", "record"];
        if declares_section(text, &sections) {
            error.problems.insert(
                0,
                Problem {
                    at: None,
                    field: None,
                    message: Text::new(
                        "这是申报单位档案（有 [applicant]、[team] 等节）：请用 ticheck check 检查申报条件，ticheck evaluate 评估的是已建创新中心",
                        "this is an applicant's profile ([applicant], [team] …): check it with ticheck check; ticheck evaluate evaluates built centers",
                    ),
                },
            );
        }
        error
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, bytes: &[u8]) -> Input {
        Input {
            name: name.to_string(),
            kind: Kind::of_name(name),
            bytes: Ok(bytes.to_vec()),
        }
    }

    #[test]
    fn kinds_by_name() {
        assert_eq!(Kind::of_name("-"), Some(Kind::Toml));
        assert_eq!(Kind::of_name("a.TOML"), Some(Kind::Toml));
        assert_eq!(Kind::of_name("r.tsv"), Some(Kind::Sheet { csv: true }));
        assert_eq!(Kind::of_name("r.xlsx"), Some(Kind::Sheet { csv: false }));
        assert_eq!(Kind::of_name("r.json"), None);
        assert_eq!(Kind::of_name("README"), None);
    }

    #[test]
    fn readings_and_a_misplaced_targets_file() {
        let rubric = Rubric::builtin();
        let good = include_bytes!("../../fixtures/evaluation/good-center.toml");
        let invalid = include_bytes!("../../fixtures/evaluation/invalid-target.toml");
        let reading =
            |inputs: Vec<Input>| run(&rubric, inputs, &Options::default()).unwrap().reading();
        assert_eq!(reading(vec![input("g.toml", good)]), Reading::Read);
        assert_eq!(reading(vec![input("i.toml", invalid)]), Reading::Invalid);
        assert_eq!(
            reading(vec![input("g.toml", good), input("x.toml", b"[center")]),
            Reading::Invalid,
            "one read, one not"
        );
        assert_eq!(
            reading(vec![input("x.toml", b"[center")]),
            Reading::Unreadable
        );
        assert_eq!(reading(vec![input("x.pdf", b"%PDF")]), Reading::Unreadable);
        let targets = SheetFile {
            name: "t.csv".to_string(),
            bytes: b"name,target\n".to_vec(),
            is_csv: true,
        };
        let options = Options {
            targets: Some(&targets),
            ..Options::default()
        };
        let refused = run(&rubric, vec![input("g.toml", good)], &options);
        assert!(refused.is_err_and(|message| message.en.contains("[[target]]")));
    }
}
