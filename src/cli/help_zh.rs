//! `--help` in Chinese (issue 12): the command line's texts as data — each command's about and
//! each argument's help, keyed by command and argument id — laid over the English definitions
//! when the language is Chinese. An argument or command missing here keeps its English text,
//! and a test lists every one, so none goes missing unnoticed.

use clap::{Arg, ArgAction, Command};

/// `(command, about)`; the empty command is `ticheck` itself.
pub const ABOUT: &[(&str, &str)] = &[
    ("", "按《云南省技术创新中心建设运行管理办法（试行）》检查申报单位是否符合第十条的申报条件，并评估已建创新中心"),
    ("check", "逐条检查申报单位档案（.toml、.csv、.xlsx）是否符合规则库各条款"),
    ("evaluate", "评估已建创新中心的 3 年绩效（第二十三至二十七条）：得分、等级 优/良/中/差 及其后果、运行管理和建设期考核评估"),
    ("rules", "列出当前规则库的条款"),
    ("explain", "说明一个条款：法规原文、要求、界限是否含本数、所用字段"),
    ("init", "写出带注释的档案模板（或用 --sheet 写出 Excel 工作簿模板）"),
    ("schema", "输出档案的 JSON Schema，供编辑器（taplo、VS Code）补全和检查 TOML"),
    ("serve", "在本机回环地址上提供网页和 JSON 接口（第 8 节）"),
    ("completions", "输出命令行补全脚本"),
    ("man", "输出 man 手册页（roff 格式），如 `ticheck man > ticheck.1`"),
    ("help", "显示本帮助或某个子命令的帮助"),
];

/// `(command, argument id, help)`; the command `*` is any command.
pub const ARGS: &[(&str, &str, &str)] = &[
    ("*", "lang", "输出语言 [默认：LANG/LC_ALL 以 zh 开头时为中文，否则英文]"),
    ("*", "color", "诊断信息着色：auto（标准错误为终端且未设 NO_COLOR 时）、always、never"),
    ("*", "help", "显示帮助"),
    ("*", "version", "显示版本"),
    ("*", "rulebook", "内置规则库名称，或规则库 TOML 文件路径"),
    ("*", "output", "把报告写入该文件，而不是标准输出"),
    ("*", "quiet", "不在标准输出打印报告；退出码和诊断信息照常"),
    ("check", "files", "要检查的档案（.toml、.csv、.xlsx）；`-` 读标准输入（格式按内容判断，或用 --input-format 指定）"),
    ("check", "format", "输出格式 [默认：按 --output 文件扩展名（.json、.csv、.sarif、.xml、.md、.xlsx），否则为表格]"),
    ("check", "as_of", "按该日期申报计算（决定“近3年”“近两年”等年度窗口）"),
    ("check", "input_format", "标准输入（-，不指定时按内容判断）以及扩展名无法判断格式的文件的格式"),
    ("check", "encoding", "CSV 输入的文字编码 [默认：自动识别 UTF-8、带 BOM 的 UTF-8、GB18030/GBK、UTF-16]"),
    ("check", "strict", "把警告视为不通过（退出码 1）"),
    ("check", "detail", "多个申报单位时，也打印每个单位的逐条表格"),
    ("check", "near_miss", "批量检查时，把不符合条件不超过 N 项且不缺数据的申报单位列入培育库，最接近的在前"),
    ("check", "sheet", "读取 .xlsx 工作簿中的该工作表 [默认：第一个有可识别表头的工作表]"),
    ("check", "output_encoding", "CSV 输出的文字编码：带 BOM 的 UTF-8（Excel 打开不乱码）、utf-8（供程序读取），或 GB18030（旧版 Excel、WPS）"),
    ("evaluate", "files", "评估档案（.toml；`ticheck init --evaluation` 可生成模板），或一轮评估的汇总表（.csv、.xlsx，每行一个中心；`ticheck init --evaluation --sheet` 可生成模板）；`-` 从标准输入读取 TOML 档案"),
    ("evaluate", "format", "输出格式 [默认：按 --output 文件扩展名（.json、.csv、.sarif、.xml、.md、.xlsx），否则为表格]"),
    ("evaluate", "targets", "汇总表中各中心的建设任务书（合同）指标（.csv 或 .xlsx，每行一个指标，以中心名称或统一社会信用代码对应）[默认：工作簿中的合同指标工作表]"),
    ("evaluate", "sheet", "读取 .xlsx 工作簿中的该工作表 [默认：第一个有可识别表头的工作表]"),
    ("evaluate", "detail", "多个中心时，也打印每个中心的逐项指标表"),
    ("evaluate", "encoding", "CSV 输入的文字编码 [默认：自动识别 UTF-8、带 BOM 的 UTF-8、GB18030/GBK、UTF-16]"),
    ("evaluate", "output_encoding", "CSV 输出的文字编码：带 BOM 的 UTF-8（Excel 打开不乱码）、utf-8（供程序读取），或 GB18030（旧版 Excel、WPS）"),
    ("evaluate", "rubric", "内置评分细则名称，或评分细则 TOML 文件路径（内置的是 ticheck 的默认细则：办法未公布评分细则）"),
    ("rules", "format", "`markdown` 输出参考文档 docs/clauses.md"),
    ("explain", "id", "条款编号，如 A10.4.floor-area"),
    ("init", "kind", "模板的申报单位类型"),
    ("init", "evaluation", "改为写出已建创新中心的评估档案模板（供 `ticheck evaluate` 使用）"),
    ("init", "output", "把模板写入该文件，而不是标准输出"),
    ("init", "force", "文件已存在时覆盖"),
    ("init", "sheet", "写出供州市科技局下发的 Excel 工作簿模板（每行一个单位、中文表头、下拉选项、表头批注、填表说明）到该 .xlsx 文件"),
    ("schema", "evaluation", "改为输出评估档案（ticheck evaluate）的 JSON Schema"),
    ("serve", "addr", "监听地址；除非另行指定，只监听本机回环地址"),
    ("serve", "rubric", "/api/evaluate 使用的内置评分细则名称，或评分细则 TOML 文件路径"),
    ("serve", "max_body", "可接受的最大请求体字节数（超过的回答 413）"),
    ("serve", "timeout", "一个请求最多可用的秒数，超时回答 408"),
    ("serve", "max_sheet_jobs", "同时核查的表格数；其余上传排队等候，等候的过多时回答 503"),
    ("completions", "shell", "要生成补全脚本的 shell"),
];

