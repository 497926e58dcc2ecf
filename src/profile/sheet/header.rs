//! Headers as bureaus write them (SPEC §7): a field's Chinese label or dotted path, perhaps with
//! its unit in brackets (`研发场地面积（m²）`, `2023年度研发经费【万元】`), a synonym
//! (`2023年研发投入`), or a column that names no field but is common in such sheets (序号,
//! 备注…), which is ignored. Every word list is a table below, not a branch in the code.

use super::Column;
use crate::i18n::Text;
use crate::profile::fields::{self, FieldDef, FieldType, SeriesDef};
use crate::profile::suggest::closest;
use crate::profile::value::{excerpt, fold_width, parse_year, trim, Quantity};

/// Columns that name no field but are common in bureau sheets: read past, and listed once as
/// ignored. Matched on the header without spaces, and without a bracketed note
/// (`联系电话（手机）`).
pub const IGNORED_HEADERS: &[&str] = &[
    "序号",
    "编号",
    "排序",
    "排名",
    "no.",
    "no",
    "备注",
    "说明",
    "附注",
    "联系人",
    "联系电话",
    "联系方式",
    "手机",
    "手机号码",
    "电话",
    "办公电话",
    "电子邮箱",
    "邮箱",
    "通讯地址",
    "单位地址",
    "地址",
    "法定代表人",
    "负责人",
    "中心负责人",
    "中心主任",
    "中心名称",
    "拟建中心名称",
    "创新中心名称",
    "填报人",
    "填表人",
    "填报日期",
    "填表日期",
    "经办人",
    "审核人",
    "审核意见",
    "初审意见",
    "推荐意见",
    "推荐单位",
    "推荐单位意见",
    "推荐排序",
    "主管部门",
    "主管部门意见",
    "州市科技局意见",
    "评审意见",
    "是否推荐",
];

/// Other names bureaus give a field's column, by the field's path. Matched on the whole header
/// without spaces first (`所在州(市)`), then without its bracketed unit or note.
pub const HEADER_SYNONYMS: &[(&str, &str)] = &[
    ("申报单位", "applicant.name"),
    ("申报单位名称", "applicant.name"),
    ("申请单位", "applicant.name"),
    ("申请单位名称", "applicant.name"),
    ("依托单位", "applicant.name"),
    ("依托单位名称", "applicant.name"),
    ("单位全称", "applicant.name"),
    ("企业名称", "applicant.name"),
    ("机构名称", "applicant.name"),
    ("社会信用代码", "applicant.uscc"),
    ("统一信用代码", "applicant.uscc"),
    ("信用代码", "applicant.uscc"),
    ("uscc", "applicant.uscc"),
    ("单位性质", "applicant.kind"),
    ("申报单位类型", "applicant.kind"),
    ("依托单位类型", "applicant.kind"),
    ("依托单位性质", "applicant.kind"),
    ("机构类型", "applicant.kind"),
    ("所在州(市)", "applicant.prefecture"),
    ("所在州", "applicant.prefecture"),
    ("所属州市", "applicant.prefecture"),
    ("所属州(市)", "applicant.prefecture"),
    ("州市", "applicant.prefecture"),
    ("州(市)", "applicant.prefecture"),
    ("中心类型", "applicant.center_type"),
    ("所属领域", "applicant.field"),
    ("技术方向", "applicant.field"),
    ("领域", "applicant.field"),
    ("申请日期", "applicant.application_date"),
    ("固定研发人员", "team.fixed_staff"),
    ("中高级职称或硕士及以上人员", "team.qualified_staff"),
    ("中级以上职称或硕士以上人员", "team.qualified_staff"),
    ("中级及以上职称或硕士及以上人员", "team.qualified_staff"),
    ("研发仪器设备原值", "facilities.equipment_value"),
    ("科研仪器设备原值", "facilities.equipment_value"),
    ("资产总计", "finance.total_assets"),
    ("负债合计", "finance.total_liabilities"),
    ("前期投入资金", "support.pre_investment"),
    ("配套资金承诺", "support.matching_funds"),
];

/// What a year table's column may be called after its year (`2023年研发投入`): the label of
/// [`SeriesDef`] and these, by table.
pub const SERIES_SYNONYMS: &[(&str, &str)] = &[
    ("rnd_spend", "研发投入"),
    ("rnd_spend", "研发经费投入"),
    ("rnd_spend", "研发经费支出"),
];

