//! The unified social credit code (统一社会信用代码) of GB 32100-2015 and the administrative
//! division it names (GB/T 2260), used by SPEC §3 to decide registration in Yunnan.

use super::value::{fold_width, ValueError};

/// The 31 characters a USCC may use, in the order that gives each its value (no I, O, S, V, Z).
const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights 3^(i−1) mod 31 for positions 1..=17.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn invalid(zh: String, en: String) -> ValueError {
    ValueError::Invalid { zh, en }
}

/// A character's value (its position in [`CHARSET`]), by table: this runs for every row of a
/// bureau's sheet.
fn char_value(c: char) -> Option<u32> {
    const TABLE: [u8; 128] = {
        let mut table = [u8::MAX; 128];
        let bytes = CHARSET.as_bytes();
        let mut index = 0;
        while index < bytes.len() {
            table[bytes[index] as usize] = index as u8;
            index += 1;
        }
        table
    };
    let value = *TABLE.get(c as usize)?;
    (value != u8::MAX).then_some(value as u32)
}

/// Validates a USCC (length, character set, check character) and returns it in its standard
/// form: upper-cased, full-width characters made half-width, and spaces — the groups of four
/// that certificates and forms print (`9153 0100 MA6K …`), full-width spaces too — removed.
/// [`tidied`] says when the code was written otherwise.
pub fn validate(text: &str) -> Result<String, ValueError> {
    if let Some(code) = valid_ascii_code(text) {
        return Ok(code);
    }
    let code: String = fold_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let length = code.chars().count();
    if length != 18 {
        let code = super::value::excerpt(&code);
        return Err(invalid(
            format!("统一社会信用代码“{code}”应为 18 位，实为 {length} 位"),
            format!(
                "the unified social credit code '{code}' must have 18 characters, not {length}"
            ),
        ));
    }
    let mut values = [0u32; 18];
    for (position, c) in code.chars().enumerate() {
        match char_value(c) {
            Some(value) => values[position] = value,
            None => {
                return Err(invalid(
                    format!("统一社会信用代码第 {} 位“{c}”不是允许的字符（0-9 及除 I、O、S、V、Z 外的大写字母）", position + 1),
                    format!(
                        "character {} of the unified social credit code, '{c}', is not allowed \
                         (digits and capital letters except I, O, S, V, Z)",
                        position + 1
                    ),
                ))
            }
        }
    }
    let check = check_value(values);
    if values[17] != check {
        let expected = CHARSET.chars().nth(check as usize).unwrap_or('?');
        return Err(invalid(
            format!("统一社会信用代码“{code}”校验位错误（按 GB 32100-2015 第 18 位应为“{expected}”），请核对是否抄错"),
            format!(
                "the unified social credit code '{code}' fails its check character \
                 (GB 32100-2015 gives '{expected}' for position 18); check it for a typo"
            ),
        ));
    }
    Ok(code)
}

/// A note when a valid code was written otherwise than in its standard form `code` (with spaces,
/// lower-case letters or full-width characters): GB 32100-2015 writes it as 18 capitals and
/// digits, and the dossier should too. Nothing is wrong with the data, so it is a note, not a
/// warning, and `--strict` does not fail on it.
pub fn tidied(written: &str, code: &str) -> Option<crate::i18n::Text> {
    let written = super::value::trim(written);
    if written == code {
        return None;
    }
    let mut zh = Vec::new();
    let mut en = Vec::new();
    if written.chars().any(char::is_whitespace) {
        zh.push("去掉了空格");
        en.push("spaces removed");
    }
    if written.chars().any(|c| c.is_lowercase()) {
        zh.push("小写字母改为大写");
        en.push("lower-case letters upper-cased");
    }
    if fold_width(written)
        .chars()
        .filter(|c| !c.is_whitespace())
        .ne(written.chars().filter(|c| !c.is_whitespace()))
    {
        zh.push("全角字符改为半角");
        en.push("full-width characters made half-width");
    }
    let shown = super::value::excerpt(written);
    Some(crate::i18n::Text::new(
        format!(
            "applicant.uscc：统一社会信用代码“{shown}”按“{code}”读取（{}）；申报材料中请写成 18 位大写字母和数字",
            zh.join("、")
        ),
        format!(
            "applicant.uscc: the unified social credit code '{shown}' was read as '{code}' ({}); write it as 18 capitals and digits in the dossier",
            en.join(", ")
        ),
    ))
}