/// `(command, text after the options)`.
pub const AFTER: &[(&str, &str)] = &[
    ("", "退出码：0 全部申报单位未发现不符合项；1 至少一个不符合或材料不全；2 用法错误、文件无法读取或档案无效。"),
    ("check", "退出码：0 全部申报单位未发现不符合项；1 至少一个不符合或材料不全（使用 --strict 时，有警告亦为 1）；2 用法错误、文件无法读取或档案无效（其余申报单位照常检查和报告）。"),
    ("evaluate", "退出码：0 全部创新中心评为优或良（列有合同指标时，且建设期考核评估估计为通过）；1 有评为中或差、因缺数据无法评级，或考核评估估计未通过、无法估计或不作估计；2 用法错误、档案无法读取或无效。内置评分细则是 ticheck 的默认细则：办法未公布评分细则（见 docs/evaluation.md）。"),
];

/// The texts clap writes itself, in Chinese.
const TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// The command line in Chinese: every about and help of [`ABOUT`] and [`ARGS`], Chinese
/// headings.
/// Help text with every line no wider than `width`: a longer line is broken at the line-break
/// opportunities of Chinese (between characters, never before ，。、；：）) and its continuation
/// lines indented as the line was.
pub fn fit(help: &str, width: usize) -> String {
    let mut fitted = String::with_capacity(help.len());
    for line in help.lines() {
        if crate::report::wrap::width(line) <= width {
            fitted.push_str(line);
            fitted.push('\n');
            continue;
        }
        let text = line.trim_start();
        let indent = &line[..line.len() - text.len()];
        let wrapped = crate::report::wrap::wrap(text, width.saturating_sub(indent.len()).max(20));
        for part in wrapped.lines() {
            fitted.push_str(indent);
            fitted.push_str(part);
            fitted.push('\n');
        }
    }
    fitted
}

pub fn localize(command: Command) -> Command {
    let mut command = localize_at(command, "");
    // clap adds its `help` command when the command is built: built first, then told.
    command.build();
    command.mut_subcommand("help", |help| {
        help.about("显示本帮助或某个命令的帮助")
            .help_template(TEMPLATE)
            .subcommand_help_heading("命令")
            .next_help_heading("选项")
    })
}

