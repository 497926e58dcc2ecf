//! `ticheck schema`, `ticheck completions SHELL`, `ticheck man`: what editors and shells need.
//!
//! Each command renders into memory and then writes standard output once, so that a closed
//! pipe (`ticheck man | head`) ends the command quietly instead of panicking mid-write.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::CommandFactory;

use super::{exit, Cli};

/// The name the completion scripts and the manual page are written for.
const BIN: &str = "ticheck";

/// Prints the JSON Schema of the applicant profile (pretty JSON, draft 2020-12).
pub fn schema(evaluation: bool) -> ExitCode {
    let text = if evaluation {
        crate::profile::schema::evaluation_text()
    } else {
        crate::profile::schema::text()
    };
    write_stdout(text.as_bytes())
}

pub fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, BIN, &mut script);
    write_stdout(&script)
}

pub fn man() -> ExitCode {
    match manual_page() {
        Ok(page) => write_stdout(&page),
        Err(error) => {
            eprintln!("ticheck: {error}");
            ExitCode::from(exit::ERROR)
        }
    }
}

/// One manual page for the whole tool: `ticheck man > ticheck.1` must document `check`'s
/// options too, not point at `ticheck-check(1)` pages nobody installed. So the page is
/// clap_mangen's page of the top-level command with its SUBCOMMANDS list replaced by a COMMANDS
/// section holding each command's description, synopsis and options.
fn manual_page() -> io::Result<Vec<u8>> {
    let mut command = Cli::command();
    command.build(); // gives each subcommand its full name, `ticheck check`
    let man = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    page.extend_from_slice(b".SH COMMANDS\n");
    for sub in command
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set() && sub.get_name() != "help")
    {
        let name = sub.get_bin_name().unwrap_or(sub.get_name());
        page.extend_from_slice(format!(".SS \"{name}\"\n").as_bytes());
        // The global options and --help are on the page once, under OPTIONS.
        let sub = sub.clone().mut_args(|arg| {
            let shared = arg.is_global_set() || arg.get_id() == "help";
            arg.hide(shared)
        });
        let sub_man = clap_mangen::Man::new(sub.clone());
        let mut part = Vec::new();
        sub_man.render_description_section(&mut part)?;
        sub_man.render_synopsis_section(&mut part)?;
        if sub.get_arguments().any(|arg| !arg.is_hide_set()) {
            sub_man.render_options_section(&mut part)?;
        }
        page.extend_from_slice(demote(&String::from_utf8_lossy(&part)).as_bytes());
    }
    man.render_extra_section(&mut page)?;
    man.render_version_section(&mut page)?;
    Ok(finish(&String::from_utf8_lossy(&page)).into_bytes())
}

/// The page as plain ASCII roff: every rendered piece starts with the same two string
/// definitions, which the page needs once; and the Chinese text is written as `\[uXXXX]`
/// escapes, which groff and mandoc read without a `preconv` pass.
fn finish(roff: &str) -> String {
    let mut out = String::new();
    let mut defined: Vec<&str> = Vec::new();
    for line in roff.lines() {
        if line.contains(" .ds Aq ") {
            if defined.contains(&line) {
                continue;
            }
            defined.push(line);
        }
        for c in line.chars() {
            if c.is_ascii() {
                out.push(c);
            } else {
                out.push_str(&format!("\\[u{:04X}]", u32::from(c)));
            }
        }
        out.push('\n');
    }
    out
}

/// Sections of a command's own page as paragraphs inside the COMMANDS section: `.SH X`
/// becomes a paragraph break (OPTIONS keeps a label).
fn demote(roff: &str) -> String {
    let mut out = String::new();
    for line in roff.lines() {
        match line.strip_prefix(".SH ") {
            Some("OPTIONS") => out.push_str(".PP\nOptions:\n"),
            Some(_) => out.push_str(".PP\n"),
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

fn write_stdout(bytes: &[u8]) -> ExitCode {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::from(exit::OK),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(exit::OK),
        Err(error) => {
            eprintln!("ticheck: {error}");
            ExitCode::from(exit::ERROR)
        }
    }
}
