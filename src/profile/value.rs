//! The value syntax of SPEC §4: money in 万元 with optional units, areas in m², ratios as
//! fractions or percentages, counts, booleans written `true/false` or `是/否`, dates.
//!
//! Every parser takes the raw text a user wrote (a TOML scalar rendered as text, or a
//! spreadsheet cell) and returns an exact [`Decimal`] or a [`ValueError`] that says what would
//! have been accepted. Nothing here uses floating point: `0.6999` is parsed from its digits.

use std::borrow::Cow;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::i18n::{Lang, Text};

/// What kind of quantity a field holds; decides the parser, the unit shown and the hint given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Quantity {
    /// 万元 (ten thousand yuan).
    Money,
    /// Square metres.
    Area,
    /// A fraction in [0, 1], shown as a percentage.
    Ratio,
    /// A whole number of things (people, projects, patents).
    #[default]
    Count,
    /// A calendar year.
    Year,
}

impl Quantity {
    /// The unit written after a bound or an actual value.
    pub fn unit(self) -> &'static str {
        match self {
            Quantity::Money => "万元",
            Quantity::Area => "m²",
            Quantity::Ratio | Quantity::Count | Quantity::Year => "",
        }
    }

    /// Formats a value of this quantity for a person: ratios as percentages, others plain.
    pub fn display(self, value: Decimal) -> String {
        match self {
            Quantity::Ratio => match percent(value) {
                Some(percent) => {
                    let mut text = plain(percent);
                    text.push('%');
                    text
                }
                // Beyond the largest decimal as a percentage: still shown exactly.
                None => format!("{}×100%", plain(value)),
            },
            _ => plain(value),
        }
    }

    /// Formats a value with its unit (`1500 m²`, `2000 万元`, `70%`, `100`).
    pub fn display_with_unit(self, value: Decimal) -> String {
        let unit = self.unit();
        if unit.is_empty() {
            self.display(value)
        } else {
            format!("{} {}", self.display(value), unit)
        }
    }

    /// Parses the text of a value of this quantity.
    pub fn parse(self, text: &str) -> Result<Decimal, ValueError> {
        match self {
            Quantity::Money => parse_money(text),
            Quantity::Area => parse_area(text),
            Quantity::Ratio => parse_ratio(text),
            Quantity::Count => parse_count(text),
            Quantity::Year => parse_year(text),
        }
    }

    /// What would be accepted, for error messages.
    pub fn hint(self, lang: Lang) -> &'static str {
        match self {
            Quantity::Money => lang.pick(
                "以万元计的金额，如 2350、\"2350万元\"、\"23500000元\"、\"0.235亿元\"",
                "an amount in 万元 (10,000 yuan): 2350, \"2350万元\", \"23500000元\" or \"0.235亿元\"",
            ),
            Quantity::Area => lang.pick(
                "以平方米计的面积，如 1800、\"1800m²\"、\"1800平方米\"",
                "an area in m²: 1800, \"1800m²\", \"1800 m2\" or \"1800平方米\"",
            ),
            Quantity::Ratio => lang.pick(
                "0 到 1 之间的小数（如 0.582）或百分数字符串（如 \"58.2%\"）",
                "a fraction between 0 and 1 (0.582) or a percentage string (\"58.2%\")",
            ),
            Quantity::Count => lang.pick("非负整数，如 12", "a whole number of 0 or more, e.g. 12"),
            Quantity::Year => lang.pick("四位年份，如 2023", "a four-digit year, e.g. 2023"),
        }
    }
}

/// Why a value could not be read. [`ValueError::message`] renders it in the user's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    /// The value has the wrong TOML type (a table where a number belongs, …).
    WrongType { found: String },
    /// The text is not a number.
    NotANumber { text: String },
    /// A number followed by a unit this quantity does not know.
    UnknownUnit { text: String, unit: String },
    /// Amounts and counts cannot be negative.
    Negative { text: String },
    /// A bare ratio above 1: almost always a percentage written without `%`.
    RatioAboveOne { text: String },
    /// A count with a fractional part.
    NotWhole { text: String },
    /// A year outside 1900..=2100.
    BadYear { text: String },
    /// Not one of the boolean spellings.
    NotBool { text: String },
    /// Not one of a field's allowed words.
    NotAChoice {
        text: String,
        /// The allowed words (`enterprise`), each with its Chinese word (`企业`) when it has one.
        allowed: Vec<(&'static str, Option<&'static str>)>,
        suggestion: Option<String>,
        /// What the text most likely means, from words that name a choice's kind of thing
        /// (`民营企业` → 企业), or the choices it may mean when the words cannot tell.
        likely: Vec<(&'static str, Option<&'static str>)>,
    },
    /// Not a calendar date.
    BadDate { text: String },
    /// Text that must not be empty.
    Empty,
    /// A rule specific to one field (the USCC checksum, staff counts that contradict …).
    Invalid { zh: String, en: String },
}