/// A unit a header may carry, the quantity it measures, and what a bare number in its column
/// means: the text appended to it before it is read (`元`: 23500000 is 23500000元 = 2350 万元),
/// or nothing when the unit is the field's own.
#[derive(Debug)]
pub struct HeaderUnit {
    pub unit: &'static str,
    pub quantity: Quantity,
    pub bare: Option<&'static str>,
}

const fn unit(unit: &'static str, quantity: Quantity, bare: Option<&'static str>) -> HeaderUnit {
    HeaderUnit {
        unit,
        quantity,
        bare,
    }
}

/// Units as headers write them, after full-width folding and lower-casing (`（％）` is `%`).
pub const HEADER_UNITS: &[HeaderUnit] = &[
    unit("万元", Quantity::Money, None),
    unit("万", Quantity::Money, None),
    unit("万元人民币", Quantity::Money, None),
    unit("人民币万元", Quantity::Money, None),
    unit("元", Quantity::Money, Some("元")),
    unit("人民币元", Quantity::Money, Some("元")),
    unit("千元", Quantity::Money, Some("千元")),
    unit("亿元", Quantity::Money, Some("亿元")),
    unit("亿", Quantity::Money, Some("亿元")),
    unit("m²", Quantity::Area, None),
    unit("m2", Quantity::Area, None),
    unit("㎡", Quantity::Area, None),
    unit("平方米", Quantity::Area, None),
    unit("平米", Quantity::Area, None),
    unit("%", Quantity::Ratio, Some("%")),
    unit("百分比", Quantity::Ratio, Some("%")),
    unit("人", Quantity::Count, None),
    unit("名", Quantity::Count, None),
    unit("项", Quantity::Count, None),
    unit("个", Quantity::Count, None),
    unit("家", Quantity::Count, None),
    unit("件", Quantity::Count, None),
];

/// The units a quantity's column may carry, for messages.
fn units_of(quantity: Quantity) -> String {
    let units: Vec<&str> = HEADER_UNITS
        .iter()
        .filter(|unit| unit.quantity == quantity)
        .map(|unit| unit.unit)
        .filter(|unit| !matches!(*unit, "万" | "亿" | "m2" | "㎡" | "平米" | "百分比"))
        .collect();
    units.join("、")
}

/// Cells that stand for "nothing to report" (SPEC §7): missing data, not an error. Compared
/// after full-width folding and lower-casing.
pub const PLACEHOLDERS: &[&str] = &[
    "/", "\\", "-", "--", "—", "——", "–", "－", "无", "暂无", "未填", "n/a", "na", "空",
];

/// The longest placeholder as a cell may write it, in bytes (full-width forms take three bytes
/// a character): most cells are ruled out by their length.
pub const PLACEHOLDER_MAX_BYTES: usize = 18;

/// Whether a cell's text is a placeholder. Cheap for the cells that are none: every text cell of
/// a sheet is asked.
pub fn is_placeholder(text: &str) -> bool {
    // Digits, and Chinese characters from U+4000 to U+5FFF and U+8000 to U+9FFF (lead bytes
    // E4, E5, E8, E9), begin no placeholder: most cells end here.
    if matches!(
        text.as_bytes().first(),
        Some(b'0'..=b'9' | 0xE4 | 0xE5 | 0xE8 | 0xE9)
    ) {
        return false;
    }
    let text = trim(text);
    if text.is_empty() || text.len() > PLACEHOLDER_MAX_BYTES {
        return false;
    }
    // Ruled out by the first character (digits and most words at the first byte): the
    // characters that begin a placeholder, in either width ([`PLACEHOLDER_STARTS`]).
    match text.as_bytes()[0] {
        byte if byte.is_ascii_digit() => return false,
        byte if byte.is_ascii() && !PLACEHOLDER_STARTS.contains(&char::from(byte)) => return false,
        byte if !byte.is_ascii()
            && !text
                .chars()
                .next()
                .is_some_and(|c| PLACEHOLDER_STARTS.contains(&c)) =>
        {
            return false
        }
        _ => {}
    }
    let folded = fold_width(text).to_lowercase();
    PLACEHOLDERS.contains(&folded.as_str())
}

/// The first characters of [`PLACEHOLDERS`], as written in either width (a test keeps the two
/// lists in step).
const PLACEHOLDER_STARTS: &[char] = &[
    '/', '\\', '-', '—', '–', '－', '／', '＼', 'n', 'N', 'ｎ', 'Ｎ', '无', '暂', '未', '空',
];

