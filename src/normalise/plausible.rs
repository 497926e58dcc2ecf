//! SPEC §2 "Plausibility": a value far beyond any real applicant is judged as written, with a
//! warning that names the field, the value as read and the likely intended reading. The ranges
//! are data beside the field definitions ([`crate::profile::fields::PLAUSIBLE`]).

use rust_decimal::Decimal;

use crate::i18n::Text;
use std::sync::OnceLock;

use crate::profile::fields::{Plausible, Schema, APPLICATION, PLAUSIBLE};
use crate::profile::value::Quantity;
use crate::profile::Profile;
use crate::rules::Op;

/// Where a range's values are found in a profile of a schema, resolved once.
enum Target {
    Field(usize, Quantity, Decimal),
    Series(&'static str, Quantity),
    Item(&'static str, &'static str, Quantity),
}

fn targets(schema: &'static Schema) -> Vec<(&'static Plausible, Target)> {
    PLAUSIBLE
        .iter()
        .filter_map(|range| {
            let target = if let Some(index) = schema.index_of(range.path) {
                let quantity = schema.fields[index].quantity()?;
                Target::Field(index, quantity, Decimal::from(range.max))
            } else if let Some(series) = schema.series(range.path) {
                Target::Series(series.table, series.quantity)
            } else {
                let (table, key) = range.path.split_once('.')?;
                let item = schema.item(table)?;
                let field = item.field(key)?;
                Target::Item(item.table, field.path, field.quantity()?)
            };
            Some((range, target))
        })
        .collect()
}

pub(super) fn check(profile: &Profile, warnings: &mut Vec<Text>) {
    // A sheet checks every row: the applicant schema's ranges are resolved once.
    static APPLICATION_TARGETS: OnceLock<Vec<(&'static Plausible, Target)>> = OnceLock::new();
    let schema = profile.schema();
    let owned;
    let targets = if std::ptr::eq(schema, &APPLICATION) {
        APPLICATION_TARGETS.get_or_init(|| targets(&APPLICATION))
    } else {
        owned = targets(schema);
        &owned
    };
    for (range, target) in targets {
        match *target {
            Target::Field(index, quantity, max) => {
                let value = profile.fields.at(index).and_then(|v| v.value.as_number());
                // Most values are whole numbers of the bound's scale: compared by mantissa.
                if let Some(value) = value.filter(|value| !Op::AtMost.holds_decimal(value, &max)) {
                    warn(profile, range, range.path, quantity, value, warnings);
                }
            }
            Target::Series(table, quantity) => {
                for (year, stated) in profile.series.get(table).into_iter().flatten() {
                    if beyond(range, stated.value) {
                        warn(
                            profile,
                            range,
                            &format!("{table}.{year}"),
                            quantity,
                            stated.value,
                            warnings,
                        );
                    }
                }
            }
            Target::Item(table, key, quantity) => {
                for item in profile.items(table) {
                    match item.get(key).and_then(|v| v.value.as_number()) {
                        Some(value) if beyond(range, value) => {
                            let path = format!("{table}[{}].{key}", item.number);
                            warn(profile, range, &path, quantity, value, warnings);
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}

fn beyond(range: &Plausible, value: Decimal) -> bool {
    value > Decimal::from(range.max)
}

/// The warning names the value as the user wrote it: a sheet's own column header (SPEC §5),
/// the field path of a TOML profile. A sheet column whose header names its unit was converted
/// from that unit, so the advice is about the header's unit, not about bare numbers.
fn warn(
    profile: &Profile,
    range: &Plausible,
    path: &str,
    quantity: Quantity,
    value: Decimal,
    out: &mut Vec<Text>,
) {
    if !beyond(range, value) {
        return;
    }
    let header = profile
        .headers
        .as_deref()
        .and_then(|headers| headers.get(path));
    let unit_in_header = header.is_some_and(|header| header.contains(['（', '(', '【']));
    let name = profile.user_name(path);
    let path = name.as_deref().unwrap_or(path);
    let max = Decimal::from(range.max);
    let shown = quantity.display_with_unit(value);
    let limit = quantity.display_with_unit(max);
    let text = match quantity {
        Quantity::Money if unit_in_header => {
            let yi = Quantity::Money.display(value / Decimal::from(10_000));
            Text::new(
                format!(
                    "{path} = {shown}，即 {yi} 亿元，超出合理范围（{limit} 以内）；请核对数值，以及表头所标的单位是否正确"
                ),
                format!(
                    "{path} = {shown}, that is {yi} 亿元 (hundred million yuan), beyond the plausible range (up to {limit}); check the number and the unit its column header names"
                ),
            )
        }
        // A bare number is 万元: the usual slip is an amount in 元.
        Quantity::Money => {
            // In 亿元 if it is 万元, in 万元 if it was meant as 元: the same digits.
            let yi = Quantity::Money.display(value / Decimal::from(10_000));
            let meant = &yi;
            let as_yuan = Quantity::Money.display(value);
            Text::new(
                format!(
                    "{path} = {shown}，即 {yi} 亿元，超出合理范围（{limit} 以内）；是否应为 {meant} 万元（即 {as_yuan} 元）？不带单位的数字按万元计，元请写作 \"{as_yuan}元\""
                ),
                format!(
                    "{path} = {shown}, that is {yi} 亿元 (hundred million yuan), beyond the plausible range (up to {limit}); did you mean {meant} 万元, written {as_yuan} 元? A bare number is 万元; write yuan as \"{as_yuan}元\""
                ),
            )
        }
        _ => Text::new(
            format!("{path} = {shown}，超出合理范围（{limit} 以内）；请核对数值与单位"),
            format!(
                "{path} = {shown}, beyond the plausible range (up to {limit}); check the number and its unit"
            ),
        ),
    };
    out.push(text);
}