impl ValueError {
    /// The message in both languages.
    pub fn text(&self) -> Text {
        Text::new(self.message(Lang::Zh), self.message(Lang::En))
    }
}

impl ValueError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ValueError::WrongType { found }, Lang::Zh) => format!("类型不对：此处给的是{found}"),
            (ValueError::WrongType { found }, Lang::En) => format!("wrong type: found {found}"),
            (ValueError::NotANumber { text }, Lang::Zh) => format!("“{text}”不是数字"),
            (ValueError::NotANumber { text }, Lang::En) => format!("'{text}' is not a number"),
            (ValueError::UnknownUnit { text, unit }, Lang::Zh) => {
                format!("“{text}”中的单位“{unit}”无法识别")
            }
            (ValueError::UnknownUnit { text, unit }, Lang::En) => {
                format!("'{text}' has a unit '{unit}' that is not recognised")
            }
            (ValueError::Negative { text }, Lang::Zh) => format!("“{text}”为负数，不允许为负"),
            (ValueError::Negative { text }, Lang::En) => {
                format!("'{text}' is negative; amounts and counts cannot be negative")
            }
            (ValueError::RatioAboveOne { text }, lang) => match fraction_reading(text) {
                // Up to 10 the number may as well be a fraction above 1 (liabilities above
                // assets: 1.2 is 120%) as a percentage (1.2%): the two readings can fall on
                // either side of a bound, so both are offered, never the one alone.
                Some(as_percent) => match lang {
                    Lang::Zh => format!(
                        "比例“{text}”大于 1，意思不明：按百分数是 {text}%，按小数是 {as_percent}%（负债超过资产）；请写成 \"{text}%\" 或 \"{as_percent}%\""
                    ),
                    Lang::En => format!(
                        "the ratio {text} is above 1 and unclear: as a percentage it is {text}%, as a fraction {as_percent}% (liabilities above assets); write \"{text}%\" or \"{as_percent}%\""
                    ),
                },
                None => match lang {
                    Lang::Zh => format!(
                        "比例“{text}”大于 1：小数形式应在 0 到 1 之间；若指百分数，请写成 \"{text}%\""
                    ),
                    Lang::En => format!(
                        "the ratio {text} is above 1: a bare number is a fraction between 0 and 1; \
                         for a percentage write \"{text}%\""
                    ),
                },
            },
            (ValueError::NotWhole { text }, Lang::Zh) => format!("“{text}”不是整数"),
            (ValueError::NotWhole { text }, Lang::En) => format!("'{text}' is not a whole number"),
            (ValueError::BadYear { text }, Lang::Zh) => format!("“{text}”不是有效年份"),
            (ValueError::BadYear { text }, Lang::En) => format!("'{text}' is not a valid year"),
            (ValueError::NotBool { text }, Lang::Zh) => {
                format!("“{text}”不是是/否值：请写 true/false 或 是/否")
            }
            (ValueError::NotBool { text }, Lang::En) => {
                format!("'{text}' is not a yes/no value: write true/false or 是/否")
            }
            (
                ValueError::NotAChoice {
                    text,
                    allowed,
                    suggestion,
                    likely,
                },
                lang,
            ) => {
                // In Chinese the Chinese words are the choices (a sheet's cell holds them); the
                // English message names both.
                let word = |(id, zh): &(&'static str, Option<&'static str>)| match (lang, zh) {
                    (Lang::Zh, Some(zh)) => (*zh).to_string(),
                    (Lang::En, Some(zh)) => format!("{zh} ({id})"),
                    (_, None) => (*id).to_string(),
                };
                let words = |list: &[(&'static str, Option<&'static str>)], zh: &str, en: &str| {
                    list.iter()
                        .map(word)
                        .collect::<Vec<_>>()
                        .join(lang.pick(zh, en))
                };
                let mut message = match lang {
                    Lang::Zh => format!("“{text}”不是可选值；可选：{}", words(allowed, "、", "")),
                    Lang::En => format!("'{text}' is not one of: {}", words(allowed, "", ", ")),
                };
                match likely.as_slice() {
                    [] => {
                        if let Some(suggestion) = suggestion {
                            message.push_str(&match lang {
                                Lang::Zh => format!("（是否要写 \"{suggestion}\"？）"),
                                Lang::En => format!(" (did you mean \"{suggestion}\"?)"),
                            });
                        }
                    }
                    [one] => {
                        let one = word(one);
                        message.push_str(&match lang {
                            Lang::Zh => format!("；“{text}”最可能是“{one}”，请改为“{one}”"),
                            Lang::En => format!("; '{text}' is most likely {one}: write that"),
                        });
                    }
                    several => {
                        let several = words(several, "”或“", " or ");
                        message.push_str(&match lang {
                            Lang::Zh => format!(
                                "；仅凭“{text}”无法判断：它可能是“{several}”，请按其登记的法人类型选择其一"
                            ),
                            Lang::En => format!(
                                "; '{text}' cannot tell which: it may be {several}; choose one by its legal registration"
                            ),
                        });
                    }
                }
                message
            }
            (ValueError::BadDate { text }, Lang::Zh) => {
                format!("“{text}”不是有效日期：请写 2024-03-15")
            }
            (ValueError::BadDate { text }, Lang::En) => {
                format!("'{text}' is not a date: write 2024-03-15")
            }
            (ValueError::Empty, Lang::Zh) => "不能为空".to_string(),
            (ValueError::Empty, Lang::En) => "must not be empty".to_string(),
            (ValueError::Invalid { zh, en }, lang) => lang.pick(zh, en).to_string(),
        }
    }
}

