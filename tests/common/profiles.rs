//! Random valid applicant profiles for the property tests (issue 15): a [`Facts`] strategy, the
//! same facts written as a TOML profile, a CSV row and an XLSX row under the sheet template's
//! headers, and the verdicts the library gives each, read through its own entry points
//! ([`ticheck::check::assess_toml`], [`ticheck::check::check_into`]) rather than the binary.
//!
//! Included by `#[path]` from the test files that use it, so that the other test binaries do not
//! compile it.

#![allow(dead_code)] // each property file uses a different part

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::{Arc, LazyLock};

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use rust_decimal::Decimal;
use ticheck::check::{self, InputFormat, Output, Request, SheetOptions};
use ticheck::engine::gap::Gap;
use ticheck::engine::{Assessment, Overall, Verdict};
use ticheck::i18n::Lang;
use ticheck::normalise::DateChoice;
use ticheck::report::{Emitter, Format, Summary};
use ticheck::rules::Rulebook;

pub static RULEBOOK: LazyLock<Rulebook> = LazyLock::new(Rulebook::builtin);

/// The day a check is made: after the measures' window, so no profile depends on it (every
/// generated profile states its application date).
pub fn dates() -> DateChoice {
    DateChoice {
        as_of: None,
        today: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
    }
}

// ---------------------------------------------------------------------------------------------
// The facts
// ---------------------------------------------------------------------------------------------

/// One stated fact, in the profile's default unit.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    Text(String),
    /// `applicant.kind`: an index into [`KINDS`].
    Kind(usize),
    Date(NaiveDate),
    Bool(bool),
    Count(u64),
    /// 万元.
    Money(Decimal),
    /// m².
    Area(Decimal),
    /// A percentage: `58.2` is 58.2%.
    Percent(Decimal),
    Uscc(String),
}

/// The applicant kinds: the profile's word and the sheet's Chinese word (SPEC §4).
pub const KINDS: [(&str, &str); 4] = [
    ("enterprise", "企业"),
    ("university", "高校"),
    ("institute", "科研院所"),
    ("tech_org", "技术机构"),
];

/// A profile's facts by dotted path (`facilities.rnd_floor_area`, `rnd_spend.2023`), as the
/// TOML keys and the sheet's field names have them.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub fields: BTreeMap<String, Fact>,
    /// Itemised evidence (`[[project]]` …), which only a TOML profile can list.
    pub items: Vec<Item>,
}

/// One entry of an itemised table: its table and its fields, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub table: &'static str,
    pub fields: Vec<(&'static str, Fact)>,
}

impl Facts {
    pub fn get(&self, path: &str) -> Option<&Fact> {
        self.fields.get(path)
    }

    /// Y, the application year.
    pub fn year(&self) -> i32 {
        match self.get("applicant.application_date") {
            Some(Fact::Date(date)) => date.year(),
            other => panic!("every generated profile has a date, not {other:?}"),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self.get("applicant.kind") {
            Some(Fact::Kind(index)) => KINDS[*index].0,
            other => panic!("every generated profile has a kind, not {other:?}"),
        }
    }

    /// The stated numbers of each kind whose paths satisfy `which`, in path order.
    pub fn paths(&self, which: impl Fn(&str, &Fact) -> bool) -> Vec<String> {
        self.fields
            .iter()
            .filter(|(path, fact)| which(path, fact))
            .map(|(path, _)| path.clone())
            .collect()
    }
}

/// A unified social credit code with its check character (GB 32100-2015, SPEC §3) for the
/// division `division`; `serial` varies the organisation part.
pub fn uscc(division: &str, serial: u32) -> String {
    const CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let first = format!("91{division}MA{serial:07}");
    assert_eq!(first.len(), 17, "{first}");
    let sum: u32 = first
        .bytes()
        .zip(WEIGHTS)
        .map(|(c, weight)| CHARSET.iter().position(|x| *x == c).unwrap() as u32 * weight)
        .sum();
    let check = (31 - sum % 31) % 31;
    format!("{first}{}", CHARSET[check as usize] as char)
}

/// How a profile is drawn: `Strong` ones are built to pass (every fact stated, at or above its
/// bound but for the one in ten that lands at the bound), so that eligible applicants and
/// near misses are as common as the ineligible; `Any` ones state each fact or not, anywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Draw {
    Any,
    Strong,
}

/// Amounts around `bound` (±20.00) half of the time, anywhere in `0..=3 × bound` otherwise;
/// for a strong profile mostly in `bound..=2 × bound`. The values that decide a clause lie at
/// its bound.
fn hundredths_near(bound: u64, draw: Draw) -> BoxedStrategy<Decimal> {
    let bound = bound * 100;
    let near = bound.saturating_sub(2_000)..=bound + 2_000;
    match draw {
        Draw::Any => prop_oneof![near, 0..=bound * 3].boxed(),
        Draw::Strong => prop_oneof![1 => near, 9 => bound..=bound * 2].boxed(),
    }
    .prop_flat_map(|hundredths| {
        // One in four to the yuan (four places in 万元): 1499.9999 is not 1500.
        let yuan = prop_oneof![3 => Just(0i64), 1 => -99i64..=99];
        (Just(hundredths), yuan)
    })
    .prop_map(|(hundredths, yuan)| {
        let ten_thousandths = (hundredths as i64 * 100 + yuan).max(0);
        Decimal::new(ten_thousandths, 4).normalize()
    })
    .boxed()
}

