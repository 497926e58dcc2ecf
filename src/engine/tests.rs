//! Boundary tests for every clause of SPEC §1: 第十条 (the founding conditions), 第二十八条
//! (matching funds), 第八条 (priority) and 第四条 (priority fields).
//!
//! Each test starts from a complete profile that meets every automatable condition (Y = 2024,
//! so the windows are 2021–2023 and 2022–2023), changes one fact, and checks the verdict of the
//! clause that fact decides. Bounds follow 《民法典》第一千二百五十九条: "以上" and "不少于" include
//! the number; "低于" excludes it.

use std::sync::LazyLock;

use chrono::NaiveDate;

use super::{Assessment, Finding, Overall, Verdict};
use crate::normalise::DateChoice;
use crate::rules::{Rulebook, Severity};

use Verdict::{Fail, Missing, NotApplicable, Pass, Review};

static RULEBOOK: LazyLock<Rulebook> = LazyLock::new(Rulebook::builtin);

/// Every clause id of SPEC §1.
const CLAUSE_IDS: &[&str] = &[
    "A10.1.registered",
    "A10.2.industry-leader",
    "A10.2.rnd-unit",
    "A10.2.operating",
    "A10.2.debt-ratio",
    "A10.2.partners",
    "A10.2.team-size",
    "A10.2.team-quality",
    "A10.2.leadership",
    "A10.3.projects",
    "A10.3.network",
    "A10.4.support",
    "A10.4.floor-area",
    "A10.4.equipment",
    "A10.4.rnd-spend",
    "A10.5.standards",
    "A10.5.ip",
    "A10.5.transfers",
    "A10.5.benefit",
    "A10.5.achievements",
    "A10.6.local-support",
    "A28.matching",
    "A8.priority",
    "A4.field",
];

