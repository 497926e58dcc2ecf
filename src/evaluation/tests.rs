use rust_decimal_macros::dec;

use super::*;
use crate::profile::evaluation::load;

/// A center that earns every point and meets every governance check; `edits` replace lines.
fn center(edits: &[(&str, &str)]) -> CenterProfile {
    let mut text = String::from(
        "[center]\nname = \"示例中心\"\nlead_kind = \"enterprise\"\ncycle_from = 2022\ncycle_to = 2024\n\
         [indicators]\nnational_major_tasks = 2\nprovincial_major_tasks = 3\nkey_technologies = 5\n\
         invention_patents = 15\nstandards_led = 3\nrnd_spend = 3000\nservice_contracts = 30\n\
         service_income = 1500\nincubated_enterprises = 5\nhigh_tech_enterprises = 3\n\
         integrity_activities = 6\n\
         [conduct]\nresearch_misconduct = false\nmajor_safety_incident = false\nskipped_evaluation = false\n\
         [governance]\nannual_reports = 3\nfull_time_director = true\nboard = true\nexpert_committee = true\n\
         provincial_funds = 500\nmatching_funds = 1500\n",
    );
    for (from, to) in edits {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    load("c.toml", &text).unwrap_or_else(|error| panic!("{error}"))
}

fn grade_of(evaluation: &Evaluation<'_>) -> Option<&'static str> {
    match &evaluation.standing {
        Standing::Graded { grade, .. } => Some(match grade.id.as_str() {
            "excellent" => "excellent",
            "good" => "good",
            "fair" => "fair",
            _ => "poor",
        }),
        _ => None,
    }
}

fn indicator(metric: &str) -> Indicator {
    Rubric::builtin()
        .indicators
        .into_iter()
        .find(|indicator| indicator.metric == metric)
        .unwrap()
}

#[test]
fn points_are_zero_at_or_below_zero_at_full_at_or_above_full_at() {
    // indicators.invention_patents: weight 12, zero_at 0, full_at 15.
    let patents = indicator("indicators.invention_patents");
    assert_eq!(points(&patents, dec!(-1)), dec!(0));
    assert_eq!(points(&patents, dec!(0)), dec!(0));
    assert_eq!(points(&patents, dec!(1)), dec!(0.8));
    assert_eq!(points(&patents, dec!(14)), dec!(11.2));
    assert_eq!(points(&patents, dec!(15)), dec!(12));
    assert_eq!(points(&patents, dec!(40)), dec!(12));
}

#[test]
fn points_between_the_ends_are_exact_decimals() {
    // indicators.provincial_major_tasks: weight 8 over 0..3, so one task is 8/3.
    let tasks = indicator("indicators.provincial_major_tasks");
    let one = points(&tasks, dec!(1));
    assert_eq!(one.round_dp(4), dec!(2.6667), "{one}");
    assert!(
        one.scale() > 20,
        "kept to the decimal's precision, not rounded: {one}"
    );
}

#[test]
fn a_full_center_scores_100_and_is_excellent() {
    let rubric = Rubric::builtin();
    let evaluation = evaluate(&rubric, &center(&[]));
    assert_eq!(
        evaluation.total,
        Range {
            low: dec!(100),
            high: dec!(100)
        }
    );
    assert_eq!(grade_of(&evaluation), Some("excellent"));
    assert!(!evaluation.needs_attention());
    assert!(evaluation
        .governance
        .iter()
        .all(|f| f.verdict == Verdict::Pass));
    assert!(evaluation.warnings.is_empty());
}

#[test]
fn grades_at_each_cut_off() {
    let rubric = Rubric::builtin();
    // Dropping integrity activities (10 points) to k of 6 removes 10 − 10k/6 points.
    let total_and_grade = |edits: &[(&str, &str)]| {
        let evaluation = evaluate(&rubric, &center(edits));
        (evaluation.total.low, grade_of(&evaluation))
    };
    // 90 exactly: all but integrity (10 → 0).
    assert_eq!(
        total_and_grade(&[("integrity_activities = 6", "integrity_activities = 0")]),
        (dec!(90), Some("excellent"))
    );
    // 89.2: and one patent short of 15 (12 → 11.2).
    assert_eq!(
        total_and_grade(&[
            ("integrity_activities = 6", "integrity_activities = 0"),
            ("invention_patents = 15", "invention_patents = 14")
        ]),
        (dec!(89.2), Some("good"))
    );
    // 70 exactly: and no key technologies (13) nor rnd spend (7).
    assert_eq!(
        total_and_grade(&[
            ("integrity_activities = 6", "integrity_activities = 0"),
            ("key_technologies = 5", "key_technologies = 0"),
            ("rnd_spend = 3000", "rnd_spend = 0")
        ]),
        (dec!(70), Some("good"))
    );
    // 60 exactly: and one national task of 2 (12 → 6), 10 patents of 15 (12 → 8).
    let sixty: &[(&str, &str)] = &[
        ("integrity_activities = 6", "integrity_activities = 0"),
        ("key_technologies = 5", "key_technologies = 0"),
        ("rnd_spend = 3000", "rnd_spend = 0"),
        ("national_major_tasks = 2", "national_major_tasks = 1"),
        ("invention_patents = 15", "invention_patents = 10"),
    ];
    assert_eq!(total_and_grade(sixty), (dec!(60), Some("fair")));
    // 59.2: one patent fewer.
    let mut below = sixty.to_vec();
    below[4].1 = "invention_patents = 9";
    assert_eq!(total_and_grade(&below), (dec!(59.2), Some("poor")));
}

#[test]
fn a_missing_indicator_is_never_zero_it_widens_the_total() {
    let rubric = Rubric::builtin();
    let evaluation = evaluate(&rubric, &center(&[("key_technologies = 5\n", "")]));
    assert_eq!(
        evaluation.total,
        Range {
            low: dec!(87),
            high: dec!(100)
        }
    );
    match &evaluation.standing {
        Standing::Incomplete { possible, missing } => {
            let ids: Vec<&str> = possible.iter().map(|g| g.id.as_str()).collect();
            assert_eq!(ids, ["excellent", "good"]);
            assert_eq!(missing, &["indicators.key_technologies".to_string()]);
        }
        other => panic!("{other:?}"),
    }
    assert!(evaluation.needs_attention());
}

#[test]
fn a_missing_indicator_that_cannot_change_the_grade_still_grades() {
    let rubric = Rubric::builtin();
    // Without integrity activities (10) the total lies in 90..100: excellent either way.
    let evaluation = evaluate(&rubric, &center(&[("integrity_activities = 6\n", "")]));
    assert_eq!(
        evaluation.total,
        Range {
            low: dec!(90),
            high: dec!(100)
        }
    );
    assert_eq!(grade_of(&evaluation), Some("excellent"));
}

#[test]
fn a_veto_makes_the_grade_poor_whatever_the_score() {
    let rubric = Rubric::builtin();
    let evaluation = evaluate(
        &rubric,
        &center(&[("research_misconduct = false", "research_misconduct = true")]),
    );
    assert_eq!(evaluation.total.low, dec!(100));
    match &evaluation.standing {
        Standing::Graded { grade, vetoed_by } => {
            assert_eq!(grade.id, "poor");
            assert_eq!(vetoed_by[0].id, "misconduct");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_unstated_veto_leaves_a_good_score_ungraded_but_not_a_poor_one() {
    let rubric = Rubric::builtin();
    let evaluation = evaluate(&rubric, &center(&[("major_safety_incident = false\n", "")]));
    match &evaluation.standing {
        Standing::Incomplete { possible, missing } => {
            let ids: Vec<&str> = possible.iter().map(|g| g.id.as_str()).collect();
            assert_eq!(
                ids,
                ["excellent", "poor"],
                "a veto makes 差, never 良 or 中"
            );
            assert_eq!(missing, &["conduct.major_safety_incident".to_string()]);
        }
        other => panic!("{other:?}"),
    }
    let poor_anyway = evaluate(
        &rubric,
        &center(&[
            ("major_safety_incident = false\n", ""),
            ("national_major_tasks = 2", "national_major_tasks = 0"),
            ("key_technologies = 5", "key_technologies = 0"),
            ("invention_patents = 15", "invention_patents = 0"),
        ]),
    );
    assert_eq!(poor_anyway.total.low, dec!(63));
    assert_eq!(grade_of(&poor_anyway), None, "63 is fair unless vetoed");
    let poor_by_score = evaluate(
        &rubric,
        &center(&[
            ("major_safety_incident = false\n", ""),
            ("national_major_tasks = 2", "national_major_tasks = 0"),
            ("key_technologies = 5", "key_technologies = 0"),
            ("invention_patents = 15", "invention_patents = 0"),
            ("standards_led = 3", "standards_led = 0"),
        ]),
    );
    assert_eq!(poor_by_score.total.low, dec!(55));
    assert_eq!(grade_of(&poor_by_score), Some("poor"));
}

fn governance<'r>(evaluation: &'r Evaluation<'_>, id: &str) -> &'r GovernanceFinding<'r> {
    evaluation
        .governance
        .iter()
        .find(|finding| finding.check.id == id)
        .unwrap()
}

#[test]
fn annual_reports_cover_every_year_of_the_cycle() {
    let rubric = Rubric::builtin();
    let short = evaluate(
        &rubric,
        &center(&[("annual_reports = 3", "annual_reports = 2")]),
    );
    assert_eq!(
        governance(&short, "A21.annual-reports").verdict,
        Verdict::Fail
    );
    let missing = evaluate(&rubric, &center(&[("annual_reports = 3\n", "")]));
    let finding = governance(&missing, "A21.annual-reports");
    assert_eq!(finding.verdict, Verdict::Missing);
    assert_eq!(finding.missing, ["governance.annual_reports"]);
    // Governance does not change the grade.
    assert_eq!(grade_of(&short), Some("excellent"));
}

#[test]
fn matching_funds_at_the_ratio_of_article_28() {
    let rubric = Rubric::builtin();
    let verdict = |edits: &[(&str, &str)]| {
        governance(&evaluate(&rubric, &center(edits)), "A28.matching-delivered").verdict
    };
    // Enterprise-led: 3:1 of 500 = 1500, inclusive (不低于).
    assert_eq!(verdict(&[]), Verdict::Pass);
    assert_eq!(
        verdict(&[("matching_funds = 1500", "matching_funds = 1499.99")]),
        Verdict::Fail
    );
    assert_eq!(
        verdict(&[("matching_funds = 1500", "matching_funds = 1500.01")]),
        Verdict::Pass
    );
    // Others: 1:1.
    assert_eq!(
        verdict(&[
            ("lead_kind = \"enterprise\"", "lead_kind = \"university\""),
            ("matching_funds = 1500", "matching_funds = 500")
        ]),
        Verdict::Pass
    );
    assert_eq!(
        verdict(&[("lead_kind = \"enterprise\"\n", "")]),
        Verdict::Missing
    );
}

#[test]
fn provincial_funds_not_stated_use_the_amount_of_article_28_and_say_so() {
    let rubric = Rubric::builtin();
    let evaluation = evaluate(
        &rubric,
        &center(&[
            ("provincial_funds = 500\n", ""),
            ("matching_funds = 1500", "matching_funds = 1200"),
        ]),
    );
    let finding = governance(&evaluation, "A28.matching-delivered");
    assert_eq!(finding.verdict, Verdict::Fail);
    assert!(finding.notes[0].zh.contains("500"), "{:?}", finding.notes);
}

#[test]
fn acceptance_passes_when_every_target_is_met() {
    let rubric = Rubric::builtin();
    let with_targets = |achieved: &str| {
        let text = format!(
            "[center]\nname = \"中心\"\n[[target]]\nname = \"发明专利\"\ntarget = \"10项\"\nachieved = \"10项\"\n\
             [[target]]\nname = \"研发投入\"\ntarget = \"3000万元\"\n{achieved}"
        );
        let center = load("c.toml", &text).unwrap_or_else(|error| panic!("{error}"));
        evaluate(&rubric, &center).acceptance.unwrap().outcome
    };
    assert_eq!(
        with_targets("achieved = \"0.3亿元\"\n"),
        AcceptanceOutcome::Passed
    );
    assert_eq!(
        with_targets("achieved = 2999.99\n"),
        AcceptanceOutcome::NotPassed
    );
    assert_eq!(with_targets(""), AcceptanceOutcome::Incomplete);
}

#[test]
fn a_target_in_other_units_than_its_result_is_an_error_naming_the_line() {
    let text = "[[target]]\nname = \"发明专利\"\ntarget = \"10项\"\nachieved = \"10万元\"\n";
    let error = load("c.toml", text).unwrap_err();
    assert_eq!(
        error.problems[0].field.as_deref(),
        Some("target[1].achieved")
    );
    assert_eq!(
        error.problems[0].at,
        Some(Location::Line {
            line: 4,
            column: 12
        })
    );
}

#[test]
fn a_cycle_of_other_than_three_years_is_a_warning() {
    let rubric = Rubric::builtin();
    let evaluation = evaluate(&rubric, &center(&[("cycle_to = 2024", "cycle_to = 2025")]));
    assert!(evaluation.warnings[0].zh.contains("第二十四条"));
    // Four years of the cycle want four annual reports.
    assert_eq!(
        governance(&evaluation, "A21.annual-reports").verdict,
        Verdict::Fail
    );
    let backwards = "[center]\ncycle_from = 2024\ncycle_to = 2022\n";
    assert!(load("c.toml", backwards).is_err());
}

#[test]
fn a_total_of_exactly_90_made_of_thirds_is_excellent() {
    let rubric = Rubric::builtin();
    // 13×4/5 + 12×14/15 + 8×29/30 + 7×1/3 + 10×5/6 and the rest full: exactly 90, but three of
    // the terms are repeating decimals held to 28 digits.
    let evaluation = evaluate(
        &rubric,
        &center(&[
            ("key_technologies = 5", "key_technologies = 4"),
            ("invention_patents = 15", "invention_patents = 14"),
            ("service_contracts = 30", "service_contracts = 29"),
            ("high_tech_enterprises = 3", "high_tech_enterprises = 1"),
            ("integrity_activities = 6", "integrity_activities = 5"),
        ]),
    );
    assert_eq!(evaluation.total.low, dec!(90));
    assert_eq!(grade_of(&evaluation), Some("excellent"));
}

#[test]
fn matching_funds_too_large_to_multiply_fail_without_a_panic() {
    let rubric = Rubric::builtin();
    let evaluation = evaluate(
        &rubric,
        &center(&[(
            "provincial_funds = 500",
            "provincial_funds = \"7000000000000000000000000亿元\"",
        )]),
    );
    assert_eq!(
        governance(&evaluation, "A28.matching-delivered").verdict,
        Verdict::Fail
    );
}

fn with_targets(edits: &[(&str, &str)], achieved: &str) -> CenterProfile {
    // A full center, then two targets: one met, one as `achieved` says.
    let mut text = String::new();
    text.push_str(
        "[center]\nname = \"示例中心\"\nlead_kind = \"enterprise\"\ncycle_from = 2022\ncycle_to = 2024\n\
         [indicators]\nnational_major_tasks = 2\nprovincial_major_tasks = 3\nkey_technologies = 5\n\
         invention_patents = 15\nstandards_led = 3\nrnd_spend = 3000\nservice_contracts = 30\n\
         service_income = 1500\nincubated_enterprises = 5\nhigh_tech_enterprises = 3\n\
         integrity_activities = 6\n\
         [conduct]\nresearch_misconduct = false\nmajor_safety_incident = false\nskipped_evaluation = false\n",
    );
    text.push_str(&format!(
        "[[target]]\nname = \"发明专利\"\ntarget = \"10项\"\nachieved = \"12项\"\n\
         [[target]]\nname = \"研发投入\"\ntarget = \"3000万元\"\n{achieved}"
    ));
    for (from, to) in edits {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    load("c.toml", &text).unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn a_center_that_quit_gives_up_its_title_and_no_acceptance_is_estimated() {
    // 第二十六条第（三）项: deemed to give up the title; the targets, all met, are not an
    // acceptance that "passed" and joins the managed series.
    let rubric = Rubric::builtin();
    let quit = [("skipped_evaluation = false", "skipped_evaluation = true")];
    for achieved in ["achieved = 3600\n", "achieved = 100\n", ""] {
        let evaluation = evaluate(&rubric, &with_targets(&quit, achieved));
        let veto = evaluation
            .standing
            .title_given_up()
            .map(|veto| veto.id.as_str());
        assert_eq!(veto, Some("skipped"));
        let acceptance = evaluation.acceptance.as_ref().unwrap();
        assert_eq!(
            acceptance.outcome,
            AcceptanceOutcome::NotAssessed,
            "{achieved}"
        );
        assert_eq!(acceptance.outcome.result_word(), None);
        assert_eq!(acceptance.outcome.status_word(), "not_assessed");
        assert!(acceptance.outcome.consequence(&rubric.acceptance).is_none());
        let (citation, consequence) = evaluation.standing.consequence().unwrap();
        assert_eq!(citation, "第二十六条第（三）项");
        assert!(consequence.zh.contains("视为自动放弃创新中心资格"));
        assert!(evaluation.needs_attention());
    }
}

#[test]
fn other_vetoes_leave_the_acceptance_estimated() {
    let rubric = Rubric::builtin();
    for veto in ["research_misconduct", "major_safety_incident"] {
        let edit = [(&*format!("{veto} = false"), &*format!("{veto} = true"))];
        let evaluation = evaluate(&rubric, &with_targets(&edit, "achieved = 3600\n"));
        assert_eq!(grade_of(&evaluation), Some("poor"), "{veto}");
        assert!(evaluation.standing.title_given_up().is_none());
        let outcome = evaluation.acceptance.unwrap().outcome;
        assert_eq!(outcome, AcceptanceOutcome::Passed, "{veto}");
        assert_eq!(outcome.status_word(), "estimated");
    }
    // An unstated skip leaves the grade open, and the acceptance estimated.
    let open = with_targets(&[("skipped_evaluation = false\n", "")], "achieved = 3600\n");
    let evaluation = evaluate(&rubric, &open);
    assert!(matches!(evaluation.standing, Standing::Incomplete { .. }));
    assert_eq!(
        evaluation.acceptance.unwrap().outcome,
        AcceptanceOutcome::Passed
    );
}

#[test]
fn the_acceptance_is_worded_as_an_estimate_and_its_consequence_as_the_panels() {
    let rubric = Rubric::builtin();
    let terms = &rubric.acceptance;
    assert_eq!(terms.estimate.zh, "按合同指标估计");
    assert!(terms.decided_by.zh.contains("专家"));
    assert!(terms.decided_by.en.contains("expert panel decides"));
    for consequence in [&terms.passed, &terms.not_passed] {
        assert!(
            consequence.zh.starts_with("专家考核评估为"),
            "{}",
            consequence.zh
        );
        assert!(
            consequence.en.starts_with("If the panel"),
            "{}",
            consequence.en
        );
    }
    assert_eq!(AcceptanceOutcome::Passed.result_word(), Some("passed"));
    assert_eq!(
        AcceptanceOutcome::NotPassed.result_word(),
        Some("not_passed")
    );
    assert_eq!(AcceptanceOutcome::Passed.label(Lang::Zh), "通过（passed）");
}

const TEMPLATE: &str = include_str!("../cli/templates/evaluation.toml");

#[test]
fn the_evaluation_template_states_no_fact_and_evaluates_to_incomplete() {
    // SPEC §4: templates never pass. It loads, names every field in its comments, and evaluated
    // untouched it is incomplete with every grade possible, saying it is still the template.
    let template = load("evaluation.toml", TEMPLATE).unwrap_or_else(|error| panic!("{error}"));
    assert!(template.profile.fields.is_empty(), "no fact is stated");
    assert!(template.targets.is_empty());
    for field in crate::profile::evaluation::EVALUATION_FIELDS {
        let key = field.path.rsplit('.').next().unwrap();
        assert!(
            TEMPLATE.contains(&format!("# {key} = ")),
            "the template shows {} as an example",
            field.path
        );
    }
    assert!(is_unfilled(&template));
    let rubric = Rubric::builtin();
    let evaluation = evaluate(&rubric, &template);
    match &evaluation.standing {
        Standing::Incomplete { possible, .. } => assert_eq!(possible.len(), 4),
        other => panic!("{other:?}"),
    }
    assert!(evaluation.needs_attention());
    assert!(evaluation.warnings[0]
        .zh
        .contains("档案仍是 ticheck init --evaluation 生成的模板"));
    assert!(evaluation.warnings[0].en.contains("still the template"));
}

#[test]
fn a_profile_with_any_fact_is_not_the_template() {
    let rubric = Rubric::builtin();
    for fact in [
        "[conduct]\nskipped_evaluation = false\n",
        "[indicators]\nrnd_spend = 0\n",
        "[governance]\nboard = false\n",
        "[[target]]\nname = \"a\"\ntarget = 1\n",
    ] {
        let text = format!("[center]\nname = \"x\"\n{fact}");
        let center = load("c.toml", &text).unwrap_or_else(|error| panic!("{error}"));
        assert!(!is_unfilled(&center), "{fact}");
        assert!(evaluate(&rubric, &center).warnings.is_empty(), "{fact}");
    }
    let named_only = load("c.toml", "[center]\nname = \"x\"\n").unwrap();
    assert!(
        is_unfilled(&named_only),
        "a name alone states no performance"
    );
}

/// Points to the next grade at a band's edge: 88.4 lacks exactly 1.6, which two more patents
/// (0.8 each) earn exactly; the cheapest route is that, not the full band.
#[test]
fn points_to_the_next_grade_at_a_bands_edge() {
    let rubric = Rubric::builtin();
    let center = center(&[
        ("national_major_tasks = 2", "national_major_tasks = 1"),
        ("invention_patents = 15", "invention_patents = 12"),
        ("incubated_enterprises = 5", "incubated_enterprises = 3"),
    ]);
    let evaluation = evaluate(&rubric, &center);
    assert_eq!(evaluation.total.low, dec!(88.4));
    assert_eq!(grade_of(&evaluation), Some("good"));
    let next = evaluation.next_grade.as_ref().unwrap();
    assert_eq!(next.grade.id, "excellent");
    assert_eq!(next.short_by, dec!(1.6));
    assert!(!next.combined);
    let first = &next.routes[0];
    assert_eq!(first.indicator.metric, "indicators.invention_patents");
    assert_eq!(
        (first.from, first.to, first.points),
        (dec!(12), dec!(14), dec!(1.6))
    );
    // The next cheapest: one more incubated enterprise (a fifth of its band) also earns 1.6.
    assert_eq!(
        next.routes[1].indicator.metric,
        "indicators.incubated_enterprises"
    );
    assert_eq!(next.routes[1].to, dec!(4));
}

/// At exactly 90 the center is 优 and lacks nothing; just below, the fraction of one contract
/// (counts rise in whole numbers) closes the gap.
#[test]
fn points_to_the_next_grade_at_and_just_below_the_cut_off() {
    let rubric = Rubric::builtin();
    let at = evaluate(
        &rubric,
        &center(&[
            ("national_major_tasks = 2", "national_major_tasks = 1"),
            ("service_contracts = 30", "service_contracts = 15"),
        ]),
    );
    assert_eq!(at.total.low, dec!(90));
    assert_eq!(grade_of(&at), Some("excellent"));
    assert!(at.next_grade.is_none());

    let below = evaluate(
        &rubric,
        &center(&[
            ("national_major_tasks = 2", "national_major_tasks = 1"),
            ("service_contracts = 30", "service_contracts = 14"),
        ]),
    );
    assert_eq!(grade_of(&below), Some("good"));
    let next = below.next_grade.as_ref().unwrap();
    assert!(next.short_by > dec!(0.26) && next.short_by < dec!(0.27));
    let first = &next.routes[0];
    assert_eq!(first.indicator.metric, "indicators.service_contracts");
    assert_eq!((first.from, first.to), (dec!(14), dec!(15)));
    assert!(first.points >= next.short_by);
}

/// A vetoed center has no points to earn: the veto decides its grade.
#[test]
fn a_vetoed_center_has_no_route_to_the_next_grade() {
    let rubric = Rubric::builtin();
    let vetoed = evaluate(
        &rubric,
        &center(&[("research_misconduct = false", "research_misconduct = true")]),
    );
    assert_eq!(grade_of(&vetoed), Some("poor"));
    assert!(vetoed.next_grade.is_none());
}

/// When no single indicator can close the gap, the cheapest combination does.
#[test]
fn a_gap_no_indicator_closes_alone_gets_a_combination() {
    let rubric = Rubric::builtin();
    let evaluation = evaluate(
        &rubric,
        &center(&[
            ("national_major_tasks = 2", "national_major_tasks = 0"),
            ("key_technologies = 5", "key_technologies = 0"),
            ("invention_patents = 15", "invention_patents = 0"),
        ]),
    );
    // 100 − 12 − 13 − 12 = 63: 中, 7 short of 良; the best single indicator gives 13.
    assert_eq!(evaluation.total.low, dec!(63));
    let next = evaluation.next_grade.as_ref().unwrap();
    assert_eq!(next.grade.id, "good");
    assert!(
        !next.combined,
        "13 points of key technologies close 7 alone"
    );

    let far = evaluate(
        &rubric,
        &center(&[
            ("national_major_tasks = 2", "national_major_tasks = 0"),
            ("provincial_major_tasks = 3", "provincial_major_tasks = 0"),
            ("key_technologies = 5", "key_technologies = 0"),
            ("invention_patents = 15", "invention_patents = 0"),
            ("standards_led = 3", "standards_led = 0"),
        ]),
    );
    // 100 − 53 = 47: 差, 13 short of 中: key technologies alone give exactly 13.
    assert_eq!(far.total.low, dec!(47));
    let next = far.next_grade.as_ref().unwrap();
    assert_eq!(next.grade.id, "fair");
    assert_eq!(
        next.routes[0].indicator.metric,
        "indicators.key_technologies"
    );
    let far2 = evaluate(
        &rubric,
        &center(&[
            ("national_major_tasks = 2", "national_major_tasks = 0"),
            ("provincial_major_tasks = 3", "provincial_major_tasks = 0"),
            ("key_technologies = 5", "key_technologies = 0"),
            ("invention_patents = 15", "invention_patents = 0"),
            ("standards_led = 3", "standards_led = 0"),
            ("integrity_activities = 6", "integrity_activities = 0"),
        ]),
    );
    // 37: 23 short of 中, more than any weight: a combination, heaviest weights first.
    let next = far2.next_grade.as_ref().unwrap();
    assert!(next.combined);
    assert_eq!(
        next.routes[0].indicator.metric,
        "indicators.key_technologies"
    );
    let earned: Decimal = next.routes.iter().map(|route| route.points).sum();
    assert!(earned >= next.short_by, "{earned}");
}