/// A usage error in Chinese: a Chinese lead sentence over clap's own (English) account.
pub fn usage_error(error: &clap::Error) -> String {
    use clap::error::ErrorKind;
    let lead = match error.kind() {
        ErrorKind::MissingRequiredArgument => "缺少必需的参数",
        ErrorKind::UnknownArgument => "无法识别的参数",
        ErrorKind::InvalidSubcommand => "无法识别的命令",
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => "参数的取值无效",
        ErrorKind::ArgumentConflict => "这些参数不能同时使用",
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => "参数的个数不对",
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "缺少命令：可用的命令见 ticheck --help"
        }
        _ => "命令行有误",
    };
    format!(
        "ticheck：{lead}（详见下方说明，或运行 ticheck --help）\n{}",
        error.render()
    )
}

fn localize_at(mut command: Command, path: &str) -> Command {
    if let Some((_, about)) = ABOUT.iter().find(|(name, _)| *name == path) {
        command = command.about(*about).long_about(None);
    }
    // clap's own -h and -V speak English: replaced by the same flags in Chinese.
    let top = path.is_empty();
    command = command
        .help_template(TEMPLATE)
        .next_help_heading("选项")
        .subcommand_help_heading("命令")
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助")
                .help_heading("选项"),
        );
    if top {
        command = command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本")
                .help_heading("选项"),
        );
    }
    if let Some((_, after)) = AFTER.iter().find(|(name, _)| *name == path) {
        command = command.after_help(*after).after_long_help(None);
    }
    let ids: Vec<String> = command
        .get_arguments()
        .map(|arg| arg.get_id().to_string())
        .collect();
    for id in ids {
        let help = ARGS
            .iter()
            .find(|(name, arg, _)| *name == path && *arg == id)
            .or_else(|| {
                ARGS.iter()
                    .find(|(name, arg, _)| *name == "*" && *arg == id)
            });
        if let Some((_, _, help)) = help {
            // clap writes "[possible values: …]" and "[default: …]" in English: the same,
            // in Chinese, follows the help instead.
            command = command.mut_arg(id.as_str(), |arg| {
                let mut text = (*help).to_string();
                let choices: Vec<String> = arg
                    .get_possible_values()
                    .iter()
                    .filter(|value| !value.is_hide_set())
                    .map(|value| value.get_name().to_string())
                    .collect();
                if !choices.is_empty() && !matches!(arg.get_action(), ArgAction::SetTrue) {
                    text.push_str(&format!("（可选：{}）", choices.join("、")));
                }
                let defaults: Vec<String> = arg
                    .get_default_values()
                    .iter()
                    .map(|value| value.to_string_lossy().into_owned())
                    .collect();
                if !defaults.is_empty() && !matches!(arg.get_action(), ArgAction::SetTrue) {
                    text.push_str(&format!("［默认：{}］", defaults.join("、")));
                }
                let takes_values = arg.get_action().takes_values();
                arg.help(text)
                    .long_help(None)
                    .help_heading("选项")
                    .hide_possible_values(takes_values)
                    .hide_default_value(takes_values)
            });
        }
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    for name in names {
        command = command.mut_subcommand(name.as_str(), |sub| localize_at(sub, &name));
    }
    command
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// Every command and every argument has its Chinese text: a new flag cannot slip into the
    /// Chinese help in English.
    #[test]
    fn every_command_and_argument_has_chinese_help() {
        let command = super::super::Cli::command();
        let mut missing = Vec::new();
        let mut visit = |path: &str, command: &Command| {
            if !ABOUT.iter().any(|(name, _)| *name == path) {
                missing.push(format!("about of '{path}'"));
            }
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                let known = ARGS
                    .iter()
                    .any(|(name, arg, _)| (*name == path || *name == "*") && *arg == id);
                if !known {
                    missing.push(format!("{path} --{id}"));
                }
            }
        };
        visit("", &command);
        for sub in command.get_subcommands() {
            visit(sub.get_name(), sub);
        }
        assert!(missing.is_empty(), "no Chinese help for: {missing:?}");
    }

    #[test]
    fn the_chinese_help_has_no_english_headings_or_clap_words() {
        let mut command = localize(super::super::Cli::command());
        let mut texts = vec![command.render_help().to_string()];
        let names: Vec<String> = command
            .get_subcommands()
            .map(|sub| sub.get_name().to_string())
            .collect();
        for name in names {
            if let Some(sub) = command.find_subcommand_mut(&name) {
                texts.push(sub.render_help().to_string());
            }
        }
        for text in texts {
            assert!(text.contains("用法："), "{text}");
            for english in [
                "Usage:",
                "Options:",
                "Commands:",
                "Arguments:",
                "Print help",
                "Print version",
                "possible values",
                "[default:",
                "Exit codes",
            ] {
                assert!(!text.contains(english), "'{english}' in:\n{text}");
            }
        }
    }
}
