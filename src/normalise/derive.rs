//! Derived metrics of the rulebook's `[metric.*]` entries: ratios, counts and sums of items
//! inside a year window, and year series.

use rust_decimal::Decimal;

use super::{Fact, FactValue, ItemTally, LeftOut, LeftOutReason};
use crate::i18n::Text;
use crate::profile::fields;
use crate::profile::value::Quantity;
use crate::profile::{Item, Profile};
use crate::rules::{
    ItemSelection, MetricDef, MetricRef, MetricSlot, RatioDef, Rulebook, SeriesSelection,
};

/// A ratio of two stated amounts. Past the largest decimal it is held at that largest value,
/// with a warning: a comparison with any bound still comes out as the true ratio's would.
fn quotient(top: Decimal, bottom: Decimal, label: &Text, warnings: &mut Vec<Text>) -> Decimal {
    match top.checked_div(bottom) {
        Some(ratio) => ratio.normalize(),
        None => {
            warnings.push(too_large(&label.zh, &label.en));
            Decimal::MAX
        }
    }
}

/// `total + value`, held at the largest decimal (with a warning) rather than overflowing: the
/// values are never negative, so the true sum is at least that.
fn saturating_sum(
    total: Decimal,
    value: Decimal,
    table: &str,
    warnings: &mut Vec<Text>,
) -> Decimal {
    total.checked_add(value).unwrap_or_else(|| {
        let items = format!("[[{table}]]");
        let warning = too_large(&items, &items);
        if !warnings.contains(&warning) {
            warnings.push(warning);
        }
        Decimal::MAX
    })
}

fn too_large(zh: &str, en: &str) -> Text {
    Text::new(
        format!("{zh}的计算结果超出可表示的范围，按最大值计；请核对填写的金额"),
        format!("the {en} comes out larger than can be held and is taken as the largest value; check the amounts"),
    )
}

/// A declared ratio further than this from the one computed from the amounts is a warning:
/// rounding to 0.1% moves a ratio by at most 0.05 percentage points.
const RATIO_TOLERANCE: Decimal = Decimal::from_parts(5, 0, 0, false, 4);

pub(super) struct Context<'a> {
    pub profile: &'a Profile,
    pub rulebook: &'a Rulebook,
    pub year: i32,
    /// Y is today's year: no application date was given (nor `--as-of`).
    pub from_today: bool,
}

/// Items of a selection, split into those that count, those that do not (with why), and
/// those that cannot be placed because a field the selection needs is absent.
struct Selected<'a> {
    counted: Vec<&'a Item>,
    left_out: Vec<LeftOut>,
    /// Item field paths (`project[2].year`) whose absence leaves an item undetermined.
    undetermined: Vec<String>,
}