/// An enterprise meeting every automatable condition, by summary counts (application 2024).
const ENTERPRISE: &[(&str, &str)] = &[
    ("applicant.name", r#""云南测试科技有限公司""#),
    ("applicant.kind", r#""enterprise""#),
    ("applicant.field", r#""有色金属新材料""#),
    ("applicant.application_date", "2024-03-15"),
    ("applicant.registered_in_yunnan", "true"),
    ("applicant.industry_leader", "true"),
    ("applicant.independent_rnd_unit", "true"),
    ("applicant.operating_well", "true"),
    ("applicant.host_support", "true"),
    ("applicant.national_ertc_host", "true"),
    ("finance.debt_ratio", r#""58.2%""#),
    ("team.fixed_staff", "128"),
    ("team.qualified_staff", "70"),
    ("facilities.rnd_floor_area", "1800"),
    ("facilities.equipment_value", "2350"),
    ("rnd_spend.2022", "1250"),
    ("rnd_spend.2023", "1320"),
    ("record.national_projects", "1"),
    ("record.provincial_projects", "2"),
    ("record.industry_standards", "2"),
    ("record.class_i_ip", "3"),
    ("record.class_ii_ip", "10"),
    ("record.transfers", "6"),
    ("record.transfer_benefit", "5600"),
    ("support.local_commitment", "true"),
    ("support.pre_investment", "800"),
    ("support.matching_funds", "1500"),
];

/// A profile under construction: dotted fields with TOML literals, then itemised tables.
#[derive(Clone)]
struct P {
    fields: Vec<(String, String)>,
    items: String,
    as_of: Option<NaiveDate>,
}

fn enterprise() -> P {
    P {
        fields: ENTERPRISE
            .iter()
            .map(|(path, value)| (path.to_string(), value.to_string()))
            .collect(),
        items: String::new(),
        as_of: None,
    }
}

/// A university meeting every condition that applies to it (第十条第（二）项: co-built with 2
/// Yunnan enterprises instead of the enterprise conditions).
fn university() -> P {
    enterprise()
        .set("applicant.kind", r#""university""#)
        .unset("applicant.industry_leader")
        .unset("applicant.independent_rnd_unit")
        .unset("applicant.operating_well")
        .unset("finance.debt_ratio")
        .set("applicant.partner_enterprises", "2")
        .set("support.matching_funds", "500")
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

impl P {
    fn set(mut self, path: &str, value: &str) -> P {
        match self.fields.iter_mut().find(|(p, _)| p == path) {
            Some(entry) => entry.1 = value.to_string(),
            None => self.fields.push((path.to_string(), value.to_string())),
        }
        self
    }

    fn unset(mut self, path: &str) -> P {
        self.fields.retain(|(p, _)| p != path);
        self
    }

    /// Appends `[[table]]` with `key = value` pairs separated by `; `.
    fn item(mut self, table: &str, body: &str) -> P {
        self.items.push_str(&format!("\n[[{table}]]\n"));
        for pair in body.split("; ").filter(|pair| !pair.is_empty()) {
            self.items.push_str(pair);
            self.items.push('\n');
        }
        self
    }

    fn with_as_of(mut self, day: &str) -> P {
        self.as_of = Some(date(day));
        self
    }

    fn toml(&self) -> String {
        let mut sections: Vec<(&str, Vec<(&str, &str)>)> = Vec::new();
        for (path, value) in &self.fields {
            let (section, key) = path.split_once('.').unwrap();
            match sections.iter_mut().find(|(s, _)| *s == section) {
                Some((_, keys)) => keys.push((key, value)),
                None => sections.push((section, vec![(key, value)])),
            }
        }
        let mut text = String::new();
        for (section, keys) in sections {
            text.push_str(&format!("[{section}]\n"));
            for (key, value) in keys {
                text.push_str(&format!("{key} = {value}\n"));
            }
        }
        text + &self.items
    }

    fn assess(&self) -> Assessment<'static> {
        let text = self.toml();
        let profile = crate::profile::toml::load("t.toml", &text)
            .unwrap_or_else(|error| panic!("profile should load: {error}\n{text}"));
        crate::assess(
            &profile,
            &RULEBOOK,
            DateChoice {
                as_of: self.as_of,
                // Far from every application date, so a test that leaned on "today" would fail.
                today: date("2031-07-01"),
            },
        )
    }

    fn verdict(&self, id: &str) -> Verdict {
        finding(&self.assess(), id).verdict
    }

    /// Asserts the verdict of one clause, showing the profile when it differs.
    fn expect(&self, id: &str, expected: Verdict) -> &P {
        let assessment = self.assess();
        let found = finding(&assessment, id);
        assert_eq!(
            found.verdict,
            expected,
            "{id}: expected {expected:?}, got {:?} (missing {:?})\n{}",
            found.verdict,
            found.missing,
            self.toml()
        );
        self
    }

    /// Asserts that a clause is `missing` and names `field` among the fields to fill.
    fn expect_missing(&self, id: &str, field: &str) -> &P {
        let assessment = self.assess();
        let found = finding(&assessment, id);
        assert_eq!(
            found.verdict,
            Missing,
            "{id}: expected Missing naming {field}\n{}",
            self.toml()
        );
        assert!(
            found.missing.iter().any(|m| m == field),
            "{id}: missing fields {:?} should name {field}",
            found.missing
        );
        self
    }
}

/// The one finding for a clause id.
fn finding<'a>(assessment: &'a Assessment<'static>, id: &str) -> &'a Finding<'static> {
    let mut found = assessment.findings.iter().filter(|f| f.clause.id == id);
    let first = found
        .next()
        .unwrap_or_else(|| panic!("no finding for clause {id}"));
    assert!(found.next().is_none(), "two findings for clause {id}");
    first
}

/// Checks each (profile, expected verdict) of a table against one clause.
fn table(id: &str, cases: &[(P, Verdict)]) {
    for (profile, expected) in cases {
        profile.expect(id, *expected);
    }
}

/// A valid USCC (GB 32100-2015) whose characters 3–8 are `division`.
fn uscc(division: &str) -> String {
    let body = format!("91{division}MA6K3L7P2");
    format!("{body}{}", uscc_check(&body))
}

fn uscc_check(body: &str) -> char {
    const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    let sum: u32 = body
        .chars()
        .enumerate()
        .map(|(i, c)| CHARSET.find(c).unwrap() as u32 * (3u32.pow(i as u32) % 31))
        .sum();
    CHARSET
        .chars()
        .nth(((31 - sum % 31) % 31) as usize)
        .unwrap()
}

fn quoted(text: &str) -> String {
    format!("\"{text}\"")
}

// ---------------------------------------------------------------------------------------------
// The base profiles and the overall verdict (SPEC §2).
// ---------------------------------------------------------------------------------------------

#[test]
fn every_clause_of_spec_1_is_judged_exactly_once() {
    let assessment = enterprise().assess();
    for id in CLAUSE_IDS {
        finding(&assessment, id);
    }
    assert_eq!(assessment.findings.len(), CLAUSE_IDS.len());
}

#[test]
fn base_enterprise_is_eligible_and_passes_every_automatable_condition() {
    let assessment = enterprise().assess();
    assert_eq!(assessment.verdict, Overall::Eligible);
    for f in &assessment.findings {
        let expected = match f.clause.id.as_str() {
            "A10.2.partners" => NotApplicable,
            "A10.2.leadership" | "A10.3.network" | "A10.5.achievements" => Review,
            _ => Pass,
        };
        assert_eq!(f.verdict, expected, "{}", f.clause.id);
    }
}

#[test]
fn base_university_is_eligible_with_enterprise_clauses_not_applicable() {
    // 第十条第（二）项: "建设单位是企业的……；建设单位是高校、科研院所、技术机构的……"
    let assessment = university().assess();
    assert_eq!(assessment.verdict, Overall::Eligible);
    for id in [
        "A10.2.industry-leader",
        "A10.2.rnd-unit",
        "A10.2.operating",
        "A10.2.debt-ratio",
    ] {
        assert_eq!(finding(&assessment, id).verdict, NotApplicable, "{id}");
    }
    assert_eq!(finding(&assessment, "A10.2.partners").verdict, Pass);
}

#[test]
fn severities_follow_spec_1() {
    let assessment = enterprise().assess();
    for id in CLAUSE_IDS {
        let expected = match *id {
            "A28.matching" => Severity::Advisory,
            "A8.priority" | "A4.field" => Severity::Info,
            _ => Severity::Condition,
        };
        assert_eq!(finding(&assessment, id).severity(), expected, "{id}");
    }
}

#[test]
fn overall_any_failed_condition_is_ineligible_even_with_missing_data() {
    // SPEC §2: ineligible when any condition fails, whatever else is missing.
    let p = enterprise()
        .set("facilities.rnd_floor_area", "1499.99")
        .unset("facilities.equipment_value");
    assert_eq!(p.assess().verdict, Overall::Ineligible);
    let p = enterprise().set("applicant.host_support", "false");
    assert_eq!(p.assess().verdict, Overall::Ineligible);
}

#[test]
fn overall_missing_condition_without_failure_is_incomplete() {
    let p = enterprise().unset("facilities.equipment_value");
    assert_eq!(p.assess().verdict, Overall::Incomplete);
    let p = enterprise().unset("rnd_spend.2022");
    assert_eq!(p.assess().verdict, Overall::Incomplete);
}

#[test]
fn overall_advisory_and_info_never_decide() {
    // 第二十八条 (advisory) and 第八条/第四条 (info) are reported but decide nothing.
    let p = enterprise()
        .set("support.matching_funds", "0")
        .set("applicant.national_ertc_host", "false")
        .set("applicant.field", quoted("餐饮服务").as_str());
    let assessment = p.assess();
    assert_eq!(finding(&assessment, "A28.matching").verdict, Fail);
    assert_eq!(finding(&assessment, "A8.priority").verdict, Fail);
    assert_eq!(finding(&assessment, "A4.field").verdict, Fail);
    assert_eq!(assessment.verdict, Overall::Eligible);

    let p = enterprise()
        .unset("support.matching_funds")
        .unset("applicant.national_ertc_host")
        .unset("applicant.field");
    let assessment = p.assess();
    assert_eq!(finding(&assessment, "A28.matching").verdict, Missing);
    assert_eq!(finding(&assessment, "A8.priority").verdict, Missing);
    assert_eq!(finding(&assessment, "A4.field").verdict, Missing);
    assert_eq!(assessment.verdict, Overall::Eligible);
}

#[test]
fn overall_review_clauses_do_not_make_the_applicant_incomplete() {
    // 第十条第（二）（三）（五）项's qualitative sentences go to the expert panel.
    let assessment = enterprise().assess();
    assert_eq!(finding(&assessment, "A10.2.leadership").verdict, Review);
    assert_eq!(assessment.verdict, Overall::Eligible);
}

// ---------------------------------------------------------------------------------------------
// 第十条第（一）项 "在云南省境内注册登记" — SPEC §3.
// ---------------------------------------------------------------------------------------------

#[test]
fn a10_1_test_uscc_helper_matches_the_spec_example() {
    assert_eq!(uscc_check("91350100M000100Y4"), '3');
    assert_eq!(uscc("530100"), "91530100MA6K3L7P2D");
}

#[test]
fn a10_1_registered_by_uscc_division_code() {
    // 53xxxx pass (including the province-level 5300xx), 100000 review, any other fail; the
    // code decides over the self-declaration.
    let with = |division: &str, declared: &str| {
        enterprise()
            .set("applicant.uscc", &quoted(&uscc(division)))
            .set("applicant.registered_in_yunnan", declared)
    };
    table(
        "A10.1.registered",
        &[
            (with("530100", "true"), Pass),
            (with("532300", "true"), Pass),
            (with("530000", "true"), Pass),
            (with("530100", "false"), Pass),
            (with("100000", "true"), Review),
            (with("350100", "true"), Fail),
            (with("520100", "true"), Fail),
            (with("153000", "true"), Fail),
            (
                enterprise().set("applicant.uscc", &quoted("91350100M000100Y43")),
                Fail,
            ),
        ],
    );
}

#[test]
fn a10_1_division_100000_needs_a_manual_check_and_does_not_decide() {
    let p = enterprise().set("applicant.uscc", &quoted(&uscc("100000")));
    let assessment = p.assess();
    let f = finding(&assessment, "A10.1.registered");
    assert_eq!(f.verdict, Review);
    assert!(!f.notes.is_empty(), "review says what evidence to prepare");
    assert_eq!(assessment.verdict, Overall::Eligible);
}

#[test]
fn a10_1_without_uscc_falls_back_to_the_declaration() {
    let p = enterprise().unset("applicant.uscc");
    table(
        "A10.1.registered",
        &[
            (
                p.clone().set("applicant.registered_in_yunnan", "true"),
                Pass,
            ),
            (
                p.clone().set("applicant.registered_in_yunnan", "false"),
                Fail,
            ),
            (
                p.clone()
                    .set("applicant.registered_in_yunnan", quoted("是").as_str()),
                Pass,
            ),
        ],
    );
    let missing = p.unset("applicant.registered_in_yunnan");
    missing.expect_missing("A10.1.registered", "applicant.uscc");
    missing.expect_missing("A10.1.registered", "applicant.registered_in_yunnan");
    assert_eq!(missing.assess().verdict, Overall::Incomplete);
}

#[test]
fn a10_1_declaration_is_reported_as_self_declared() {
    let assessment = enterprise().assess();
    let f = finding(&assessment, "A10.1.registered");
    let actual = f.actual().expect("actual value shown");
    assert!(actual.human.en.contains("self-declared"), "{actual:?}");
}

#[test]
fn a10_1_invalid_uscc_makes_the_profile_invalid_naming_the_field() {
    let bad_check = enterprise().set("applicant.uscc", &quoted("91530100MA6K3L7P2E"));
    for text in [
        bad_check.toml(),
        enterprise()
            .set("applicant.uscc", &quoted("91530100MA6K3L7P2"))
            .toml(),
        enterprise()
            .set("applicant.uscc", &quoted("91530100MA6K3L7PSD"))
            .toml(),
    ] {
        let error = crate::profile::toml::load("t.toml", &text).unwrap_err();
        assert!(
            error
                .problems
                .iter()
                .any(|p| p.field.as_deref() == Some("applicant.uscc")),
            "{error}"
        );
    }
}

#[test]
fn a10_1_prefecture_disagreeing_with_the_code_is_a_warning() {
    // SPEC §3: 5303 is 曲靖市.
    let p = enterprise()
        .set("applicant.uscc", &quoted(&uscc("530300")))
        .set("applicant.prefecture", &quoted("昆明市"));
    let assessment = p.assess();
    assert_eq!(finding(&assessment, "A10.1.registered").verdict, Pass);
    assert!(
        assessment.warnings.iter().any(|w| w.zh.contains("曲靖市")),
        "{:?}",
        assessment.warnings
    );
    let agreeing = enterprise()
        .set("applicant.uscc", &quoted(&uscc("530300")))
        .set("applicant.prefecture", &quoted("曲靖市"));
    assert!(agreeing.assess().warnings.is_empty());
}

// ---------------------------------------------------------------------------------------------
// 第十条第（二）项: the enterprise attestations.
// ---------------------------------------------------------------------------------------------

#[test]
fn a10_2_enterprise_attestations_pass_on_true_fail_on_false_missing_when_absent() {
    for (id, field) in [
        ("A10.2.industry-leader", "applicant.industry_leader"),
        ("A10.2.rnd-unit", "applicant.independent_rnd_unit"),
        ("A10.2.operating", "applicant.operating_well"),
    ] {
        table(
            id,
            &[
                (enterprise().set(field, "true"), Pass),
                (enterprise().set(field, "false"), Fail),
                (enterprise().set(field, quoted("否").as_str()), Fail),
            ],
        );
        enterprise().unset(field).expect_missing(id, field);
        // 建设单位是企业的: not asked of a university, an institute or a technology organisation,
        // even when the attestation is false.
        for kind in ["university", "institute", "tech_org"] {
            university()
                .set("applicant.kind", &quoted(kind))
                .set(field, "false")
                .expect(id, NotApplicable);
        }
        let assessment = enterprise().set(field, "true").assess();
        let f = finding(&assessment, id);
        assert!(
            f.actual().unwrap().human.en.contains("self-declared"),
            "{id}: attestation shown as self-declared"
        );
    }
}

#[test]
fn a10_2_clauses_for_one_kind_are_missing_when_kind_is_absent() {
    // Without applicant.kind the law cannot tell which half of 第十条第（二）项 applies.
    let p = enterprise().unset("applicant.kind");
    for id in [
        "A10.2.industry-leader",
        "A10.2.rnd-unit",
        "A10.2.operating",
        "A10.2.debt-ratio",
        "A10.2.partners",
        "A28.matching",
    ] {
        p.expect_missing(id, "applicant.kind");
    }
    // Clauses for every kind are still judged.
    p.expect("A10.2.team-size", Pass);
    p.expect("A10.4.floor-area", Pass);
    assert_eq!(p.assess().verdict, Overall::Incomplete);
}

#[test]
fn a10_2_kind_may_be_written_in_chinese() {
    // SPEC §4: applicant.kind as 企业/高校/科研院所/技术机构.
    enterprise()
        .set("applicant.kind", &quoted("企业"))
        .expect("A10.2.partners", NotApplicable)
        .expect("A10.2.debt-ratio", Pass);
    university()
        .set("applicant.kind", &quoted("科研院所"))
        .expect("A10.2.debt-ratio", NotApplicable)
        .expect("A10.2.partners", Pass);
}

// ---------------------------------------------------------------------------------------------
// 第十条第（二）项 "申报前 1 年度资产负债率低于 70%" — exclusive.
// ---------------------------------------------------------------------------------------------

#[test]
fn a10_2_debt_ratio_below_70_percent_is_exclusive() {
    let ratio = |value: &str| enterprise().set("finance.debt_ratio", value);
    table(
        "A10.2.debt-ratio",
        &[
            (ratio(r#""69.99%""#), Pass),
            (ratio(r#""69.999%""#), Pass),
            (ratio(r#""70%""#), Fail),
            (ratio(r#""70.00%""#), Fail),
            (ratio(r#""70.01%""#), Fail),
            (ratio("0.7"), Fail),
            (ratio("0.70"), Fail),
            (ratio("0.6999"), Pass),
            (ratio("0"), Pass),
            (ratio("1"), Fail),
            (ratio(r#""７０％""#), Fail),
        ],
    );
}

#[test]
fn a10_2_debt_ratio_from_balance_sheet_amounts() {
    let amounts = |liabilities: &str, assets: &str| {
        enterprise()
            .unset("finance.debt_ratio")
            .set("finance.total_liabilities", liabilities)
            .set("finance.total_assets", assets)
    };
    table(
        "A10.2.debt-ratio",
        &[
            (amounts("6999", "10000"), Pass),
            (amounts("7000", "10000"), Fail),
            (amounts("7000.01", "10000"), Fail),
            (amounts(r#""0.7亿元""#, r#""1亿元""#), Fail),
            (amounts(r#""69990000元""#, r#""1亿元""#), Pass),
            // 2 / 3 = 66.67% passes; 7 / 10 fails.
            (amounts("2", "3"), Pass),
            (amounts("7", "10"), Fail),
        ],
    );
}

#[test]
fn a10_2_debt_ratio_amounts_decide_over_a_disagreeing_declared_ratio() {
    let p = enterprise()
        .set("finance.debt_ratio", r#""50%""#)
        .set("finance.total_liabilities", "7000")
        .set("finance.total_assets", "10000");
    let assessment = p.assess();
    assert_eq!(finding(&assessment, "A10.2.debt-ratio").verdict, Fail);
    assert!(
        assessment
            .warnings
            .iter()
            .any(|w| w.en.contains("finance.debt_ratio")),
        "{:?}",
        assessment.warnings
    );
}

#[test]
fn a10_2_debt_ratio_missing_names_the_fields_never_zero() {
    let p = enterprise().unset("finance.debt_ratio");
    p.expect_missing("A10.2.debt-ratio", "finance.debt_ratio");
    // Only one amount: still missing, naming the other.
    p.clone()
        .set("finance.total_assets", "10000")
        .expect_missing("A10.2.debt-ratio", "finance.total_liabilities");
    p.set("finance.total_liabilities", "0")
        .expect_missing("A10.2.debt-ratio", "finance.total_assets");
}

#[test]
fn a10_2_debt_ratio_over_zero_assets_does_not_pass() {
    let p = enterprise()
        .unset("finance.debt_ratio")
        .set("finance.total_liabilities", "10")
        .set("finance.total_assets", "0");
    assert_ne!(p.verdict("A10.2.debt-ratio"), Pass);
}

// ---------------------------------------------------------------------------------------------
// 第十条第（二）项 "须与省内 2 家以上企业联合共建" — inclusive, non-enterprises only.
// ---------------------------------------------------------------------------------------------

#[test]
fn a10_2_partners_two_or_more_inclusive() {
    for kind in ["university", "institute", "tech_org"] {
        let p = university().set("applicant.kind", &quoted(kind));
        table(
            "A10.2.partners",
            &[
                (p.clone().set("applicant.partner_enterprises", "0"), Fail),
                (p.clone().set("applicant.partner_enterprises", "1"), Fail),
                (p.clone().set("applicant.partner_enterprises", "2"), Pass),
                (p.clone().set("applicant.partner_enterprises", "3"), Pass),
                (
                    p.clone()
                        .set("applicant.partner_enterprises", &quoted("2家")),
                    Pass,
                ),
            ],
        );
        p.unset("applicant.partner_enterprises")
            .expect_missing("A10.2.partners", "applicant.partner_enterprises");
    }
    // Not asked of an enterprise, even with 0 partners.
    enterprise()
        .set("applicant.partner_enterprises", "0")
        .expect("A10.2.partners", NotApplicable);
    assert_eq!(
        university()
            .set("applicant.partner_enterprises", "1")
            .assess()
            .verdict,
        Overall::Ineligible
    );
}

// ---------------------------------------------------------------------------------------------
// 第十条第（二）项 "固定人员不少于 100 人，……所占比例不低于 50%" — both inclusive.
// ---------------------------------------------------------------------------------------------

#[test]
fn a10_2_team_size_at_least_100() {
    let staff = |n: &str| {
        enterprise()
            .set("team.fixed_staff", n)
            .set("team.qualified_staff", "60")
    };
    table(
        "A10.2.team-size",
        &[
            (staff("99"), Fail),
            (staff("100"), Pass),
            (staff("101"), Pass),
            (staff(r#""100人""#), Pass),
        ],
    );
    for kind in ["university", "institute", "tech_org"] {
        university()
            .set("applicant.kind", &quoted(kind))
            .set("team.fixed_staff", "99")
            .set("team.qualified_staff", "60")
            .expect("A10.2.team-size", Fail);
    }
    enterprise()
        .unset("team.fixed_staff")
        .expect_missing("A10.2.team-size", "team.fixed_staff");
}

#[test]
fn a10_2_team_quality_at_least_50_percent() {
    let team = |qualified: &str, fixed: &str| {
        enterprise()
            .set("team.qualified_staff", qualified)
            .set("team.fixed_staff", fixed)
    };
    table(
        "A10.2.team-quality",
        &[
            (team("49", "100"), Fail),
            (team("50", "100"), Pass),
            (team("51", "100"), Pass),
            (team("99", "200"), Fail),
            (team("100", "200"), Pass),
            // 50/99 = 50.5%; 49/99 = 49.5%; 75/151 = 49.67%.
            (team("50", "99"), Pass),
            (team("49", "99"), Fail),
            (team("75", "151"), Fail),
            (team("76", "151"), Pass),
        ],
    );
    enterprise()
        .unset("team.qualified_staff")
        .expect_missing("A10.2.team-quality", "team.qualified_staff");
    enterprise()
        .unset("team.fixed_staff")
        .expect_missing("A10.2.team-quality", "team.fixed_staff");
}

// ---------------------------------------------------------------------------------------------
// Expert review: 第十条第（二）项 leadership, 第（三）项 network, 第（五）项 achievements.
// ---------------------------------------------------------------------------------------------

#[test]
fn review_clauses_are_review_for_every_kind_and_say_what_to_prepare() {
    for p in [
        enterprise(),
        university(),
        university().set("applicant.kind", r#""tech_org""#),
    ] {
        let assessment = p.assess();
        for id in ["A10.2.leadership", "A10.3.network", "A10.5.achievements"] {
            let f = finding(&assessment, id);
            assert_eq!(f.verdict, Review, "{id}");
            let crate::rules::Rule::Review { evidence } = &f.clause.rule else {
                panic!("{id} is a review clause");
            };
            assert!(
                f.note_texts().contains(evidence),
                "{id}: evidence to prepare"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 第十条第（三）项 "近 3 年内，主持或承担与研发方向相关的国家级项目 1 项或省级项目 3 项以上".
// ---------------------------------------------------------------------------------------------

#[test]
fn a10_3_projects_summary_counts() {
    let counts = |national: &str, provincial: &str| {
        enterprise()
            .set("record.national_projects", national)
            .set("record.provincial_projects", provincial)
    };
    table(
        "A10.3.projects",
        &[
            (counts("1", "0"), Pass),
            (counts("0", "2"), Fail),
            (counts("0", "3"), Pass),
            (counts("0", "4"), Pass),
            (counts("2", "2"), Pass),
            (counts("0", "0"), Fail),
        ],
    );
    // One half missing: a passing other half decides; a failing one does not.
    enterprise()
        .unset("record.national_projects")
        .set("record.provincial_projects", "3")
        .expect("A10.3.projects", Pass);
    enterprise()
        .unset("record.national_projects")
        .set("record.provincial_projects", "2")
        .expect_missing("A10.3.projects", "record.national_projects");
    enterprise()
        .unset("record.national_projects")
        .unset("record.provincial_projects")
        .expect_missing("A10.3.projects", "record.provincial_projects");
}

/// Only listed projects count: the summaries are dropped.
fn projects() -> P {
    enterprise()
        .unset("record.national_projects")
        .unset("record.provincial_projects")
}

#[test]
fn a10_3_national_project_window_is_y_minus_3_to_y_minus_1() {
    // Y = 2024: 2021, 2022, 2023 count; 2024 (Y) and 2020 (Y−4) do not.
    let national = |year: &str| {
        projects().item(
            "project",
            &format!(
                r#"name = "n"; level = "national"; year = {year}; role = "host"; related = true"#
            ),
        )
    };
    table(
        "A10.3.projects",
        &[
            (national("2020"), Fail),
            (national("2021"), Pass),
            (national("2022"), Pass),
            (national("2023"), Pass),
            (national("2024"), Fail),
            (national("2025"), Fail),
        ],
    );
}

#[test]
fn a10_3_as_of_moves_the_window() {
    // --as-of overrides the application date: Y = 2025 makes the window 2022–2024.
    let p = projects().item(
        "project",
        r#"level = "national"; year = 2021; role = "host"; related = true"#,
    );
    p.expect("A10.3.projects", Pass);
    p.clone()
        .with_as_of("2025-01-10")
        .expect("A10.3.projects", Fail);
    let later = projects().item(
        "project",
        r#"level = "national"; year = 2024; role = "host"; related = true"#,
    );
    later.expect("A10.3.projects", Fail);
    later
        .with_as_of("2025-01-10")
        .expect("A10.3.projects", Pass);
}

#[test]
fn a10_3_only_related_hosted_or_undertaken_projects_count() {
    let one = |body: &str| projects().item("project", body);
    table(
        "A10.3.projects",
        &[
            (
                one(r#"level = "national"; year = 2022; role = "undertake"; related = true"#),
                Pass,
            ),
            (
                one(r#"level = "national"; year = 2022; role = "主持"; related = "是""#),
                Pass,
            ),
            (
                one(r#"level = "national"; year = 2022; role = "host"; related = false"#),
                Fail,
            ),
            (
                one(r#"level = "national"; year = 2022; role = "participate"; related = true"#),
                Fail,
            ),
            (
                one(r#"level = "other"; year = 2022; role = "host"; related = true"#),
                Fail,
            ),
        ],
    );
}

#[test]
fn a10_3_three_provincial_projects_inclusive() {
    let provincial = |p: P, year: i32| {
        p.item(
            "project",
            &format!(r#"level = "provincial"; year = {year}; role = "host"; related = true"#),
        )
    };
    let two = provincial(provincial(projects(), 2021), 2023);
    two.expect("A10.3.projects", Fail);
    provincial(two.clone(), 2022).expect("A10.3.projects", Pass);
    // A third outside the window, unrelated or merely participated in does not make three.
    provincial(two.clone(), 2024).expect("A10.3.projects", Fail);
    provincial(two.clone(), 2020).expect("A10.3.projects", Fail);
    two.clone()
        .item(
            "project",
            r#"level = "provincial"; year = 2022; role = "host"; related = false"#,
        )
        .expect("A10.3.projects", Fail);
    two.clone()
        .item(
            "project",
            r#"level = "provincial"; year = 2022; role = "participate"; related = true"#,
        )
        .expect("A10.3.projects", Fail);
    // Provincial and national are not added together: two provincial + one unrelated national.
    two.item(
        "project",
        r#"level = "national"; year = 2022; role = "participate"; related = true"#,
    )
    .expect("A10.3.projects", Fail);
}

#[test]
fn a10_3_item_without_year_is_missing_unless_the_others_already_pass() {
    let no_year = projects().item(
        "project",
        r#"level = "national"; role = "host"; related = true"#,
    );
    no_year.expect_missing("A10.3.projects", "project[1].year");
    assert_eq!(no_year.assess().verdict, Overall::Incomplete);
    // Two provincial projects in the window plus one without a year: could be three.
    let p = projects()
        .item(
            "project",
            r#"level = "provincial"; year = 2021; role = "host"; related = true"#,
        )
        .item(
            "project",
            r#"level = "provincial"; year = 2022; role = "host"; related = true"#,
        )
        .item(
            "project",
            r#"level = "provincial"; role = "host"; related = true"#,
        );
    p.expect_missing("A10.3.projects", "project[3].year");
    // The determined items already pass: the undated one cannot change that.
    no_year
        .item(
            "project",
            r#"level = "national"; year = 2023; role = "host"; related = true"#,
        )
        .expect("A10.3.projects", Pass);
    // An undated item that does not count anyway (unrelated) leaves nothing undetermined.
    projects()
        .item(
            "project",
            r#"level = "national"; role = "host"; related = false"#,
        )
        .expect("A10.3.projects", Fail);
}

#[test]
fn a10_3_items_override_a_disagreeing_summary_with_a_warning() {
    let p = enterprise().set("record.national_projects", "1").item(
        "project",
        r#"level = "national"; year = 2020; role = "host"; related = true"#,
    );
    let assessment = p.assess();
    assert_eq!(finding(&assessment, "A10.3.projects").verdict, Fail);
    assert!(
        assessment
            .warnings
            .iter()
            .any(|w| w.en.contains("record.national_projects")),
        "{:?}",
        assessment.warnings
    );
}

// ---------------------------------------------------------------------------------------------
// 第十条第（四）项.
// ---------------------------------------------------------------------------------------------

#[test]
fn a10_4_support_is_an_attestation() {
    table(
        "A10.4.support",
        &[
            (enterprise().set("applicant.host_support", "true"), Pass),
            (enterprise().set("applicant.host_support", "false"), Fail),
            (university().set("applicant.host_support", "false"), Fail),
        ],
    );
    enterprise()
        .unset("applicant.host_support")
        .expect_missing("A10.4.support", "applicant.host_support");
    let assessment = enterprise().assess();
    let f = finding(&assessment, "A10.4.support");
    assert!(
        f.actual().unwrap().human.en.contains("self-declared"),
        "{:?}",
        f.actual()
    );
}

#[test]
fn a10_4_floor_area_1500_m2_or_more_inclusive() {
    // 第十条第（四）项 "研发场地面积在 1500m² 以上" includes 1500.
    let area = |value: &str| enterprise().set("facilities.rnd_floor_area", value);
    table(
        "A10.4.floor-area",
        &[
            (area("1499.99"), Fail),
            (area("1499"), Fail),
            (area("1500"), Pass),
            (area("1500.0"), Pass),
            (area("1500.01"), Pass),
            (area(r#""1500m²""#), Pass),
            (area(r#""1500 m2""#), Pass),
            (area(r#""1500平方米""#), Pass),
            (area(r#""1,500㎡""#), Pass),
            (area(r#""1499.99平方米""#), Fail),
            (area("0"), Fail),
        ],
    );
    for kind in ["university", "institute", "tech_org"] {
        university()
            .set("applicant.kind", &quoted(kind))
            .set("facilities.rnd_floor_area", "1499.99")
            .expect("A10.4.floor-area", Fail);
    }
}

#[test]
fn a10_4_equipment_2000_wan_or_more_inclusive() {
    // "技术开发仪器设备原值在 2000 万元以上" includes 2000万元.
    let value = |v: &str| enterprise().set("facilities.equipment_value", v);
    table(
        "A10.4.equipment",
        &[
            (value("1999.99"), Fail),
            (value("2000"), Pass),
            (value("2000.01"), Pass),
            (value(r#""2000万元""#), Pass),
            (value(r#""20000000元""#), Pass),
            (value(r#""19999999元""#), Fail),
            (value(r#""19,999,999.99元""#), Fail),
            (value(r#""0.2亿元""#), Pass),
            (value(r#""0.19999亿元""#), Fail),
        ],
    );
}

#[test]
fn a10_4_rnd_spend_each_of_y_minus_2_and_y_minus_1() {
    // "近两年研发经费投入每年不少于 1000 万元": each of 2022 and 2023 for Y = 2024.
    let spend = |y2: &str, y1: &str| {
        enterprise()
            .set("rnd_spend.2022", y2)
            .set("rnd_spend.2023", y1)
    };
    table(
        "A10.4.rnd-spend",
        &[
            (spend("1000", "1000"), Pass),
            (spend("1000.01", "5000"), Pass),
            (spend("999.99", "5000"), Fail),
            (spend("5000", "999.99"), Fail),
            (spend(r#""10000000元""#, r#""1000万""#), Pass),
            (spend(r#""9999999元""#, "1000"), Fail),
            // Not averaged: 1999.98 over two years, or 0 + 3000, is still a failing year.
            (spend("0", "3000"), Fail),
        ],
    );
}

#[test]
fn a10_4_rnd_spend_years_outside_the_window_do_not_count() {
    // 2021 (Y−3) and 2024 (Y) cannot stand in for a missing 2022 or 2023.
    let p = enterprise()
        .unset("rnd_spend.2022")
        .set("rnd_spend.2021", "5000")
        .set("rnd_spend.2024", "5000");
    p.expect_missing("A10.4.rnd-spend", "rnd_spend.2022");
    let assessment = p.assess();
    assert_eq!(
        finding(&assessment, "A10.4.rnd-spend").missing,
        vec!["rnd_spend.2022".to_string()]
    );
    enterprise()
        .unset("rnd_spend.2023")
        .expect_missing("A10.4.rnd-spend", "rnd_spend.2023");
    // A failing year decides even when the other year is missing.
    enterprise()
        .unset("rnd_spend.2022")
        .set("rnd_spend.2023", "999.99")
        .expect("A10.4.rnd-spend", Fail);
    enterprise()
        .unset("rnd_spend.2023")
        .set("rnd_spend.2022", "999.99")
        .expect("A10.4.rnd-spend", Fail);
    // Y = 2025 by --as-of: the window becomes 2023–2024.
    enterprise()
        .with_as_of("2025-02-01")
        .expect_missing("A10.4.rnd-spend", "rnd_spend.2024");
    enterprise()
        .set("rnd_spend.2024", "1000")
        .with_as_of("2025-02-01")
        .expect("A10.4.rnd-spend", Pass);
}

// ---------------------------------------------------------------------------------------------
// 第十条第（五）项.
// ---------------------------------------------------------------------------------------------

#[test]
fn a10_5_standards_two_or_more_inclusive() {
    let count = |n: &str| enterprise().set("record.industry_standards", n);
    table(
        "A10.5.standards",
        &[(count("1"), Fail), (count("2"), Pass), (count("3"), Pass)],
    );
    enterprise()
        .unset("record.industry_standards")
        .expect_missing("A10.5.standards", "record.industry_standards");
}

fn standards(levels: &[&str]) -> P {
    levels.iter().fold(
        enterprise().unset("record.industry_standards"),
        |p, level| {
            p.item(
                "standard",
                &format!(r#"name = "s"; level = "{level}"; role = "lead"; year = 2023"#),
            )
        },
    )
}

#[test]
fn a10_5_standards_national_and_international_count_local_and_group_do_not() {
    table(
        "A10.5.standards",
        &[
            (standards(&["industry", "industry"]), Pass),
            (standards(&["industry", "national"]), Pass),
            (standards(&["international", "national"]), Pass),
            (standards(&["industry", "local"]), Fail),
            (standards(&["industry", "group"]), Fail),
            (standards(&["local", "group", "local", "group"]), Fail),
            (standards(&["group", "international"]), Fail),
            (standards(&["团体标准", "行业标准", "国家标准"]), Pass),
        ],
    );
}

#[test]
fn a10_5_standards_mere_participation_does_not_count() {
    // "主持或承担": lead (主编) and undertake (参编) count, participate does not.
    let p = standards(&["industry"]);
    p.clone()
        .item("standard", r#"level = "industry"; role = "participate""#)
        .expect("A10.5.standards", Fail);
    p.clone()
        .item("standard", r#"level = "industry"; role = "参编""#)
        .expect("A10.5.standards", Pass);
    // An old standard still counts: the law sets no window for standards.
    p.item(
        "standard",
        r#"level = "industry"; role = "lead"; year = 2005"#,
    )
    .expect("A10.5.standards", Pass);
}

#[test]
fn a10_5_standards_item_lacking_level_is_missing_unless_already_passing() {
    let p = standards(&["industry"]).item("standard", r#"name = "x"; role = "lead""#);
    p.expect_missing("A10.5.standards", "standard[2].level");
    p.item("standard", r#"level = "national"; role = "lead""#)
        .expect("A10.5.standards", Pass);
}

#[test]
fn a10_5_ip_summary_counts() {
    let ip = |class_i: &str, class_ii: &str| {
        enterprise()
            .set("record.class_i_ip", class_i)
            .set("record.class_ii_ip", class_ii)
    };
    table(
        "A10.5.ip",
        &[
            // Classes are alternatives, not added: 1 + 11 = 12 items still fails.
            (ip("1", "11"), Fail),
            (ip("2", "0"), Pass),
            (ip("0", "12"), Pass),
            (ip("1", "12"), Pass),
            (ip("0", "11"), Fail),
        ],
    );
    enterprise()
        .unset("record.class_i_ip")
        .set("record.class_ii_ip", "11")
        .expect_missing("A10.5.ip", "record.class_i_ip");
    enterprise()
        .unset("record.class_ii_ip")
        .set("record.class_i_ip", "2")
        .expect("A10.5.ip", Pass);
}

fn ip_items(items: &[(&str, bool)]) -> P {
    items.iter().fold(
        enterprise()
            .unset("record.class_i_ip")
            .unset("record.class_ii_ip"),
        |p, (kind, related)| {
            p.item(
                "ip",
                &format!(r#"name = "x"; kind = "{kind}"; related = {related}"#),
            )
        },
    )
}

#[test]
fn a10_5_ip_class_i_needs_two_related_items() {
    table(
        "A10.5.ip",
        &[
            (ip_items(&[("invention_patent", true)]), Fail),
            (
                ip_items(&[("invention_patent", true), ("invention_patent", true)]),
                Pass,
            ),
            (
                ip_items(&[("invention_patent", true), ("invention_patent", false)]),
                Fail,
            ),
            (
                ip_items(&[("plant_variety", true), ("national_crop_variety", true)]),
                Pass,
            ),
            (
                ip_items(&[("national_new_drug", true), ("protected_tcm_variety", true)]),
                Pass,
            ),
            (ip_items(&[("ic_layout", true), ("发明专利", true)]), Pass),
            // "other" is neither class.
            (
                ip_items(&[("invention_patent", true), ("other", true)]),
                Fail,
            ),
        ],
    );
}

#[test]
// 第十条第（五）项 "或拥有 12 项及以上 II 类知识产权": unlike class I, no "与研发方向相关".
fn a10_5_ip_class_ii_needs_twelve_items_related_or_not() {
    let class_ii = |related: usize, unrelated: usize| {
        let kinds = ["utility_model", "design_patent", "software_copyright"];
        let mut items: Vec<(&str, bool)> = (0..related).map(|i| (kinds[i % 3], true)).collect();
        items.extend((0..unrelated).map(|i| (kinds[i % 3], false)));
        ip_items(&items)
    };
    table(
        "A10.5.ip",
        &[
            (class_ii(11, 0), Fail),
            (class_ii(12, 0), Pass),
            (class_ii(13, 0), Pass),
            (class_ii(11, 1), Pass),
            (class_ii(0, 12), Pass),
            (class_ii(5, 6), Fail),
        ],
    );
    // One class-I item and eleven class-II items: neither alternative is met.
    let mut mixed: Vec<(&str, bool)> = vec![("invention_patent", true)];
    mixed.extend(std::iter::repeat_n(("utility_model", true), 11));
    ip_items(&mixed).expect("A10.5.ip", Fail);
}

#[test]
fn a10_5_ip_item_lacking_related_is_missing_unless_already_passing() {
    let p = ip_items(&[("invention_patent", true)]).item("ip", r#"kind = "invention_patent""#);
    p.expect_missing("A10.5.ip", "ip[2].related");
    p.item("ip", r#"kind = "invention_patent"; related = true"#)
        .expect("A10.5.ip", Pass);
}

#[test]
fn a10_5_transfers_summary_five_or_more() {
    let count = |n: &str| enterprise().set("record.transfers", n);
    table(
        "A10.5.transfers",
        &[(count("4"), Fail), (count("5"), Pass), (count("6"), Pass)],
    );
    enterprise()
        .unset("record.transfers")
        .expect_missing("A10.5.transfers", "record.transfers");
}

/// Transfers listed by (year, benefit); `None` leaves the key out.
fn transfers(items: &[(Option<i32>, Option<&str>)]) -> P {
    items.iter().fold(
        enterprise()
            .unset("record.transfers")
            .unset("record.transfer_benefit"),
        |p, (year, benefit)| {
            let mut body = String::from(r#"name = "t""#);
            if let Some(year) = year {
                body.push_str(&format!("; year = {year}"));
            }
            if let Some(benefit) = benefit {
                body.push_str(&format!("; benefit = {benefit}"));
            }
            p.item("transfer", &body)
        },
    )
}

#[test]
fn a10_5_transfers_counted_in_the_window_y_minus_3_to_y_minus_1() {
    let years = |years: &[i32]| {
        let items: Vec<(Option<i32>, Option<&str>)> =
            years.iter().map(|y| (Some(*y), Some("1200"))).collect();
        transfers(&items)
    };
    table(
        "A10.5.transfers",
        &[
            (years(&[2021, 2021, 2022, 2023, 2023]), Pass),
            (years(&[2021, 2022, 2023, 2023]), Fail),
            // The fifth in 2024 (Y) or 2020 (Y−4) is outside the window.
            (years(&[2021, 2022, 2023, 2023, 2024]), Fail),
            (years(&[2020, 2021, 2022, 2023, 2023]), Fail),
            (years(&[2020, 2021, 2022, 2023, 2023, 2022]), Pass),
        ],
    );
}

#[test]
fn a10_5_transfer_without_year_is_missing_unless_the_others_already_pass() {
    let four: Vec<(Option<i32>, Option<&str>)> = vec![
        (Some(2021), Some("2000")),
        (Some(2022), Some("2000")),
        (Some(2023), Some("2000")),
        (Some(2023), Some("2000")),
    ];
    let mut with_undated = four.clone();
    with_undated.push((None, Some("100")));
    transfers(&with_undated).expect_missing("A10.5.transfers", "transfer[5].year");
    let mut five_and_undated = with_undated.clone();
    five_and_undated.push((Some(2022), Some("100")));
    transfers(&five_and_undated).expect("A10.5.transfers", Pass);
    // The benefit of the four dated items (8000) already passes, the undated one cannot matter.
    transfers(&with_undated).expect("A10.5.benefit", Pass);
}

#[test]
fn a10_5_benefit_5000_wan_or_more_inclusive() {
    // "累计创造直接经济效益 5000 万元以上" includes 5000.
    let total = |v: &str| enterprise().set("record.transfer_benefit", v);
    table(
        "A10.5.benefit",
        &[
            (total("4999.99"), Fail),
            (total("5000"), Pass),
            (total("5000.01"), Pass),
            (total(r#""50000000元""#), Pass),
            (total(r#""0.5亿元""#), Pass),
            (total(r#""49,999,999元""#), Fail),
        ],
    );
    enterprise()
        .unset("record.transfer_benefit")
        .expect_missing("A10.5.benefit", "record.transfer_benefit");
}

#[test]
fn a10_5_benefit_summed_from_transfers_in_the_window() {
    let sum = |benefits: &[(i32, &'static str)]| {
        let items: Vec<(Option<i32>, Option<&str>)> =
            benefits.iter().map(|(y, b)| (Some(*y), Some(*b))).collect();
        transfers(&items)
    };
    table(
        "A10.5.benefit",
        &[
            (sum(&[(2021, "2000"), (2022, "2000"), (2023, "1000")]), Pass),
            (
                sum(&[(2021, "2000"), (2022, "2000"), (2023, "999.99")]),
                Fail,
            ),
            (
                sum(&[
                    (2021, r#""2000万元""#),
                    (2022, r#""20000000元""#),
                    (2023, r#""0.1亿元""#),
                ]),
                Pass,
            ),
            // Benefits outside the window are not summed.
            (sum(&[(2021, "2000"), (2022, "2000"), (2024, "1000")]), Fail),
            (
                sum(&[(2020, "3000"), (2022, "2000"), (2023, "2999.99")]),
                Fail,
            ),
        ],
    );
}

#[test]
fn a10_5_benefit_item_lacking_amount_is_missing_unless_already_passing() {
    let p = transfers(&[
        (Some(2021), Some("2000")),
        (Some(2022), Some("2000")),
        (Some(2023), None),
    ]);
    p.expect_missing("A10.5.benefit", "transfer[3].benefit");
    transfers(&[
        (Some(2021), Some("3000")),
        (Some(2022), Some("2000")),
        (Some(2023), None),
    ])
    .expect("A10.5.benefit", Pass);
}

// ---------------------------------------------------------------------------------------------
// 第十条第（六）项 "地方政府或行业主管部门承诺给予支持且已有一定规模的前期投入".
// ---------------------------------------------------------------------------------------------

#[test]
fn a10_6_local_support_needs_commitment_and_positive_pre_investment() {
    let support = |commitment: &str, investment: &str| {
        enterprise()
            .set("support.local_commitment", commitment)
            .set("support.pre_investment", investment)
    };
    table(
        "A10.6.local-support",
        &[
            (support("true", "800"), Pass),
            (support("true", "0.01"), Pass),
            (support("true", r#""1元""#), Pass),
            (support("true", "0"), Fail),
            (support("false", "800"), Fail),
            (support("false", "0"), Fail),
            (support(r#""是""#, "1"), Pass),
        ],
    );
    enterprise()
        .unset("support.local_commitment")
        .expect_missing("A10.6.local-support", "support.local_commitment");
    enterprise()
        .unset("support.pre_investment")
        .expect_missing("A10.6.local-support", "support.pre_investment");
    // A known failing half decides, whatever is missing.
    enterprise()
        .set("support.local_commitment", "false")
        .unset("support.pre_investment")
        .expect("A10.6.local-support", Fail);
    enterprise()
        .unset("support.local_commitment")
        .set("support.pre_investment", "0")
        .expect("A10.6.local-support", Fail);
}

// ---------------------------------------------------------------------------------------------
// 第二十八条: matching funds ≥ 3:1 (enterprise) or 1:1 (others) against 500万元.
// ---------------------------------------------------------------------------------------------

#[test]
fn a28_matching_bound_is_1500_for_enterprises_and_500_otherwise() {
    let funds = |p: P, v: &str| p.set("support.matching_funds", v);
    table(
        "A28.matching",
        &[
            (funds(enterprise(), "1499.99"), Fail),
            (funds(enterprise(), "1500"), Pass),
            (funds(enterprise(), "1500.01"), Pass),
            (funds(enterprise(), "500"), Fail),
            (funds(enterprise(), r#""0.15亿元""#), Pass),
        ],
    );
    for kind in ["university", "institute", "tech_org"] {
        let p = university().set("applicant.kind", &quoted(kind));
        table(
            "A28.matching",
            &[
                (funds(p.clone(), "499.99"), Fail),
                (funds(p.clone(), "500"), Pass),
                (funds(p.clone(), "500.01"), Pass),
                (funds(p.clone(), r#""5000000元""#), Pass),
            ],
        );
    }
    enterprise()
        .unset("support.matching_funds")
        .expect_missing("A28.matching", "support.matching_funds");
}

#[test]
fn a28_matching_is_advisory() {
    let assessment = enterprise()
        .set("support.matching_funds", "1499.99")
        .assess();
    let f = finding(&assessment, "A28.matching");
    assert_eq!((f.verdict, f.severity()), (Fail, Severity::Advisory));
    assert_eq!(assessment.verdict, Overall::Eligible);
}

// ---------------------------------------------------------------------------------------------
// 第八条 priority and 第四条 fields: information only.
// ---------------------------------------------------------------------------------------------

#[test]
fn a8_priority_for_national_ertc_hosts() {
    table(
        "A8.priority",
        &[
            (
                enterprise().set("applicant.national_ertc_host", "true"),
                Pass,
            ),
            (
                enterprise().set("applicant.national_ertc_host", "false"),
                Fail,
            ),
        ],
    );
    enterprise()
        .unset("applicant.national_ertc_host")
        .expect_missing("A8.priority", "applicant.national_ertc_host");
    assert_eq!(
        enterprise()
            .set("applicant.national_ertc_host", "false")
            .assess()
            .verdict,
        Overall::Eligible
    );
}

#[test]
fn a4_field_names_a_priority_field() {
    let field = |f: &str| enterprise().set("applicant.field", &quoted(f));
    table(
        "A4.field",
        &[
            (field("有色金属"), Pass),
            (field("绿色铝深加工"), Pass),
            (field("生物医药"), Pass),
            (field("高原特色农业"), Pass),
            (field("餐饮服务"), Fail),
        ],
    );
    enterprise()
        .unset("applicant.field")
        .expect_missing("A4.field", "applicant.field");
}

// ---------------------------------------------------------------------------------------------
// Missing data is never zero (SPEC §2: "say which field").
// ---------------------------------------------------------------------------------------------

#[test]
fn missing_data_is_missing_naming_the_field_never_zero() {
    let cases: &[(&str, &str)] = &[
        ("A10.2.team-size", "team.fixed_staff"),
        ("A10.2.team-quality", "team.qualified_staff"),
        ("A10.4.support", "applicant.host_support"),
        ("A10.4.floor-area", "facilities.rnd_floor_area"),
        ("A10.4.equipment", "facilities.equipment_value"),
        ("A10.5.standards", "record.industry_standards"),
        ("A10.5.transfers", "record.transfers"),
        ("A10.5.benefit", "record.transfer_benefit"),
        ("A10.6.local-support", "support.pre_investment"),
        ("A28.matching", "support.matching_funds"),
    ];
    for (id, field) in cases {
        let p = enterprise().unset(field);
        p.expect_missing(id, field);
        let assessment = p.assess();
        // Whatever is shown for the clause, the absent value is not shown as 0.
        if let Some(actual) = finding(&assessment, id).actual() {
            let zero = actual
                .machine
                .split(';')
                .any(|part| matches!(part.trim().rsplit(": ").next(), Some("0")));
            assert!(!zero, "{id}: missing shown as zero: {}", actual.machine);
        }
        if finding(&assessment, id).severity() == Severity::Condition {
            assert_eq!(assessment.verdict, Overall::Incomplete, "{id}");
        }
    }
    // The whole profile empty but for the kind and date: every automatable condition missing.
    let bare = P {
        fields: vec![
            ("applicant.kind".into(), r#""enterprise""#.into()),
            ("applicant.application_date".into(), "2024-03-15".into()),
        ],
        items: String::new(),
        as_of: None,
    };
    let assessment = bare.assess();
    assert_eq!(assessment.verdict, Overall::Incomplete);
    for f in &assessment.findings {
        assert!(
            matches!(f.verdict, Missing | Review | NotApplicable),
            "{}: {:?} on an empty profile",
            f.clause.id,
            f.verdict
        );
        if f.verdict == Missing {
            assert!(!f.missing.is_empty(), "{}: names a field", f.clause.id);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Amounts beyond the largest decimal: never a panic, and the verdict the true value would get.
// ---------------------------------------------------------------------------------------------

#[test]
fn a_debt_ratio_past_the_largest_decimal_fails_with_a_warning() {
    let p = enterprise()
        .unset("finance.debt_ratio")
        .set("finance.total_liabilities", r#""99999999999999999999999""#)
        .set("finance.total_assets", r#""0.0000001""#);
    p.expect("A10.2.debt-ratio", Fail);
    let assessment = p.assess();
    assert!(
        assessment
            .warnings
            .iter()
            .any(|w| w.en.contains("larger than can be held")),
        "{:?}",
        assessment.warnings
    );
    let finding = finding(&assessment, "A10.2.debt-ratio");
    let actual = finding.actual().expect("a value is shown");
    assert!(actual.human.en.contains("×100%"), "{}", actual.human.en);
}

#[test]
fn a_sum_of_items_past_the_largest_decimal_passes_its_lower_bound_with_a_warning() {
    // 7 × 10^28 万元 each, under the largest decimal (7.9 × 10^28); the two together are past it.
    let huge = "\"7000000000000000000000000亿元\"";
    let p = transfers(&[
        (Some(2023), Some(huge)),
        (Some(2022), Some(huge)),
        (Some(2021), Some("1")),
    ]);
    p.expect("A10.5.benefit", Pass);
    let warnings = p.assess().warnings;
    let too_large: Vec<_> = warnings
        .iter()
        .filter(|w| w.en.contains("larger than can be held"))
        .collect();
    assert_eq!(too_large.len(), 1, "said once: {warnings:?}");
}

// ---------------------------------------------------------------------------------------------
// SPEC §2 "What a verdict may claim": what stays open, what was left out, what is shown.

#[test]
fn an_eligible_enterprise_lists_its_open_conditions_by_kind() {
    let assessment = enterprise().assess();
    assert_eq!(assessment.verdict, Overall::Eligible);
    let open = assessment.open();
    assert_eq!(
        open.review,
        [
            "A10.2.leadership",
            "A10.3.network",
            "A10.5.achievements",
            "A10.6.local-support"
        ]
    );
    assert_eq!(
        open.self_declared,
        [
            "A10.1.registered",
            "A10.2.industry-leader",
            "A10.2.rnd-unit",
            "A10.2.operating",
            "A10.4.support"
        ]
    );
    assert!(open.manual_check.is_empty());
    assert_eq!(
        open.counts(crate::i18n::Lang::Zh),
        "尚有 4 项待专家论证、5 项为自行声明"
    );
}

#[test]
fn a10_6_passes_above_zero_and_stays_open_for_the_scale() {
    // 第十条第（六）项 "已有一定规模的前期投入": the bound (> 0) decides, the panel the scale.
    for (amount, verdict, open) in [
        ("0", Fail, None),
        ("0.01", Pass, Some(super::Open::ExpertReview)),
        ("800", Pass, Some(super::Open::ExpertReview)),
    ] {
        let assessment = enterprise().set("support.pre_investment", amount).assess();
        let found = finding(&assessment, "A10.6.local-support");
        assert_eq!((found.verdict, found.open), (verdict, open), "{amount}");
        if verdict == Pass {
            let reason = found.open_reason().expect("a reason");
            assert!(reason.zh.contains("一定规模"), "{}", reason.zh);
        }
    }
}

#[test]
fn a10_1_division_100000_is_a_manual_check_not_an_expert_matter() {
    let assessment = enterprise()
        .set("applicant.uscc", &quoted(&uscc("100000")))
        .assess();
    let open = assessment.open();
    assert_eq!(open.manual_check, ["A10.1.registered"]);
    assert!(!open.review.contains(&"A10.1.registered"));
    let found = finding(&assessment, "A10.1.registered");
    assert_eq!(found.word(), "review");
    assert!(found.label(crate::i18n::Lang::Zh).starts_with("需人工核实"));
}

/// Twelve class-II items, `unrelated` of them marked `related = false`, and no class-I IP.
fn class_ii_items(unrelated: usize) -> P {
    let mut profile = enterprise()
        .unset("record.class_i_ip")
        .unset("record.class_ii_ip");
    for n in 0..12 {
        let related = n >= unrelated;
        profile = profile.item(
            "ip",
            &format!(
                "name = \"软件著作权{n}\"; kind = \"software_copyright\"; related = {related}"
            ),
        );
    }
    profile
}

#[test]
fn class_ii_ip_resting_on_unrelated_items_passes_open_for_review_naming_how_many() {
    let assessment = class_ii_items(3).assess();
    let found = finding(&assessment, "A10.5.ip");
    assert_eq!(found.verdict, Pass);
    assert_eq!(found.open, Some(super::Open::ExpertReview));
    let reason = found.open_reason().unwrap();
    assert!(reason.zh.contains("12 项中有 3 项"), "{}", reason.zh);
    assert!(reason.en.contains("3 of the 12"), "{}", reason.en);
    // All related: nothing for the panel on this clause.
    let sure = class_ii_items(0).assess();
    assert_eq!(finding(&sure, "A10.5.ip").open, None);
    // A class-I route that holds on its own settles the clause whatever class II rests on.
    let both = class_ii_items(3)
        .item(
            "ip",
            "name = \"发明1\"; kind = \"invention_patent\"; related = true",
        )
        .item(
            "ip",
            "name = \"发明2\"; kind = \"invention_patent\"; related = true",
        )
        .assess();
    assert_eq!(finding(&both, "A10.5.ip").open, None);
}

#[test]
fn items_left_out_of_a_count_are_named_with_why_once_per_clause() {
    let assessment = enterprise()
        .unset("record.national_projects")
        .unset("record.provincial_projects")
        .item("project", "name = \"旧项目\"; level = \"national\"; year = 2020; role = \"host\"; related = true")
        .item("project", "name = \"参与项目\"; level = \"national\"; year = 2022; role = \"participate\"; related = true")
        .item("project", "name = \"市级项目\"; level = \"other\"; year = 2022; role = \"host\"; related = true")
        .item("project", "name = \"省级项目\"; level = \"provincial\"; year = 2022; role = \"host\"; related = true")
        .assess();
    let found = finding(&assessment, "A10.3.projects");
    let reasons: Vec<(String, String)> = found
        .left_out
        .iter()
        .map(|item| (item.item.clone(), item.reason().en))
        .collect();
    assert_eq!(
        reasons,
        [
            (
                "project[1]".to_string(),
                "2020 is outside 2021–2023, the last 3 years (Y−3 to Y−1)".to_string()
            ),
            (
                "project[2]".to_string(),
                "role is participate; only host, undertake count".to_string()
            ),
            (
                "project[3]".to_string(),
                "level is other; only national, provincial count".to_string()
            ),
        ],
        "the provincial project counts for the provincial route, so it is not left out"
    );
}

#[test]
fn a_rounded_ratio_never_lands_on_or_across_its_bound() {
    // 第十条第（二）项 "低于 70%": the shown value keeps the exact value's side of 70%.
    for (ratio, verdict, shown) in [
        ("\"69.999%\"", Pass, "69.999%"),
        ("\"70.0001%\"", Fail, "70.0001%"),
        ("\"58.2345%\"", Pass, "≈58.23%"),
    ] {
        let assessment = enterprise().set("finance.debt_ratio", ratio).assess();
        let found = finding(&assessment, "A10.2.debt-ratio");
        assert_eq!(found.verdict, verdict, "{ratio}");
        assert_eq!(found.actual().unwrap().human.en, shown, "{ratio}");
    }
    // A computed ratio just under the bound is rounded only as far as keeps it under.
    let assessment = enterprise()
        .unset("finance.debt_ratio")
        .set("finance.total_assets", "30000")
        .set("finance.total_liabilities", "20999.99")
        .assess();
    let found = finding(&assessment, "A10.2.debt-ratio");
    assert_eq!(found.verdict, Pass);
    assert_eq!(found.actual().unwrap().human.en, "≈69.99997%");
}

#[test]
fn informational_clauses_answer_yes_or_no_never_fail() {
    let assessment = enterprise()
        .set("applicant.national_ertc_host", "false")
        .set("applicant.field", "\"数字媒体艺术\"")
        .assess();
    for id in ["A8.priority", "A4.field"] {
        let found = finding(&assessment, id);
        assert_eq!(found.word(), "no", "{id}");
        let label = found.label(crate::i18n::Lang::Zh);
        assert!(
            !label.contains("不符合") && !label.contains("fail"),
            "{label}"
        );
    }
    let listed = enterprise().set("applicant.field", "\"人工智能\"").assess();
    assert_eq!(finding(&listed, "A4.field").word(), "yes");
}

// ---------------------------------------------------------------------------------------------
// SPEC §5 "Gaps": each Art. 10 clause at and around its bound.

/// The gap of a clause as (metric, direction, amount, strict), in the gap's order.
fn gap_of(profile: &P, id: &str) -> Option<Vec<(String, &'static str, String, bool)>> {
    let assessment = profile.assess();
    let found = finding(&assessment, id);
    found.gap_view().map(|view| {
        view.gap
            .needs
            .iter()
            .map(|need| {
                let (by, strict) = need.change.amount().unwrap_or_default();
                (
                    view.words(need).metric,
                    need.change.direction(),
                    by.normalize().to_string(),
                    strict,
                )
            })
            .collect()
    })
}

fn need(
    metric: &str,
    direction: &'static str,
    by: &str,
    strict: bool,
) -> (String, &'static str, String, bool) {
    (metric.to_string(), direction, by.to_string(), strict)
}

#[test]
fn gap_floor_area_below_at_and_above_1500() {
    // 第十条第（四）项 "1500m² 以上".
    let gap = |area: &str| {
        gap_of(
            &enterprise().set("facilities.rnd_floor_area", area),
            "A10.4.floor-area",
        )
    };
    assert_eq!(
        gap("1200"),
        Some(vec![need(
            "facilities.rnd_floor_area",
            "more",
            "300",
            false
        )])
    );
    assert_eq!(
        gap("1499.5"),
        Some(vec![need(
            "facilities.rnd_floor_area",
            "more",
            "0.5",
            false
        )])
    );
    assert_eq!(gap("1500"), None);
    assert_eq!(gap("1500.5"), None);
}

#[test]
fn gap_equipment_and_benefit_in_wan_yuan() {
    let equipment = gap_of(
        &enterprise().set("facilities.equipment_value", "1850"),
        "A10.4.equipment",
    );
    assert_eq!(
        equipment,
        Some(vec![need(
            "facilities.equipment_value",
            "more",
            "150",
            false
        )])
    );
    let benefit = gap_of(
        &enterprise().set("record.transfer_benefit", "4999.5"),
        "A10.5.benefit",
    );
    assert_eq!(
        benefit,
        Some(vec![need("transfer_benefit", "more", "0.5", false)])
    );
    assert_eq!(
        gap_of(
            &enterprise().set("record.transfer_benefit", "5000"),
            "A10.5.benefit"
        ),
        None
    );
}

#[test]
fn gap_rnd_spend_names_each_short_year_on_its_own() {
    // 第十条第（四）项 "近两年研发经费投入每年不少于 1000 万元".
    let one = enterprise()
        .set("rnd_spend.2022", "1000")
        .set("rnd_spend.2023", "880");
    assert_eq!(
        gap_of(&one, "A10.4.rnd-spend"),
        Some(vec![need("rnd_spend.2023", "more", "120", false)])
    );
    let both = enterprise()
        .set("rnd_spend.2022", "999")
        .set("rnd_spend.2023", "880");
    let assessment = both.assess();
    let gap = finding(&assessment, "A10.4.rnd-spend").gap_view().unwrap();
    assert_eq!(
        gap.gap.combine,
        super::gap::Combine::All,
        "every year must reach the bound"
    );
    assert_eq!(gap.gap.needs.len(), 2);
    assert!(gap
        .text(crate::i18n::Lang::Zh)
        .contains("2022 年研发经费投入 999 万元，距 ≥ 1000 万元 还差 1 万元"));
}

#[test]
fn gap_staff_counts_whole_people() {
    let team = |fixed: &str| {
        gap_of(
            &enterprise()
                .set("team.fixed_staff", fixed)
                .set("team.qualified_staff", "60"),
            "A10.2.team-size",
        )
    };
    assert_eq!(
        team("96"),
        Some(vec![need("team.fixed_staff", "more", "4", false)])
    );
    assert_eq!(
        team("99"),
        Some(vec![need("team.fixed_staff", "more", "1", false)])
    );
    assert_eq!(team("100"), None);
}

#[test]
fn gap_team_quality_is_the_smallest_whole_number_of_qualified_staff() {
    // 第十条第（二）项 "比例不低于 50%": at today's fixed staff.
    let share = |fixed: &str, qualified: &str| {
        gap_of(
            &enterprise()
                .set("team.fixed_staff", fixed)
                .set("team.qualified_staff", qualified),
            "A10.2.team-quality",
        )
    };
    assert_eq!(
        share("100", "47"),
        Some(vec![need("team.qualified_staff", "more", "3", false)])
    );
    // 50% of 97 is 48.5: 49 are needed, one more than 48.
    assert_eq!(
        share("97", "48"),
        Some(vec![need("team.qualified_staff", "more", "1", false)])
    );
    assert_eq!(share("97", "49"), None);
    assert_eq!(share("100", "50"), None);
}

#[test]
fn gap_debt_ratio_strictly_below_70_percent_by_either_part() {
    // 第十条第（二）项 "低于 70%": liabilities below 70% of assets, or assets above liabilities / 70%.
    let ratio = |assets: &str, liabilities: &str| {
        gap_of(
            &enterprise()
                .unset("finance.debt_ratio")
                .set("finance.total_assets", assets)
                .set("finance.total_liabilities", liabilities),
            "A10.2.debt-ratio",
        )
    };
    assert_eq!(
        ratio("10000", "7040"),
        Some(vec![
            need("finance.total_liabilities", "less", "40", true),
            // 7040 / 0.7 = 10057.142857…: at least 57.1429 more, which passes "more than".
            need("finance.total_assets", "more", "57.1429", false),
        ])
    );
    // Exactly 70%: more than nothing must change.
    assert_eq!(
        ratio("10000", "7000"),
        Some(vec![
            need("finance.total_liabilities", "less", "0", true),
            need("finance.total_assets", "more", "0", true),
        ])
    );
    assert_eq!(ratio("10000", "6999.99"), None);
    // Without the amounts, the ratio itself: down by more than 0.4 percentage points.
    let declared = gap_of(
        &enterprise().set("finance.debt_ratio", "\"70.4%\""),
        "A10.2.debt-ratio",
    );
    assert_eq!(
        declared,
        Some(vec![need("debt_ratio", "less", "0.004", true)])
    );
    let assessment = enterprise()
        .unset("finance.debt_ratio")
        .set("finance.total_assets", "10000")
        .set("finance.total_liabilities", "7040")
        .assess();
    let text = finding(&assessment, "A10.2.debt-ratio")
        .gap_view()
        .unwrap()
        .text(crate::i18n::Lang::Zh);
    assert_eq!(
        text,
        "负债总额减少超过 40 万元（资产总额不变），达到 < 70%；或资产总额增加至少 57.1429 万元（负债总额不变），达到 < 70%"
    );
}

#[test]
fn gap_projects_and_ip_list_every_route_nearest_first() {
    // 第十条第（三）项: 1 national or 3 provincial; 2 short of 3 (67%) is nearer than 1 of 1.
    let projects = enterprise()
        .set("record.national_projects", "0")
        .set("record.provincial_projects", "1");
    assert_eq!(
        gap_of(&projects, "A10.3.projects"),
        Some(vec![
            need("provincial_projects", "more", "2", false),
            need("national_projects", "more", "1", false),
        ])
    );
    // 第十条第（五）项: 2 class-I or 12 class-II; 3 short of 12 (25%) before 1 short of 2 (50%).
    let ip = enterprise()
        .set("record.class_i_ip", "1")
        .set("record.class_ii_ip", "9");
    assert_eq!(
        gap_of(&ip, "A10.5.ip"),
        Some(vec![
            need("class_ii_ip", "more", "3", false),
            need("class_i_ip", "more", "1", false),
        ])
    );
}

#[test]
fn gap_counts_and_partners() {
    assert_eq!(
        gap_of(
            &enterprise().set("record.transfers", "4"),
            "A10.5.transfers"
        ),
        Some(vec![need("transfers", "more", "1", false)])
    );
    assert_eq!(
        gap_of(
            &enterprise().set("record.industry_standards", "0"),
            "A10.5.standards"
        ),
        Some(vec![need("industry_standards", "more", "2", false)])
    );
    assert_eq!(
        gap_of(
            &university().set("applicant.partner_enterprises", "1"),
            "A10.2.partners"
        ),
        Some(vec![need(
            "applicant.partner_enterprises",
            "more",
            "1",
            false
        )])
    );
}

#[test]
fn gap_local_support_needs_every_failed_part() {
    // 第十条第（六）项: a commitment and a pre-investment above 0.
    let assessment = enterprise()
        .set("support.local_commitment", "false")
        .set("support.pre_investment", "0")
        .assess();
    let gap = finding(&assessment, "A10.6.local-support")
        .gap_view()
        .unwrap();
    assert_eq!(gap.gap.combine, super::gap::Combine::All);
    assert_eq!(
        gap.text(crate::i18n::Lang::En),
        "local government commitment must be yes; and pre-investment 0 万元, must be > 0 万元"
    );
}

#[test]
fn gap_of_a_clause_without_data_names_the_toml_keys() {
    let assessment = enterprise().unset("facilities.rnd_floor_area").assess();
    let found = finding(&assessment, "A10.4.floor-area");
    assert_eq!(found.verdict, Missing);
    assert!(found.gap.is_none(), "only failed clauses are measured");
    assert_eq!(
        assessment.fields_to_fill(found),
        ["facilities.rnd_floor_area"]
    );
}

#[test]
fn passing_and_informational_clauses_have_no_gap() {
    let assessment = enterprise()
        .set("applicant.national_ertc_host", "false")
        .assess();
    for finding in &assessment.findings {
        assert!(finding.gap.is_none(), "{}", finding.clause.id);
    }
}
