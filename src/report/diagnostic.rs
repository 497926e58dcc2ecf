//! Diagnostics for profiles that cannot be read: one per problem, naming the file, line and
//! column (or row and column) and the field, and for TOML showing the line with a caret under
//! the offending value, as compilers do.

use std::io::{self, IsTerminal, Write};

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::{self, Files};
use codespan_reporting::term::termcolor::{Buffer, ColorChoice, StandardStream};
use codespan_reporting::term::{self, Config};

use crate::i18n::Lang;
use crate::profile::value::visible_char;
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

/// Display columns of the quoted line kept before the value, and of the value itself (after
/// it, what the value leaves of another such window, at least half of one). A line may be a pasted document or a 10 MB
/// value (issue 15: 350,000 characters printed whole with as many carets, 1.75 MB on standard
/// error): it is cut to this window around the value, with … where it was cut, so a diagnostic
/// stays a few lines whatever the line, and is found in one pass over it.
const WINDOW: usize = 60;

/// The one line a diagnostic quotes, cut to [`WINDOW`] around the value: what codespan is given
/// in place of the file, answering with the line's real number and the value's real column.
struct Excerpt<'a> {
    name: &'a str,
    line: usize,
    column: usize,
    text: String,
    /// The value's bytes in `text`.
    range: std::ops::Range<usize>,
}

impl<'a> Files<'a> for Excerpt<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, files::Error> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, files::Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), _byte: usize) -> Result<usize, files::Error> {
        Ok(0)
    }

    fn line_number(&'a self, (): (), _index: usize) -> Result<usize, files::Error> {
        Ok(self.line)
    }

    fn column_number(&'a self, (): (), _index: usize, _byte: usize) -> Result<usize, files::Error> {
        Ok(self.column)
    }

    fn line_range(&'a self, (): (), index: usize) -> Result<std::ops::Range<usize>, files::Error> {
        match index {
            0 => Ok(0..self.text.len()),
            given => Err(files::Error::LineTooLarge { given, max: 0 }),
        }
    }
}

/// Text with its control characters made visible ([`visible_char`]), for a message quoting
/// what the user wrote.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().all(|c| visible_char(c) == c) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.chars().map(visible_char).collect())
    }
}

fn char_width(c: char) -> usize {
    textwrap::core::display_width(c.encode_utf8(&mut [0; 4]))
}

/// The characters of `chars` that fit in `width` display columns, as a byte length, and
/// whether any were left.
fn fit(chars: impl Iterator<Item = char>, width: usize) -> (usize, bool) {
    let (mut used, mut bytes) = (0, 0);
    for c in chars {
        used += char_width(visible_char(c));
        if used > width {
            return (bytes, true);
        }
        bytes += c.len_utf8();
    }
    (bytes, false)
}

/// The line around `range` of `text`, cut to [`WINDOW`] columns on each side of the value.
fn excerpt<'a>(
    name: &'a str,
    text: &str,
    range: std::ops::Range<usize>,
    line: usize,
    column: usize,
) -> Excerpt<'a> {
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[range.end..]
        .find('\n')
        .map_or(text.len(), |i| range.end + i);
    let line_end = line_end.max(range.end);
    let before = &text[line_start..range.start];
    let value = &text[range.clone()];
    let after = text[range.end..line_end].trim_end_matches('\r');
    let (kept_before, cut_before) = fit(before.chars().rev(), WINDOW);
    let (kept_value, cut_value) = fit(value.chars(), WINDOW);
    let (kept_after, cut_after) = if cut_value {
        (0, !after.is_empty())
    } else {
        let used = textwrap::core::display_width(value);
        fit(after.chars(), WINDOW.saturating_sub(used).max(WINDOW / 2))
    };
    let mut out = String::new();
    if cut_before {
        out.push('…');
    }
    out.extend(
        before[before.len() - kept_before..]
            .chars()
            .map(visible_char),
    );
    let start = out.len();
    out.extend(value[..kept_value].chars().map(visible_char));
    if cut_value {
        out.push('…');
    }
    let end = out.len();
    out.extend(after[..kept_after].chars().map(visible_char));
    if cut_after && !cut_value {
        out.push('…');
    }
    Excerpt {
        name,
        line,
        column,
        text: out,
        range: start..end,
    }
}

