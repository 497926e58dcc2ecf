//! Property tests of the shape of 第十条: more floor area, equipment, staff or R&D spend never
//! turns a pass into a fail; a higher debt ratio never turns a fail into a pass; the floor-area
//! verdict is exactly `area >= 1500` (《民法典》第一千二百五十九条: "以上" includes the number);
//! and the money parser agrees with itself across 万元, 元 and 亿元.

use std::sync::LazyLock;

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use ticheck::engine::Verdict;
use ticheck::normalise::DateChoice;
use ticheck::profile::value::parse_money;
use ticheck::rules::Rulebook;

static RULEBOOK: LazyLock<Rulebook> = LazyLock::new(Rulebook::builtin);

/// The verdict of one clause for a profile written as TOML (application year 2024).
fn verdict(body: &str, clause: &str) -> Verdict {
    let text = format!("[applicant]\nkind = \"enterprise\"\napplication_date = 2024-03-15\n{body}");
    let profile = ticheck::profile::toml::load("p.toml", &text)
        .unwrap_or_else(|error| panic!("profile should load: {error}\n{text}"));
    let today = NaiveDate::from_ymd_opt(2031, 7, 1).unwrap();
    let assessment = ticheck::assess(&profile, &RULEBOOK, DateChoice { as_of: None, today });
    assessment
        .findings
        .iter()
        .find(|finding| finding.clause.id == clause)
        .unwrap_or_else(|| panic!("no finding for {clause}"))
        .verdict
}

/// A non-negative decimal with exactly two decimal places, from its hundredths.
fn cents(hundredths: u64) -> Decimal {
    Decimal::new(hundredths as i64, 2)
}

/// Hundredths concentrated around a bound (±20.00) half of the time, anywhere else otherwise.
fn near(bound: u64) -> impl Strategy<Value = u64> {
    let bound = bound * 100;
    prop_oneof![(bound - 2_000)..=(bound + 2_000), 0..=(bound * 3),]
}

/// A percentage with two decimals in [0, 100], near 70% half of the time.
fn percent() -> impl Strategy<Value = u64> {
    prop_oneof![6_900u64..=7_100, 0u64..=10_000]
}

fn area(value: Decimal) -> String {
    format!("[facilities]\nrnd_floor_area = {value}\n")
}

fn equipment(value: Decimal) -> String {
    format!("[facilities]\nequipment_value = \"{value}万元\"\n")
}

fn spend(y2: Decimal, y1: Decimal) -> String {
    format!("[rnd_spend]\n2022 = {y2}\n2023 = \"{y1}万元\"\n")
}

fn team(fixed: u32, qualified: u32) -> String {
    format!("[team]\nfixed_staff = {fixed}\nqualified_staff = {qualified}\n")
}

fn debt(percent: Decimal) -> String {
    format!("[finance]\ndebt_ratio = \"{percent}%\"\n")
}

