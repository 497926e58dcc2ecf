//! The field registry: every fact a profile can state, with its dotted path (the TOML key and
//! the spreadsheet header), its Chinese label (accepted as a header alias), and its type.
//!
//! Both loaders (TOML and spreadsheets) read through this table, so a field is declared once
//! and is read the same way wherever it comes from.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::uscc;
use super::value::{fold_width, parse_bool, parse_date, Quantity, ValueError};
use crate::i18n::Lang;

/// One allowed word of an enumerated field, with the Chinese spellings accepted for it.
#[derive(Debug)]
pub struct Choice {
    pub id: &'static str,
    pub aliases: &'static [&'static str],
}

#[derive(Debug, Clone, Copy)]
pub enum FieldType {
    Text,
    /// Unified social credit code (GB 32100-2015), validated on load.
    Uscc,
    Date,
    Bool,
    Number(Quantity),
    Choice(&'static [Choice]),
}

#[derive(Debug)]
pub struct FieldDef {
    /// Dotted path for top-level fields (`facilities.rnd_floor_area`); the bare key for the
    /// fields of an item (`level`).
    pub path: &'static str,
    pub label_zh: &'static str,
    pub label_en: &'static str,
    pub ty: FieldType,
}

impl FieldDef {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.label_zh, self.label_en)
    }

    /// Unit shown with this field's values, if it is a quantity.
    pub fn quantity(&self) -> Option<Quantity> {
        match self.ty {
            FieldType::Number(quantity) => Some(quantity),
            _ => None,
        }
    }
}

/// The longest text a field takes: an organisation's name or a technology field is a line,
/// not a document; a longer cell is almost always a paste gone wrong.
pub const MAX_TEXT: usize = 200;

/// A typed value, after the value syntax has been applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Date(NaiveDate),
    Bool(bool),
    Number(Decimal),
    Choice(&'static str),
}

impl Value {
    pub fn as_number(&self) -> Option<Decimal> {
        match self {
            Value::Number(number) => Some(*number),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(flag) => Some(*flag),
            _ => None,
        }
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(text) => Some(text),
            Value::Choice(id) => Some(id),
            _ => None,
        }
    }

    /// The value as a filter or display word (`national`, `true`, `2023`).
    pub fn word(&self) -> String {
        match self {
            Value::Text(text) => text.clone(),
            Value::Date(date) => date.to_string(),
            Value::Bool(flag) => flag.to_string(),
            Value::Number(number) => super::value::plain(*number),
            Value::Choice(id) => (*id).to_string(),
        }
    }
}