fn diagnostic<'a>(
    error: &'a InvalidProfile,
    problem: &Problem,
    lang: Lang,
) -> Option<(Excerpt<'a>, Diagnostic<()>)> {
    let text = error.text.as_deref()?;
    let Some(Location::Line { line, column }) = problem.at else {
        return None;
    };
    let range = span(text, line, column)?;
    let excerpt = excerpt(&error.source, text, range, line, column);
    // The one-line form first (`file:line:col: field: message`), as grep and editors read it.
    let title = visible(&error.render_problem(problem, lang)).into_owned();
    let label = match &problem.field {
        Some(field) => Label::primary((), excerpt.range.clone()).with_message(visible(field)),
        None => Label::primary((), excerpt.range.clone()),
    };
    let diagnostic = Diagnostic::error()
        .with_message(title)
        .with_labels(vec![label]);
    Some((excerpt, diagnostic))
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
    let config = Config::default();
    let choice = if color.use_color() {
        ColorChoice::Always
    } else {
        ColorChoice::Never
    };
    let mut stream = StandardStream::stderr(choice);
    for problem in &error.problems {
        let rendered = match diagnostic(error, problem, lang) {
            Some((file, diagnostic)) => {
                // Rendered into a buffer first, for the Chinese severity word.
                let mut buffer = if choice == ColorChoice::Always {
                    Buffer::ansi()
                } else {
                    Buffer::no_color()
                };
                term::emit_to_write_style(&mut buffer, &config, &file, &diagnostic).is_ok() && {
                    let text = String::from_utf8_lossy(buffer.as_slice()).into_owned();
                    stream
                        .write_all(localise_severity(text, lang).as_bytes())
                        .is_ok()
                }
            }
            None => false,
        };
        if !rendered {
            let _ = writeln!(stream, "{}", visible(&error.render_problem(problem, lang)));
        }
    }
}

/// The plain text of every problem's diagnostic (for tests and files): caret and all.
pub fn render_plain(error: &InvalidProfile, lang: Lang) -> String {
    if error.text.is_none() {
        return error.render(lang);
    }
    let config = Config::default();
    let mut out = String::new();
    for problem in &error.problems {
        match diagnostic(error, problem, lang)
            .and_then(|(file, d)| term::emit_into_string(&config, &file, &d).ok())
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

    #[test]
    fn a_long_line_is_cut_to_a_window_around_the_value() {
        let long = "云".repeat(350_000);
        let text = format!("[applicant]\nname = \"{long}\"\n");
        let error = crate::profile::toml::load("a.toml", &text).unwrap_err();
        let rendered = render_plain(&error, Lang::En);
        assert!(rendered.contains("a.toml:2:8"), "{rendered}");
        assert!(rendered.len() < 2_000, "{} bytes", rendered.len());
        let quoted = rendered.lines().find(|l| l.contains("name = ")).unwrap();
        // 60 columns of the value: the quote and 29 wide characters, then the mark of the cut.
        assert!(
            quoted.ends_with(&format!("\"{}…", "云".repeat(29))),
            "{quoted}"
        );
        let carets = rendered.lines().find(|l| l.contains('^')).unwrap();
        assert_eq!(carets.matches('^').count(), 60, "{carets}");
    }

    #[test]
    fn a_long_line_before_the_value_is_cut_too() {
        let text = format!("[team]\nfixed_staff = -5 {}\n", "#".repeat(1_000));
        let padded = format!("[team]\n{}fixed_staff = -5\n", " ".repeat(100_000));
        for text in [text, padded] {
            let error = crate::profile::toml::load("a.toml", &text).unwrap_err();
            let rendered = render_plain(&error, Lang::En);
            assert!(rendered.len() < 1_000, "{rendered}");
            assert!(rendered.contains("fixed_staff = -5"), "{rendered}");
        }
    }

    #[test]
    fn control_characters_are_shown_not_sent() {
        let text = "[applicant]\nfield = \"a\u{0}b\u{1b}[2J\"\n";
        let error = crate::profile::toml::load("a.toml", text).unwrap_err();
        let rendered = render_plain(&error, Lang::En);
        assert!(
            !rendered.contains('\u{0}') && !rendered.contains('\u{1b}'),
            "{rendered:?}"
        );
        assert!(rendered.contains("a\u{2400}b"), "{rendered}");
    }
}