fn ordered<T: PartialOrd>(a: T, b: T) -> (T, T) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// 第十条第（四）项 "研发场地面积在 1500m² 以上": pass exactly when area >= 1500.
    #[test]
    fn floor_area_verdict_is_exactly_at_least_1500(hundredths in near(1500)) {
        let value = cents(hundredths);
        let expected = if value >= Decimal::from(1500) { Verdict::Pass } else { Verdict::Fail };
        prop_assert_eq!(verdict(&area(value), "A10.4.floor-area"), expected, "area {}", value);
    }

    /// 第十条第（四）项: more floor area never turns pass into fail.
    #[test]
    fn floor_area_is_monotone(a in near(1500), b in near(1500)) {
        let (low, high) = ordered(cents(a), cents(b));
        let (v_low, v_high) = (
            verdict(&area(low), "A10.4.floor-area"),
            verdict(&area(high), "A10.4.floor-area"),
        );
        prop_assert!(!(v_low == Verdict::Pass && v_high == Verdict::Fail), "{} vs {}", low, high);
    }

    /// 第十条第（四）项 "仪器设备原值在 2000 万元以上": more equipment never turns pass into fail,
    /// and the verdict is exactly value >= 2000.
    #[test]
    fn equipment_is_monotone(a in near(2000), b in near(2000)) {
        let (low, high) = ordered(cents(a), cents(b));
        let (v_low, v_high) = (
            verdict(&equipment(low), "A10.4.equipment"),
            verdict(&equipment(high), "A10.4.equipment"),
        );
        prop_assert!(!(v_low == Verdict::Pass && v_high == Verdict::Fail), "{} vs {}", low, high);
        let expected = if low >= Decimal::from(2000) { Verdict::Pass } else { Verdict::Fail };
        prop_assert_eq!(v_low, expected, "equipment {}", low);
    }

    /// 第十条第（二）项 "固定人员不少于 100 人": more staff never turns pass into fail.
    #[test]
    fn team_size_is_monotone(a in 0u32..300, b in 0u32..300) {
        let (low, high) = ordered(a, b);
        let (v_low, v_high) = (
            verdict(&team(low, 0), "A10.2.team-size"),
            verdict(&team(high, 0), "A10.2.team-size"),
        );
        prop_assert!(!(v_low == Verdict::Pass && v_high == Verdict::Fail), "{} vs {}", low, high);
        let expected = if low >= 100 { Verdict::Pass } else { Verdict::Fail };
        prop_assert_eq!(v_low, expected, "staff {}", low);
    }

    /// 第十条第（二）项 "所占比例不低于 50%": more qualified staff (of the same team) never
    /// turns pass into fail, and the verdict is exactly 2 × qualified >= fixed.
    #[test]
    fn team_quality_is_monotone_in_qualified_staff(
        fixed in 1u32..400,
        a in 0u32..400,
        b in 0u32..400,
    ) {
        let (low, high) = ordered(a.min(fixed), b.min(fixed));
        let (v_low, v_high) = (
            verdict(&team(fixed, low), "A10.2.team-quality"),
            verdict(&team(fixed, high), "A10.2.team-quality"),
        );
        prop_assert!(
            !(v_low == Verdict::Pass && v_high == Verdict::Fail),
            "{}/{} vs {}/{}", low, fixed, high, fixed
        );
        let expected = if 2 * low >= fixed { Verdict::Pass } else { Verdict::Fail };
        prop_assert_eq!(v_low, expected, "{}/{}", low, fixed);
    }

    /// 第十条第（四）项 "近两年研发经费投入每年不少于 1000 万元": raising either year's spend never
    /// turns pass into fail; the verdict is exactly min(Y−2, Y−1) >= 1000.
    #[test]
    fn rnd_spend_is_monotone(
        y2 in near(1000),
        y1 in near(1000),
        more2 in 0u64..100_000,
        more1 in 0u64..100_000,
    ) {
        let (y2, y1) = (cents(y2), cents(y1));
        let (up2, up1) = (y2 + cents(more2), y1 + cents(more1));
        let before = verdict(&spend(y2, y1), "A10.4.rnd-spend");
        let after = verdict(&spend(up2, up1), "A10.4.rnd-spend");
        prop_assert!(
            !(before == Verdict::Pass && after == Verdict::Fail),
            "({}, {}) -> ({}, {})", y2, y1, up2, up1
        );
        let bound = Decimal::from(1000);
        let expected = if y2 >= bound && y1 >= bound { Verdict::Pass } else { Verdict::Fail };
        prop_assert_eq!(before, expected, "({}, {})", y2, y1);
    }

    /// 第十条第（二）项 "资产负债率低于 70%": a higher ratio never turns fail into pass; the
    /// verdict is exactly ratio < 70%.
    #[test]
    fn debt_ratio_is_antitone(a in percent(), b in percent()) {
        let (low, high) = ordered(cents(a), cents(b));
        let (v_low, v_high) = (
            verdict(&debt(low), "A10.2.debt-ratio"),
            verdict(&debt(high), "A10.2.debt-ratio"),
        );
        prop_assert!(!(v_low == Verdict::Fail && v_high == Verdict::Pass), "{}% vs {}%", low, high);
        let expected = if high < Decimal::from(70) { Verdict::Pass } else { Verdict::Fail };
        prop_assert_eq!(v_high, expected, "{}%", high);
    }

    /// SPEC §4: "N万元", "N×10000元" and "N/10000亿元" are the same amount, exactly.
    #[test]
    fn money_units_agree(mantissa in 0u64..1_000_000_000_000, scale in 0u32..=6) {
        let n = Decimal::new(mantissa as i64, scale);
        let yuan = (n * Decimal::from(10_000)).normalize();
        let yi = (n / Decimal::from(10_000)).normalize();
        let wan = parse_money(&format!("{n}万元"));
        prop_assert_eq!(wan.clone(), Ok(n), "{}万元", n);
        prop_assert_eq!(parse_money(&format!("{yuan}元")), wan.clone(), "{}元", yuan);
        prop_assert_eq!(parse_money(&format!("{yi}亿元")), wan.clone(), "{}亿元", yi);
        prop_assert_eq!(parse_money(&format!("{n}")), wan, "bare {}", n);
    }
}
