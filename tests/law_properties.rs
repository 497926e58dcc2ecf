//! Properties of the law over random valid profiles (issue 15), each read through the library's
//! own entry points. `tests/properties.rs` checks single clauses on one-field profiles and the
//! number parsers; here every property ranges over whole profiles ([`profiles::facts`]: every
//! field of SPEC §4, stated or not, numbers at the rulebook's bounds, itemised evidence in TOML;
//! sheets written as bureaus save them):
//!
//! 1. raising a resource never turns a `pass` into a `fail`, lowering the debt ratio neither,
//!    and a gap never grows as the fact moves toward its bound (第十条: every bound is a floor
//!    on a resource or, for 资产负债率 "低于 70%", a ceiling);
//! 2. a profile read from TOML, from a CSV row and from an XLSX row under the sheet template's
//!    headers gets the same verdicts and gaps (SPEC §4, §7);
//! 3. money in 元, 万元 or 亿元 for the same amount gives the same verdicts (SPEC §4);
//! 4. the JSON report, read back, has every clause with its verdict and gap (SPEC §5);
//! 5. evaluation scores are monotone in every indicator, stating an unstated one only narrows
//!    the total, and the grade never falls as the score rises (SPEC §6, 第二十六条).
//!
//! Case counts are set here ([`config`]), so that `make test` takes a known time.

#[path = "common/profiles.rs"]
mod profiles;

use std::sync::Arc;

use proptest::prelude::*;
use proptest::sample::Index;
use rust_decimal::Decimal;
use serde_json::Value;
use ticheck::check::{check_bytes, InputFormat};
use ticheck::engine::gap::Change;
use ticheck::engine::{Overall, Verdict};

use profiles::{Fact, Facts, Item, Outcome, Style};

/// `cases` cases, the count `make test` runs (about 20 s in all in a debug build); a deeper run
/// sets `PROPTEST_CASES` (`PROPTEST_CASES=20000 cargo test --release --test law_properties`).
/// Failures are not written to a file beside the test: a failure's minimal case, once
/// understood, is pinned as a plain test in this file.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// 1. Monotone in every resource
// ---------------------------------------------------------------------------------------------

/// One move of a fact toward more resources, or a lower debt ratio.
#[derive(Debug, Clone)]
enum Move {
    /// An amount, an area or a count up.
    Raise(String),
    /// More fixed staff, all qualified: both counts up by the same number.
    HireQualified,
    /// Fixed staff becoming qualified (never more than the fixed staff).
    Qualify,
    /// More fixed staff, none qualified: the share of 第十条第（二）项 may fall, so that clause
    /// alone is exempt.
    HireUnqualified,
    /// A no (or an unstated attestation's `false`) turned yes.
    Affirm(String),
    /// The declared debt ratio down.
    LowerRatio,
    /// The liabilities down.
    LowerLiabilities,
    /// One more item in a table that lists items already (the first item listed would set the
    /// summary count aside, SPEC §4: not a move toward more).
    AddItem,
    /// The benefit of the n-th item (a `[[transfer]]`) up.
    RaiseBenefit(usize),
}

/// The moves the facts allow, each a resource the applicant states; `extra` is the item
/// [`Move::AddItem`] would add.
fn moves(facts: &Facts, extra: &Item) -> Vec<Move> {
    let mut moves = Vec::new();
    if facts.items.iter().any(|item| item.table == extra.table) {
        moves.push(Move::AddItem);
    }
    for (index, item) in facts.items.iter().enumerate() {
        if item.table == "transfer" {
            moves.push(Move::RaiseBenefit(index));
        }
    }
    for (path, fact) in &facts.fields {
        match (path.as_str(), fact) {
            ("finance.total_liabilities", _) => moves.push(Move::LowerLiabilities),
            ("finance.debt_ratio", _) => moves.push(Move::LowerRatio),
            ("team.fixed_staff", _) => moves.push(if facts.get("team.qualified_staff").is_some() {
                Move::HireUnqualified
            } else {
                Move::Raise(path.clone())
            }),
            ("team.qualified_staff", _) => {
                moves.push(Move::HireQualified);
                moves.push(Move::Qualify);
            }
            (_, Fact::Money(_) | Fact::Area(_) | Fact::Count(_)) => {
                moves.push(Move::Raise(path.clone()))
            }
            (_, Fact::Bool(false)) => moves.push(Move::Affirm(path.clone())),
            _ => {}
        }
    }
    moves
}