/// The usual cell, 18 ASCII characters with a right check character, upper-cased without
/// folding or collecting; `None` sends anything else to [`validate`]'s general path, which
/// explains what is wrong.
fn valid_ascii_code(text: &str) -> Option<String> {
    let mut code: [u8; 18] = super::value::trim(text).as_bytes().try_into().ok()?;
    code.make_ascii_uppercase();
    let mut values = [0u32; 18];
    for (value, byte) in values.iter_mut().zip(code) {
        *value = char_value(char::from(byte))?;
    }
    if values[17] != check_value(values) {
        return None;
    }
    String::from_utf8(code.to_vec()).ok()
}

/// The value the check character must have (GB 32100-2015): from the weighted sum of the
/// first 17 characters' values, modulo 31.
fn check_value(values: [u32; 18]) -> u32 {
    let weighted: u32 = values
        .iter()
        .zip(WEIGHTS)
        .map(|(value, weight)| value * weight)
        .sum();
    (31 - weighted % 31) % 31
}

/// Characters 3–8 of a valid USCC: the registering authority's division code.
pub fn division_code(uscc: &str) -> &str {
    uscc.get(2..8).unwrap_or("")
}

/// Yunnan's prefectures by the first four digits of the division code (GB/T 2260).
pub const YUNNAN_PREFECTURES: &[(&str, &str)] = &[
    ("5300", "云南省"),
    ("5301", "昆明市"),
    ("5303", "曲靖市"),
    ("5304", "玉溪市"),
    ("5305", "保山市"),
    ("5306", "昭通市"),
    ("5307", "丽江市"),
    ("5308", "普洱市"),
    ("5309", "临沧市"),
    ("5323", "楚雄州"),
    ("5325", "红河州"),
    ("5326", "文山州"),
    ("5328", "西双版纳州"),
    ("5329", "大理州"),
    ("5331", "德宏州"),
    ("5333", "怒江州"),
    ("5334", "迪庆州"),
];

/// The prefecture a division code names, if it is one of Yunnan's.
pub fn prefecture_of(division: &str) -> Option<&'static str> {
    let prefix = division.get(0..4)?;
    YUNNAN_PREFECTURES
        .iter()
        .find(|(code, _)| *code == prefix)
        .map(|(_, name)| *name)
}

