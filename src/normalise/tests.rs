use chrono::NaiveDate;
use rust_decimal_macros::dec;

use super::*;
use crate::profile::toml::load;

/// Facts borrow their profile and rulebook; tests keep both alive for the test's length.
fn facts(text: &str) -> Facts<'static> {
    let profile = load("t.toml", text).unwrap_or_else(|error| panic!("{error}"));
    let dates = DateChoice {
        as_of: None,
        today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
    };
    let profile: &'static Profile = Box::leak(Box::new(profile));
    let rulebook: &'static Rulebook = Box::leak(Box::new(Rulebook::builtin()));
    normalise(profile, rulebook, dates)
}

fn warnings(facts: &Facts) -> Vec<String> {
    facts.warnings.iter().map(|w| w.en.clone()).collect()
}

const DATED: &str = "[applicant]\napplication_date = 2024-03-15\n";

#[test]
fn application_date_fixes_the_year() {
    let facts = facts(DATED);
    assert_eq!(facts.year, 2024);
    assert!(facts.warnings.is_empty(), "{:?}", warnings(&facts));
}

#[test]
fn without_a_date_today_is_used_with_a_warning() {
    let facts = facts("[applicant]\nname = \"x\"\n");
    assert_eq!(facts.year, 2026);
    let warnings = warnings(&facts);
    // 2026 is after the trial measures expired (第三十三条: 有效期至 2025 年 4 月 5 日); that
    // warning comes first, for the reports' headers (SPEC §2 "Expired measures").
    assert!(
        warnings[0].contains("2022-04-06 to 2025-04-05"),
        "{warnings:?}"
    );
    assert!(facts.out_of_force);
    assert!(
        warnings[1].contains("application_date is not given"),
        "{warnings:?}"
    );
}

#[test]
fn validity_window_is_inclusive_at_both_ends() {
    for (date, warned) in [
        ("2022-04-05", true),
        ("2022-04-06", false),
        ("2025-04-05", false),
        ("2025-04-06", true),
    ] {
        let facts = facts(&format!("[applicant]\napplication_date = {date}\n"));
        assert_eq!(!facts.warnings.is_empty(), warned, "{date}");
    }
}

#[test]
fn debt_ratio_from_amounts_wins_over_a_disagreeing_declaration() {
    let facts = facts(&format!(
        "{DATED}[finance]\ndebt_ratio = \"50%\"\ntotal_assets = 100\ntotal_liabilities = 70\n"
    ));
    assert_eq!(facts.get("debt_ratio").value, FactValue::Number(dec!(0.7)));
    assert!(warnings(&facts)[0].contains("says 50% but the amounts give 70%"));
}

#[test]
fn declared_ratio_within_rounding_is_not_warned() {
    let facts = facts(&format!(
        "{DATED}[finance]\ndebt_ratio = \"58.2%\"\ntotal_assets = 52000\ntotal_liabilities = 30264\n"
    ));
    assert!(facts.warnings.is_empty(), "{:?}", warnings(&facts));
}

#[test]
fn ratio_needs_both_parts_or_the_declaration() {
    let facts = facts(&format!("{DATED}[finance]\ntotal_assets = 100\n"));
    let fact = facts.get("debt_ratio");
    assert_eq!(fact.value, FactValue::Missing);
    assert_eq!(
        fact.missing,
        vec!["finance.debt_ratio", "finance.total_liabilities"]
    );
}

#[test]
fn zero_denominator_is_undefined_not_zero() {
    let facts = facts(&format!(
        "{DATED}[team]\nfixed_staff = 0\nqualified_staff = 0\n"
    ));
    assert!(matches!(
        facts.get("team_quality_share").value,
        FactValue::Undefined(_)
    ));
}

#[test]
fn summary_count_is_used_without_items() {
    let facts = facts(&format!("{DATED}[record]\nnational_projects = 2\n"));
    assert_eq!(
        facts.get("national_projects").value,
        FactValue::Number(dec!(2))
    );
    let missing = facts.get("provincial_projects");
    assert_eq!(missing.value, FactValue::Missing);
    assert_eq!(
        missing.missing,
        vec!["record.provincial_projects", "[[project]]"]
    );
}