/// The kind of a move, to draw the kinds evenly.
fn kind_of(step: &Move) -> std::mem::Discriminant<Move> {
    std::mem::discriminant(step)
}

fn count(facts: &Facts, path: &str) -> u64 {
    match facts.get(path) {
        Some(Fact::Count(n)) => *n,
        other => panic!("{path} is a count, not {other:?}"),
    }
}

/// The facts after the move, by `amount` hundredths of the fact's unit (whole units for
/// counts: `steps`).
fn apply(facts: &Facts, step: &Move, extra: &Item, amount: Decimal, steps: u64) -> Facts {
    let mut after = facts.clone();
    match step {
        Move::AddItem => {
            after.items.push(extra.clone());
            return after;
        }
        Move::RaiseBenefit(index) => {
            for (key, fact) in &mut after.items[*index].fields {
                if let (&mut "benefit", Fact::Money(benefit)) = (key, fact) {
                    *benefit = (*benefit + amount).normalize();
                }
            }
            return after;
        }
        _ => {}
    }
    let mut set = |path: &str, fact: Fact| {
        after.fields.insert(path.to_string(), fact);
    };
    match step {
        Move::Raise(path) => set(
            path,
            match facts.get(path).unwrap() {
                Fact::Money(v) => Fact::Money((v + amount).normalize()),
                Fact::Area(v) => Fact::Area((v + amount).normalize()),
                Fact::Count(n) => Fact::Count(n + steps),
                other => panic!("{other:?} is not raised"),
            },
        ),
        Move::HireQualified => {
            set(
                "team.fixed_staff",
                Fact::Count(count(facts, "team.fixed_staff") + steps),
            );
            set(
                "team.qualified_staff",
                Fact::Count(count(facts, "team.qualified_staff") + steps),
            );
        }
        Move::Qualify => {
            let fixed = count(facts, "team.fixed_staff");
            let qualified = count(facts, "team.qualified_staff");
            set(
                "team.qualified_staff",
                Fact::Count((qualified + steps).min(fixed)),
            );
        }
        Move::HireUnqualified => set(
            "team.fixed_staff",
            Fact::Count(count(facts, "team.fixed_staff") + steps),
        ),
        Move::Affirm(path) => set(path, Fact::Bool(true)),
        Move::LowerRatio => {
            let Some(Fact::Percent(percent)) = facts.get("finance.debt_ratio") else {
                unreachable!()
            };
            let lower = (percent - amount / Decimal::ONE_HUNDRED).max(Decimal::ZERO);
            set("finance.debt_ratio", Fact::Percent(lower.normalize()));
        }
        Move::LowerLiabilities => {
            let Some(Fact::Money(liabilities)) = facts.get("finance.total_liabilities") else {
                unreachable!()
            };
            let lower = (liabilities - amount).max(Decimal::ZERO);
            set("finance.total_liabilities", Fact::Money(lower.normalize()));
        }
        Move::AddItem | Move::RaiseBenefit(_) => unreachable!(),
    }
    after
}