/// Folds the full-width forms a Chinese input method or spreadsheet produces (`１５００`,
/// `５８．２％`, `，`, ideographic space) into their ASCII equivalents, and trims. Text with
/// nothing to fold is borrowed, not copied: most cells are plain.
pub fn fold_width(text: &str) -> Cow<'_, str> {
    if !needs_folding(text) {
        return Cow::Borrowed(trim(text));
    }
    let folded: String = text
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect();
    Cow::Owned(folded.trim().to_string())
}

/// Whether text holds full-width forms or ideographic spaces that [`fold_width`] would fold.
fn needs_folding(text: &str) -> bool {
    // Every such character is encoded with a lead byte of 0xE3 (U+3000) or 0xEF (U+FF01–FF5E).
    text.bytes().any(|b| b == 0xE3 || b == 0xEF)
        && text
            .chars()
            .any(|c| matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}'))
}

/// Whether a character with this lead byte may be whitespace. Whitespace outside ASCII (U+0085,
/// U+00A0, U+1680, U+2000–U+205F, U+3000) always has the lead byte C2, E1, E2 or E3 in UTF-8.
fn may_start_whitespace(lead: u8) -> bool {
    !(lead.is_ascii_graphic() || (lead >= 0xC0 && !matches!(lead, 0xC2 | 0xE1..=0xE3)))
}

/// `str::trim`, quicker for the usual cell that has nothing to trim: only the lead bytes of its
/// first and last characters are looked at.
pub fn trim(text: &str) -> &str {
    let visible = |lead: u8| !may_start_whitespace(lead);
    let bytes = text.as_bytes();
    let last_lead = bytes
        .iter()
        .rev()
        .take(4)
        .find(|byte| !(0x80..0xC0).contains(*byte));
    match (bytes.first(), last_lead) {
        (Some(first), Some(last)) if visible(*first) && visible(*last) => text,
        (None, _) => text,
        _ => text.trim(),
    }
}

/// `1250` or `58.2` (ASCII digits, at most one point inside them, at most 18 digits) as an
/// exact normalised decimal; `None` for anything else.
fn plain_decimal(number: &[u8]) -> Option<Decimal> {
    if number.is_empty() || number.len() > 19 || !number[0].is_ascii_digit() {
        return None;
    }
    let mut mantissa: u64 = 0;
    let mut scale: Option<u32> = None;
    for &byte in number {
        match byte {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(byte - b'0');
                scale = scale.map(|places| places + 1);
            }
            b'.' if scale.is_none() => scale = Some(0),
            _ => return None,
        }
    }
    match scale {
        None => Some(Decimal::from(mantissa)),
        // `12.`: left to the general parser.
        Some(0) => None,
        Some(places) => {
            Some(Decimal::from_i128_with_scale(i128::from(mantissa), places).normalize())
        }
    }
}