/// The words of a totals row (合计/小计/总计), in its name column or its first cells.
pub const TOTALS: &[&str] = &[
    "合计",
    "小计",
    "总计",
    "共计",
    "总合计",
    "全省合计",
    "汇总",
    "total",
    "subtotal",
    "sum",
];

/// The totals word a cell holds (`合  计`, `合计：`, `合计(5家)`), if it is one.
pub fn totals_word(text: &str) -> Option<&'static str> {
    // Most cells are names and numbers: ruled out without folding them (a full-width letter
    // begins with byte EF).
    if text.len() > 60
        || !(text.contains(['计', '汇'])
            || text.bytes().any(|b| b.is_ascii_alphabetic() || b == 0xEF))
    {
        return None;
    }
    let squeezed: String = fold_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    let (base, _) = split_brackets(&squeezed);
    let base = base.trim_end_matches(':');
    TOTALS.iter().copied().find(|word| *word == base)
}

/// The labels of the signature lines under a bureau's table (`填表人：李四`, `审核人：王五`,
/// `联系电话：0871-…`, `单位（盖章）`): a row whose cells are only such labels, each perhaps with
/// its value after a colon or in the next cell, is a footer, not an applicant. Matched on the
/// cell without spaces, full-width folded; a label is followed by nothing, a colon or a
/// bracket (`填表人（签字）：`).
pub const FOOTER_LABELS: &[&str] = &[
    "填表人",
    "填报人",
    "制表人",
    "制表",
    "审核人",
    "审核",
    "复核人",
    "经办人",
    "负责人",
    "单位负责人",
    "主要负责人",
    "分管负责人",
    "联系人",
    "联系电话",
    "电话",
    "手机",
    "填报日期",
    "填表日期",
    "制表日期",
    "日期",
    "单位盖章",
    "单位(盖章)",
    "单位公章",
    "盖章",
    "签字",
    "填表人签字",
    "负责人签字",
    "审核人签字",
];

/// What a cell of a footer line is: a label awaiting its value in the next cell (`填表人：`),
/// or a label with its value (`填表人：李四`). `None` for anything else.
pub fn footer_label(text: &str) -> Option<FooterCell> {
    // Labels are short; a name or a number is ruled out by its length or first character.
    if text.len() > 120 || text.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let squeezed: String = fold_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    FOOTER_LABELS.iter().find_map(|label| {
        let rest = squeezed.strip_prefix(label)?;
        // `(签字)`, `(盖章)` after the label are part of it.
        let rest = match split_brackets_front(rest) {
            Some(after) => after,
            None => rest,
        };
        if rest.is_empty() {
            return Some(FooterCell::Label);
        }
        let value = rest.strip_prefix(':')?;
        Some(if value.is_empty() {
            FooterCell::Label
        } else {
            FooterCell::Filled
        })
    })
}

/// A cell of a footer line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FooterCell {
    /// The label alone: its value may stand in the next cell.
    Label,
    /// The label and its value.
    Filled,
}

/// The text after a leading bracketed note (`(签字):李四` → `:李四`), if the text starts with one.
fn split_brackets_front(text: &str) -> Option<&str> {
    let first = text.chars().next()?;
    let &(_, close) = BRACKETS.iter().find(|(open, _)| *open == first)?;
    let end = text.find(close)?;
    Some(&text[end + close.len_utf8()..])
}

/// Whether a cell holds only a unit (`万元`, `（m²）`, `%`, `单位：人`): a units row under the
/// header repeats the headers' units, and is no applicant.
pub fn is_unit_cell(text: &str) -> bool {
    if text.len() > 40 || text.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return false;
    }
    let key = normalise_header(text);
    let inner = match split_brackets(&key) {
        ("", groups) if groups.len() == 1 => groups[0],
        _ => key.as_str(),
    };
    let inner = inner
        .strip_prefix("单位:")
        .or_else(|| inner.strip_prefix("单位"))
        .unwrap_or(inner);
    HEADER_UNITS.iter().any(|unit| unit.unit == inner)
}

/// Worksheets of instructions (填表说明) that `check` passes over when it looks for the sheet to
/// read, whatever they hold.
pub const INSTRUCTION_SHEETS: &[&str] = &[
    "填表说明",
    "填报说明",
    "说明",
    "使用说明",
    "instructions",
    "readme",
];