/// A value as it arrives from a loader, before its field's type is applied.
#[derive(Debug, Clone, Copy)]
pub enum Raw<'a> {
    /// A TOML string or a spreadsheet cell.
    Text(&'a str),
    /// A TOML integer or float, as written (exact digits).
    Number(&'a str),
    Bool(bool),
    Date(NaiveDate),
    /// A TOML table, array or time: never a valid scalar. Holds a description for messages.
    Other(&'static str),
}

impl FieldType {
    /// A note on a value read after a harmless tidy-up: a USCC written in groups or in lower
    /// case (SPEC §3 fixes its standard form); `None` for everything else.
    pub fn note(&self, raw: Raw<'_>, value: &Value) -> Option<crate::i18n::Text> {
        match (self, raw, value) {
            (FieldType::Uscc, Raw::Text(written), Value::Text(code)) => uscc::tidied(written, code),
            _ => None,
        }
    }

    pub fn parse(&self, raw: Raw<'_>) -> Result<Value, ValueError> {
        let wrong = |found: &str| ValueError::WrongType {
            found: found.to_string(),
        };
        match (self, raw) {
            (_, Raw::Other(found)) => Err(wrong(found)),
            (FieldType::Text, Raw::Text(text) | Raw::Number(text)) => {
                let text = text.trim();
                let length = text.chars().count();
                if text.is_empty() {
                    Err(ValueError::Empty)
                } else if length > MAX_TEXT {
                    Err(ValueError::Invalid {
                        zh: format!("长 {length} 个字符，超过 {MAX_TEXT} 个字符的上限（是否误粘贴了整段文字？）"),
                        en: format!(
                            "is {length} characters long, more than the {MAX_TEXT} accepted (a pasted document?)"
                        ),
                    })
                } else {
                    Ok(Value::Text(text.to_string()))
                }
            }
            (FieldType::Uscc, Raw::Text(text)) => uscc::validate(text).map(Value::Text),
            (FieldType::Date, Raw::Date(date)) => Ok(Value::Date(date)),
            (FieldType::Date, Raw::Text(text)) => parse_date(text).map(Value::Date),
            (FieldType::Bool, Raw::Bool(flag)) => Ok(Value::Bool(flag)),
            (FieldType::Bool, Raw::Text(text) | Raw::Number(text)) => {
                parse_bool(text).map(Value::Bool)
            }
            (FieldType::Number(quantity), Raw::Text(text) | Raw::Number(text)) => {
                quantity.parse(text).map(Value::Number)
            }
            (FieldType::Choice(choices), Raw::Text(text)) => parse_choice(choices, text),
            (_, Raw::Bool(_)) => Err(wrong("true/false")),
            (_, Raw::Date(_)) => Err(wrong("a date")),
            (_, Raw::Number(_)) => Err(wrong("a number")),
        }
    }
}

fn parse_choice(choices: &'static [Choice], text: &str) -> Result<Value, ValueError> {
    let trimmed = text.trim();
    let exact = |word: &str| {
        choices
            .iter()
            .find(|choice| choice.id == word || choice.aliases.contains(&word))
            .map(|choice| Value::Choice(choice.id))
    };
    if let Some(value) = exact(trimmed) {
        return Ok(value);
    }
    let folded = fold_width(text).to_lowercase().replace(['-', ' '], "_");
    if let Some(value) = exact(&folded) {
        return Ok(value);
    }
    let word = |choice: &'static Choice| {
        (
            choice.id,
            choice
                .aliases
                .iter()
                .copied()
                .find(|alias| !alias.is_ascii()),
        )
    };
    let allowed = choices.iter().map(word).collect();
    let candidates = choices
        .iter()
        .flat_map(|choice| std::iter::once(choice.id).chain(choice.aliases.iter().copied()));
    Err(ValueError::NotAChoice {
        text: super::value::excerpt(text),
        suggestion: super::suggest::closest(&folded, candidates).map(str::to_string),
        allowed,
        likely: likely_choices(choices, &folded)
            .into_iter()
            .map(word)
            .collect(),
    })
}

/// The choices a word that is none of them most likely means, by the words it contains: one
/// when the words tell (`民营企业` → 企业), several when they cannot (`新型研发机构`).
fn likely_choices(choices: &'static [Choice], text: &str) -> Vec<&'static Choice> {
    let Some(hints) = CHOICE_HINTS
        .iter()
        // By the words, not the address: a `const` list has no one address.
        .find(|hints| {
            hints
                .choices
                .iter()
                .map(|choice| choice.id)
                .eq(choices.iter().map(|choice| choice.id))
        })
    else {
        return Vec::new();
    };
    let Some((_, ids)) = hints.words.iter().find(|(word, _)| text.contains(word)) else {
        return Vec::new();
    };
    choices
        .iter()
        .filter(|choice| ids.contains(&choice.id))
        .collect()
}

/// Words that tell which choice of a closed list a free description means: the first word the
/// text contains decides, so the words that cannot tell come first.
pub struct ChoiceHints {
    pub choices: &'static [Choice],
    pub words: &'static [(&'static str, &'static [&'static str])],
}

pub const CHOICE_HINTS: &[ChoiceHints] = &[ChoiceHints {
    choices: APPLICANT_KINDS,
    words: &[
        // 新型研发机构 are registered as enterprises, institutes (事业单位) or social
        // organisations: the words alone cannot tell.
        ("新型研发机构", &["enterprise", "institute"]),
        ("研发机构", &["enterprise", "institute"]),
        ("民营", &["enterprise"]),
        ("国有", &["enterprise"]),
        ("国企", &["enterprise"]),
        ("私营", &["enterprise"]),
        ("外资", &["enterprise"]),
        ("合资", &["enterprise"]),
        ("公司", &["enterprise"]),
        ("企业", &["enterprise"]),
        ("集团", &["enterprise"]),
        ("工厂", &["enterprise"]),
        ("大学", &["university"]),
        ("学院", &["university"]),
        ("高等", &["university"]),
        ("院校", &["university"]),
        ("学校", &["university"]),
        ("研究院", &["institute"]),
        ("研究所", &["institute"]),
        ("科学院", &["institute"]),
        ("院所", &["institute"]),
        ("检验", &["tech_org"]),
        ("检测", &["tech_org"]),
        ("认证", &["tech_org"]),
        ("计量", &["tech_org"]),
        ("技术服务", &["tech_org"]),
    ],
}];