/// Splits `"2350 万元"` into the number `2350` and the unit `万元`. Thousands separators (`,`)
/// and spaces inside the number are dropped. Returns `NotANumber` when no digits lead.
fn split_number_unit(text: &str) -> Result<(Decimal, Cow<'_, str>), ValueError> {
    // Most cells are a plain decimal, perhaps with a unit (`1250`, `0.582`, `58.2%`, `2202万元`):
    // read them without folding or copying when nothing in them needs the general path below.
    // A bare whole number, the commonest, is read first of all.
    if text.bytes().all(|b| b.is_ascii_digit()) {
        if let Some(whole) = plain_decimal(text.as_bytes()) {
            return Ok((whole, Cow::Borrowed("")));
        }
    }
    let trimmed = trim(text);
    let number_end = trimmed
        .bytes()
        .position(|b| !(b.is_ascii_digit() || b == b'.'))
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(number_end);
    let plain_unit = match unit.as_bytes().first() {
        None => true,
        Some(b',' | b'-' | b'+' | b'_' | b' ' | b'e' | b'E') => false,
        // Space before the unit (a tab, U+00A0) is the general path's to read: `5\te3` is 5000.
        // A letter that looks like a digit (`15OO`) is the general path's to name.
        Some(&lead) => {
            !needs_folding(unit)
                && !may_start_whitespace(lead)
                && !DIGIT_LOOKALIKES.contains(&char::from(lead))
        }
    };
    if plain_unit {
        if let Some(value) = plain_decimal(number.as_bytes()) {
            return Ok((value, Cow::Borrowed(trim(unit))));
        }
    }
    let folded = fold_width(text);
    let number_end = folded
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+' | '_' | ' ')))
        .map(|(i, _)| i)
        .unwrap_or(folded.len());
    let (number, unit) = folded.split_at(number_end);
    let not_a_number = || ValueError::NotANumber {
        text: excerpt(text),
    };
    // `1,5OO`: the letter O typed for a zero. Said first: the comma is not what is wrong.
    if let Some(letter) = letter_among_digits(number, unit) {
        let (zh_hint, en_hint) = match letter {
            'O' | 'o' => (
                "（是否把数字 0 打成了字母 O？）",
                " (a zero typed as the letter O?)",
            ),
            _ => (
                "（是否把数字 1 打成了字母？）",
                " (a one typed as a letter?)",
            ),
        };
        return Err(ValueError::Invalid {
            zh: format!("“{}”的数字中夹有字母“{letter}”{zh_hint}", excerpt(text)),
            en: format!(
                "'{}' has the letter '{letter}' among its digits{en_hint}",
                excerpt(text)
            ),
        });
    }
    // A comma only groups thousands (`1,500`, `23,500,000`): `2000,5` or `1,5` is a decimal
    // comma or a slip, and reading it as 20005 or 15 would silently change the fact.
    if number.contains(',') && !thousands_grouped(number) {
        return Err(ValueError::Invalid {
            zh: format!("“{}”中的逗号位置不对：逗号只能用作千位分隔（如 1,500）；小数请用小数点（如 1999.5）", excerpt(text)),
            en: format!(
                "'{}' has a comma that does not group thousands: write 1,500 or 1500, and a decimal point for decimals (1999.5)",
                excerpt(text)
            ),
        });
    }
    let digits: Cow<'_, str> = if number.contains([',', '_', ' ']) {
        Cow::Owned(
            number
                .chars()
                .filter(|c| !matches!(c, ',' | '_' | ' '))
                .collect(),
        )
    } else {
        Cow::Borrowed(number)
    };
    if !digits.bytes().any(|c| c.is_ascii_digit()) {
        return Err(not_a_number());
    }
    // rust_decimal holds a 96-bit whole number (up to about 7.9 × 10²⁸) and up to 28 decimal
    // places; a number beyond would be rounded without a word, so it is refused. The parse
    // itself tells: a count of digits refused `16732088235486875548000000000` (29 digits, nine
    // of them trailing zeros), a value held exactly and written so in reports (found by
    // fuzzing: tests/fuzz_regressions/values/).
    let mut value = match Decimal::from_str_exact(&digits) {
        Ok(value) => value,
        Err(_)
            if Decimal::from_str(&digits).is_ok()
                || digits
                    .bytes()
                    .filter(u8::is_ascii_digit)
                    .skip_while(|b| *b == b'0')
                    .count()
                    > 28 =>
        {
            return Err(ValueError::Invalid {
                zh: format!("“{}”的有效数字超过 28 位，无法精确表示", excerpt(text)),
                en: format!(
                    "'{}' has more than 28 significant digits and cannot be held exactly",
                    excerpt(text)
                ),
            });
        }
        Err(_) => return Err(not_a_number()),
    };
    let mut unit = unit.trim();
    // Excel may render a number as 1.5E+3; accept the scientific form too.
    if unit.len() > 1
        && unit.starts_with(['e', 'E'])
        && unit[1..]
            .trim_start_matches(['+', '-'])
            .bytes()
            .all(|c| c.is_ascii_digit())
    {
        value = Decimal::from_scientific(&format!("{digits}{unit}")).map_err(|_| not_a_number())?;
        unit = "";
    }
    if value.is_sign_negative() && !value.is_zero() {
        return Err(ValueError::Negative {
            text: excerpt(text),
        });
    }
    Ok((value.normalize(), Cow::Owned(unit.to_string())))
}

/// Letters that look like digits (O for 0; l and I for 1).
const DIGIT_LOOKALIKES: &[char] = &['O', 'o', 'l', 'I'];

/// The letter typed among the digits of a number, when what follows the digits starts with a
/// letter that looks like a digit and goes on with such letters, digits, commas or points
/// (`1,5OO`, `2O23`, `1l0万元`): a unit (`m2`, `万元`) never starts that way.
fn letter_among_digits(number: &str, unit: &str) -> Option<char> {
    if !number.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let first = unit.chars().next()?;
    if !DIGIT_LOOKALIKES.contains(&first) {
        return None;
    }
    let run = unit
        .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, ',' | '.')))
        .next()
        .unwrap_or_default();
    run.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.') || DIGIT_LOOKALIKES.contains(&c))
        .then_some(first)
}

