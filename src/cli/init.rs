//! `ticheck init`: a commented profile template whose facts are all examples in comments, so
//! that checked untouched it is `incomplete`, never `eligible` (SPEC §4 "Templates never pass").

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::ValueEnum;

use super::exit;
use crate::i18n::Lang;

const TEMPLATE: &str = include_str!("templates/profile.toml");
const EVALUATION_TEMPLATE: &str = include_str!("templates/evaluation.toml");

/// Which profile a template is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// An applicant's profile for `ticheck check`.
    Applicant(Kind),
    /// A built center's evaluation profile for `ticheck evaluate`.
    Evaluation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    Enterprise,
    University,
    Institute,
    #[value(name = "tech_org", alias = "tech-org")]
    TechOrg,
}

impl Kind {
    fn id(self) -> &'static str {
        match self {
            Kind::Enterprise => "enterprise",
            Kind::University => "university",
            Kind::Institute => "institute",
            Kind::TechOrg => "tech_org",
        }
    }
}

/// The template for a kind: lines marked `#E` are for enterprises only, `#N` for the others.
pub fn template(kind: Kind) -> String {
    let enterprise = kind == Kind::Enterprise;
    let mut text = String::new();
    for line in TEMPLATE.lines() {
        let (line, keep) = if let Some(line) = line.strip_suffix(" #E") {
            (line, enterprise)
        } else if let Some(line) = line.strip_suffix(" #N") {
            (line, !enterprise)
        } else {
            (line, true)
        };
        if keep {
            text.push_str(&line.trim_end().replace("{kind}", kind.id()));
            text.push('\n');
        }
    }
    if !enterprise {
        text = text.replace(
            "name = \"云南示例大学\"",
            &format!(
                "name = \"云南示例{}\"",
                match kind {
                    Kind::Institute => "研究院",
                    Kind::TechOrg => "技术研究中心",
                    _ => "大学",
                }
            ),
        );
    }
    text
}

pub fn run(which: Template, output: Option<&Path>, force: bool, lang: Lang) -> ExitCode {
    let text = match which {
        Template::Applicant(kind) => template(kind),
        Template::Evaluation => EVALUATION_TEMPLATE.to_string(),
    };
    let Some(path) = output else {
        print!("{text}");
        return ExitCode::from(exit::OK);
    };
    if refused(path, force, lang) {
        return ExitCode::from(exit::ERROR);
    }
    match std::fs::File::create(path).and_then(|mut file| file.write_all(text.as_bytes())) {
        Ok(()) => {
            eprintln!("{} {}", lang.pick("已写入", "wrote"), path.display());
            ExitCode::from(exit::OK)
        }
        Err(error) => {
            eprintln!(
                "ticheck: {}",
                crate::i18n::foreign::cannot_write(path, &error, lang)
            );
            ExitCode::from(exit::ERROR)
        }
    }
}

/// An existing output file is kept unless `--force`: says so and returns true.
fn refused(path: &Path, force: bool, lang: Lang) -> bool {
    let refused = path.exists() && !force;
    if refused {
        eprintln!(
            "ticheck: {} {}",
            path.display(),
            lang.pick(
                "已存在；加 --force 覆盖",
                "exists; add --force to overwrite it"
            )
        );
    }
    refused
}

/// `ticheck init --sheet FILE.xlsx`: a workbook template for a bureau (SPEC §5), written by
/// [`crate::report::template`]. An existing file is kept unless `--force`; the workbook is
/// written beside it under a temporary name and renamed over it, so that a failure never leaves
/// half a workbook, and the path is reported only once it is there.
pub fn sheet(which: Template, path: &Path, force: bool, lang: Lang) -> ExitCode {
    use crate::report::template::{self, Settings, Which};

    let is_xlsx = path
        .extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| extension.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        eprintln!(
            "ticheck: {} {}",
            path.display(),
            lang.pick(
                "不是 .xlsx 文件名；工作簿模板写为 .xlsx 文件",
                "is not an .xlsx name; the workbook template is an .xlsx file"
            )
        );
        return ExitCode::from(exit::ERROR);
    }
    if refused(path, force, lang) {
        return ExitCode::from(exit::ERROR);
    }
    let which = match which {
        // One sheet for every kind of applicant: the kind is a column.
        Template::Applicant(_) => Which::Applicant,
        Template::Evaluation => Which::Evaluation,
    };
    let sections = sections(TEMPLATE);
    let settings = Settings {
        lang,
        today: chrono::Local::now().date_naive(),
        section_order: &sections,
    };
    let written = template::workbook(which, &settings)
        .map_err(|error| std::io::Error::other(error.to_string()))
        .and_then(|bytes| write_replacing(path, &bytes));
    match written {
        Ok(()) => {
            eprintln!("{} {}", lang.pick("已写入", "wrote"), path.display());
            ExitCode::from(exit::OK)
        }
        Err(error) => {
            eprintln!(
                "ticheck: {}",
                crate::i18n::foreign::cannot_write(path, &error, lang)
            );
            ExitCode::from(exit::ERROR)
        }
    }
}

/// The `[section]` names of a TOML template, in order (not `[[items]]`).
fn sections(template: &str) -> Vec<&str> {
    template
        .lines()
        .filter_map(|line| line.strip_prefix('['))
        .filter(|rest| !rest.starts_with('['))
        .filter_map(|rest| rest.split_once(']').map(|(name, _)| name.trim()))
        .collect()
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`.
fn write_replacing(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temporary = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::File::create(&temporary)
        .and_then(|mut file| file.write_all(bytes).and_then(|()| file.sync_all()))
        .and_then(|()| std::fs::rename(&temporary, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_template_loads_cleanly() {
        for kind in [
            Kind::Enterprise,
            Kind::University,
            Kind::Institute,
            Kind::TechOrg,
        ] {
            let text = template(kind);
            let profile = crate::profile::toml::load("template.toml", &text)
                .unwrap_or_else(|error| panic!("{kind:?}: {error}"));
            assert_eq!(profile.text("applicant.kind"), Some(kind.id()));
            assert!(!text.contains("#E") && !text.contains("#N"));
        }
    }

    #[test]
    fn the_sheet_takes_its_section_order_from_the_template() {
        assert_eq!(
            sections(TEMPLATE),
            [
                "applicant",
                "finance",
                "team",
                "facilities",
                "rnd_spend",
                "record",
                "support"
            ]
        );
    }

    #[test]
    fn the_evaluation_template_loads_and_states_no_fact() {
        use crate::profile::evaluation::{load, EVALUATION_FIELDS};
        let center =
            load("evaluation.toml", EVALUATION_TEMPLATE).unwrap_or_else(|error| panic!("{error}"));
        // SPEC §4 "Templates never pass": every fact is a commented example.
        assert!(center.profile.fields.is_empty() && center.targets.is_empty());
        for field in EVALUATION_FIELDS {
            let key = field.path.rsplit('.').next().unwrap();
            assert!(
                EVALUATION_TEMPLATE.contains(&format!("# {key} = ")),
                "{}",
                field.path
            );
        }
    }
}