/// A count around `bound` (±2) half of the time, in `0..=3 × bound + 2` otherwise; for a strong
/// profile mostly in `bound..=2 × bound + 2`.
fn count_near(bound: u64, draw: Draw) -> BoxedStrategy<u64> {
    let near = bound.saturating_sub(2)..=bound + 2;
    match draw {
        Draw::Any => prop_oneof![near, 0..=bound * 3 + 2].boxed(),
        Draw::Strong => prop_oneof![1 => near, 9 => bound..=bound * 2 + 2].boxed(),
    }
}

/// Present 85% of the time (98% in a strong profile): an absent fact is `missing`, never zero.
fn stated<T: std::fmt::Debug + Clone + 'static>(
    value: impl Strategy<Value = T> + 'static,
    draw: Draw,
) -> BoxedStrategy<Option<T>> {
    match draw {
        Draw::Any => prop::option::weighted(0.85, value).boxed(),
        Draw::Strong => prop::option::weighted(0.98, value).boxed(),
    }
}

/// A yes or a no; in a strong profile, yes 19 times in 20.
fn flag(draw: Draw) -> BoxedStrategy<bool> {
    match draw {
        Draw::Any => any::<bool>().boxed(),
        Draw::Strong => prop::bool::weighted(0.95).boxed(),
    }
}

const YUNNAN_DIVISIONS: [&str; 6] = ["530100", "530300", "532500", "532900", "533400", "530000"];
const OTHER_DIVISIONS: [&str; 2] = ["100000", "110000"];

const FIELDS_OF_WORK: [&str; 5] = [
    "有色金属",
    "生物医药",
    "先进制造",
    "数字媒体艺术",
    "文化旅游",
];

/// How the applicant shows it is registered in Yunnan: a code, or its own word (SPEC §3).
fn registration(draw: Draw) -> BoxedStrategy<Vec<(String, Fact)>> {
    let divisions = match draw {
        Draw::Any => [YUNNAN_DIVISIONS.as_slice(), OTHER_DIVISIONS.as_slice()].concat(),
        Draw::Strong => YUNNAN_DIVISIONS.to_vec(),
    };
    let code =
        (prop::sample::select(divisions), 0u32..10_000_000).prop_map(|(division, serial)| {
            vec![(
                "applicant.uscc".to_string(),
                Fact::Uscc(uscc(division, serial)),
            )]
        });
    let word = stated(flag(draw), draw).prop_map(|flag| {
        flag.map(|flag| {
            (
                "applicant.registered_in_yunnan".to_string(),
                Fact::Bool(flag),
            )
        })
        .into_iter()
        .collect()
    });
    prop_oneof![code, word].boxed()
}

/// The year Y−1's finance: a declared ratio, the two amounts, or nothing.
fn finance(draw: Draw) -> BoxedStrategy<Vec<(String, Fact)>> {
    // Ratios in hundredths of a percent, and liabilities per ten thousand of the assets.
    let (ratios, shares) = match draw {
        Draw::Any => (
            prop_oneof![6_800u64..=7_200, 0u64..=10_000].boxed(),
            prop_oneof![6_500u64..=7_500, 0u64..=15_000].boxed(),
        ),
        Draw::Strong => (
            prop_oneof![1 => 6_800u64..=7_200, 9 => 0u64..=6_999].boxed(),
            prop_oneof![1 => 6_500u64..=7_500, 9 => 0u64..=6_999].boxed(),
        ),
    };
    let declared = ratios.prop_map(|hundredths| {
        let percent = Decimal::new(hundredths as i64, 2).normalize();
        vec![("finance.debt_ratio".to_string(), Fact::Percent(percent))]
    });
    let amounts = (100u64..=10_000_000, shares).prop_map(|(assets, per_ten_thousand)| {
        let assets = Decimal::new(assets as i64, 2);
        let liabilities = (assets * Decimal::new(per_ten_thousand as i64, 4)).round_dp(2);
        vec![
            (
                "finance.total_assets".to_string(),
                Fact::Money(assets.normalize()),
            ),
            (
                "finance.total_liabilities".to_string(),
                Fact::Money(liabilities.normalize()),
            ),
        ]
    });
    match draw {
        Draw::Any => prop_oneof![1 => Just(vec![]), 2 => declared, 2 => amounts].boxed(),
        Draw::Strong => prop_oneof![declared, amounts].boxed(),
    }
}