/// Whether the commas of a number's text group its whole part in threes: `1,500`,
/// `-23,500,000.25`; not `2000,5`, `1,5`, `1,50,000` or a comma after the point.
fn thousands_grouped(number: &str) -> bool {
    let number = number.trim().trim_start_matches(['+', '-']);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if fraction.contains(',') {
        return false;
    }
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or_default().trim();
    (1..=3).contains(&first.len()) && groups.all(|group| group.trim().len() == 3)
}

fn unknown_unit(text: &str, unit: &str) -> ValueError {
    ValueError::UnknownUnit {
        text: excerpt(text),
        unit: excerpt(unit),
    }
}

/// The value as quoted in a message: trimmed, and cut at 40 characters so that a runaway
/// cell (a pasted document) does not flood the report; its control characters shown by their
/// symbols ([`visible_char`]), so that a cell holding an escape sequence quoted in a table or
/// on standard error cannot drive the terminal (issue 15).
pub fn excerpt(text: &str) -> String {
    const LIMIT: usize = 40;
    let text = text.trim();
    let mut shown: String = text.chars().take(LIMIT).map(visible_char).collect();
    if text.chars().nth(LIMIT).is_some() {
        shown.push('…');
    }
    shown
}

/// A character as a terminal may show it: control characters (a NUL, an escape that would
/// start a terminal sequence) as their Unicode symbols (␀, ␛), and the invisible byte-order
/// mark as �.
pub fn visible_char(c: char) -> char {
    match c {
        '\t' => '\t',
        '\u{0}'..='\u{1F}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'),
        '\u{7F}' => '\u{2421}',
        '\u{80}'..='\u{9F}' | '\u{FEFF}' => '\u{FFFD}',
        c => c,
    }
}

/// A fraction as a percentage (times 100), exactly: by moving the decimal point when the scale
/// allows. `None` beyond the largest decimal.
pub fn percent(value: Decimal) -> Option<Decimal> {
    match value.scale() {
        scale @ 2.. => Some(Decimal::from_i128_with_scale(value.mantissa(), scale - 2)),
        _ => value.checked_mul(Decimal::ONE_HUNDRED),
    }
}

/// Money in 万元. A bare number is 万元; `万`/`万元`, `元`, `千元`, `亿`/`亿元` are converted.
pub fn parse_money(text: &str) -> Result<Decimal, ValueError> {
    let (value, unit) = split_number_unit(text)?;
    let in_wan = match &*unit {
        // Already normalised.
        "" | "万" | "万元" => return Ok(value),
        "元" => value / Decimal::from(10_000),
        "千元" => value / Decimal::TEN,
        "亿" | "亿元" => {
            value
                .checked_mul(Decimal::from(10_000))
                .ok_or_else(|| ValueError::Invalid {
                    zh: format!("“{}”换算为万元后超出可表示的范围", excerpt(text)),
                    en: format!(
                        "'{}' is too large to hold once converted to 万元",
                        excerpt(text)
                    ),
                })?
        }
        _ => return Err(unknown_unit(text, &unit)),
    };
    Ok(in_wan.normalize())
}

/// A number with whatever unit it is written in (a construction contract's target: `10项`,
/// `1.2亿元`): amounts of money are converted to 万元 so that targets and results in different
/// money units compare; any other unit is kept as written.
pub fn parse_amount(text: &str) -> Result<(Decimal, String), ValueError> {
    let (value, unit) = split_number_unit(text)?;
    match &*unit {
        "万" | "万元" | "元" | "千元" | "亿" | "亿元" => {
            Ok((parse_money(text)?, "万元".to_string()))
        }
        _ => Ok((value.normalize(), unit.into_owned())),
    }
}

/// Area in m². A bare number is m²; `m²`, `m2`, `㎡`, `平方米`, `平米` are accepted.
pub fn parse_area(text: &str) -> Result<Decimal, ValueError> {
    let (value, unit) = split_number_unit(text)?;
    match unit.to_ascii_lowercase().as_str() {
        "" | "m²" | "m2" | "㎡" | "平方米" | "平米" => Ok(value),
        _ => Err(unknown_unit(text, &unit)),
    }
}

/// `value / 10^places`, exactly, by raising the scale (falls back to division past the
/// largest scale a decimal can carry).
fn shift_point(value: Decimal, places: u32) -> Decimal {
    let scale = value.scale() + places;
    if scale <= 28 {
        Decimal::from_i128_with_scale(value.mantissa(), scale).normalize()
    } else {
        (value / Decimal::from(10u64.pow(places))).normalize()
    }
}

/// What a bare ratio above 1 would be as a fraction, in %, when that reading is still a ratio
/// a sheet may hold (up to 10, i.e. 1000%): `1.2` → `120`. Beyond, only the percentage is
/// meant (`65` is 65%, not 6500%).
fn fraction_reading(text: &str) -> Option<String> {
    let value: Decimal = text.parse().ok()?;
    (value > Decimal::ONE && value <= Decimal::TEN)
        .then(|| percent(value).map(plain))
        .flatten()
}