/// The header normalised for matching: full-width folded, Roman class numerals spelt in
/// letters, every space and line break removed (Excel headers break lines with Alt+Enter),
/// ASCII lower-cased.
pub fn normalise_header(text: &str) -> String {
    // Chinese text often writes the class numerals of 知识产权 as Roman numerals (Ⅰ类, Ⅱ类).
    fold_width(text.trim_start_matches('\u{FEFF}'))
        .replace('\u{2161}', "II")
        .replace('\u{2160}', "I")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Bracket pairs a header's unit or note comes in, after folding (（）→ ()).
const BRACKETS: &[(char, char)] = &[
    ('(', ')'),
    ('[', ']'),
    ('【', '】'),
    ('〔', '〕'),
    ('<', '>'),
    ('（', '）'),
];

/// Splits the bracketed groups off the end of a header: `研发经费(2023年)(万元)` →
/// (`研发经费`, [`2023年`, `万元`]), groups in written order.
pub fn split_brackets(text: &str) -> (&str, Vec<&str>) {
    let mut rest = text.trim_end();
    let mut groups = Vec::new();
    while let Some(last) = rest.chars().last() {
        let Some(&(open, _)) = BRACKETS.iter().find(|(_, close)| *close == last) else {
            break;
        };
        let inner_end = rest.len() - last.len_utf8();
        let Some(start) = rest[..inner_end].rfind(open) else {
            break;
        };
        groups.push(&rest[start + open.len_utf8()..inner_end]);
        rest = rest[..start].trim_end();
    }
    groups.reverse();
    (rest, groups)
}

/// One comma-separated part of a bracketed group.
#[derive(Debug)]
enum Part<'a> {
    Year(i32),
    Unit(&'static HeaderUnit),
    Note(&'a str),
}

fn parts<'a>(groups: &[&'a str]) -> Vec<Part<'a>> {
    groups
        .iter()
        .flat_map(|group| group.split([',', '、', ';', '，', '；']))
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            let part = part
                .strip_prefix("单位:")
                .or_else(|| part.strip_prefix("单位"))
                .unwrap_or(part);
            if let Some(found) = HEADER_UNITS.iter().find(|unit| unit.unit == part) {
                return Part::Unit(found);
            }
            match year_of(part) {
                Some(year) => Part::Year(year),
                None => Part::Note(part),
            }
        })
        .collect()
}

/// `2023`, `2023年`, `2023年度` as a year.
fn year_of(text: &str) -> Option<i32> {
    let digits = text
        .strip_suffix("年度")
        .or_else(|| text.strip_suffix('年'))
        .unwrap_or(text);
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    parse_year(digits).ok()?.try_into().ok()
}

/// `2023年度研发经费` → (2023, `研发经费`); `研发经费2023年` → (2023, `研发经费`).
fn split_year(base: &str) -> Option<(i32, &str)> {
    let leading = base.bytes().take_while(u8::is_ascii_digit).count();
    if leading == 4 {
        let rest = &base[4..];
        let rest = rest
            .strip_prefix("年度")
            .or_else(|| rest.strip_prefix('年'))
            .unwrap_or(rest);
        return Some((year_of(&base[..4])?, rest));
    }
    let trimmed = base
        .strip_suffix("年度")
        .or_else(|| base.strip_suffix('年'))
        .unwrap_or(base);
    let trailing = trimmed.bytes().rev().take_while(u8::is_ascii_digit).count();
    if trailing == 4 && trimmed.len() > 4 {
        let (rest, year) = trimmed.split_at(trimmed.len() - 4);
        return Some((year_of(year)?, rest));
    }
    None
}

