//! ticheck: checks applicants against the founding conditions of Yunnan Provincial Technology
//! Innovation Centers (《云南省技术创新中心建设运行管理办法（试行）》).
//!
//! The data flows one way: [`profile`] loads a file into typed, located values; [`normalise`]
//! turns them into the metrics the law speaks of (windows applied, ratios and counts derived);
//! [`engine`] judges each clause of a [`rules::Rulebook`]; [`report`] renders the findings.

pub mod check;
pub mod cli;
pub mod engine;
pub mod evaluation;
pub mod i18n;
pub mod normalise;
pub(crate) mod pipeline;
pub mod profile;
pub mod report;
pub mod rules;
pub mod serve;
pub mod sniff;

use engine::Assessment;
use normalise::DateChoice;
use profile::Profile;
use rules::Rulebook;

/// Normalises one profile and judges it against every clause of the rulebook.
pub fn assess<'r>(profile: &Profile, rulebook: &'r Rulebook, dates: DateChoice) -> Assessment<'r> {
    let facts = normalise::normalise(profile, rulebook, dates);
    let applicant = profile.name().map(str::to_string);
    let mut assessment = engine::evaluate(rulebook, facts, &profile.source, applicant);
    assessment.uscc = profile.text("applicant.uscc").map(str::to_string);
    assessment.prefecture = profile.text("applicant.prefecture").map(str::to_string);
    assessment
}

/// [`assess`] for one applicant's own profile, with what moving the application to next
/// year's round would change (the window drift): items and amounts leaving or entering the
/// year windows. A sheet's rows are assessed without it.
pub fn assess_profile<'r>(
    profile: &Profile,
    rulebook: &'r Rulebook,
    dates: DateChoice,
) -> Assessment<'r> {
    let mut assessment = assess(profile, rulebook, dates);
    assessment.drift = engine::drift::of(profile, rulebook, dates, &assessment);
    assessment
}