/// A filter's value in words: `角色为“参与”，只计主持、承担` / `role is participate; only host, undertake count`.
pub(super) fn filter_reason(table: &str, key: &str, word: &str, accepted: &[String]) -> Text {
    let field = fields::item(table).and_then(|item| item.field(key));
    let (label_zh, label_en) = field.map_or((key, key), |f| (f.label_zh, f.label_en));
    let zh_word = |word: &str| -> String {
        match field.map(|f| f.ty) {
            Some(fields::FieldType::Choice(choices)) => choices
                .iter()
                .find(|choice| choice.id == word)
                .and_then(|choice| choice.aliases.first())
                .map_or(word.to_string(), |alias| alias.to_string()),
            Some(fields::FieldType::Bool) => match word {
                "true" => "是".to_string(),
                "false" => "否".to_string(),
                _ => word.to_string(),
            },
            _ => word.to_string(),
        }
    };
    let accepted_zh: Vec<String> = accepted.iter().map(|w| zh_word(w)).collect();
    if matches!(field.map(|f| f.ty), Some(fields::FieldType::Bool)) {
        let yes_no = |word: &str| if word == "true" { "yes" } else { "no" };
        return Text::new(
            format!(
                "“{label_zh}”为{}，只计为{}的",
                zh_word(word),
                accepted_zh.join("、")
            ),
            format!(
                "{label_en}: {} (only {} counts)",
                yes_no(word),
                accepted
                    .iter()
                    .map(|w| yes_no(w))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    Text::new(
        format!(
            "{label_zh}为“{}”，只计{}",
            zh_word(word),
            accepted_zh.join("、")
        ),
        format!(
            "{label_en} is {word}; only {} count{}",
            accepted.join(", "),
            if accepted.len() == 1 { "s" } else { "" }
        ),
    )
}

impl Context<'_> {
    pub fn derive(&self, metric: &MetricDef, warnings: &mut Vec<Text>) -> Fact {
        if let Some(ratio) = &metric.ratio {
            self.ratio(metric, ratio, warnings)
        } else if let Some(selection) = &metric.count {
            self.count(metric, selection, warnings)
        } else if let Some(sum) = &metric.sum {
            self.sum(metric, &sum.selection, &sum.field, warnings)
        } else if let Some(series) = &metric.series {
            self.series(series, warnings)
        } else {
            Fact::missing(Vec::new())
        }
    }

    /// A field's name as the user knows it (a sheet's header, a form's label, else the key),
    /// for warnings that name it.
    fn user_name(&self, path: &str) -> String {
        self.profile
            .user_name(path)
            .unwrap_or_else(|| path.to_string())
    }

    fn number(&self, path: &MetricRef) -> Option<(Decimal, Option<crate::profile::Location>)> {
        let field = match path.slot() {
            MetricSlot::Field(index) => self.profile.fields.at(index)?,
            _ => self.profile.get(path)?,
        };
        Some((field.value.as_number()?, field.at.clone()))
    }

    fn ratio(&self, metric: &MetricDef, ratio: &RatioDef, warnings: &mut Vec<Text>) -> Fact {
        let numerator = self.number(&ratio.numerator);
        let denominator = self.number(&ratio.denominator);
        let declared = metric.declared.as_ref().and_then(|path| self.number(path));
        let label = &metric.label;
        self.check_year(metric, warnings);
        let computed = match (&numerator, &denominator) {
            (Some((top, at)), Some((bottom, _))) => Some(if bottom.is_zero() {
                // Named as the user wrote it (a form's label, a sheet's header), as the
                // warnings below are.
                let denominator = self.user_name(&ratio.denominator);
                Fact::known(
                    FactValue::Undefined(Text::new(
                        format!("{denominator} 为 0，无法计算{}", label.zh),
                        format!("{denominator} is 0, so the {} cannot be computed", label.en),
                    )),
                    at.clone(),
                )
            } else {
                Fact::known(
                    FactValue::Number(quotient(*top, *bottom, label, warnings)),
                    at.clone(),
                )
            }),
            _ => None,
        };
        match (computed, declared) {
            (Some(fact), Some((stated, _))) => {
                if let FactValue::Number(value) = fact.value {
                    if (value - stated).abs() > RATIO_TOLERANCE {
                        let (shown, stated_shown) = (
                            Quantity::Ratio.display(value.round_dp(4)),
                            Quantity::Ratio.display(stated),
                        );
                        let path = self.user_name(metric.declared.as_deref().unwrap_or_default());
                        warnings.push(Text::new(
                            format!("{path} 填写为 {stated_shown}，但由金额计算为 {shown}；以金额计算值为准"),
                            format!("{path} says {stated_shown} but the amounts give {shown}; the amounts are used"),
                        ));
                    }
                }
                fact
            }
            (Some(fact), None) => fact,
            (None, Some((stated, at))) => Fact::known(FactValue::Number(stated), at),
            (None, None) => {
                let mut fields: Vec<String> =
                    metric.declared.iter().map(|d| d.to_string()).collect();
                for (part, path) in [
                    (&numerator, &ratio.numerator),
                    (&denominator, &ratio.denominator),
                ] {
                    if part.is_none() {
                        fields.push(path.to_string());
                    }
                }
                let mut fact = Fact::missing(fields);
                if let Some(declared) = &metric.declared {
                    fact.notes.push(Text::new(
                        format!(
                            "请填写 {declared}，或同时填写 {} 与 {}",
                            ratio.numerator, ratio.denominator
                        ),
                        format!(
                            "give {declared}, or both {} and {}",
                            ratio.numerator, ratio.denominator
                        ),
                    ));
                }
                fact
            }
        }
    }

    /// 第十条第（二）项 "申报前 1 年度": amounts stated for another year are a warning.
    fn check_year(&self, metric: &MetricDef, warnings: &mut Vec<Text>) {
        let Some(check) = &metric.year else { return };
        let (Some((stated, _)), Some(window)) = (
            self.number(&check.field),
            self.rulebook.windows.get(&check.window),
        ) else {
            return;
        };
        let years = window.years(self.year);
        let year = i32::try_from(stated.trunc().mantissa()).unwrap_or(i32::MIN);
        if years.contains(&year) {
            return;
        }
        let expected = if years.start() == years.end() {
            years.start().to_string()
        } else {
            format!("{}–{}", years.start(), years.end())
        };
        warnings.push(Text::new(
            format!(
                "{} = {year}，但{}应取{}（{expected} 年）的数据",
                check.field, metric.label.zh, window.text.zh
            ),
            format!(
                "{} = {year}, but the {} is for {} ({expected})",
                check.field, metric.label.en, window.text.en
            ),
        ));
    }

    fn select<'p>(
        &self,
        items: &'p [Item],
        table: &str,
        selection: &ItemSelection,
    ) -> Selected<'p> {
        let window_def = selection
            .window
            .as_ref()
            .and_then(|name| self.rulebook.windows.get(name));
        let window = window_def.map(|window| window.years(self.year));
        let mut selected = Selected {
            counted: Vec::new(),
            left_out: Vec::new(),
            undetermined: Vec::new(),
        };
        for item in items {
            let mut unknown = Vec::new();
            let mut reasons: Vec<LeftOutReason> = Vec::new();
            if let (Some(years), Some(window)) = (&window, &window_def) {
                match item.get("year").and_then(|year| year.value.as_number()) {
                    Some(year) => {
                        let year = i32::try_from(year.trunc().mantissa()).unwrap_or(i32::MIN);
                        if !years.contains(&year) {
                            reasons.push(LeftOutReason::Window {
                                year,
                                from: *years.start(),
                                to: *years.end(),
                                window: window.text.clone(),
                            });
                        }
                    }
                    None => unknown.push(format!("{table}[{}].year", item.number)),
                }
            }
            for (key, accepted) in &selection.filter {
                match item.get(key) {
                    Some(value) => {
                        let word = value.value.word();
                        if !accepted.contains(&word) {
                            reasons.push(LeftOutReason::Filter {
                                table: table.to_string(),
                                key: key.clone(),
                                word,
                                accepted: accepted.clone(),
                            });
                        }
                    }
                    None => unknown.push(format!("{table}[{}].{key}", item.number)),
                }
            }
            if !reasons.is_empty() {
                selected.left_out.push(LeftOut {
                    item: format!("{table}[{}]", item.number),
                    name: item.name().map(str::to_string),
                    reasons,
                });
            } else if unknown.is_empty() {
                selected.counted.push(item);
            } else {
                selected.undetermined.extend(unknown);
            }
        }
        selected
    }

    fn window_text(&self, selection: &ItemSelection) -> Text {
        match selection
            .window
            .as_ref()
            .and_then(|name| self.rulebook.windows.get(name))
        {
            Some(window) => {
                let years = window.years(self.year);
                Text::new(
                    format!("{}–{} 年内", years.start(), years.end()),
                    format!(" in {}–{}", years.start(), years.end()),
                )
            }
            None => Text::default(),
        }
    }

    /// Counts or sums items; falls back to the summary field when no items are listed, and
    /// warns when both are given and disagree.
    fn aggregate(
        &self,
        metric: &MetricDef,
        selection: &ItemSelection,
        value_of: impl Fn(&Item) -> Option<Decimal>,
        value_field: Option<&str>,
        warnings: &mut Vec<Text>,
    ) -> Fact {
        let table = selection.items.as_str();
        let items = self.profile.items(table);
        let summary = metric.summary.as_ref().and_then(|path| self.number(path));
        let quantity: Quantity = metric.quantity.into();
        if items.is_empty() {
            return match summary {
                Some((value, at)) => Fact::known(FactValue::Number(value), at),
                None => Fact::missing(
                    metric
                        .summary
                        .iter()
                        .map(|summary| summary.to_string())
                        .chain(std::iter::once(format!("[[{table}]]")))
                        .collect(),
                ),
            };
        }
        let mut selected = self.select(items, table, selection);
        let mut total = Decimal::ZERO;
        let mut doubtful = Decimal::ZERO;
        let mut counted = 0usize;
        for item in &selected.counted {
            match value_of(item) {
                Some(value) => {
                    total = saturating_sum(total, value, table, warnings);
                    counted += 1;
                    let in_doubt = metric.review_unless.as_ref().is_some_and(|review| {
                        review.filter.iter().any(|(key, accepted)| {
                            item.get(key)
                                .is_none_or(|value| !accepted.contains(&value.value.word()))
                        })
                    });
                    if in_doubt {
                        doubtful = doubtful.saturating_add(value);
                    }
                }
                None => selected.undetermined.push(format!(
                    "{table}[{}].{}",
                    item.number,
                    value_field.unwrap_or("?")
                )),
            }
        }
        let window = self.window_text(selection);
        let note = Text::new(
            format!(
                "{}：由 [[{table}]] 列出的 {} 项得出：{}符合条件 {counted} 项，不计 {} 项，待定 {} 项",
                metric.label.zh,
                items.len(),
                window.zh,
                selected.left_out.len(),
                selected.undetermined.len()
            ),
            format!(
                "{}: from the {} [[{table}]] items listed: {counted} count{}, {} do not, {} undetermined",
                metric.label.en,
                items.len(),
                window.en,
                selected.left_out.len(),
                selected.undetermined.len()
            ),
        );
        let at = selected
            .counted
            .first()
            .and_then(|item| item.at.clone())
            .or_else(|| items[0].at.clone());
        if let Some((stated, _)) = summary {
            let path = self.user_name(metric.summary.as_deref().unwrap_or_default());
            // `[[transfer]]` set apart by spaces, a label (成果转化) as a word of the sentence.
            let items_name = self.user_name(&format!("[[{table}]]"));
            let gap = if items_name.starts_with('[') { " " } else { "" };
            let (stated_shown, total_shown) = (quantity.display(stated), quantity.display(total));
            if selected.undetermined.is_empty() && stated != total {
                warnings.push(Text::new(
                    format!("{path} 填写为 {stated_shown}，但按列出的{gap}{items_name}{gap}计为 {total_shown}；以逐项计数为准"),
                    format!("{path} says {stated_shown} but the {items_name} items listed give {total_shown}; the items are used"),
                ));
            } else if !selected.undetermined.is_empty() {
                // The summary is set aside for the items even while some items cannot be
                // placed: say so, or the declared figure would vanish without a word.
                let open: Vec<String> = selected
                    .undetermined
                    .iter()
                    .map(|path| self.user_name(path))
                    .collect();
                let open = open.join(", ");
                warnings.push(Text::new(
                    format!("{path} 填写为 {stated_shown}，但已逐项列出{gap}{items_name}，以条目为准：已确定 {total_shown}，待补充 {open}"),
                    format!("{path} says {stated_shown}, but {items_name} items are listed and decide: they give at least {total_shown}, pending {open}"),
                ));
            }
        }
        let value = if selected.undetermined.is_empty() {
            FactValue::Number(total)
        } else {
            FactValue::AtLeast(total)
        };
        let mut fact = Fact::known(value, at).with_note(note);
        fact.missing = selected.undetermined;
        fact.items = Some(Box::new(ItemTally {
            counted: selected
                .counted
                .iter()
                .map(|item| format!("{table}[{}]", item.number))
                .collect(),
            left_out: selected.left_out,
            doubtful: metric
                .review_unless
                .as_ref()
                .filter(|_| !doubtful.is_zero())
                .map(|review| (doubtful, review.text.clone())),
        }));
        fact
    }

    fn count(
        &self,
        metric: &MetricDef,
        selection: &ItemSelection,
        warnings: &mut Vec<Text>,
    ) -> Fact {
        self.aggregate(metric, selection, |_| Some(Decimal::ONE), None, warnings)
    }

    fn sum(
        &self,
        metric: &MetricDef,
        selection: &ItemSelection,
        field: &str,
        warnings: &mut Vec<Text>,
    ) -> Fact {
        let value_of = |item: &Item| item.get(field).and_then(|value| value.value.as_number());
        self.aggregate(metric, selection, value_of, Some(field), warnings)
    }

    fn series(&self, selection: &SeriesSelection, warnings: &mut Vec<Text>) -> Fact {
        let Some(window) = self.rulebook.windows.get(&selection.window) else {
            return Fact::missing(Vec::new());
        };
        let stated = self.profile.series.get(selection.table.as_str());
        let mut values = Vec::new();
        let mut missing = Vec::new();
        let mut at = None;
        for year in window.years(self.year) {
            let entry = stated.and_then(|years| years.get(&year));
            if entry.is_none() {
                missing.push(format!("{}.{year}", selection.table));
            }
            if at.is_none() {
                at = entry.and_then(|entry| entry.at.clone());
            }
            values.push((year, entry.map(|entry| entry.value)));
        }
        let mut fact = Fact::known(FactValue::Series(values), at);
        fact.missing = missing;
        if let Some(years) = stated {
            let outside: Vec<i32> = years
                .keys()
                .copied()
                .filter(|year| !window.years(self.year).contains(year))
                .collect();
            if !outside.is_empty() {
                let listed: Vec<String> = outside.iter().map(i32::to_string).collect();
                fact.notes.push(Text::new(
                    format!(
                        "{} 年的数据不在{}内，不计",
                        listed.join("、"),
                        window.text.zh
                    ),
                    format!(
                        "{} lie outside {} and are not used",
                        listed.join(", "),
                        window.text.en
                    ),
                ));
                // A figure given and then not used is said where the user looks, not only
                // beside the clause: a year outside the window (`2024年研发经费` applied for in
                // 2024) is a warning naming the column or key as written, and the window.
                let range = window.years(self.year);
                let (from, to) = (range.start(), range.end());
                let written: Vec<String> = outside
                    .iter()
                    .map(|year| {
                        let key = format!("{}.{year}", selection.table);
                        self.profile
                            .headers
                            .as_ref()
                            .and_then(|headers| headers.get(&key).cloned())
                            .unwrap_or(key)
                    })
                    .collect();
                let (today_zh, today_en) = if self.from_today {
                    (
                        "（申报日期未填写，按今天所在年度计算）",
                        " (no application date: Y is this year)",
                    )
                } else {
                    ("", "")
                };
                let warning = Text::new(
                    format!(
                        "“{}”的年份不在{}之内：申报年度为 {}{today_zh}，只计 {from}–{to} 年，此数据未被使用；若年份或申报日期写错，请改正",
                        written.join("”“"),
                        window.text.zh,
                        self.year
                    ),
                    format!(
                        "'{}': the year lies outside {}: the application year is {}{today_en}, so only {from}–{to} count and the figure is not used; if the year or the application date is wrong, correct it",
                        written.join("', '"),
                        window.text.en,
                        self.year
                    ),
                );
                if !warnings.contains(&warning) {
                    warnings.push(warning);
                }
            }
        }
        fact
    }
}