#[test]
fn items_are_windowed_and_filtered_and_disagreement_is_warned() {
    // 第十条第（三）项 "近 3 年内": for Y = 2024 the window is 2021–2023.
    let text = format!(
        "{DATED}[record]\nnational_projects = 3\n\
         [[project]]\nlevel = \"national\"\nyear = 2021\nrole = \"host\"\nrelated = true\n\
         [[project]]\nlevel = \"national\"\nyear = 2020\nrole = \"host\"\nrelated = true\n\
         [[project]]\nlevel = \"national\"\nyear = 2024\nrole = \"host\"\nrelated = true\n\
         [[project]]\nlevel = \"national\"\nyear = 2023\nrole = \"participate\"\nrelated = true\n\
         [[project]]\nlevel = \"national\"\nyear = 2023\nrole = \"undertake\"\nrelated = false\n"
    );
    let facts = facts(&text);
    assert_eq!(
        facts.get("national_projects").value,
        FactValue::Number(dec!(1))
    );
    assert!(warnings(&facts)[0]
        .contains("record.national_projects says 3 but the [[project]] items listed give 1"));
}

#[test]
fn item_without_year_leaves_the_count_open() {
    let text = format!(
        "{DATED}[[transfer]]\nyear = 2022\nbenefit = 100\n[[transfer]]\nbenefit = 200\n[[transfer]]\nyear = 2023\n"
    );
    let facts = facts(&text);
    let count = facts.get("transfers");
    assert_eq!(count.value, FactValue::AtLeast(dec!(2)));
    assert_eq!(count.missing, vec!["transfer[2].year"]);
    let benefit = facts.get("transfer_benefit");
    assert_eq!(benefit.value, FactValue::AtLeast(dec!(100)));
    assert_eq!(
        benefit.missing,
        vec!["transfer[2].year", "transfer[3].benefit"]
    );
}

#[test]
fn series_takes_the_window_years_only() {
    // 第十条第（四）项 "近两年": for Y = 2024, 2022 and 2023.
    let facts = facts(&format!("{DATED}[rnd_spend]\n2021 = 5\n2023 = 1320\n"));
    let fact = facts.get("rnd_spend");
    assert_eq!(
        fact.value,
        FactValue::Series(vec![(2022, None), (2023, Some(dec!(1320)))])
    );
    assert_eq!(fact.missing, vec!["rnd_spend.2022"]);
    assert!(fact.notes[0].en.contains("2021"));
}

#[test]
fn as_of_overrides_the_application_date() {
    let profile = load(
        "t.toml",
        &format!("{DATED}[rnd_spend]\n2024 = 1\n2025 = 2\n"),
    )
    .unwrap();
    let dates = DateChoice {
        as_of: NaiveDate::from_ymd_opt(2026, 1, 10),
        today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
    };
    let rulebook = Rulebook::builtin();
    let facts = normalise(&profile, &rulebook, dates);
    assert_eq!(facts.year, 2026);
    assert_eq!(
        facts.get("rnd_spend").value,
        FactValue::Series(vec![(2024, Some(dec!(1))), (2025, Some(dec!(2)))])
    );
}

#[test]
fn prefecture_disagreeing_with_the_uscc_is_warned() {
    // 91530100MA6K3L7P2D was issued in division 530100, 昆明市.
    let agree = facts(&format!(
        "{DATED}uscc = \"91530100MA6K3L7P2D\"\nprefecture = \"昆明\"\n"
    ));
    assert!(agree.warnings.is_empty(), "{:?}", warnings(&agree));
    let disagree = facts(&format!(
        "{DATED}uscc = \"91530100MA6K3L7P2D\"\nprefecture = \"大理州\"\n"
    ));
    assert!(warnings(&disagree)[0].contains("530100 (昆明市)"));
}

#[test]
fn a_summary_set_aside_for_undetermined_items_is_warned() {
    let facts = facts(&format!(
        "{DATED}[record]\ntransfer_benefit = 6000\n[[transfer]]\nyear = 2022\n[[transfer]]\nyear = 2023\nbenefit = 100\n"
    ));
    assert_eq!(
        facts.get("transfer_benefit").value,
        FactValue::AtLeast(dec!(100))
    );
    let warnings = warnings(&facts);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("record.transfer_benefit says 6000")
                && w.contains("at least 100")
                && w.contains("transfer[1].benefit")),
        "{warnings:?}"
    );
}