/// What a header names.
#[derive(Debug)]
pub enum Resolved {
    /// A field or a year of a year table, and the text a bare number of its column is read with
    /// (`元` for a column in 元).
    Column(Column, Option<&'static str>),
    /// A column that names no field but is common in such sheets (序号, 备注…).
    Ignored,
    /// An empty header.
    Unnamed,
    /// A header that names a field in a way that cannot be read (a unit the field cannot take,
    /// a year table without its year): an error, and still counted as a field when looking
    /// for the header row.
    FieldProblem(Text),
    /// A header that names nothing known: an error with a suggestion when one is close
    /// ([`unknown_message`]), with the year it carries. The message is made only when told:
    /// looking for the suggestion costs, and a sheet of 100,000 unknown headers is scored for
    /// its header row and then told about a few of them (issue 15: 91 s of suggestions).
    Unknown(Option<i32>),
}

impl Resolved {
    /// Whether the header names a field, well or badly: how the header row is told from title
    /// rows above it.
    pub fn names_a_field(&self) -> bool {
        matches!(self, Resolved::Column(..) | Resolved::FieldProblem(_))
    }
}

fn field_by_name(key: &str) -> Option<(&'static FieldDef, usize)> {
    let by_label = |name: &str| {
        fields::FIELDS
            .iter()
            // Lengths first: a label lower-cased is a new string, and a sheet of 100,000
            // columns asks this of every field for every cell of its first rows (issue 15).
            .position(|f| {
                f.path == name
                    || (f.label_zh.len() == name.len() && f.label_zh.to_ascii_lowercase() == name)
            })
    };
    let index = by_label(key).or_else(|| {
        let path = HEADER_SYNONYMS
            .iter()
            .find(|(synonym, _)| *synonym == key)
            .map(|(_, path)| *path)?;
        fields::index_of(path)
    });
    // `固定人员数`, `国家级项目数量`: a count's label with 数 after it.
    let index = index.or_else(|| {
        let stem = key
            .strip_suffix("数量")
            .or_else(|| key.strip_suffix('数'))?;
        let index = by_label(stem)?;
        matches!(fields::FIELDS[index].ty, FieldType::Number(Quantity::Count)).then_some(index)
    });
    index.map(|index| (&fields::FIELDS[index], index))
}

fn series_by_name(key: &str) -> Option<&'static SeriesDef> {
    let label = |series: &SeriesDef| series.label_zh.trim_start_matches('年').to_string();
    fields::SERIES.iter().find(|series| {
        label(series) == key
            || SERIES_SYNONYMS
                .iter()
                .any(|(table, synonym)| *table == series.table && *synonym == key)
    })
}

/// Resolves one header.
pub fn resolve_header(header: &str) -> Resolved {
    let key = normalise_header(header);
    if key.is_empty() {
        return Resolved::Unnamed;
    }
    let shown = excerpt(header.trim().trim_start_matches('\u{FEFF}'));
    // The whole header first: `所在州(市)` is a name, not a unit.
    if let Some((field, index)) = field_by_name(&key) {
        return Resolved::Column(Column::Field(field, index), None);
    }
    for series in fields::SERIES {
        if let Some(year) = key
            .strip_prefix(&format!("{}.", series.table))
            .and_then(|year| parse_year(year).ok())
        {
            return Resolved::Column(Column::Series(series, year.try_into().unwrap_or(0)), None);
        }
    }
    let (base, groups) = split_brackets(&key);
    let parts = parts(&groups);
    let bracket_year = parts.iter().find_map(|part| match part {
        Part::Year(year) => Some(*year),
        _ => None,
    });
    if !base.is_empty() && base != key {
        if let Some((field, index)) = field_by_name(base) {
            return with_unit(Column::Field(field, index), field, &parts, &shown);
        }
    }
    let (year, stem) = match split_year(base) {
        Some((year, stem)) => (Some(year), stem),
        None => (bracket_year, base),
    };
    if let Some(series) = series_by_name(stem) {
        return match year {
            Some(year) => series_with_unit(series, year, &parts, &shown),
            // The year is asked for, never guessed: a guess would move the amount to a year.
            None => Resolved::FieldProblem(Text::new(
                format!(
                    "列“{shown}”没有写年份：请写明经费所属年度，写成“YYYY年{stem}”（YYYY 为四位年份）"
                ),
                format!(
                    "the column '{shown}' names no year: write the year the amount is for, as 'YYYY年{stem}' (YYYY the four-digit year)"
                ),
            )),
        };
    }
    if let (Some(year), Some((field, _))) = (year, field_by_name(stem)) {
        return Resolved::FieldProblem(Text::new(
            format!(
                "列“{shown}”带有年份 {year}，但“{}”不按年度分列：若这是申报前一年度的数据，请把列名改为“{}”",
                field.label_zh, field.label_zh
            ),
            format!(
                "the column '{shown}' carries the year {year}, but '{}' ({}) has no columns by year: if the figure is for the year before the application, name the column '{}'",
                field.label_zh, field.path, field.label_zh
            ),
        ));
    }
    if IGNORED_HEADERS.contains(&key.as_str()) || IGNORED_HEADERS.contains(&base) {
        return Resolved::Ignored;
    }
    Resolved::Unknown(year)
}