/// Checks that `after` (the facts moved toward more resources) is no worse than `before` in
/// any clause but `exempt`: no pass became a fail, and no gap of a clause failed both times
/// grew in any route they share.
fn no_worse(before: &Outcome, after: &Outcome, exempt: Option<&str>) -> Result<(), TestCaseError> {
    for (was, now) in before.clauses.iter().zip(&after.clauses) {
        prop_assert_eq!(&was.id, &now.id);
        if exempt == Some(was.id.as_str()) {
            continue;
        }
        prop_assert!(
            !(was.verdict == Verdict::Pass && now.verdict == Verdict::Fail),
            "{} passed before the move and fails after it",
            was.id
        );
        let (Some(gap_was), Some(gap_now)) = (&was.gap, &now.gap) else {
            continue;
        };
        for need in &gap_now.needs {
            let earlier = gap_was.needs.iter().find(|earlier| {
                earlier.target == need.target
                    && earlier.change.direction() == need.change.direction()
            });
            if let (Some(earlier), Some((by, _))) = (earlier, need.change.amount()) {
                let (by_was, _) = earlier.change.amount().unwrap();
                prop_assert!(
                    by <= by_was,
                    "the gap of {} grew from {} to {} ({:?})",
                    was.id,
                    by_was,
                    by,
                    need.target
                );
            }
        }
    }
    if exempt.is_none() {
        prop_assert!(
            !(before.overall == Overall::Eligible && after.overall == Overall::Ineligible),
            "eligible before the move, ineligible after it"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    /// 第十条: more of any resource (area, equipment, spend, staff, counts, benefit, partners,
    /// pre-investment, matching funds, assets), a yes for a no, or a lower debt ratio, never
    /// turns a pass into a fail, and never widens a gap.
    #[test]
    fn more_resources_never_turn_a_pass_into_a_fail(
        (facts, extra) in profiles::facts_with_items().prop_flat_map(|facts| {
            // An item for a table that lists items already, when one does.
            let year = facts.year();
            let mut tables: Vec<&'static str> = facts.items.iter().map(|item| item.table).collect();
            if tables.is_empty() {
                tables = profiles::ITEM_TABLES.to_vec();
            }
            let extra = prop::sample::select(tables)
                .prop_flat_map(move |table| profiles::item(table, year));
            (Just(facts), extra)
        }),
        style in profiles::style(),
        kind in any::<Index>(),
        which in any::<Index>(),
        hundredths in prop_oneof![1i64..=100, 1i64..=200_000],
        steps in prop_oneof![1u64..=2, 1u64..=40],
    ) {
        // A kind of move first, then one of its kind: the many amounts and counts would
        // otherwise crowd out the few moves of the team, the debt ratio and the items.
        let moves = moves(&facts, &extra);
        let mut kinds: Vec<Vec<&Move>> = Vec::new();
        for step in &moves {
            match kinds.iter_mut().find(|kind| kind_of(kind[0]) == kind_of(step)) {
                Some(kind) => kind.push(step),
                None => kinds.push(vec![step]),
            }
        }
        prop_assume!(!kinds.is_empty());
        let kind = kind.get(&kinds);
        let step = which.get(kind);
        let after = apply(&facts, step, &extra, Decimal::new(hundredths, 2), steps);
        let before_outcome = profiles::judge_toml(&profiles::to_toml(&facts, &style));
        let after_outcome = profiles::judge_toml(&profiles::to_toml(&after, &style));
        let exempt = matches!(step, Move::HireUnqualified).then_some("A10.2.team-quality");
        no_worse(&before_outcome, &after_outcome, exempt)
            .map_err(|error| {
                TestCaseError::fail(format!(
                    "{error}\nmove {step:?} (extra item {extra:?})\nbefore:\n{}",
                    profiles::to_toml(&facts, &style)
                ))
            })?;
    }
}

// ---------------------------------------------------------------------------------------------
// 2. The same facts in TOML, CSV and XLSX
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(128))]

    /// SPEC §4, §7: a sheet's row under the template's headers is the profile it spells, in
    /// every spelling the profile and the sheet accept (units, 是/否, 企业, typed cells).
    #[test]
    fn toml_csv_and_xlsx_give_the_same_verdicts(
        facts in profiles::facts(),
        toml_style in profiles::style(),
        sheet_style in profiles::style(),
    ) {
        let toml = profiles::judge_toml(&profiles::to_toml(&facts, &toml_style));
        let csv = profiles::to_csv(&facts, &sheet_style);
        let csv_outcome = profiles::judge_sheet(csv.clone(), InputFormat::Csv);
        let csv_text = profiles::csv_text(&csv);
        profiles::same_outcome(&csv_outcome, &toml, &format!("the CSV\n{csv_text}"))?;
        let xlsx = profiles::judge_sheet(profiles::to_xlsx(&facts, &sheet_style), InputFormat::Xlsx);
        profiles::same_outcome(&xlsx, &toml, &format!("the XLSX (style {sheet_style:?}) of\n{csv_text}"))?;
    }
}

