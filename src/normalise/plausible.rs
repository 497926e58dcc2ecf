//! SPEC §2 "Plausibility": a value far beyond any real applicant is judged as written, with a
//! warning that names the field, the value as read and the likely intended reading. The ranges
//! are data beside the field definitions ([`crate::profile::fields::PLAUSIBLE`]).

use rust_decimal::Decimal;

use crate::i18n::Text;
use crate::profile::fields::{Plausible, PLAUSIBLE};
use crate::profile::value::Quantity;
use crate::profile::Profile;

pub(super) fn check(profile: &Profile, warnings: &mut Vec<Text>) {
    let schema = profile.schema();
    for range in PLAUSIBLE {
        if let Some(field) = schema.field(range.path) {
            if let (Some(quantity), Some(stated)) = (field.quantity(), profile.get(range.path)) {
                if let Some(value) = stated.value.as_number() {
                    warn(range, range.path, quantity, value, warnings);
                }
            }
        } else if let Some(series) = schema.series(range.path) {
            for (year, stated) in profile.series.get(series.table).into_iter().flatten() {
                let path = format!("{}.{year}", series.table);
                warn(range, &path, series.quantity, stated.value, warnings);
            }
        } else if let Some((table, key)) = range.path.split_once('.') {
            let Some(quantity) = schema
                .item(table)
                .and_then(|item| item.field(key))
                .and_then(|field| field.quantity())
            else {
                continue;
            };
            for item in profile.items(table) {
                if let Some(value) = item.get(key).and_then(|v| v.value.as_number()) {
                    let path = format!("{table}[{}].{key}", item.number);
                    warn(range, &path, quantity, value, warnings);
                }
            }
        }
    }
}

fn warn(range: &Plausible, path: &str, quantity: Quantity, value: Decimal, out: &mut Vec<Text>) {
    let max = Decimal::from(range.max);
    if value <= max {
        return;
    }
    let shown = quantity.display_with_unit(value);
    let limit = quantity.display_with_unit(max);
    let text = match quantity {
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