pub const APPLICANT_KINDS: &[Choice] = &[
    Choice {
        id: "enterprise",
        aliases: &["企业"],
    },
    Choice {
        id: "university",
        aliases: &["高校", "高等学校", "大学"],
    },
    Choice {
        id: "institute",
        aliases: &["科研院所", "研究院所", "研究所"],
    },
    Choice {
        id: "tech_org",
        aliases: &["技术机构", "tech_organisation", "tech_organization"],
    },
];

/// An applicant kind's name for people: its Chinese name (`企业`) or readable English words.
pub fn kind_name(id: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => APPLICANT_KINDS
            .iter()
            .find(|choice| choice.id == id)
            .and_then(|choice| choice.aliases.iter().find(|alias| !alias.is_ascii()))
            .map_or_else(|| id.to_string(), |alias| alias.to_string()),
        Lang::En => match id {
            "institute" => "research institute".to_string(),
            "tech_org" => "technical organisation".to_string(),
            other => other.replace('_', " "),
        },
    }
}

pub const CENTER_TYPES: &[Choice] = &[
    Choice {
        id: "domain",
        aliases: &["领域类"],
    },
    Choice {
        id: "comprehensive",
        aliases: &["综合类"],
    },
];

const PROJECT_LEVELS: &[Choice] = &[
    Choice {
        id: "national",
        aliases: &["国家级", "国家"],
    },
    Choice {
        id: "provincial",
        aliases: &["省级", "省"],
    },
    Choice {
        id: "other",
        aliases: &["其他", "市级", "州市级"],
    },
];

const PROJECT_ROLES: &[Choice] = &[
    Choice {
        id: "host",
        aliases: &["主持", "牵头"],
    },
    Choice {
        id: "undertake",
        aliases: &["承担", "undertaker"],
    },
    Choice {
        id: "participate",
        aliases: &["参与", "participant"],
    },
];

const STANDARD_LEVELS: &[Choice] = &[
    Choice {
        id: "industry",
        aliases: &["行业", "行业标准"],
    },
    Choice {
        id: "national",
        aliases: &["国家", "国家标准"],
    },
    Choice {
        id: "international",
        aliases: &["国际", "国际标准"],
    },
    Choice {
        id: "local",
        aliases: &["地方", "地方标准"],
    },
    Choice {
        id: "group",
        aliases: &["团体", "团体标准"],
    },
];

const STANDARD_ROLES: &[Choice] = &[
    Choice {
        id: "lead",
        aliases: &["主持", "主编", "牵头"],
    },
    Choice {
        id: "undertake",
        aliases: &["承担", "参编"],
    },
    Choice {
        id: "participate",
        aliases: &["参与"],
    },
];

const IP_KINDS: &[Choice] = &[
    Choice {
        id: "invention_patent",
        aliases: &["发明专利"],
    },
    Choice {
        id: "plant_variety",
        aliases: &["植物新品种"],
    },
    Choice {
        id: "national_crop_variety",
        aliases: &["国家级农作物品种"],
    },
    Choice {
        id: "national_new_drug",
        aliases: &["国家新药"],
    },
    Choice {
        id: "protected_tcm_variety",
        aliases: &["国家一级中药保护品种"],
    },
    Choice {
        id: "ic_layout",
        aliases: &["集成电路布图设计", "集成电路布图设计专利权"],
    },
    Choice {
        id: "utility_model",
        aliases: &["实用新型", "实用新型专利"],
    },
    Choice {
        id: "design_patent",
        aliases: &["外观设计", "外观设计专利"],
    },
    Choice {
        id: "software_copyright",
        aliases: &["软件著作权"],
    },
    Choice {
        id: "other",
        aliases: &["其他"],
    },
];