/// Whether a declared prefecture name means the same place as the official one: users write
/// `昆明`, `昆明市`, `红河`, `红河哈尼族彝族自治州` for the names in the table.
pub fn same_prefecture(declared: &str, official: &str) -> bool {
    /// The first two characters of the name before 市 or 州, without the province.
    fn stem(name: &str) -> impl Iterator<Item = char> + '_ {
        let name = name.trim();
        let name = name.strip_prefix("云南省").unwrap_or(name);
        name.chars()
            .take_while(|c| !matches!(c, '市' | '州'))
            .take(2)
    }
    let declared = declared.trim();
    declared == official || (!declared.is_empty() && stem(declared).eq(stem(official)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a valid code from 17 characters by computing the check character.
    pub fn with_check(first17: &str) -> String {
        let sum: u32 = first17
            .chars()
            .zip(WEIGHTS)
            .map(|(c, w)| CHARSET.find(c).unwrap() as u32 * w)
            .sum();
        let check = (31 - sum % 31) % 31;
        format!("{first17}{}", CHARSET.chars().nth(check as usize).unwrap())
    }

    #[test]
    fn spec_example_is_valid() {
        assert_eq!(
            validate("91350100M000100Y43").as_deref(),
            Ok("91350100M000100Y43")
        );
        assert_eq!(division_code("91350100M000100Y43"), "350100");
    }

    #[test]
    fn wrong_check_character_is_rejected() {
        let err = validate("91350100M000100Y44").unwrap_err();
        assert!(err.message(crate::i18n::Lang::En).contains("'3'"));
    }

    #[test]
    fn wrong_length_and_characters_are_rejected() {
        assert!(validate("91350100M000100Y4").is_err());
        assert!(validate("91350100M000100YI3").is_err());
        assert!(validate("91350100M000100Y433").is_err());
    }

    #[test]
    fn lower_case_and_full_width_are_folded() {
        assert!(validate("91350100m000100y43").is_ok());
    }

    /// SPEC's valid Yunnan example of the fixtures, in the ways people write it.
    const KUNMING: &str = "91530100MA6K3L7P2D";

    #[test]
    fn spaces_of_any_width_are_removed_with_a_note() {
        for written in [
            "9153 0100 MA6K 3L7P 2D",
            "915301 00MA6K3L7P2D",
            "9153\u{3000}0100\u{3000}MA6K\u{3000}3L7P\u{3000}2D",
            "9153\t0100  MA6K3L7P2D",
        ] {
            assert_eq!(validate(written).as_deref(), Ok(KUNMING), "{written:?}");
            let note = tidied(written, KUNMING).expect("a note");
            assert!(note.zh.contains("去掉了空格"), "{note:?}");
            assert!(!note.zh.contains("小写"), "{note:?}");
            assert!(note.en.contains("'91530100MA6K3L7P2D'"), "{note:?}");
        }
    }

    #[test]
    fn lower_case_letters_are_upper_cased_with_a_note() {
        assert_eq!(validate("91530100ma6k3l7p2d").as_deref(), Ok(KUNMING));
        assert_eq!(validate("91530100Ma6K3L7p2D").as_deref(), Ok(KUNMING));
        let note = tidied("91530100ma6k3l7p2d", KUNMING).expect("a note");
        assert!(note.zh.contains("小写字母改为大写"), "{note:?}");
        assert!(!note.zh.contains("空格"), "{note:?}");
    }

    #[test]
    fn spaces_and_lower_case_together() {
        let written = "9153 0100 ma6k 3l7p 2d";
        assert_eq!(validate(written).as_deref(), Ok(KUNMING));
        let note = tidied(written, KUNMING).expect("a note");
        assert!(
            note.en
                .contains("spaces removed, lower-case letters upper-cased"),
            "{note:?}"
        );
        assert!(note.zh.starts_with("applicant.uscc："), "{note:?}");
    }

    #[test]
    fn the_standard_form_has_no_note() {
        assert_eq!(tidied(KUNMING, KUNMING), None);
        // Spaces around it are no way of writing it: every value is trimmed.
        assert_eq!(tidied(" 91530100MA6K3L7P2D\u{3000}", KUNMING), None);
    }

    #[test]
    fn still_invalid_after_tidying_is_an_error_on_the_tidied_code() {
        let en = |code: &str| validate(code).unwrap_err().message(crate::i18n::Lang::En);
        // One character short, spaces or not.
        assert!(
            en("9153 0100 MA6K 3L7P 2").ends_with("not 17"),
            "{}",
            en("9153 0100 MA6K 3L7P 2")
        );
        // A wrong check character, named on the code as read.
        let message = en("9153 0100 ma6k 3l7p 2e");
        assert!(message.contains("'91530100MA6K3L7P2E'"), "{message}");
        assert!(message.contains("'D'"), "{message}");
        // A letter the charset excludes stays excluded in lower case.
        let message = en("9153 0100 ma6k 3l7p 2i");
        assert!(
            message.contains("not allowed") || message.contains("check"),
            "{message}"
        );
        // Other separators are not guessed away.
        assert!(validate("9153-0100-MA6K-3L7P-2D").is_err());
    }

    #[test]
    fn a_code_of_the_wrong_length_is_told_its_real_length() {
        let message = |code: &str| validate(code).unwrap_err().message(crate::i18n::Lang::En);
        assert!(message("91530100MA6K3L7P2DXX").ends_with("not 20"));
        assert!(message("91530100MA6K3L7P2").ends_with("not 17"));
        assert!(message(&"9".repeat(29)).ends_with("not 29"));
    }

    #[test]
    fn the_quick_and_the_general_reading_agree() {
        let code = with_check("91530100MA6K00001");
        let full_width: String = code
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
            .collect();
        assert_eq!(validate(&code.to_lowercase()), Ok(code.clone()));
        assert_eq!(validate(&format!(" {code}\u{3000}")), Ok(code.clone()));
        assert_eq!(validate(&full_width), Ok(code.clone()));
        let wrong_check = format!("{}0", &code[..17]);
        let expected_error = validate(&format!("{wrong_check} "));
        assert!(expected_error.is_err());
        assert_eq!(
            validate(&wrong_check),
            expected_error,
            "the same message either way"
        );
    }

    #[test]
    fn yunnan_codes() {
        let kunming = with_check("91530100MA6K00001");
        assert!(validate(&kunming).is_ok());
        assert_eq!(prefecture_of(division_code(&kunming)), Some("昆明市"));
        assert_eq!(prefecture_of("532500"), Some("红河州"));
        assert_eq!(prefecture_of("350100"), None);
    }

    #[test]
    fn prefecture_names_match_loosely() {
        assert!(same_prefecture("昆明", "昆明市"));
        assert!(same_prefecture("云南省昆明市", "昆明市"));
        assert!(same_prefecture("红河哈尼族彝族自治州", "红河州"));
        assert!(same_prefecture("西双版纳傣族自治州", "西双版纳州"));
        assert!(!same_prefecture("大理州", "昆明市"));
    }
}