/// A field's column with the units of its header applied.
fn with_unit(column: Column, field: &FieldDef, parts: &[Part<'_>], shown: &str) -> Resolved {
    match field.quantity() {
        Some(quantity) => match unit_of(quantity, field.label_zh, parts, shown) {
            Ok(bare) => Resolved::Column(column, bare),
            Err(problem) => Resolved::FieldProblem(problem),
        },
        // A note on a name, code, word, yes/no or date (`单位名称（全称）`, `是否龙头企业（是/否）`)
        // changes nothing.
        None => Resolved::Column(column, None),
    }
}

fn series_with_unit(
    series: &'static SeriesDef,
    year: i32,
    parts: &[Part<'_>],
    shown: &str,
) -> Resolved {
    let label = format!("{year}{}", series.label_zh);
    match unit_of(series.quantity, &label, parts, shown) {
        Ok(bare) => Resolved::Column(Column::Series(series, year), bare),
        Err(problem) => Resolved::FieldProblem(problem),
    }
}

/// The unit a quantity's header gives: what a bare number of the column is read with, or why
/// the unit cannot be the field's.
fn unit_of(
    quantity: Quantity,
    label: &str,
    parts: &[Part<'_>],
    shown: &str,
) -> Result<Option<&'static str>, Text> {
    let mut bare = None;
    for part in parts {
        match part {
            Part::Unit(unit) if unit.quantity == quantity => bare = unit.bare,
            Part::Unit(unit) => {
                return Err(Text::new(
                    format!(
                        "列“{shown}”的单位“{}”不能用于“{label}”：应为 {}",
                        unit.unit,
                        units_of(quantity)
                    ),
                    format!(
                        "the column '{shown}' is in {}, a unit '{label}' cannot take: write {}",
                        unit.unit,
                        units_of(quantity)
                    ),
                ))
            }
            // A year in brackets is the series' year, read by the caller.
            Part::Year(_) => {}
            // A note on a count (`国家级项目（近三年）`) changes no number.
            Part::Note(_) if quantity == Quantity::Count || quantity == Quantity::Year => {}
            Part::Note(note) => {
                // Quoted cut short, as the header is (issue 15).
                let note = excerpt(note);
                return Err(Text::new(
                    format!(
                        "列“{shown}”中的单位“{note}”无法识别：“{label}”的单位应为 {}",
                        units_of(quantity)
                    ),
                    format!(
                        "the column '{shown}' gives a unit '{note}' that is not recognised: '{label}' takes {}",
                        units_of(quantity)
                    ),
                ));
            }
        }
    }
    Ok(bare)
}

/// An unknown header's message: the closest field, never in another year, with the header's own
/// unit; or what headers are. `year` is the one [`Resolved::Unknown`] carries.
pub fn unknown_message(header: &str, year: Option<i32>) -> Text {
    let shown = excerpt(header.trim().trim_start_matches('\u{FEFF}'));
    let key = normalise_header(header);
    let (base, _) = split_brackets(&key);
    // The unit or note as written, kept on the suggestion.
    let written = header.trim().trim_start_matches('\u{FEFF}');
    let (written_base, _) = split_brackets(written);
    let tail = written[written_base.len()..].trim();
    let suggestion = match year {
        // A year is kept: only a year table's label is suggested, with that year.
        Some(year) => {
            let stem = split_year(base).map_or(base, |(_, stem)| stem);
            let labels = fields::SERIES
                .iter()
                .map(|series| series.label_zh.trim_start_matches('年'))
                .chain(SERIES_SYNONYMS.iter().map(|(_, synonym)| *synonym));
            closest(stem, labels).map(|label| format!("{year}年{label}{tail}"))
        }
        None => {
            let candidates = fields::FIELDS.iter().flat_map(|f| [f.path, f.label_zh]);
            closest(base, candidates).map(|name| format!("{name}{tail}"))
        }
    };
    let (mut zh, mut en) = (
        format!("未知的列名“{shown}”"),
        format!("unknown column '{shown}'"),
    );
    match suggestion {
        Some(suggestion) => {
            zh.push_str(&format!("（是否要写“{suggestion}”？）"));
            en.push_str(&format!(" (did you mean '{suggestion}'?)"));
        }
        None => {
            zh.push_str("；列名应为字段路径（如 facilities.rnd_floor_area）或中文列名（如 研发场地面积），见 ticheck init");
            en.push_str("; headers are field paths (facilities.rnd_floor_area) or their Chinese labels (研发场地面积)");
        }
    }
    Text::new(zh, en)
}

/// How well a row reads as the header: the cells that name a field, and the cells that name a
/// field or an ignored column out of the non-empty ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeaderScore {
    pub fields: usize,
    pub known: usize,
    pub non_empty: usize,
}

impl HeaderScore {
    pub fn of<'a>(cells: impl IntoIterator<Item = &'a str>) -> HeaderScore {
        let mut score = HeaderScore::default();
        for cell in cells {
            if cell.trim().is_empty() {
                continue;
            }
            score.non_empty += 1;
            let resolved = resolve_header(cell);
            if resolved.names_a_field() {
                score.fields += 1;
                score.known += 1;
            } else if matches!(resolved, Resolved::Ignored) {
                score.known += 1;
            }
        }
        score
    }

    /// The header beyond doubt: two fields, or fields and ignored columns alone. A title
    /// (`2025年度…申报汇总表`) names none; an instructions row (`单位名称 | 填写营业执照上的全称`)
    /// names one beside free text.
    pub fn is_header(&self) -> bool {
        self.fields >= 2 || (self.fields == 1 && self.known == self.non_empty)
    }

    /// A header with mistakes in it, when no row is [`HeaderScore::is_header`]: one field.
    pub fn may_be_header(&self) -> bool {
        self.fields >= 1
    }
}