macro_rules! field_def {
    ($path:literal, $zh:literal, $en:literal, $ty:expr) => {
        FieldDef {
            path: $path,
            label_zh: $zh,
            label_en: $en,
            ty: $ty,
        }
    };
}
pub(super) use field_def;

use FieldType::{Bool, Choice as OneOf, Date, Number, Text, Uscc};
use Quantity::{Area, Count, Money, Ratio, Year};

/// Every top-level field of SPEC §4, in the order templates and spreadsheets show them.
pub const FIELDS: &[FieldDef] = &[
    field_def!("applicant.name", "单位名称", "organisation name", Text),
    field_def!(
        "applicant.uscc",
        "统一社会信用代码",
        "unified social credit code",
        Uscc
    ),
    field_def!(
        "applicant.kind",
        "单位类型",
        "applicant kind",
        OneOf(APPLICANT_KINDS)
    ),
    field_def!("applicant.prefecture", "所在州市", "prefecture", Text),
    field_def!(
        "applicant.center_type",
        "中心类别",
        "center type",
        OneOf(CENTER_TYPES)
    ),
    field_def!("applicant.field", "技术领域", "technology field", Text),
    field_def!(
        "applicant.application_date",
        "申报日期",
        "application date",
        Date
    ),
    field_def!(
        "applicant.registered_in_yunnan",
        "在云南省境内注册",
        "registered in Yunnan",
        Bool
    ),
    field_def!(
        "applicant.industry_leader",
        "行业龙头企业",
        "industry leader",
        Bool
    ),
    field_def!(
        "applicant.independent_rnd_unit",
        "相对独立研发机构",
        "independent R&D unit",
        Bool
    ),
    field_def!(
        "applicant.operating_well",
        "经营状况良好",
        "operating well",
        Bool
    ),
    field_def!(
        "applicant.host_support",
        "配套保障",
        "host unit support",
        Bool
    ),
    field_def!(
        "applicant.national_ertc_host",
        "国家工程技术研究中心依托单位",
        "host of a national ERTC",
        Bool
    ),
    field_def!(
        "applicant.partner_enterprises",
        "省内共建企业数",
        "Yunnan partner enterprises",
        Number(Count)
    ),
    field_def!(
        "finance.year",
        "财务数据年度",
        "year of the financial figures",
        Number(Year)
    ),
    field_def!(
        "finance.debt_ratio",
        "资产负债率",
        "debt ratio",
        Number(Ratio)
    ),
    field_def!(
        "finance.total_assets",
        "资产总额",
        "total assets",
        Number(Money)
    ),
    field_def!(
        "finance.total_liabilities",
        "负债总额",
        "total liabilities",
        Number(Money)
    ),
    field_def!(
        "team.fixed_staff",
        "固定人员",
        "fixed R&D staff",
        Number(Count)
    ),
    field_def!(
        "team.qualified_staff",
        "中高级职称或硕士以上人员",
        "staff with mid/senior title or master's+",
        Number(Count)
    ),
    field_def!(
        "facilities.rnd_floor_area",
        "研发场地面积",
        "R&D floor area",
        Number(Area)
    ),
    field_def!(
        "facilities.equipment_value",
        "仪器设备原值",
        "R&D equipment original value",
        Number(Money)
    ),
    field_def!(
        "record.national_projects",
        "国家级项目",
        "national projects",
        Number(Count)
    ),
    field_def!(
        "record.provincial_projects",
        "省级项目",
        "provincial projects",
        Number(Count)
    ),
    field_def!(
        "record.industry_standards",
        "行业标准",
        "industry standards",
        Number(Count)
    ),
    field_def!(
        "record.class_i_ip",
        "I类知识产权",
        "class-I IP",
        Number(Count)
    ),
    field_def!(
        "record.class_ii_ip",
        "II类知识产权",
        "class-II IP",
        Number(Count)
    ),
    field_def!(
        "record.transfers",
        "成果转化数",
        "technology transfers",
        Number(Count)
    ),
    field_def!(
        "record.transfer_benefit",
        "直接经济效益",
        "direct economic benefit of transfers",
        Number(Money)
    ),
    field_def!(
        "support.local_commitment",
        "地方支持承诺",
        "local government commitment",
        Bool
    ),
    field_def!(
        "support.pre_investment",
        "前期投入",
        "pre-investment",
        Number(Money)
    ),
    field_def!(
        "support.matching_funds",
        "配套资金",
        "committed matching funds",
        Number(Money)
    ),
];

