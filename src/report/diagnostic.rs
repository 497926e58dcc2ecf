//! Diagnostics for profiles that cannot be read: one per problem, naming the file, line and
//! column (or row and column) and the field, and for TOML showing the line with a caret under
//! the offending value, as compilers do.

use std::io::{self, IsTerminal, Write};

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::termcolor::{Buffer, ColorChoice, StandardStream};
use codespan_reporting::term::{self, Config};

use crate::i18n::Lang;
use crate::profile::{InvalidProfile, Location, Problem};

/// `--color`: when diagnostics are coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    /// When standard error is a terminal and `NO_COLOR` is not set.
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    fn use_color(self) -> bool {
        match self {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
                    && io::stderr().is_terminal()
            }
        }
    }
}

/// The byte range a problem points at: from its column to the end of the value (a quoted
/// string, or the token up to a space, comma or comment).
fn span(text: &str, line: usize, column: usize) -> Option<std::ops::Range<usize>> {
    let line_start = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum::<usize>();
    let line_text = text[line_start..]
        .split('\n')
        .next()?
        .trim_end_matches('\r');
    let offset = line_text
        .char_indices()
        .nth(column - 1)
        .map_or(line_text.len(), |(i, _)| i);
    let rest = &line_text[offset..];
    let length = match rest.chars().next() {
        Some(quote @ ('"' | '\'')) => rest[1..].find(quote).map_or(rest.len(), |end| end + 2),
        Some(_) => rest
            .find([' ', '\t', ',', '#', ']', '}'])
            .unwrap_or(rest.len()),
        // At the end of the line (an unclosed string): a caret with no width.
        None => 0,
    };
    let start = line_start + offset;
    Some(start..start + length)
}

fn diagnostic(error: &InvalidProfile, problem: &Problem, lang: Lang) -> Option<Diagnostic<()>> {
    let text = error.text.as_deref()?;
    let Some(Location::Line { line, column }) = problem.at else {
        return None;
    };
    let range = span(text, line, column)?;
    // The one-line form first (`file:line:col: field: message`), as grep and editors read it.
    let title = error.render_problem(problem, lang);
    let label = match &problem.field {
        Some(field) => Label::primary((), range).with_message(field.clone()),
        None => Label::primary((), range),
    };
    Some(
        Diagnostic::error()
            .with_message(title)
            .with_labels(vec![label]),
    )
}

/// The diagnostic with its severity word, which codespan writes in English (`error: …`), in the
/// output language (`错误: …`): the word comes first, before the message and any colour codes
/// hold none of it, so its first occurrence is the one.
fn localise_severity(rendered: String, lang: Lang) -> String {
    match lang {
        Lang::Zh => rendered.replacen("error", "错误", 1),
        Lang::En => rendered,
    }
}

/// Writes every problem of an invalid profile to standard error.
pub fn print(error: &InvalidProfile, lang: Lang, color: ColorWhen) {
    let file = error
        .text
        .as_deref()
        .map(|text| SimpleFile::new(error.source.as_str(), text));
    let config = Config::default();
    let choice = if color.use_color() {
        ColorChoice::Always
    } else {
        ColorChoice::Never
    };
    let mut stream = StandardStream::stderr(choice);
    for problem in &error.problems {
        let rendered = match (&file, diagnostic(error, problem, lang)) {
            (Some(file), Some(diagnostic)) => {
                // Rendered into a buffer first, for the Chinese severity word.
                let mut buffer = if choice == ColorChoice::Always {
                    Buffer::ansi()
                } else {
                    Buffer::no_color()
                };
                term::emit_to_write_style(&mut buffer, &config, file, &diagnostic).is_ok() && {
                    let text = String::from_utf8_lossy(buffer.as_slice()).into_owned();
                    stream
                        .write_all(localise_severity(text, lang).as_bytes())
                        .is_ok()
                }
            }
            _ => false,
        };
        if !rendered {
            let _ = writeln!(stream, "{}", error.render_problem(problem, lang));
        }
    }
}

/// The plain text of every problem's diagnostic (for tests and files): caret and all.
pub fn render_plain(error: &InvalidProfile, lang: Lang) -> String {
    let Some(text) = error.text.as_deref() else {
        return error.render(lang);
    };
    let file = SimpleFile::new(error.source.as_str(), text);
    let config = Config::default();
    let mut out = String::new();
    for problem in &error.problems {
        match diagnostic(error, problem, lang)
            .and_then(|d| term::emit_into_string(&config, &file, &d).ok())
        {
            Some(rendered) => out.push_str(&localise_severity(rendered, lang)),
            None => {
                out.push_str(&error.render_problem(problem, lang));
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_covers_the_value() {
        let text = "[team]\nfixed_staff = -5  # no\nname = \"a b\"\n";
        assert_eq!(&text[span(text, 2, 15).unwrap()], "-5");
        assert_eq!(&text[span(text, 3, 8).unwrap()], "\"a b\"");
    }

    #[test]
    fn caret_points_at_the_bad_value() {
        let text = "[facilities]\nrnd_floor_area = \"1800亩\"\n";
        let error = crate::profile::toml::load("a.toml", text).unwrap_err();
        let rendered = render_plain(&error, Lang::En);
        assert!(rendered.contains("a.toml:2:18"), "{rendered}");
        assert!(
            rendered.contains("rnd_floor_area = \"1800亩\""),
            "{rendered}"
        );
        assert!(rendered.contains("^^^"), "{rendered}");
        assert!(rendered.contains("facilities.rnd_floor_area"), "{rendered}");
    }
}