/// A ratio as a fraction. `"58.2%"` is 0.582; a bare number must lie in [0, 1].
pub fn parse_ratio(text: &str) -> Result<Decimal, ValueError> {
    let (value, unit) = split_number_unit(text)?;
    match &*unit {
        // Dividing by 100 exactly is moving the decimal point two places.
        "%" => Ok(shift_point(value, 2)),
        "" if value > Decimal::ONE => Err(ValueError::RatioAboveOne { text: plain(value) }),
        "" => Ok(value),
        _ => Err(unknown_unit(text, &unit)),
    }
}

/// A count: a whole number, optionally followed by a measure word (项, 人, 个, 家, 件).
pub fn parse_count(text: &str) -> Result<Decimal, ValueError> {
    let (value, unit) = split_number_unit(text)?;
    if !matches!(&*unit, "" | "项" | "人" | "个" | "家" | "件" | "名") {
        return Err(unknown_unit(text, &unit));
    }
    // Normalised: a whole number has no decimal places left.
    if value.scale() != 0 {
        return Err(ValueError::NotWhole {
            text: excerpt(text),
        });
    }
    Ok(value)
}

/// A calendar year, 1900 to 2100, optionally followed by `年`.
pub fn parse_year(text: &str) -> Result<Decimal, ValueError> {
    let folded = fold_width(text);
    let digits = folded.strip_suffix('年').unwrap_or(&folded).trim();
    let bad = || ValueError::BadYear {
        text: excerpt(text),
    };
    let year = Decimal::from_str(digits).map_err(|_| bad())?;
    if !year.fract().is_zero() || year < Decimal::from(1900) || year > Decimal::from(2100) {
        return Err(bad());
    }
    Ok(year.trunc())
}

/// Booleans as users write them: `true/false`, `是/否`, `yes/no`, `y/n`, `1/0`, `√/×`.
pub fn parse_bool(text: &str) -> Result<bool, ValueError> {
    // The words a sheet nearly always holds, as they are.
    match text {
        "是" | "true" => return Ok(true),
        "否" | "false" => return Ok(false),
        _ => {}
    }
    let folded = fold_width(text);
    let word = folded.as_ref();
    let lower;
    let word = if word.bytes().any(|b| b.is_ascii_uppercase()) {
        lower = word.to_ascii_lowercase();
        lower.as_str()
    } else {
        word
    };
    match word {
        "true" | "是" | "yes" | "y" | "1" | "√" | "有" => Ok(true),
        "false" | "否" | "no" | "n" | "0" | "×" | "无" => Ok(false),
        _ => Err(ValueError::NotBool {
            text: excerpt(text),
        }),
    }
}

/// Dates as `2024-03-15`, `2024/3/15`, `2024.3.15` or `2024年3月15日`.
pub fn parse_date(text: &str) -> Result<NaiveDate, ValueError> {
    // The common case, `2024-03-15`, without building intermediate strings.
    let bytes = text.trim().as_bytes();
    if bytes.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-' {
        let number = |range: std::ops::Range<usize>| -> Option<u32> {
            bytes[range].iter().try_fold(0u32, |acc, b| {
                b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
            })
        };
        if let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) {
            return NaiveDate::from_ymd_opt(year as i32, month, day).ok_or_else(|| {
                ValueError::BadDate {
                    text: excerpt(text),
                }
            });
        }
    }
    let folded = fold_width(text);
    let unified: String = folded
        .replace('日', "")
        .chars()
        .map(|c| {
            if matches!(c, '年' | '月' | '/' | '.') {
                '-'
            } else {
                c
            }
        })
        .collect();
    let parts: Vec<&str> = unified.split('-').map(str::trim).collect();
    let bad = || ValueError::BadDate {
        text: excerpt(text),
    };
    let [year, month, day] = parts.as_slice() else {
        return Err(bad());
    };
    let year = year.parse::<i32>().map_err(|_| bad())?;
    let month = month.parse::<u32>().map_err(|_| bad())?;
    let day = day.parse::<u32>().map_err(|_| bad())?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(bad)
}

/// A decimal without trailing zeros or exponent: `1800`, `0.582`, `1320.5`.
pub fn plain(value: Decimal) -> String {
    let mut text = String::new();
    push_plain(&mut text, value);
    text
}