/// The R&D team: both counts (qualified never above fixed), the fixed staff alone, or nothing.
fn team(draw: Draw) -> BoxedStrategy<Vec<(String, Fact)>> {
    let both = |(fixed, qualified): (u64, u64)| {
        vec![
            ("team.fixed_staff".to_string(), Fact::Count(fixed)),
            ("team.qualified_staff".to_string(), Fact::Count(qualified)),
        ]
    };
    // Anywhere in the team, or within 2 of half of it (the 50% bound).
    let share = (count_near(100, draw), 0u64..=1_000)
        .prop_map(move |(fixed, per_mille)| both((fixed, fixed * per_mille / 1_000)));
    let at_half = (count_near(100, draw), -2i64..=2).prop_map(move |(fixed, off)| {
        let qualified = (fixed.div_ceil(2) as i64 + off).clamp(0, fixed as i64) as u64;
        both((fixed, qualified))
    });
    let strong = (count_near(100, draw), 500u64..=1_000)
        .prop_map(move |(fixed, per_mille)| both((fixed, (fixed * per_mille).div_ceil(1_000))));
    match draw {
        Draw::Any => prop_oneof![
            1 => Just(vec![]),
            1 => count_near(100, draw)
                .prop_map(|fixed| vec![("team.fixed_staff".to_string(), Fact::Count(fixed))]),
            4 => share,
            2 => at_half,
        ]
        .boxed(),
        Draw::Strong => prop_oneof![1 => at_half, 9 => strong].boxed(),
    }
}

/// Random valid profiles: every field of SPEC §4 but the itemised evidence (a sheet has no
/// items), each stated or not, numbers concentrated at the rulebook's bounds; one in three
/// built to pass ([`Draw::Strong`]).
pub fn facts() -> impl Strategy<Value = Facts> {
    prop_oneof![2 => Just(Draw::Any), 1 => Just(Draw::Strong)].prop_flat_map(facts_drawn)
}

fn facts_drawn(draw: Draw) -> impl Strategy<Value = Facts> {
    let applicant = (
        0usize..KINDS.len(),
        0u32..=1_095, // 2022-04-06 + days: inside the measures' window (Art. 33)
        registration(draw),
        prop::collection::vec(stated(flag(draw), draw), 5),
        stated(count_near(2, draw), draw),
        stated(prop::sample::select(FIELDS_OF_WORK.to_vec()), draw),
        stated(prop::sample::select(vec!["domain", "comprehensive"]), draw),
    );
    let resources = (
        finance(draw),
        team(draw),
        stated(hundredths_near(1500, draw), draw),
        stated(hundredths_near(2000, draw), draw),
        prop::collection::vec(stated(hundredths_near(1000, draw), draw), 3),
    );
    let record = (
        stated(count_near(1, draw), draw),
        stated(count_near(3, draw), draw),
        stated(count_near(2, draw), draw),
        stated(count_near(2, draw), draw),
        stated(count_near(12, draw), draw),
        stated(count_near(5, draw), draw),
        stated(hundredths_near(5000, draw), draw),
        stated(flag(draw), draw),
        stated(
            prop_oneof![1 => Just(Decimal::ZERO), 4 => hundredths_near(1, draw)],
            draw,
        ),
        stated(hundredths_near(1500, draw), draw),
    );
    (applicant, resources, record).prop_map(|(applicant, resources, record)| {
        let (kind, day, registration, flags, partners, field, center_type) = applicant;
        let (finance, team, area, equipment, spend) = resources;
        let (
            national,
            provincial,
            standards,
            class_i,
            class_ii,
            transfers,
            benefit,
            commitment,
            pre,
            matching,
        ) = record;
        let mut fields = BTreeMap::new();
        let mut put = |path: &str, fact: Option<Fact>| {
            if let Some(fact) = fact {
                fields.insert(path.to_string(), fact);
            }
        };
        let date = NaiveDate::from_ymd_opt(2022, 4, 6).unwrap() + chrono::Days::new(day.into());
        put(
            "applicant.name",
            Some(Fact::Text(format!("云南某某科技有限公司{day}"))),
        );
        put("applicant.kind", Some(Fact::Kind(kind)));
        put("applicant.application_date", Some(Fact::Date(date)));
        put("applicant.field", field.map(|f| Fact::Text(f.to_string())));
        put(
            "applicant.center_type",
            center_type.map(|c| Fact::Text(c.to_string())),
        );
        let flag_paths = [
            "applicant.industry_leader",
            "applicant.independent_rnd_unit",
            "applicant.operating_well",
            "applicant.host_support",
            "applicant.national_ertc_host",
        ];
        for (path, flag) in flag_paths.iter().zip(flags) {
            put(path, flag.map(Fact::Bool));
        }
        put("applicant.partner_enterprises", partners.map(Fact::Count));
        for (path, fact) in registration.into_iter().chain(finance).chain(team) {
            put(&path, Some(fact));
        }
        put("facilities.rnd_floor_area", area.map(Fact::Area));
        put("facilities.equipment_value", equipment.map(Fact::Money));
        // Y−3 lies outside the window of 第十条第（四）项 and must change nothing.
        for (back, amount) in (1..=3).rev().zip(spend) {
            put(
                &format!("rnd_spend.{}", date.year() - back),
                amount.map(Fact::Money),
            );
        }
        put("record.national_projects", national.map(Fact::Count));
        put("record.provincial_projects", provincial.map(Fact::Count));
        put("record.industry_standards", standards.map(Fact::Count));
        put("record.class_i_ip", class_i.map(Fact::Count));
        put("record.class_ii_ip", class_ii.map(Fact::Count));
        put("record.transfers", transfers.map(Fact::Count));
        put("record.transfer_benefit", benefit.map(Fact::Money));
        put("support.local_commitment", commitment.map(Fact::Bool));
        put("support.pre_investment", pre.map(Fact::Money));
        put("support.matching_funds", matching.map(Fact::Money));
        Facts {
            fields,
            items: Vec::new(),
        }
    })
}

