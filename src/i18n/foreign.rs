//! Messages that come from outside ticheck — the operating system, the TOML parser, the CSV
//! and workbook readers — put in Chinese for `--lang zh` (issue 12, "Chinese first": a user
//! who reads no English must still learn what went wrong). The common ones are translated;
//! anything else keeps its original text behind a Chinese lead sentence, so that nothing is
//! lost. The English side is always the library's own text, unchanged.

use std::io;

/// What an I/O error means, in Chinese: by its kind, which the operating system's message
/// ("No such file or directory (os error 2)") only spells out in English.
pub fn io_error_zh(error: &io::Error) -> String {
    use io::ErrorKind as Kind;
    // ticheck's own reason, carried through a reader that speaks only `io::Error`.
    if let Some(worded) = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<Worded>())
    {
        return worded.zh.clone();
    }
    let known = match error.kind() {
        Kind::NotFound => "文件或目录不存在",
        Kind::PermissionDenied => "没有访问权限",
        Kind::AlreadyExists => "文件已存在",
        Kind::IsADirectory => "这是一个目录，不是文件",
        Kind::NotADirectory => "路径中有一级不是目录",
        Kind::ReadOnlyFilesystem => "文件系统为只读",
        Kind::StorageFull => "磁盘空间已满",
        Kind::FileTooLarge => "文件过大",
        Kind::UnexpectedEof => "文件意外结束（可能不完整）",
        Kind::InvalidFilename => "文件名无效或过长",
        Kind::BrokenPipe => "输出管道已关闭",
        Kind::OutOfMemory => "内存不足",
        _ => return format!("系统报告的错误：{error}"),
    };
    known.to_string()
}

/// An I/O error ticheck raises itself inside a reader (a line too long for a sheet…), with
/// its reason in both languages: shown as its English, told in Chinese by [`io_error_zh`].
#[derive(Debug)]
pub struct Worded {
    pub zh: String,
    pub en: String,
}

impl std::fmt::Display for Worded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

impl std::error::Error for Worded {}

/// An I/O error in the output language.
pub fn io_error(error: &io::Error, lang: super::Lang) -> String {
    match lang {
        super::Lang::Zh => io_error_zh(error),
        super::Lang::En => error.to_string(),
    }
}

/// A file that could not be written (`--output`, `init FILE`): the path and why, in the
/// output language; the English is the form ticheck has always printed.
pub fn cannot_write(path: &std::path::Path, error: &io::Error, lang: super::Lang) -> String {
    match lang {
        super::Lang::Zh => format!("无法写入 {}：{}", path.display(), io_error_zh(error)),
        super::Lang::En => format!("{}: {error}", path.display()),
    }
}

/// Writing the report failed part way (a full disk, the workbook writer): why, in the output
/// language.
pub fn write_failed(error: &io::Error, lang: super::Lang) -> String {
    match lang {
        super::Lang::Zh => format!("写出结果失败：{}", io_error_zh(error)),
        super::Lang::En => error.to_string(),
    }
}

/// What the TOML parser said (`invalid basic string, expected `"``), in Chinese: the
/// description by a table of the parser's messages, then what it expected. A message not in
/// the table is kept as the parser wrote it, after a Chinese lead.
pub fn toml_syntax_zh(message: &str) -> String {
    let (description, expected) = match message.split_once(", expected ") {
        Some((description, expected)) => (description, Some(expected)),
        None => (message, None),
    };
    let Some(zh) = toml_description_zh(description) else {
        return format!("解析器的原文为：{message}");
    };
    match expected {
        None => zh.to_string(),
        Some(expected) => {
            let items: Vec<String> = expected.split(", ").map(expected_zh).collect();
            format!("{zh}，此处应为 {}", items.join(" 或 "))
        }
    }
}