/// Rows looked through for the header: titles, notes and blank rows above it are few.
pub const HEADER_SEARCH_ROWS: usize = 30;

/// The header scores of rows: each cell matched against the fields, which costs.
pub fn scores_of(rows: &[Vec<String>]) -> Vec<HeaderScore> {
    rows.iter()
        .map(|row| HeaderScore::of(row.iter().map(String::as_str)))
        .collect()
}

/// The position of the header among the first rows of a sheet, from their scores (computed
/// once by whoever read the rows): the first row that is surely one, else the first that may
/// be one, else the first non-empty row.
fn pick_scored(scores: &[HeaderScore]) -> Option<usize> {
    scores
        .iter()
        .position(HeaderScore::is_header)
        .or_else(|| scores.iter().position(HeaderScore::may_be_header))
        .or_else(|| scores.iter().position(|score| score.non_empty > 0))
}

/// A year under a group cell of a two-row header (`2022年`, `2023年度`, `2023`), and whether
/// it says 年 (a bare 2023 could as well be an amount in a data row).
fn sub_year(text: &str) -> Option<bool> {
    let key = normalise_header(text);
    year_of(&key).map(|_| key.ends_with('年') || key.ends_with("年度"))
}

/// A header written over two rows: a group cell (`研发经费（万元）`, in a CSV alone and followed by
/// empty cells, in a workbook merged across) over the years of its columns (`2022年`,
/// `2023年`) in the row below, and the other headers in either row (merged down, or only in
/// the lower one). Each year under the group becomes the year's own header
/// (`2022年研发经费（万元）`); elsewhere a column's header is the lower row's cell, or the upper
/// one's when the lower is empty. `None` unless some year was combined, the lower row's other
/// cells all name fields (or columns read past) and the result is surely a header, with the
/// lower row a header itself or its years written with 年: a data row under a header with a
/// yearless group is never taken for the years.
pub fn combine_two_rows(top: &[String], below: &[String]) -> Option<Vec<String>> {
    let width = top.len().max(below.len());
    let cell = |row: &[String], index: usize| -> String {
        row.get(index)
            .map(|text| trim(text.trim_start_matches('\u{FEFF}')).to_string())
            .unwrap_or_default()
    };
    // No group over a year, no combining (years > 0 below): ruled out before the lower row's
    // cells are matched against the fields, which costs most when it is a data row.
    if !(0..width)
        .any(|index| !cell(top, index).is_empty() && sub_year(&cell(below, index)).is_some())
    {
        return None;
    }
    // A lower row that is a header by itself may have a misspelt cell, reported as such once
    // combined; otherwise every other cell of it must name a field.
    let lower_is_header = HeaderScore::of(below.iter().map(String::as_str)).is_header();
    let mut combined = Vec::with_capacity(width);
    let mut group: Option<String> = None;
    let mut years = 0;
    let mut bare_years = false;
    for index in 0..width {
        let (upper, lower) = (cell(top, index), cell(below, index));
        let year = sub_year(&lower);
        // A group begins over its first year.
        if !upper.is_empty() {
            group = year.is_some().then(|| upper.clone());
        }
        match (&group, year) {
            (Some(group), Some(with_nian)) if !lower.is_empty() => {
                combined.push(format!("{lower}{group}"));
                years += 1;
                bare_years |= !with_nian;
            }
            _ => {
                // A span ends where a column is not one of its years.
                if upper.is_empty() {
                    group = None;
                }
                // The lower row's other cells are headers too, or it is a data row.
                if !lower.is_empty() && !lower_is_header {
                    let resolved = resolve_header(&lower);
                    if !(resolved.names_a_field() || matches!(resolved, Resolved::Ignored)) {
                        return None;
                    }
                }
                combined.push(if lower.is_empty() { upper } else { lower });
            }
        }
    }
    let surely = HeaderScore::of(combined.iter().map(String::as_str)).is_header();
    (years > 0 && surely && (lower_is_header || !bare_years)).then_some(combined)
}