/// One item of `table` for an application in `year`: years around the windows (Y−5 to Y),
/// every level, role, kind and relation, so that the windows and filters of the rulebook's
/// metrics count some and leave others out; now and then a field unstated.
pub fn item(table: &'static str, year: i32) -> BoxedStrategy<Item> {
    let text = |words: &'static [&'static str]| {
        prop::sample::select(words.to_vec()).prop_map(|word| Fact::Text(word.to_string()))
    };
    let year_fact = (year - 5..=year).prop_map(|year| Fact::Count(year as u64));
    let name = (0u32..1000).prop_map(move |n| Fact::Text(format!("{table}-{n}")));
    let fields = match table {
        "project" => (
            name,
            text(&["national", "provincial", "other"]),
            year_fact,
            text(&["host", "undertake", "participate"]),
            any::<bool>().prop_map(Fact::Bool),
        )
            .prop_map(|(name, level, year, role, related)| {
                vec![
                    ("name", name),
                    ("level", level),
                    ("year", year),
                    ("role", role),
                    ("related", related),
                ]
            })
            .boxed(),
        "standard" => (
            name,
            text(&["industry", "national", "international", "local", "group"]),
            text(&["lead", "undertake", "participate"]),
            year_fact,
        )
            .prop_map(|(name, level, role, year)| {
                vec![
                    ("name", name),
                    ("level", level),
                    ("role", role),
                    ("year", year),
                ]
            })
            .boxed(),
        "ip" => (
            name,
            text(&[
                "invention_patent",
                "plant_variety",
                "ic_layout",
                "utility_model",
                "design_patent",
                "software_copyright",
                "other",
            ]),
            any::<bool>().prop_map(Fact::Bool),
        )
            .prop_map(|(name, kind, related)| {
                vec![("name", name), ("kind", kind), ("related", related)]
            })
            .boxed(),
        "transfer" => (
            name,
            year_fact,
            hundredths_near(1500, Draw::Any).prop_map(Fact::Money),
        )
            .prop_map(|(name, year, benefit)| {
                vec![("name", name), ("year", year), ("benefit", benefit)]
            })
            .boxed(),
        other => panic!("no item table {other}"),
    };
    // Now and then a field left out: an item whose year or benefit is not stated is
    // undetermined, and the count or sum is known only as "at least".
    let unstated = prop::collection::vec(prop::bool::weighted(0.06), 5);
    (fields, unstated)
        .prop_map(move |(fields, unstated)| Item {
            table,
            fields: fields
                .into_iter()
                .zip(std::iter::once(false).chain(unstated))
                .filter(|(_, unstated)| !unstated)
                .map(|(field, _)| field)
                .collect(),
        })
        .boxed()
}

pub const ITEM_TABLES: [&str; 4] = ["project", "standard", "ip", "transfer"];

/// [`facts`] with itemised evidence in half of the profiles: up to 14 items of each table,
/// which then decide the counts in place of the summary fields (SPEC §4).
pub fn facts_with_items() -> impl Strategy<Value = Facts> {
    facts().prop_flat_map(|facts| {
        let year = facts.year();
        let tables: Vec<BoxedStrategy<Vec<Item>>> = ITEM_TABLES
            .iter()
            .map(|table| {
                prop_oneof![
                    Just(Vec::new()),
                    prop::collection::vec(item(table, year), 1..=14),
                ]
                .boxed()
            })
            .collect();
        (Just(facts), tables).prop_map(|(mut facts, tables)| {
            facts.items = tables.into_iter().flatten().collect();
            facts
        })
    })
}

// ---------------------------------------------------------------------------------------------
// Writing the facts
// ---------------------------------------------------------------------------------------------

/// How an amount of money is written (SPEC §4): a bare number in 万元, or with a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyUnit {
    /// `1250.5`: 万元 by default.
    Bare,
    /// `"1250.5万元"`.
    Wan,
    /// `"1250.5万"`.
    WanShort,
    /// `"12505000元"`.
    Yuan,
    /// `"12,505,000元"`.
    YuanGrouped,
    /// `"0.12505亿元"`.
    Yi,
    /// `"12505千元"`.
    Qian,
}

pub const MONEY_UNITS: [MoneyUnit; 7] = [
    MoneyUnit::Bare,
    MoneyUnit::Wan,
    MoneyUnit::WanShort,
    MoneyUnit::Yuan,
    MoneyUnit::YuanGrouped,
    MoneyUnit::Yi,
    MoneyUnit::Qian,
];