/// The parser's descriptions (toml_parser 1.x), the ones a hand-edited profile meets.
fn toml_description_zh(description: &str) -> Option<&'static str> {
    Some(match description {
        "invalid basic string" => "字符串无效（可能缺少结尾的引号 \"）",
        "invalid multi-line basic string" => "多行字符串无效（可能缺少结尾的 \"\"\"）",
        "invalid literal string" => "字符串无效（可能缺少结尾的单引号 '）",
        "invalid multi-line literal string" => "多行字符串无效（可能缺少结尾的 '''）",
        "invalid string" => "字符串无效",
        "string values must be quoted" => "文字的值须加引号，如 name = \"某某公司\"",
        "invalid unquoted key" | "invalid key" => "键名无效（键名只能由字母、数字、_ 和 - 组成）",
        "unquoted keys cannot be empty" => "键名不能为空",
        "duplicate key" => "键名重复：同一个表中写了两次",
        "missing value" | "missing value for key" | "key with no value" => "等号后缺少值",
        "invalid value" => "值无效",
        "missing assignment between key-value pairs" => "键名后缺少 =",
        "extra assignment between key-value pairs" | "extra `=`" => "多了一个 =",
        "invalid key-value pair" => "键值对无效（应写成 键名 = 值）",
        "unexpected key or value" | "unexpected content" => "此处有多余的内容",
        "unexpected content between comment and newline" => "注释后有多余的内容",
        "unclosed table" | "missing table open" => "表头的方括号不成对（应写成 [表名]）",
        "unclosed array table" => "数组表头的方括号不成对（应写成 [[表名]]）",
        "unclosed array" => "数组缺少结尾的 ]",
        "missing array opening" => "数组缺少开头的 [",
        "missing comma between array elements" => "数组元素之间缺少逗号",
        "extra comma in array" => "数组中多了一个逗号",
        "unclosed inline table" => "内联表缺少结尾的 }",
        "missing inline table opening" => "内联表缺少开头的 {",
        "missing comma between key-value pairs" => "键值对之间缺少逗号",
        "extra comma in inline table" => "内联表中多了一个逗号",
        "invalid inline table element" | "missing key for inline table element" => {
            "内联表的元素无效"
        }
        "invalid integer number" => "整数无效",
        "invalid float" | "invalid fraction" | "invalid exponent" | "invalid mantissa" => {
            "小数无效"
        }
        "unexpected leading zero" => "数字不能以 0 开头（如 0123）",
        "`_` may only go between digits" => "数字中的 _ 只能写在两个数字之间",
        "invalid boolean" => "布尔值无效（应为 true 或 false）",
        "invalid date-time" => "日期无效（应写成 2024-06-30）",
        "carriage return must be followed by newline" => "回车符后缺少换行符",
        "invalid comment character" => "注释中有无效的控制字符",
        "missing escaped value" => "反斜杠 \\ 后缺少转义字符",
        _ => return None,
    })
}

/// One item of the parser's "expected …" list: a literal in backticks is kept, the
/// descriptions are translated.
fn expected_zh(item: &str) -> String {
    let zh = match item {
        "nothing" => "结束",
        "newline" => "换行",
        "value" => "值",
        "key" => "键名",
        "digit" => "数字",
        "comment" => "注释",
        "whitespace" => "空格",
        _ => return item.to_string(),
    };
    zh.to_string()
}

/// What the CSV reader said, in Chinese: its I/O errors by kind; anything else behind a lead.
pub fn csv_error_zh(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Io(io) => io_error_zh(io),
        csv::ErrorKind::Utf8 { .. } => "内容不是有效的 UTF-8 文本".to_string(),
        _ => format!("读取器的原文为：{error}"),
    }
}

/// What the workbook reader (calamine) said, in Chinese: the common failures of a file that is
/// not a workbook, or a damaged one; anything else behind a lead.
pub fn workbook_error_zh(error: &str) -> String {
    if error.contains("Cannot detect file format") {
        "无法识别文件格式：不是 Excel 工作簿（.xlsx），或文件已损坏".to_string()
    } else if error.contains("Zip error") || error.contains("invalid Zip archive") {
        "工作簿文件已损坏（不是完整的 .xlsx 压缩包）".to_string()
    } else if error.contains("password") || error.contains("Password") {
        "工作簿有密码保护；请先取消密码后另存".to_string()
    } else {
        format!("读取器的原文为：{error}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_messages_are_chinese() {
        let missing = io::Error::from(io::ErrorKind::NotFound);
        assert_eq!(io_error_zh(&missing), "文件或目录不存在");
        assert_eq!(
            toml_syntax_zh("invalid basic string, expected `\"`"),
            "字符串无效（可能缺少结尾的引号 \"），此处应为 `\"`"
        );
        assert_eq!(
            toml_syntax_zh("duplicate key"),
            "键名重复：同一个表中写了两次"
        );
    }

    #[test]
    fn the_rest_keeps_its_words_behind_a_chinese_lead() {
        assert_eq!(
            toml_syntax_zh("something new"),
            "解析器的原文为：something new"
        );
        let odd = io::Error::other("odd");
        assert_eq!(io_error_zh(&odd), "系统报告的错误：odd");
    }
}