/// The header among the first rows of a sheet, as `pick_scored` finds it, with a header over
/// two rows combined ([`combine_two_rows`]): the position of its last row, and its cells.
pub fn pick_header_rows(rows: &[Vec<String>]) -> Option<(usize, Vec<String>)> {
    pick_header_rows_scored(rows, &scores_of(rows))
}

/// [`pick_header_rows`] with the scores of the first rows already known: those up to the
/// header suffice (a row after a surely-found header is never the header itself).
pub fn pick_header_rows_scored(
    rows: &[Vec<String>],
    scores: &[HeaderScore],
) -> Option<(usize, Vec<String>)> {
    let at = pick_scored(scores)?;
    // The picked row over the next non-empty one (the group row named a field, badly), or the
    // row above over the picked one (the group row named none).
    let next = (at + 1..rows.len()).find(|index| rows[*index].iter().any(|c| !c.trim().is_empty()));
    if let Some(next) = next {
        if let Some(combined) = combine_two_rows(&rows[at], &rows[next]) {
            return Some((next, combined));
        }
    }
    let before = (0..at)
        .rev()
        .find(|index| rows[*index].iter().any(|c| !c.trim().is_empty()));
    if let Some(before) = before {
        if let Some(combined) = combine_two_rows(&rows[before], &rows[at]) {
            return Some((at, combined));
        }
    }
    Some((at, rows[at].clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_passes_the_first_character_check_in_either_width() {
        for word in PLACEHOLDERS {
            assert!(is_placeholder(word), "{word}");
            assert!(is_placeholder(&word.to_uppercase()), "{word}");
            let wide: String = word
                .chars()
                .map(|c| match c {
                    '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
                    _ => c,
                })
                .collect();
            assert!(is_placeholder(&wide), "{wide}");
        }
        for word in [
            "0",
            "12",
            "是",
            "企业",
            "昆明市",
            "n/a/b",
            "none",
            "-5",
            "无锡",
        ] {
            assert!(!is_placeholder(word), "{word}");
        }
    }

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|cell| cell.to_string()).collect()
    }

    #[test]
    fn a_group_over_its_years_is_combined_and_nothing_else_is() {
        let top = row(&["单位名称", "研发经费（万元）", "", "固定人员"]);
        let below = row(&["", "2022年", "2023年度", ""]);
        assert_eq!(
            combine_two_rows(&top, &below),
            Some(row(&[
                "单位名称",
                "2022年研发经费（万元）",
                "2023年度研发经费（万元）",
                "固定人员"
            ]))
        );
        // The group row above a header that names the other fields.
        let top = row(&["", "", "研发经费投入", ""]);
        let below = row(&["单位名称", "固定人员", "2022年", "2023年"]);
        assert_eq!(
            pick_header_rows(&[top.clone(), below.clone()]),
            Some((
                1,
                row(&[
                    "单位名称",
                    "固定人员",
                    "2022年研发经费投入",
                    "2023年研发经费投入"
                ])
            ))
        );
        // A data row under a yearless group: its amounts are no years.
        let header = row(&["单位名称", "研发经费（万元）", ""]);
        assert_eq!(
            combine_two_rows(&header, &row(&["甲", "2022", "2023"])),
            None
        );
        assert_eq!(
            combine_two_rows(&header, &row(&["甲", "2022年", "2023年"])),
            None
        );
        // A units row, or a header with no group above, is left alone.
        let header = row(&["单位名称", "研发场地面积", "2023年研发经费"]);
        assert_eq!(combine_two_rows(&header, &row(&["", "m²", "万元"])), None);
        // The lower row a header with a misspelt cell: combined, the cell's error is told.
        let top = row(&["", "", "", "研发经费（万元）", ""]);
        let below = row(&["单位名称", "固定人员", "研发面积", "2022年", "2023年"]);
        assert_eq!(
            combine_two_rows(&top, &below),
            Some(row(&[
                "单位名称",
                "固定人员",
                "研发面积",
                "2022年研发经费（万元）",
                "2023年研发经费（万元）"
            ]))
        );
        let title = row(&["2024年度申报汇总表", "", ""]);
        assert_eq!(
            pick_header_rows(&[title, header.clone()]),
            Some((1, header))
        );
    }
}