/// How every value of a rendering is written: one money unit per money field (in path order,
/// cycled), and a choice among the other accepted spellings.
#[derive(Debug, Clone)]
pub struct Style {
    pub money: Vec<MoneyUnit>,
    /// Each bit picks one of two spellings: 0, the kind in Chinese (`企业`); 1, the same in
    /// sheets only; 2, booleans as 是/否; 3, areas with a unit; 4, that unit 平方米 rather than
    /// m²; 5, ratios as a bare fraction rather than a percentage; 6, typed XLSX cells; 7, units
    /// in the sheet's headers rather than its cells; 8, every column of the sheet template, empty
    /// where a fact is unstated; 9, dates in a sheet written `2024年3月15日`; 10, a CSV in
    /// GB18030; 11, else a CSV with a byte-order mark; 12, a title row above the header and a
    /// 序号 column.
    pub bits: u32,
}

impl Style {
    /// Every amount in 万元 as a bare number, every other value in its plainest form.
    pub fn plain() -> Style {
        Style {
            money: vec![MoneyUnit::Bare],
            bits: 0,
        }
    }

    fn bit(&self, n: u32) -> bool {
        self.bits & (1 << n) != 0
    }
}

pub fn style() -> impl Strategy<Value = Style> {
    (
        prop::collection::vec(prop::sample::select(MONEY_UNITS.to_vec()), 1..=8),
        any::<u32>(),
    )
        .prop_map(|(money, bits)| Style { money, bits })
}

