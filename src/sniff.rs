//! Which format standard input is in, when `--input-format` does not say (issue 12): a pipe has
//! no file name to tell, so the bytes do. An Excel workbook is a zip archive (`PK\x03\x04`; an
//! old `.xls` is an OLE compound file); a TOML profile opens with a `[section]` header or a
//! `key = value` line; a sheet saved as CSV has a header line whose cells are separated by
//! commas or tabs. Anything else is left undecided, and the user is asked for
//! `--input-format`.

use crate::check::InputFormat;

/// How many bytes are looked at: the first lines are enough.
const SNIFF_BYTES: usize = 64 * 1024;

pub fn sniff(bytes: &[u8]) -> Option<InputFormat> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Some(InputFormat::Xlsx);
    }
    // UTF-16 text is a sheet saved as "Unicode text" by Excel: TOML is UTF-8 only.
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Some(InputFormat::Csv);
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    // The markers looked for are ASCII, which GB18030 text keeps as it is: a lossy reading is
    // enough.
    let text = String::from_utf8_lossy(head);
    // The first line that says something; TOML comments (`#`) and blank lines say nothing.
    let line = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))?;
    if is_toml_header(line) || is_toml_assignment(line) {
        Some(InputFormat::Toml)
    } else if line.contains([',', '\t']) {
        Some(InputFormat::Csv)
    } else {
        None
    }
}

/// `[applicant]`, `[[project]]`, `[rnd_spend]  # 万元`.
fn is_toml_header(line: &str) -> bool {
    let line = line.split('#').next().unwrap_or("").trim_end();
    let inner = line
        .strip_prefix("[[")
        .and_then(|rest| rest.strip_suffix("]]"))
        .or_else(|| {
            line.strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
        });
    inner.is_some_and(|name| {
        !name.trim().is_empty()
            && name
                .trim()
                .chars()
                .all(|c| c.is_alphanumeric() || "_-.\" ".contains(c))
    })
}

/// `name = "云南某某公司"`, `rnd_floor_area = 1800`: a bare or quoted key, then `=` and a value.
fn is_toml_assignment(line: &str) -> bool {
    let Some((key, value)) = line.split_once('=') else {
        return false;
    };
    let key = key.trim();
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
    let quoted = key.len() >= 2 && key.starts_with('"') && key.ends_with('"');
    (bare || quoted) && !value.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zip_or_an_ole_file_is_a_workbook() {
        assert_eq!(sniff(b"PK\x03\x04rest"), Some(InputFormat::Xlsx));
        assert_eq!(
            sniff(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"),
            Some(InputFormat::Xlsx)
        );
    }

    #[test]
    fn sections_or_assignments_are_toml() {
        let profile = "# 档案\n\n[applicant]\nname = \"云南某某公司\"\n";
        assert_eq!(sniff(profile.as_bytes()), Some(InputFormat::Toml));
        assert_eq!(sniff(b"\xEF\xBB\xBF[[project]]\n"), Some(InputFormat::Toml));
        assert_eq!(sniff(b"[rnd_spend] # wan\n"), Some(InputFormat::Toml));
        // A value with a comma in it is still an assignment.
        assert_eq!(
            sniff("name = \"甲, 乙\"\n".as_bytes()),
            Some(InputFormat::Toml)
        );
        assert_eq!(sniff(b"\"my key\" = 1\n"), Some(InputFormat::Toml));
    }

    #[test]
    fn a_header_with_commas_or_tabs_is_csv() {
        let sheet = "单位名称,统一社会信用代码,研发场地面积\n甲,,1800\n";
        assert_eq!(sniff(sheet.as_bytes()), Some(InputFormat::Csv));
        assert_eq!(
            sniff("单位名称\t研发场地面积\n".as_bytes()),
            Some(InputFormat::Csv)
        );
        // GB18030: the commas survive a lossy reading.
        let (gbk, _, _) = encoding_rs::GB18030.encode("单位名称,研发场地面积\n");
        assert_eq!(sniff(&gbk), Some(InputFormat::Csv));
        assert_eq!(sniff(b"\xFF\xFEa\x00"), Some(InputFormat::Csv));
    }

    #[test]
    fn anything_else_is_undecided() {
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"\n\n# only a comment\n"), None);
        assert_eq!(sniff("just some words\n".as_bytes()), None);
        assert_eq!(sniff(b"[]\n"), None);
    }
}