/// The largest plausible value of a quantity field (SPEC §2 "Plausibility"), by path: a
/// top-level field (`facilities.equipment_value`), a year table (`rnd_spend`), or an item field
/// (`transfer.benefit`). A larger value is still judged, with a warning: it is almost always a
/// unit slip (元 written where the field's default is 万元) or a stray digit.
#[derive(Debug)]
pub struct Plausible {
    pub path: &'static str,
    pub max: u64,
}

/// 100 亿元 of equipment, R&D spend, investment or benefit, or 1 万亿元 on a balance sheet, a
/// million m² of floor space, a hundred thousand staff: beyond any applicant in Yunnan.
pub const PLAUSIBLE: &[Plausible] = &[
    Plausible {
        path: "finance.total_assets",
        max: 100_000_000,
    },
    Plausible {
        path: "finance.total_liabilities",
        max: 100_000_000,
    },
    Plausible {
        path: "facilities.equipment_value",
        max: 1_000_000,
    },
    Plausible {
        path: "facilities.rnd_floor_area",
        max: 1_000_000,
    },
    Plausible {
        path: "rnd_spend",
        max: 1_000_000,
    },
    Plausible {
        path: "support.pre_investment",
        max: 1_000_000,
    },
    Plausible {
        path: "support.matching_funds",
        max: 1_000_000,
    },
    Plausible {
        path: "record.transfer_benefit",
        max: 1_000_000,
    },
    Plausible {
        path: "transfer.benefit",
        max: 1_000_000,
    },
    Plausible {
        path: "team.fixed_staff",
        max: 100_000,
    },
    // The evaluation profile's amounts (SPEC §6): the same 100 亿元 over a whole cycle.
    Plausible {
        path: "indicators.rnd_spend",
        max: 1_000_000,
    },
    Plausible {
        path: "indicators.service_income",
        max: 1_000_000,
    },
    Plausible {
        path: "governance.provincial_funds",
        max: 1_000_000,
    },
    Plausible {
        path: "governance.matching_funds",
        max: 1_000_000,
    },
    Plausible {
        path: "team.qualified_staff",
        max: 100_000,
    },
    Plausible {
        path: "applicant.partner_enterprises",
        max: 1_000,
    },
    Plausible {
        path: "record.national_projects",
        max: 10_000,
    },
    Plausible {
        path: "record.provincial_projects",
        max: 10_000,
    },
    Plausible {
        path: "record.industry_standards",
        max: 10_000,
    },
    Plausible {
        path: "record.class_i_ip",
        max: 100_000,
    },
    Plausible {
        path: "record.class_ii_ip",
        max: 100_000,
    },
    Plausible {
        path: "record.transfers",
        max: 10_000,
    },
];

/// A field keyed by year (`rnd_spend.2023`, header alias `2023年研发经费`).
#[derive(Debug)]
pub struct SeriesDef {
    pub table: &'static str,
    /// Chinese label after the year: `2023年研发经费`.
    pub label_zh: &'static str,
    pub label_en: &'static str,
    pub quantity: Quantity,
}

pub const SERIES: &[SeriesDef] = &[SeriesDef {
    table: "rnd_spend",
    label_zh: "年研发经费",
    label_en: "R&D spend",
    quantity: Money,
}];

/// A repeatable itemised table (`[[project]]`).
#[derive(Debug)]
pub struct ItemDef {
    pub table: &'static str,
    pub label_zh: &'static str,
    pub label_en: &'static str,
    pub fields: &'static [FieldDef],
}

impl ItemDef {
    pub fn field(&self, key: &str) -> Option<&'static FieldDef> {
        self.fields.iter().find(|field| field.path == key)
    }
}

