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
    if path.exists() && !force {
        eprintln!(
            "ticheck: {} {}",
            path.display(),
            lang.pick(
                "已存在；加 --force 覆盖",
                "exists; add --force to overwrite it"
            )
        );
        return ExitCode::from(exit::ERROR);
    }
    match std::fs::File::create(path).and_then(|mut file| file.write_all(text.as_bytes())) {
        Ok(()) => {
            eprintln!("{} {}", lang.pick("已写入", "wrote"), path.display());
            ExitCode::from(exit::OK)
        }
        Err(error) => {
            eprintln!("ticheck: {}: {error}", path.display());
            ExitCode::from(exit::ERROR)
        }
    }
}

/// `ticheck init --sheet FILE.xlsx`: a workbook template for a bureau (SPEC §5).
pub fn sheet(which: Template, path: &Path, force: bool, lang: Lang) -> ExitCode {
    let _ = (which, force);
    eprintln!(
        "ticheck: {}: {}",
        path.display(),
        lang.pick(
            "工作簿模板尚未实现",
            "the workbook template is not written yet"
        )
    );
    ExitCode::from(exit::ERROR)
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