/// [`plain`] appended to `text`, without a string of its own.
pub fn push_plain(text: &mut String, value: Decimal) {
    let value = value.normalize();
    // Written from the integer mantissa when it fits a u64 (every amount a dossier holds),
    // as `Decimal`'s own `Display` would write it: no exponent, no trailing zeros.
    let Ok(magnitude) = u64::try_from(value.mantissa().unsigned_abs()) else {
        text.push_str(&value.to_string());
        return;
    };
    // The digits of a u64, most significant first, in a buffer on the stack.
    let mut buffer = [0u8; 20];
    let mut start = buffer.len();
    let mut rest = magnitude;
    loop {
        start -= 1;
        buffer[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let digits = std::str::from_utf8(&buffer[start..]).unwrap_or("0");
    let scale = value.scale() as usize;
    text.reserve(digits.len() + scale + 3);
    if value.is_sign_negative() && magnitude != 0 {
        text.push('-');
    }
    if scale == 0 {
        text.push_str(digits);
    } else if digits.len() > scale {
        let (whole, fraction) = digits.split_at(digits.len() - scale);
        text.push_str(whole);
        text.push('.');
        text.push_str(fraction);
    } else {
        text.push_str("0.");
        text.extend(std::iter::repeat_n('0', scale - digits.len()));
        text.push_str(digits);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    /// The quick trim must agree with `str::trim` for every character at either end.
    #[test]
    fn quick_trim_agrees_with_str_trim_for_every_character() {
        // Every whitespace character lies in the Basic Multilingual Plane; beyond it, a sample.
        let planes = (0..=0xFFFF).chain((0x10000..=0x10FFFF).step_by(97));
        for c in planes.filter_map(char::from_u32) {
            for text in [
                c.to_string(),
                format!("{c}5"),
                format!("5{c}"),
                format!("{c}万元{c}"),
            ] {
                assert_eq!(trim(&text), text.trim(), "{:?}", text);
            }
        }
        assert_eq!(trim(""), "");
        assert_eq!(trim("\u{3000}１５００\u{3000}"), "１５００");
    }

    #[test]
    fn amounts_past_the_largest_decimal_are_errors_or_shown_exactly_never_a_panic() {
        assert!(matches!(
            parse_money("9999999999999999999999999999亿元"),
            Err(ValueError::Invalid { .. })
        ));
        assert_eq!(parse_money("1亿元"), Ok(dec!(10000)));
        assert_eq!(Quantity::Ratio.display(dec!(0.582)), "58.2%");
        assert_eq!(Quantity::Ratio.display(dec!(3)), "300%");
        assert_eq!(
            Quantity::Ratio.display(Decimal::MAX),
            format!("{}×100%", Decimal::MAX)
        );
    }

    #[test]
    fn plain_writes_what_decimal_display_writes() {
        let mut mantissas: Vec<i128> = vec![0, 1, -1, 5, 10, 100, 582, 1500, 123_456_789];
        mantissas.extend([u64::MAX as i128, -(u64::MAX as i128), u64::MAX as i128 + 1]);
        mantissas.push(Decimal::MAX.mantissa());
        for mantissa in mantissas {
            for scale in 0..=28 {
                let Ok(value) = Decimal::try_from_i128_with_scale(mantissa, scale) else {
                    continue;
                };
                assert_eq!(
                    plain(value),
                    value.normalize().to_string(),
                    "{mantissa} / 10^{scale}"
                );
            }
        }
    }

    #[test]
    fn money_units_convert_to_wan_yuan() {
        assert_eq!(parse_money("2350"), Ok(dec!(2350)));
        assert_eq!(parse_money("2350万元"), Ok(dec!(2350)));
        assert_eq!(parse_money("2350万"), Ok(dec!(2350)));
        assert_eq!(parse_money("23500000元"), Ok(dec!(2350)));
        assert_eq!(parse_money("0.235亿元"), Ok(dec!(2350)));
        assert_eq!(parse_money("0.235亿"), Ok(dec!(2350)));
        assert_eq!(parse_money("23,500,000元"), Ok(dec!(2350)));
        assert_eq!(parse_money("2,350 万元"), Ok(dec!(2350)));
        assert_eq!(parse_money("１，５００万元"), Ok(dec!(1500)));
        assert_eq!(parse_money("1元"), Ok(dec!(0.0001)));
    }

    #[test]
    fn commas_only_group_thousands() {
        assert_eq!(parse_money("1,500"), Ok(dec!(1500)));
        assert_eq!(parse_money("23,500,000元"), Ok(dec!(2350)));
        assert_eq!(parse_money("1,999.5"), Ok(dec!(1999.5)));
        for slip in ["2000,5", "1,5", "2,0000", "1,50,000"] {
            assert!(
                matches!(parse_money(slip), Err(ValueError::Invalid { .. })),
                "{slip}"
            );
        }
        assert!(matches!(
            parse_ratio("69,99%"),
            Err(ValueError::Invalid { .. })
        ));
        assert!(matches!(
            parse_count("1,5"),
            Err(ValueError::Invalid { .. })
        ));
    }

    #[test]
    fn more_digits_than_exact_decimals_hold_is_an_error() {
        assert!(matches!(
            parse_money("1999.99999999999999999999999999999"),
            Err(ValueError::Invalid { .. })
        ));
        assert!(matches!(
            parse_money("99999999999999999999999999999999999"),
            Err(ValueError::Invalid { .. })
        ));
        assert_eq!(
            parse_money("0.0000000000000000000000000001"),
            Ok(dec!(0.0000000000000000000000000001))
        );
    }

    #[test]
    fn money_rejects_negative_and_unknown_units() {
        assert!(matches!(
            parse_money("-5"),
            Err(ValueError::Negative { .. })
        ));
        assert!(matches!(
            parse_money("5美元"),
            Err(ValueError::UnknownUnit { .. })
        ));
        assert!(matches!(
            parse_money("abc"),
            Err(ValueError::NotANumber { .. })
        ));
        assert!(matches!(
            parse_money(""),
            Err(ValueError::NotANumber { .. })
        ));
    }

    #[test]
    fn area_units() {
        assert_eq!(parse_area("1800"), Ok(dec!(1800)));
        assert_eq!(parse_area("1800m²"), Ok(dec!(1800)));
        assert_eq!(parse_area("1800 m2"), Ok(dec!(1800)));
        assert_eq!(parse_area("1800平方米"), Ok(dec!(1800)));
        assert_eq!(parse_area("１５００㎡"), Ok(dec!(1500)));
        assert!(matches!(
            parse_area("1800亩"),
            Err(ValueError::UnknownUnit { .. })
        ));
    }

    #[test]
    fn ratio_is_exact_and_percent_aware() {
        assert_eq!(parse_ratio("58.2%"), Ok(dec!(0.582)));
        assert_eq!(parse_ratio("69.99%"), Ok(dec!(0.6999)));
        assert_eq!(parse_ratio("70.00%"), Ok(dec!(0.7)));
        assert_eq!(parse_ratio("0.582"), Ok(dec!(0.582)));
        assert_eq!(parse_ratio("1"), Ok(dec!(1)));
        assert_eq!(parse_ratio("５８．２％"), Ok(dec!(0.582)));
    }

    #[test]
    fn bare_ratio_above_one_suggests_percent() {
        let err = parse_ratio("65").unwrap_err();
        assert_eq!(err, ValueError::RatioAboveOne { text: "65".into() });
        assert!(err.message(Lang::En).contains("\"65%\""));
        assert!(err.message(Lang::Zh).contains("\"65%\""));
        // 1.2 may be 1.2% (passes a < 70% bound) or a fraction, 120% (fails it): both are
        // offered, never only the reading that passes.
        let err = parse_ratio("1.2").unwrap_err();
        for lang in [Lang::Zh, Lang::En] {
            let message = err.message(lang);
            assert!(message.contains("\"1.2%\""), "{message}");
            assert!(message.contains("\"120%\""), "{message}");
        }
    }

    #[test]
    fn counts_are_whole() {
        assert_eq!(parse_count("12"), Ok(dec!(12)));
        assert_eq!(parse_count("12.0"), Ok(dec!(12)));
        assert_eq!(parse_count("128人"), Ok(dec!(128)));
        assert!(matches!(
            parse_count("12.5"),
            Err(ValueError::NotWhole { .. })
        ));
        assert!(matches!(
            parse_count("-1"),
            Err(ValueError::Negative { .. })
        ));
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let long = "12".to_string() + &"x".repeat(100);
        let ValueError::UnknownUnit { text, .. } = parse_money(&long).unwrap_err() else {
            panic!("expected an unknown unit");
        };
        assert_eq!(text.chars().count(), 41);
        assert!(text.ends_with('…'));
    }

    #[test]
    fn scientific_notation_from_spreadsheets() {
        assert_eq!(parse_money("1.5E+3"), Ok(dec!(1500)));
    }

    #[test]
    fn booleans_in_both_languages() {
        assert_eq!(parse_bool("是"), Ok(true));
        assert_eq!(parse_bool("否"), Ok(false));
        assert_eq!(parse_bool("TRUE"), Ok(true));
        assert!(parse_bool("maybe").is_err());
    }

    #[test]
    fn dates_in_common_spellings() {
        let expected = NaiveDate::from_ymd_opt(2024, 3, 15).unwrap();
        assert_eq!(parse_date("2024-03-15"), Ok(expected));
        assert_eq!(parse_date("2024/3/15"), Ok(expected));
        assert_eq!(parse_date("2024年3月15日"), Ok(expected));
        assert!(parse_date("2024-02-30").is_err());
    }

    #[test]
    fn display_formats() {
        assert_eq!(Quantity::Ratio.display(dec!(0.582)), "58.2%");
        assert_eq!(Quantity::Area.display_with_unit(dec!(1500)), "1500 m²");
        assert_eq!(
            Quantity::Money.display_with_unit(dec!(2000.00)),
            "2000 万元"
        );
        assert_eq!(Quantity::Count.display_with_unit(dec!(100)), "100");
    }
}