pub const ITEMS: &[ItemDef] = &[
    ItemDef {
        table: "project",
        label_zh: "项目",
        label_en: "project",
        fields: &[
            field_def!("name", "名称", "name", Text),
            field_def!("level", "级别", "level", OneOf(PROJECT_LEVELS)),
            field_def!("year", "年份", "year", Number(Year)),
            field_def!("role", "角色", "role", OneOf(PROJECT_ROLES)),
            field_def!(
                "related",
                "与研发方向相关",
                "related to the R&D direction",
                Bool
            ),
        ],
    },
    ItemDef {
        table: "standard",
        label_zh: "标准",
        label_en: "standard",
        fields: &[
            field_def!("name", "名称", "name", Text),
            field_def!("level", "级别", "level", OneOf(STANDARD_LEVELS)),
            field_def!("role", "角色", "role", OneOf(STANDARD_ROLES)),
            field_def!("year", "年份", "year", Number(Year)),
        ],
    },
    ItemDef {
        table: "ip",
        label_zh: "知识产权",
        label_en: "IP item",
        fields: &[
            field_def!("name", "名称", "name", Text),
            field_def!("kind", "类型", "kind", OneOf(IP_KINDS)),
            field_def!(
                "related",
                "与研发方向相关",
                "related to the R&D direction",
                Bool
            ),
            field_def!("year", "年份", "year", Number(Year)),
        ],
    },
    ItemDef {
        table: "transfer",
        label_zh: "成果转化",
        label_en: "technology transfer",
        fields: &[
            field_def!("name", "名称", "name", Text),
            field_def!("year", "年份", "year", Number(Year)),
            field_def!(
                "benefit",
                "直接经济效益",
                "direct economic benefit",
                Number(Money)
            ),
        ],
    },
];

/// A kind of profile: the fields, year series and itemised tables it may state. An applicant's
/// profile ([`APPLICATION`], SPEC §4) and a built center's evaluation profile (SPEC §6) are
/// read by the same loaders through their schema.
#[derive(Debug)]
pub struct Schema {
    pub fields: &'static [FieldDef],
    pub series: &'static [SeriesDef],
    pub items: &'static [ItemDef],
    /// The field that names the organisation, for messages and reports.
    pub name_field: &'static str,
    /// The command that writes a template of this profile, for messages.
    pub template_command: &'static str,
    index: std::sync::OnceLock<FieldIndex>,
}

type FieldIndex = std::collections::HashMap<&'static str, usize, foldhash::fast::FixedState>;

impl Schema {
    pub const fn new(
        fields: &'static [FieldDef],
        series: &'static [SeriesDef],
        items: &'static [ItemDef],
        name_field: &'static str,
        template_command: &'static str,
    ) -> Schema {
        Schema {
            fields,
            series,
            items,
            name_field,
            template_command,
            index: std::sync::OnceLock::new(),
        }
    }

    /// The position of a field in [`Schema::fields`]. A hash lookup: every clause of every
    /// row asks.
    pub fn index_of(&self, path: &str) -> Option<usize> {
        self.index
            .get_or_init(|| {
                self.fields
                    .iter()
                    .enumerate()
                    .map(|(index, field)| (field.path, index))
                    .collect()
            })
            .get(path)
            .copied()
    }

    pub fn field(&self, path: &str) -> Option<&'static FieldDef> {
        self.index_of(path).map(|index| &self.fields[index])
    }

    pub fn series(&self, table: &str) -> Option<&'static SeriesDef> {
        self.series.iter().find(|series| series.table == table)
    }

    pub fn item(&self, table: &str) -> Option<&'static ItemDef> {
        self.items.iter().find(|item| item.table == table)
    }

    /// The section names a profile may contain (`applicant`, `finance`, …, `rnd_spend`,
    /// `project`).
    pub fn sections(&self) -> Vec<&'static str> {
        let mut sections: Vec<&'static str> = Vec::new();
        for field in self.fields {
            let section = field.path.split('.').next().unwrap_or(field.path);
            if !sections.contains(&section) {
                sections.push(section);
            }
        }
        sections.extend(self.series.iter().map(|series| series.table));
        sections.extend(self.items.iter().map(|item| item.table));
        sections
    }
}