/// `1234567.8` as `1,234,567.8`.
fn grouped(text: &str) -> String {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let mut out = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// An amount in 万元 written in `unit`, and whether the text carries the unit.
pub fn money_text(wan: Decimal, unit: MoneyUnit) -> (String, bool) {
    let yuan = (wan * Decimal::from(10_000)).normalize();
    let yi = (wan / Decimal::from(10_000)).normalize();
    match unit {
        MoneyUnit::Qian => (format!("{}千元", (wan * Decimal::TEN).normalize()), true),
        MoneyUnit::Bare => (wan.normalize().to_string(), false),
        MoneyUnit::Wan => (format!("{}万元", wan.normalize()), true),
        MoneyUnit::WanShort => (format!("{}万", wan.normalize()), true),
        MoneyUnit::Yuan => (format!("{yuan}元"), true),
        MoneyUnit::YuanGrouped => (format!("{}元", grouped(&yuan.to_string())), true),
        MoneyUnit::Yi => (format!("{yi}亿元"), true),
    }
}

/// A value as the text a person types: the TOML string's content or the CSV cell. `bare`:
/// whether it is a bare number (TOML writes it unquoted).
fn text_of(facts: &Facts, path: &str, fact: &Fact, style: &Style, sheet: bool) -> (String, bool) {
    match fact {
        Fact::Text(text) | Fact::Uscc(text) => (text.clone(), false),
        Fact::Kind(index) => (
            if style.bit(0) || sheet && style.bit(1) {
                KINDS[*index].1
            } else {
                KINDS[*index].0
            }
            .to_string(),
            false,
        ),
        Fact::Date(date) if sheet && style.bit(9) => (
            format!("{}年{}月{}日", date.year(), date.month(), date.day()),
            false,
        ),
        Fact::Date(date) => (date.to_string(), !sheet),
        Fact::Bool(flag) => match (style.bit(2), flag) {
            (true, true) => ("是".to_string(), false),
            (true, false) => ("否".to_string(), false),
            (false, flag) => (flag.to_string(), !sheet),
        },
        Fact::Count(count) => (count.to_string(), true),
        Fact::Money(wan) => {
            let unit = style.money[money_index(facts, path) % style.money.len()];
            let (text, has_unit) = money_text(*wan, unit);
            (text, !has_unit)
        }
        Fact::Area(area) => match (style.bit(3), style.bit(4)) {
            (false, _) => (area.to_string(), true),
            (true, false) => (format!("{area}m²"), false),
            (true, true) => (format!("{area}平方米"), false),
        },
        Fact::Percent(percent) => {
            if style.bit(5) {
                (
                    (percent / Decimal::ONE_HUNDRED).normalize().to_string(),
                    true,
                )
            } else {
                (format!("{percent}%"), false)
            }
        }
    }
}

/// The facts as a TOML profile.
pub fn to_toml(facts: &Facts, style: &Style) -> String {
    let mut out = sections_toml(facts, style);
    for (index, item) in facts.items.iter().enumerate() {
        out.push_str(&format!("[[{}]]\n", item.table));
        for (key, fact) in &item.fields {
            let (text, bare) = match fact {
                Fact::Money(wan) => {
                    let (text, has_unit) = money_text(*wan, style.money[index % style.money.len()]);
                    (text, !has_unit)
                }
                fact => text_of(facts, key, fact, style, false),
            };
            let value = if bare { text } else { format!("{text:?}") };
            out.push_str(&format!("{key} = {value}\n"));
        }
    }
    out
}

fn sections_toml(facts: &Facts, style: &Style) -> String {
    let mut sections: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (path, fact) in &facts.fields {
        let (section, key) = path.split_once('.').unwrap();
        let (text, bare) = text_of(facts, path, fact, style, false);
        let value = if bare { text } else { format!("{text:?}") };
        sections
            .entry(section)
            .or_default()
            .push(format!("{key} = {value}"));
    }
    let mut out = String::new();
    for (section, lines) in sections {
        out.push_str(&format!("[{section}]\n"));
        for line in lines {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// The sheet template's header of a path (`研发场地面积`, `2023年研发经费`): the columns of
/// `ticheck init --sheet` for the application year.
pub fn header(path: &str, year: i32) -> String {
    static FORMS: LazyLock<std::sync::Mutex<BTreeMap<i32, BTreeMap<String, String>>>> =
        LazyLock::new(Default::default);
    let mut forms = FORMS.lock().unwrap();
    let form = forms.entry(year).or_insert_with(|| {
        ticheck::report::template::applicant_form(&RULEBOOK, year, Lang::Zh)
            .into_iter()
            .map(|field| (field.path, field.label))
            .collect()
    });
    if let Some(label) = form.get(path) {
        return label.clone();
    }
    // A year outside the template's window is written as the template writes the others.
    match path.strip_prefix("rnd_spend.") {
        Some(year) => format!("{year}年研发经费"),
        None => panic!("the sheet template has no column for {path}"),
    }
}

/// The index of a money field among the facts' amounts, which picks its unit in a style.
fn money_index(facts: &Facts, path: &str) -> usize {
    facts
        .fields
        .iter()
        .filter(|(_, f)| matches!(f, Fact::Money(_)))
        .position(|(p, _)| p == path)
        .unwrap_or(0)
}

/// One column of a sheet: its header, its cell's text, and whether the text is a bare number.
/// With `style`'s bit 7 the headers of amounts, areas and ratios carry their unit, as bureau
/// sheets do (SPEC §7: `研发场地面积（m²）`, `资产负债率（%）`, `2023年研发经费（元）`), and the
/// cells are bare numbers in it.
fn sheet_cell(facts: &Facts, path: &str, fact: &Fact, style: &Style) -> (String, String, bool) {
    let header = header(path, facts.year());
    if style.bit(7) {
        match fact {
            Fact::Money(wan) => {
                let unit = style.money[money_index(facts, path) % style.money.len()];
                let (scale, word) = match unit {
                    MoneyUnit::Bare | MoneyUnit::Wan | MoneyUnit::WanShort => {
                        (Decimal::ONE, "万元")
                    }
                    MoneyUnit::Yuan | MoneyUnit::YuanGrouped => (Decimal::from(10_000), "元"),
                    MoneyUnit::Qian => (Decimal::TEN, "千元"),
                    MoneyUnit::Yi => (Decimal::ONE / Decimal::from(10_000), "亿元"),
                };
                let amount = (wan * scale).normalize().to_string();
                let text = if unit == MoneyUnit::YuanGrouped {
                    grouped(&amount)
                } else {
                    amount
                };
                return (
                    format!("{header}（{word}）"),
                    text,
                    unit != MoneyUnit::YuanGrouped,
                );
            }
            Fact::Area(area) => {
                let word = if style.bit(4) { "平方米" } else { "m²" };
                return (format!("{header}（{word}）"), area.to_string(), true);
            }
            // A bare number up to 1 under a header in % could be a fraction or a percentage:
            // the reader asks (an error naming the cell), so it is written with its `%`.
            Fact::Percent(percent) if *percent <= Decimal::ONE => {
                return (format!("{header}（%）"), format!("{percent}%"), false);
            }
            Fact::Percent(percent) => {
                return (format!("{header}（%）"), percent.to_string(), true);
            }
            _ => {}
        }
    }
    let (text, bare) = text_of(facts, path, fact, style, true);
    (header, text, bare)
}

/// The columns of a sheet: the stated facts, or with `style`'s bit 8 every column of the sheet
/// template (in its order) and then any other stated fact, `None` where unstated.
fn sheet_columns<'a>(facts: &'a Facts, style: &Style) -> Vec<(String, Option<&'a Fact>)> {
    if !style.bit(8) {
        return facts
            .fields
            .iter()
            .map(|(path, fact)| (path.clone(), Some(fact)))
            .collect();
    }
    let template: Vec<String> =
        ticheck::report::template::applicant_form(&RULEBOOK, facts.year(), Lang::Zh)
            .into_iter()
            .map(|field| field.path)
            .collect();
    let mut columns: Vec<(String, Option<&Fact>)> = template
        .iter()
        .map(|path| (path.clone(), facts.get(path)))
        .collect();
    for (path, fact) in &facts.fields {
        if !template.contains(path) {
            columns.push((path.clone(), Some(fact)));
        }
    }
    columns
}

/// The header and cell of each column of a sheet (an empty cell where a fact is unstated).
fn sheet_cells(facts: &Facts, style: &Style) -> Vec<(String, String, bool, Option<Fact>)> {
    assert!(facts.items.is_empty(), "a sheet lists no items");
    // A column that names no field (序号), which the reader ignores and says so (SPEC §7).
    let number = style.bit(12).then(|| {
        (
            "序号".to_string(),
            "1".to_string(),
            true,
            Some(Fact::Count(1)),
        )
    });
    number
        .into_iter()
        .chain(
            sheet_columns(facts, style)
                .into_iter()
                .map(|(path, fact)| match fact {
                    Some(fact) => {
                        let (header, text, bare) = sheet_cell(facts, &path, fact, style);
                        (header, text, bare, Some(fact.clone()))
                    }
                    None => (header(&path, facts.year()), String::new(), false, None),
                }),
        )
        .collect()
}

/// The facts as a one-row CSV sheet under the template's headers.
pub fn to_csv(facts: &Facts, style: &Style) -> Vec<u8> {
    let cells = sheet_cells(facts, style);
    let mut writer = csv::Writer::from_writer(Vec::new());
    if style.bit(12) {
        let mut title = vec![String::new(); cells.len()];
        title[0] = TITLE.to_string();
        writer.write_record(&title).unwrap();
    }
    writer
        .write_record(cells.iter().map(|(header, ..)| header))
        .unwrap();
    writer
        .write_record(cells.iter().map(|(_, text, ..)| text))
        .unwrap();
    let utf8 = writer.into_inner().unwrap();
    // As Excel and WPS save it on Chinese Windows (SPEC §7).
    if style.bit(10) {
        let text = String::from_utf8(utf8).unwrap();
        encoding_rs::GB18030.encode(&text).0.into_owned()
    } else if style.bit(11) {
        [b"\xEF\xBB\xBF".as_slice(), &utf8].concat()
    } else {
        utf8
    }
}

/// The title a bureau writes above its sheet's header (SPEC §7), with bit 12 of a style.
const TITLE: &str = "2024年度云南省技术创新中心申报汇总表";

/// The facts as a one-row workbook under the template's headers. With `style`'s bit 6 the cells
/// are typed as Excel types them (numbers, percentages, dates, booleans); else text as typed.
pub fn to_xlsx(facts: &Facts, style: &Style) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let percent = Format::new().set_num_format("0.0#%");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let typed = style.bit(6);
    let top = if style.bit(12) {
        sheet.write_string(0, 0, TITLE).unwrap();
        1
    } else {
        0
    };
    for (column, (header, text, bare, fact)) in sheet_cells(facts, style).into_iter().enumerate() {
        let column = column as u16;
        sheet.write_string(top, column, header).unwrap();
        let Some(fact) = fact else { continue };
        let fact = &fact;
        let number = |value: Decimal| value.to_string().parse::<f64>().unwrap();
        match fact {
            Fact::Count(_) | Fact::Money(_) | Fact::Area(_) | Fact::Percent(_) if typed && bare => {
                sheet.write_number(top + 1, column, text.parse::<f64>().unwrap())
            }
            Fact::Percent(value) if typed => sheet.write_number_with_format(
                top + 1,
                column,
                number(value / Decimal::ONE_HUNDRED),
                &percent,
            ),
            Fact::Date(day) if typed => {
                let day =
                    ExcelDateTime::from_ymd(day.year() as u16, day.month() as u8, day.day() as u8)
                        .unwrap();
                sheet.write_datetime_with_format(top + 1, column, &day, &date)
            }
            Fact::Bool(flag) if typed => sheet.write_boolean(top + 1, column, *flag),
            _ => sheet.write_string(top + 1, column, &text),
        }
        .unwrap();
    }
    workbook.save_to_buffer().unwrap()
}

// ---------------------------------------------------------------------------------------------
// Judging the facts
// ---------------------------------------------------------------------------------------------

/// What a check says of one clause: its verdict, the fields it lacks, its gap (numbers).
#[derive(Debug, Clone, PartialEq)]
pub struct ClauseOutcome {
    pub id: String,
    pub verdict: Verdict,
    pub missing: Vec<String>,
    pub gap: Option<Gap>,
}

/// What a check says of one applicant, warnings aside (a sheet row has its own).
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub overall: Overall,
    pub clauses: Vec<ClauseOutcome>,
}

impl Outcome {
    pub fn clause(&self, id: &str) -> &ClauseOutcome {
        self.clauses
            .iter()
            .find(|clause| clause.id == id)
            .unwrap_or_else(|| panic!("no clause {id}"))
    }
}

/// The outcome of an assessment; a valid profile that cannot be read is a test failure.
pub fn outcome(assessment: &Assessment<'_>) -> Outcome {
    if let Some(error) = &assessment.error {
        panic!("a valid profile must be read: {}", error.render(Lang::En));
    }
    Outcome {
        overall: assessment.verdict,
        clauses: assessment
            .findings
            .iter()
            .map(|finding| ClauseOutcome {
                id: finding.clause.id.clone(),
                verdict: finding.verdict,
                missing: finding.missing.clone(),
                gap: finding.gap.clone(),
            })
            .collect(),
    }
}

/// Judges a TOML profile as `ticheck check a.toml` does.
pub fn judge_toml_with(rulebook: &Rulebook, text: &str) -> Outcome {
    let assessment = check::assess_toml(rulebook, "p.toml", text, dates());
    if assessment.error.is_some() {
        eprintln!("the profile:\n{text}");
    }
    outcome(&assessment)
}

pub fn judge_toml(text: &str) -> Outcome {
    judge_toml_with(&RULEBOOK, text)
}

/// Collects the outcomes of a check's assessments.
struct Collect(Vec<Outcome>);

impl Emitter for Collect {
    fn emit(&mut self, _out: &mut dyn Write, assessment: &Assessment<'_>) -> io::Result<()> {
        self.0.push(outcome(assessment));
        Ok(())
    }

    fn finish(&mut self, _out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}

/// The request `ticheck check --format json NAME` makes.
pub fn request(format: InputFormat, name: &str) -> Request<'_> {
    Request {
        format,
        name,
        lang: Lang::En,
        dates: dates(),
        output: Output::Report(Format::Json),
        near_miss: 2,
        sheet: SheetOptions::default(),
    }
}

/// Judges a one-row sheet (CSV or XLSX) as `ticheck check a.csv` does: its one applicant.
pub fn judge_sheet(bytes: Vec<u8>, format: InputFormat) -> Outcome {
    let name = match format {
        InputFormat::Csv => "a.csv",
        _ => "a.xlsx",
    };
    let request = request(format, name);
    let mut collect = Collect(Vec::new());
    let bytes: Arc<[u8]> = bytes.into();
    check::check_into(
        &RULEBOOK,
        &request,
        &mut collect,
        None,
        false,
        &mut io::sink(),
        |run| run.bytes(bytes, format, name, &request.sheet),
    );
    assert_eq!(collect.0.len(), 1, "one applicant in the sheet");
    collect.0.pop().unwrap()
}

// ---------------------------------------------------------------------------------------------
// Built centers (SPEC §6)
// ---------------------------------------------------------------------------------------------

pub static RUBRIC: LazyLock<ticheck::rules::evaluation::Rubric> =
    LazyLock::new(ticheck::rules::evaluation::Rubric::builtin);

/// Whether an indicator is a count (raised in whole numbers) rather than an amount.
pub fn is_count(metric: &str) -> bool {
    ticheck::profile::evaluation::EVALUATION
        .field(metric)
        .and_then(|field| field.quantity())
        .is_some_and(|quantity| quantity == ticheck::profile::value::Quantity::Count)
}

/// A value of each indicator of the default rubric, stated or not: counts across their band
/// and beyond, amounts in 万元 with two decimals.
pub fn indicators() -> impl Strategy<Value = Vec<Option<Decimal>>> {
    let each: Vec<BoxedStrategy<Option<Decimal>>> = RUBRIC
        .indicators
        .iter()
        .map(|indicator| {
            let top = indicator.full_at + indicator.full_at / Decimal::TWO;
            let top = u64::try_from(top.ceil()).unwrap();
            let value = if is_count(&indicator.metric) {
                (0..=top).prop_map(Decimal::from).boxed()
            } else {
                (0..=top * 100)
                    .prop_map(|hundredths| Decimal::new(hundredths as i64, 2).normalize())
                    .boxed()
            };
            prop::option::weighted(0.9, value).boxed()
        })
        .collect();
    each
}

/// A built center's evaluation profile: its indicators as given (in the rubric's order), no
/// veto stated true, every governance check met.
pub fn center_toml(values: &[Option<Decimal>]) -> String {
    let mut text = String::from(
        "[center]\nname = \"示例中心\"\nlead_kind = \"enterprise\"\ncycle_from = 2022\ncycle_to = 2024\n[indicators]\n",
    );
    for (indicator, value) in RUBRIC.indicators.iter().zip(values) {
        if let Some(value) = value {
            let key = indicator.metric.strip_prefix("indicators.").unwrap();
            text.push_str(&format!("{key} = {value}\n"));
        }
    }
    text.push_str(
        "[conduct]\nresearch_misconduct = false\nmajor_safety_incident = false\nskipped_evaluation = false\n\
         [governance]\nannual_reports = 3\nfull_time_director = true\nboard = true\nexpert_committee = true\n\
         provincial_funds = 500\nmatching_funds = 1500\n",
    );
    text
}

/// Checks that two outcomes agree, naming the clauses that differ (not the whole outcomes).
pub fn same_outcome(got: &Outcome, want: &Outcome, what: &str) -> Result<(), TestCaseError> {
    let differ: Vec<String> = got
        .clauses
        .iter()
        .zip(&want.clauses)
        .filter(|(a, b)| a != b)
        .map(|(a, b)| format!("  {a:?}\n  instead of {b:?}"))
        .collect();
    prop_assert!(
        differ.is_empty() && got.clauses.len() == want.clauses.len(),
        "{}: clauses differ:\n{}",
        what,
        differ.join("\n")
    );
    prop_assert_eq!(got.overall, want.overall, "{}: overall verdict", what);
    Ok(())
}

/// A CSV sheet's bytes as text, for a failure's message: UTF-8, or GB18030.
pub fn csv_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}