// ---------------------------------------------------------------------------------------------
// 3. 元, 万元 and 亿元
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(128))]

    /// SPEC §4: every amount written in any of 元, 万元, 万, 亿元 or bare (万元) is the same
    /// amount: the verdicts and gaps of the profile do not change, nor those of its CSV row.
    #[test]
    fn money_in_any_unit_gives_the_same_verdicts(
        facts in prop_oneof![profiles::facts().boxed(), profiles::facts_with_items().boxed()],
        mixed in profiles::style(),
    ) {
        let plain = profiles::judge_toml(&profiles::to_toml(&facts, &Style::plain()));
        for unit in profiles::MONEY_UNITS {
            let style = Style { money: vec![unit], bits: mixed.bits };
            let text = profiles::to_toml(&facts, &style);
            let outcome = profiles::judge_toml(&text);
            profiles::same_outcome(&outcome, &plain, &format!("every amount in {unit:?}:\n{text}"))?;
        }
        let text = profiles::to_toml(&facts, &mixed);
        profiles::same_outcome(&profiles::judge_toml(&text), &plain, &format!("the profile\n{text}"))?;
        if facts.items.is_empty() {
            let csv = profiles::to_csv(&facts, &mixed);
            let outcome = profiles::judge_sheet(csv.clone(), InputFormat::Csv);
            let csv = profiles::csv_text(&csv);
            profiles::same_outcome(&outcome, &plain, &format!("the CSV\n{csv}"))?;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 4. The JSON report read back
// ---------------------------------------------------------------------------------------------

/// Checks that a JSON result (SPEC §5) has exactly the outcome's clauses, in order, each with
/// its verdict, the fields it lacks and its gap as numbers.
fn json_holds(result: &Value, outcome: &Outcome) -> Result<(), TestCaseError> {
    let verdict = match outcome.overall {
        Overall::Eligible => "eligible",
        Overall::Ineligible => "ineligible",
        Overall::Incomplete => "incomplete",
        Overall::Error => "error",
    };
    prop_assert_eq!(&result["verdict"], verdict);
    let clauses = result["clauses"].as_array().expect("clauses");
    prop_assert_eq!(
        clauses.len(),
        outcome.clauses.len(),
        "one JSON clause a clause"
    );
    for (json, clause) in clauses.iter().zip(&outcome.clauses) {
        let id = &clause.id;
        prop_assert_eq!(json["id"].as_str(), Some(id.as_str()));
        prop_assert_eq!(
            json["verdict"].as_str(),
            Some(clause.verdict.word()),
            "{}",
            id
        );
        let missing: Vec<&str> = json["missing"]
            .as_array()
            .expect("missing")
            .iter()
            .map(|path| path.as_str().unwrap())
            .collect();
        prop_assert_eq!(&missing, &clause.missing, "{} missing", id);
        let Some(gap) = &clause.gap else {
            // A gap in JSON is either the numbers of a failed clause or the fields to fill.
            prop_assert!(
                json.get("gap").is_none() || clause.verdict == Verdict::Missing,
                "{} has a JSON gap and none in the assessment: {}",
                id,
                json
            );
            continue;
        };
        let routes = json["gap"]["routes"].as_array().expect("gap routes");
        prop_assert_eq!(routes.len(), gap.needs.len(), "{} routes", id);
        let combine = match gap.combine {
            ticheck::engine::gap::Combine::All => "all",
            ticheck::engine::gap::Combine::Any => "any",
        };
        prop_assert_eq!(json["gap"]["combine"].as_str(), Some(combine), "{}", id);
        prop_assert!(
            json["gap"]["text"].as_str().is_some_and(|t| !t.is_empty()),
            "{} gap text",
            id
        );
        for (route, need) in routes.iter().zip(&gap.needs) {
            prop_assert_eq!(
                route["direction"].as_str(),
                Some(need.change.direction()),
                "{}",
                id
            );
            match need.change {
                Change::Flag(flag) => {
                    prop_assert_eq!(route["must_be"].as_bool(), Some(flag), "{}", id)
                }
                change => {
                    let (by, strict) = change.amount().unwrap();
                    let short_by: Decimal = route["short_by"]
                        .as_str()
                        .and_then(|text| text.parse().ok())
                        .expect("short_by is a decimal text");
                    prop_assert_eq!(short_by, by, "{} short by", id);
                    prop_assert_eq!(route["strict"].as_bool(), Some(strict), "{}", id);
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(128))]

    /// SPEC §5: `check --format json` of a profile, or of its CSV row, read back with a JSON
    /// parser, has every clause, verdict and gap the assessment has.
    #[test]
    fn the_json_report_loses_no_clause_verdict_or_gap(
        facts in prop_oneof![profiles::facts().boxed(), profiles::facts_with_items().boxed()],
        style in profiles::style(),
        sheet in any::<bool>(),
    ) {
        let (bytes, format, name) = if sheet && facts.items.is_empty() {
            (profiles::to_csv(&facts, &style), InputFormat::Csv, "a.csv")
        } else {
            (profiles::to_toml(&facts, &style).into_bytes(), InputFormat::Toml, "a.toml")
        };
        let outcome = match format {
            InputFormat::Toml => profiles::judge_toml(std::str::from_utf8(&bytes).unwrap()),
            format => profiles::judge_sheet(bytes.clone(), format),
        };
        let bytes: Arc<[u8]> = bytes.into();
        let checked = check_bytes(&profiles::RULEBOOK, bytes, &profiles::request(format, name));
        let json: Value = serde_json::from_slice(&checked.body).expect("the report is JSON");
        let results = json["results"].as_array().expect("results");
        prop_assert_eq!(results.len(), 1);
        json_holds(&results[0], &outcome)?;
    }
}

// ---------------------------------------------------------------------------------------------
// 5. The evaluation's scores and grade
// ---------------------------------------------------------------------------------------------

fn evaluate(values: &[Option<Decimal>]) -> ticheck::evaluation::Evaluation<'static> {
    let text = profiles::center_toml(values);
    let center = ticheck::profile::evaluation::load("c.toml", &text)
        .unwrap_or_else(|error| panic!("{}\n{text}", error.render(ticheck::i18n::Lang::En)));
    ticheck::evaluation::evaluate(&profiles::RUBRIC, &center)
}

/// The grade's rank, 0 for the best: `None` while the grade is undecided.
fn rank(evaluation: &ticheck::evaluation::Evaluation<'_>) -> Option<usize> {
    match &evaluation.standing {
        ticheck::evaluation::Standing::Graded { grade, .. } => profiles::RUBRIC
            .grades
            .iter()
            .position(|g| g.id == grade.id),
        _ => None,
    }
}

/// The grades an evaluation leaves possible: its grade, or those its range spans.
fn possible(evaluation: &ticheck::evaluation::Evaluation<'_>) -> Vec<String> {
    match &evaluation.standing {
        ticheck::evaluation::Standing::Graded { grade, .. } => vec![grade.id.clone()],
        ticheck::evaluation::Standing::Incomplete { possible, .. } => {
            possible.iter().map(|grade| grade.id.clone()).collect()
        }
        ticheck::evaluation::Standing::Error => panic!("a valid center is read"),
    }
}

proptest! {
    #![proptest_config(config(512))]

    /// SPEC §6: raising any stated indicator never lowers its points, any other's, the
    /// total's bounds, nor the grade.
    #[test]
    fn evaluation_scores_and_grade_are_monotone(
        values in profiles::indicators(),
        which in any::<Index>(),
        hundredths in prop_oneof![1i64..=100, 1i64..=500_000],
    ) {
        let index = which.index(values.len());
        let indicator = &profiles::RUBRIC.indicators[index];
        let mut raised = values.clone();
        let amount = if profiles::is_count(&indicator.metric) {
            Decimal::from((hundredths + 99) / 100)
        } else {
            Decimal::new(hundredths, 2)
        };
        // An unstated indicator may earn anything up to its weight: stating it at zero lowers
        // the upper bound of the total, so only a stated value is raised.
        prop_assume!(values[index].is_some());
        raised[index] = values[index].map(|value| (value + amount).normalize());
        let (before, after) = (evaluate(&values), evaluate(&raised));
        for (was, now) in before.scores.iter().zip(&after.scores) {
            prop_assert!(
                now.points >= was.points,
                "{} earned {:?} at {:?} and {:?} at {:?}",
                was.indicator.metric, was.points, was.value, now.points, now.value
            );
        }
        prop_assert!(after.total.low >= before.total.low, "{:?} -> {:?}", before.total, after.total);
        prop_assert!(after.total.high >= before.total.high, "{:?} -> {:?}", before.total, after.total);
        if let (Some(was), Some(now)) = (rank(&before), rank(&after)) {
            prop_assert!(now <= was, "the grade fell from rank {} to {} at {:?} -> {:?}", was, now, before.total, after.total);
        }
    }

    /// SPEC §6 "a fact that is not stated is never scored as zero": stating an indicator left
    /// unstated narrows the total (its low end never falls, its high end never rises), and the
    /// grades still possible after are among those possible before.
    #[test]
    fn stating_an_indicator_narrows_the_total_and_the_grades(
        values in profiles::indicators(),
        stated in profiles::indicators(),
        which in any::<Index>(),
    ) {
        let index = which.index(values.len());
        let mut values = values;
        values[index] = None;
        let mut more = values.clone();
        more[index] = Some(stated[index].unwrap_or(Decimal::ZERO));
        let (before, after) = (evaluate(&values), evaluate(&more));
        prop_assert!(after.total.low >= before.total.low, "{:?} -> {:?}", before.total, after.total);
        prop_assert!(after.total.high <= before.total.high, "{:?} -> {:?}", before.total, after.total);
        let (was, now) = (possible(&before), possible(&after));
        prop_assert!(now.iter().all(|grade| was.contains(grade)), "{:?} -> {:?}", was, now);
    }

    /// 第二十六条: the grade of a higher total is never lower (the rubric's cut-offs read in
    /// order), and a total's grade is the one whose cut-off it reaches and the next it does not.
    #[test]
    fn the_grade_never_falls_as_the_total_rises(
        a in 0i64..=10_000,
        b in 0i64..=10_000,
    ) {
        let (low, high) = (Decimal::new(a.min(b), 2), Decimal::new(a.max(b), 2));
        let rubric = &*profiles::RUBRIC;
        let rank_of = |total: Decimal| {
            let grade = rubric.grade_for(total);
            let rank = rubric.grades.iter().position(|g| g.id == grade.id).unwrap();
            // SPEC §6: inclusive lower bounds, so the total reaches its grade's cut-off and
            // not the one above.
            prop_assert!(grade.at_least.is_none_or(|bound| total >= bound), "{} graded {}", total, grade.id);
            if let Some(above) = rank.checked_sub(1) {
                let bound = rubric.grades[above].at_least.unwrap();
                prop_assert!(total < bound, "{} graded {}, below {} at {}", total, grade.id, rubric.grades[above].id, bound);
            }
            Ok(rank)
        };
        let (low_rank, high_rank) = (rank_of(low)?, rank_of(high)?);
        prop_assert!(high_rank <= low_rank, "{} is graded below {}", high, low);
    }
}