/// An applicant's profile (SPEC §4).
pub static APPLICATION: Schema =
    Schema::new(FIELDS, SERIES, ITEMS, "applicant.name", "ticheck init");

pub fn field(path: &str) -> Option<&'static FieldDef> {
    APPLICATION.field(path)
}

/// The position of a field in [`FIELDS`].
pub fn index_of(path: &str) -> Option<usize> {
    APPLICATION.index_of(path)
}

pub fn series(table: &str) -> Option<&'static SeriesDef> {
    APPLICATION.series(table)
}

pub fn item(table: &str) -> Option<&'static ItemDef> {
    APPLICATION.item(table)
}

/// The section names an applicant's profile may contain.
pub fn sections() -> Vec<&'static str> {
    APPLICATION.sections()
}

/// A label for any field path, including series years (`rnd_spend.2023`) and item fields
/// (`project[2].year`), for messages.
pub fn describe_path(path: &str, lang: Lang) -> String {
    if let Some(field) = field(path) {
        return format!("{} ({})", path, field.label(lang));
    }
    if let Some((table, year)) = path.split_once('.') {
        if let Some(series) = series(table) {
            return match lang {
                Lang::Zh => format!("{path}（{year}{}）", series.label_zh),
                Lang::En => format!("{path} ({} {year})", series.label_en),
            };
        }
    }
    path.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_and_label_is_unique() {
        let mut seen = std::collections::HashSet::new();
        for field in FIELDS {
            assert!(seen.insert(field.path), "duplicate path {}", field.path);
            assert!(
                seen.insert(field.label_zh),
                "duplicate label {}",
                field.label_zh
            );
        }
    }

    #[test]
    fn chinese_kind_words_are_accepted() {
        let kind = field("applicant.kind").unwrap();
        assert_eq!(
            kind.ty.parse(Raw::Text("高校")),
            Ok(Value::Choice("university"))
        );
        assert_eq!(
            kind.ty.parse(Raw::Text("企业")),
            Ok(Value::Choice("enterprise"))
        );
        assert_eq!(
            kind.ty.parse(Raw::Text("tech-org")),
            Ok(Value::Choice("tech_org"))
        );
        let err = kind.ty.parse(Raw::Text("enterprize")).unwrap_err();
        assert!(err
            .message(Lang::En)
            .contains("did you mean \"enterprise\""));
    }

    #[test]
    fn a_kind_that_is_no_choice_lists_the_chinese_words_and_what_it_most_likely_is() {
        let kind = field("applicant.kind").unwrap();
        for word in ["民营企业", "国有企业", "股份有限公司", "有限责任公司"] {
            let err = kind.ty.parse(Raw::Text(word)).unwrap_err();
            let zh = err.message(Lang::Zh);
            assert!(zh.contains("可选：企业、高校、科研院所、技术机构"), "{zh}");
            assert!(zh.contains("最可能是“企业”"), "{zh}");
            let en = err.message(Lang::En);
            assert!(en.contains("most likely 企业 (enterprise)"), "{en}");
        }
        let err = kind.ty.parse(Raw::Text("新型研发机构")).unwrap_err();
        let zh = err.message(Lang::Zh);
        assert!(zh.contains("无法判断"), "{zh}");
        assert!(zh.contains("“企业”或“科研院所”"), "{zh}");
        assert!(!zh.contains("最可能"), "{zh}");
        let en = err.message(Lang::En);
        assert!(en.contains("cannot tell"), "{en}");
        assert!(
            en.contains("企业 (enterprise) or 科研院所 (institute)"),
            "{en}"
        );
        // A word that tells nothing gets the list alone.
        let err = kind.ty.parse(Raw::Text("其他")).unwrap_err();
        assert!(!err.message(Lang::Zh).contains("最可能"));
    }

    #[test]
    fn types_reject_other_types() {
        let area = field("facilities.rnd_floor_area").unwrap();
        assert!(matches!(
            area.ty.parse(Raw::Bool(true)),
            Err(ValueError::WrongType { .. })
        ));
        let flag = field("applicant.industry_leader").unwrap();
        assert_eq!(flag.ty.parse(Raw::Text("是")), Ok(Value::Bool(true)));
    }
}
