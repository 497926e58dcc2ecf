//! The rulebook: the law as data.
//!
//! A rulebook file (`yunnan-2022.toml` is built in) holds the measure's metadata and validity
//! window, named year windows, derived metrics (how normalisation computes a debt ratio or a
//! count of related projects) and clauses (citation, original wording, comparator, bound,
//! applicable applicant kinds, severity), and the bound words (`[bound_words]`: how the law's
//! words for a bound read, and whether a statute or the rulebook itself says so). Loading
//! validates every reference and checks each clause's legal bound word against its comparator,
//! so a bureau's variant fails loudly at load rather than quietly at evaluation.

pub mod evaluation;
mod validate;

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::path::Path;
use std::sync::OnceLock;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};

use crate::i18n::Text;
use crate::profile::value::Quantity;

pub use validate::RulebookError;

/// The built-in rulebooks, by name.
const BUILTIN: &[(&str, &str)] = &[("yunnan-2022", include_str!("yunnan-2022.toml"))];

pub const DEFAULT_RULEBOOK: &str = "yunnan-2022";

#[derive(Debug, Clone)]
pub struct Rulebook {
    pub meta: Meta,
    pub windows: BTreeMap<String, Window>,
    pub metrics: BTreeMap<String, MetricDef>,
    pub clauses: Vec<Clause>,
    /// Remarks attached to a stated value (`[[notice]]`), reported with the verdict.
    pub notices: Vec<Notice>,
    /// The words a clause may give for its bound, in file order (`[bound_words]`; the built-in
    /// rulebook's when the file has none).
    pub bound_words: Vec<BoundWord>,
    /// Where it was loaded from (`built-in yunnan-2022` or a path), for messages.
    pub origin: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub id: String,
    pub title: Text,
    pub document: String,
    #[serde(deserialize_with = "de::date")]
    pub effective_from: NaiveDate,
    #[serde(default, deserialize_with = "de::optional_date")]
    pub effective_until: Option<NaiveDate>,
}

/// A range of years relative to Y, the year of the application date: `from = -3, to = -1`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    pub from: i32,
    pub to: i32,
    pub text: Text,
}

impl Window {
    /// The calendar years of this window for application year `year`.
    pub fn years(&self, year: i32) -> std::ops::RangeInclusive<i32> {
        (year + self.from)..=(year + self.to)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuantityName {
    Money,
    Area,
    Ratio,
    Count,
}

impl From<QuantityName> for Quantity {
    fn from(name: QuantityName) -> Quantity {
        match name {
            QuantityName::Money => Quantity::Money,
            QuantityName::Area => Quantity::Area,
            QuantityName::Ratio => Quantity::Ratio,
            QuantityName::Count => Quantity::Count,
        }
    }
}

/// A metric computed during normalisation. Exactly one of `ratio`, `count`, `sum`, `series`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricDef {
    pub label: Text,
    pub quantity: QuantityName,
    pub ratio: Option<RatioDef>,
    /// With `ratio`: a field stating the ratio directly, used when the parts are not given.
    pub declared: Option<MetricRef>,
    pub count: Option<ItemSelection>,
    pub sum: Option<ItemSum>,
    pub series: Option<SeriesSelection>,
    /// With `count` or `sum`: the summary field used when no items are listed.
    pub summary: Option<MetricRef>,
    /// With `count` or `sum`: items that count but do not match this filter are counted with
    /// doubt; a clause that passes only thanks to them stays open for the expert panel.
    pub review_unless: Option<ReviewUnless>,
    /// With `ratio`: the field that states which year the amounts are for, and the window that
    /// year should fall in (第十条第（二）项 "申报前 1 年度"); another year is a warning.
    pub year: Option<YearCheck>,
    /// With `ratio`: the parts an applicant can change to meet a bound, for the gap ("负债总额
    /// 减少…，或资产总额增加…"); each is the numerator or the denominator. Without it the gap is
    /// stated on the ratio itself, in percentage points.
    #[serde(default)]
    pub adjust: Vec<MetricRef>,
}

/// A remark the rulebook attaches to a stated value: `field` holding one of `values` (as the
/// profile's words, e.g. `comprehensive`) adds `text` to the applicant's notes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    pub field: String,
    pub values: Vec<String>,
    pub citation: String,
    pub text: Text,
}

impl Notice {
    pub fn applies(&self, profile: &crate::profile::Profile) -> bool {
        profile
            .get(&self.field)
            .is_some_and(|stated| self.values.contains(&stated.value.word()))
    }
}

/// See [`MetricDef::review_unless`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewUnless {
    #[serde(rename = "where")]
    pub filter: BTreeMap<String, Vec<String>>,
    /// What the doubtful items lack, in words (`未标注与研发方向相关`).
    pub text: Text,
}

/// See [`MetricDef::year`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearCheck {
    pub field: MetricRef,
    pub window: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatioDef {
    pub numerator: MetricRef,
    pub denominator: MetricRef,
}

/// Items of one table, optionally inside a window and matching field values.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemSelection {
    pub items: String,
    pub window: Option<String>,
    /// Item field → accepted words (`level = ["national"]`, `related = ["true"]`).
    #[serde(default, rename = "where")]
    pub filter: BTreeMap<String, Vec<String>>,
}

/// A field of the items of a selection, summed (`sum = { items = "transfer", field = "benefit" }`).
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "ItemSumDef")]
pub struct ItemSum {
    pub selection: ItemSelection,
    pub field: String,
}

/// [`ItemSum`] as the rulebook writes it: the selection's keys beside `field`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemSumDef {
    items: String,
    field: String,
    window: Option<String>,
    #[serde(default, rename = "where")]
    filter: BTreeMap<String, Vec<String>>,
}

impl From<ItemSumDef> for ItemSum {
    fn from(def: ItemSumDef) -> ItemSum {
        ItemSum {
            selection: ItemSelection {
                items: def.items,
                window: def.window,
                filter: def.filter,
            },
            field: def.field,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesSelection {
    pub table: String,
    pub window: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Article 10: decides eligibility.
    Condition,
    /// Reported, never decides.
    Advisory,
    Info,
}

impl Severity {
    pub fn word(self) -> &'static str {
        match self {
            Severity::Condition => "condition",
            Severity::Advisory => "advisory",
            Severity::Info => "info",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    pub id: String,
    /// `第十条第（四）项`.
    pub citation: String,
    pub title: Text,
    /// The sentence of the law this clause encodes, verbatim.
    pub law: String,
    pub severity: Severity,
    /// Applicant kinds the clause applies to; absent means every kind.
    pub applies_to: Option<Vec<String>>,
    /// The reading taken where the law is silent or ambiguous.
    pub interpretation: Option<Text>,
    /// A clause whose wording asks a human judgement beyond the automated bound: when the bound
    /// is met the clause passes and stays open for the expert panel, for this reason (SPEC §2,
    /// 第十条第（六）项 "一定规模").
    pub open_review: Option<Text>,
    /// An informational clause's two answers in words (`是`/`否` by default): the words say what
    /// a "no" means, e.g. that an open list (…等) merely does not name the field.
    pub answers: Option<Answers>,
    pub rule: Rule,
}

/// The words of an informational clause's yes and no.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    pub yes: Text,
    pub no: Text,
}

/// The generic rule kinds the engine evaluates.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    /// One metric against one bound.
    Threshold(Condition),
    /// Passes when any condition passes.
    AnyOf { conditions: Vec<Condition> },
    /// Passes when every condition passes.
    AllOf { conditions: Vec<Condition> },
    /// A year series: every year of the metric's window must meet the bound.
    EveryYear(Condition),
    /// A self-declared yes/no: passes on `true`, reported as self-declared.
    Attestation { metric: MetricRef },
    /// Needs an expert panel; says what evidence to prepare.
    Review { evidence: Text },
    /// SPEC §3: registration decided by the USCC's division code.
    Registration(RegistrationRule),
    /// Informational: a text field names one of the listed keywords.
    OneOf {
        metric: MetricRef,
        values: Vec<String>,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistrationRule {
    pub uscc: MetricRef,
    pub attestation: MetricRef,
    pub province_division_prefix: String,
    pub review_divisions: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Op {
    #[serde(rename = ">=")]
    AtLeast,
    #[serde(rename = ">")]
    Above,
    #[serde(rename = "<=")]
    AtMost,
    #[serde(rename = "<")]
    Below,
    #[serde(rename = "==")]
    Equals,
}

impl Op {
    pub fn holds<T: PartialOrd>(self, actual: &T, bound: &T) -> bool {
        match self {
            Op::AtLeast => actual >= bound,
            Op::Above => actual > bound,
            Op::AtMost => actual <= bound,
            Op::Below => actual < bound,
            Op::Equals => actual == bound,
        }
    }

    /// [`Op::holds`] for decimals: two values of the same scale compare by their integer
    /// mantissas, without `rust_decimal`'s general rescaling comparison.
    pub fn holds_decimal(self, actual: &Decimal, bound: &Decimal) -> bool {
        if actual.scale() == bound.scale() {
            self.holds(&actual.mantissa(), &bound.mantissa())
        } else {
            self.holds(actual, bound)
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Op::AtLeast => ">=",
            Op::Above => ">",
            Op::AtMost => "<=",
            Op::Below => "<",
            Op::Equals => "==",
        }
    }

    /// The symbol people read: `≥`, `<`.
    pub fn math(self) -> &'static str {
        match self {
            Op::AtLeast => "≥",
            Op::Above => ">",
            Op::AtMost => "≤",
            Op::Below => "<",
            Op::Equals => "=",
        }
    }

    /// Whether the bound itself satisfies the comparison.
    pub fn includes_bound(self) -> bool {
        matches!(self, Op::AtLeast | Op::AtMost | Op::Equals)
    }

    /// A larger actual value can only help (`>=`, `>`): a lower bound.
    pub fn is_lower_bound(self) -> bool {
        matches!(self, Op::AtLeast | Op::Above)
    }
}

/// One comparison: a metric, a comparator, a bound, and the legal word for the bound.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub metric: MetricRef,
    pub op: Op,
    #[serde(rename = "bound")]
    pub bound_def: BoundDef,
    /// The law's word for the bound (`以上`, `低于`): one of the rulebook's `[bound_words]`,
    /// checked against `op` on load.
    pub word: Option<String>,
    /// Filled in on load from `bound_def` and the metric's quantity.
    #[serde(skip)]
    pub bound: Bound,
    /// The metric's quantity, resolved on load (a gap's unit and whole numbers).
    #[serde(skip)]
    pub quantity: Quantity,
    /// When the metric is a ratio whose parts may move (`adjust`), those parts, resolved on
    /// load: a failed bound is then met through them.
    #[serde(skip)]
    pub parts: Option<Box<RatioParts>>,
}

/// The parts of a ratio metric, for its gap: `numerator / denominator`, and which may move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatioParts {
    pub numerator: MetricRef,
    pub denominator: MetricRef,
    pub numerator_quantity: Quantity,
    pub denominator_quantity: Quantity,
    pub adjust_numerator: bool,
    pub adjust_denominator: bool,
}

/// One word the law uses for a bound (`以上`, `低于`): the comparators it allows, whether the
/// number itself passes, and who says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundWord {
    pub word: String,
    pub ops: Vec<Op>,
    /// Whether the bound itself satisfies the word (`以上` yes, `低于` no).
    pub includes_bound: bool,
    pub source: WordSource,
}

/// Where a bound word's reading comes from: one `[bound_words.NAME]` group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordSource {
    /// The group's name (`civil_code_1259`), for messages.
    pub name: String,
    pub kind: SourceKind,
    /// A statute's citation (`《民法典》第一千二百五十九条`); for the rulebook's own reading, a
    /// note on why no statute is cited.
    pub text: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A statute defines the word; `text` cites it.
    Statute,
    /// No statute defines the word: the reading is the rulebook's.
    Rulebook,
}

/// A `[bound_words.NAME]` group as the file writes it: one source and the words it reads,
/// inclusive and exclusive, each with the comparators it allows (`"以上" = [">="]`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WordGroupDef {
    source: SourceKind,
    text: Text,
    #[serde(default)]
    inclusive: Ordered<Vec<Op>>,
    #[serde(default)]
    exclusive: Ordered<Vec<Op>>,
}

/// A TOML table whose entries are kept in file order.
#[derive(Debug)]
struct Ordered<V>(Vec<(String, V)>);

impl<V> Default for Ordered<V> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Entries<V> {
            type Value = Ordered<V>;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("a table")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Ordered<V>, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Ordered(entries))
            }
        }
        deserializer.deserialize_map(Entries(PhantomData))
    }
}

/// The groups, flattened to one entry per word in file order.
fn bound_words(groups: Ordered<WordGroupDef>) -> Vec<BoundWord> {
    let mut words = Vec::new();
    for (name, group) in groups.0 {
        let source = WordSource {
            name,
            kind: group.source,
            text: group.text,
        };
        let lists = [(true, group.inclusive), (false, group.exclusive)];
        for (includes_bound, list) in lists {
            for (word, ops) in list.0 {
                words.push(BoundWord {
                    word,
                    ops,
                    includes_bound,
                    source: source.clone(),
                });
            }
        }
    }
    words
}

/// The built-in rulebook's bound words: what a rulebook written before `[bound_words]` existed
/// reads its words by.
fn builtin_bound_words() -> &'static [BoundWord] {
    static WORDS: OnceLock<Vec<BoundWord>> = OnceLock::new();
    WORDS.get_or_init(|| {
        #[derive(Deserialize)]
        struct OnlyWords {
            bound_words: Ordered<WordGroupDef>,
        }
        let text = BUILTIN
            .iter()
            .find(|(name, _)| *name == DEFAULT_RULEBOOK)
            .map(|(_, text)| *text)
            .expect("the default rulebook is built in");
        let file: OnlyWords = ::toml::from_str(text)
            .expect("the built-in rulebook has a valid [bound_words] (tested)");
        bound_words(file.bound_words)
    })
}

/// A name the rulebook uses for a metric or a profile field, with where an applicant's value of
/// it is found. Resolved once on load, so that judging a million rows never looks a name up.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "String")]
pub struct MetricRef {
    name: String,
    slot: MetricSlot,
}

/// Where a metric's value is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MetricSlot {
    /// Not resolved (a name the rulebook's validation reports as unknown).
    #[default]
    Unresolved,
    /// The n-th derived metric of the rulebook (`[metric.*]`, in name order).
    Derived(usize),
    /// The n-th field of the profile's field registry.
    Field(usize),
}

impl MetricRef {
    pub fn as_str(&self) -> &str {
        &self.name
    }

    pub fn slot(&self) -> MetricSlot {
        self.slot
    }

    /// Finds where the name's value lives: among the rulebook's derived metrics, else among the
    /// profile's fields.
    fn resolve(&mut self, metrics: &BTreeMap<String, MetricDef>) {
        self.slot = match metrics.keys().position(|name| *name == self.name) {
            Some(index) => MetricSlot::Derived(index),
            None => crate::profile::fields::index_of(&self.name)
                .map_or(MetricSlot::Unresolved, MetricSlot::Field),
        };
    }
}

impl From<String> for MetricRef {
    fn from(name: String) -> MetricRef {
        MetricRef {
            name,
            slot: MetricSlot::Unresolved,
        }
    }
}

impl std::ops::Deref for MetricRef {
    type Target = str;
    fn deref(&self) -> &str {
        &self.name
    }
}

impl std::fmt::Display for MetricRef {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.name)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum BoundDef {
    Flag(bool),
    Text(String),
    Integer(i64),
    ByKind(BTreeMap<String, String>),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Bound {
    #[default]
    Unresolved,
    Flag(bool),
    Number(Decimal),
    /// A bound that depends on the applicant kind (Art. 28's 3:1 and 1:1).
    ByKind(BTreeMap<String, Decimal>),
}

/// What type of value a metric holds, for validation and display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricKind {
    Number(Quantity),
    Series(Quantity),
    Bool,
    Text,
}

impl Rulebook {
    /// A built-in rulebook by name, or a rulebook file by path.
    pub fn load(name_or_path: &str) -> Result<Rulebook, RulebookError> {
        let (origin, text) = read_named("rulebook", BUILTIN, name_or_path)?;
        Rulebook::parse(&origin, &text)
    }

    pub fn builtin() -> Rulebook {
        Rulebook::load(DEFAULT_RULEBOOK).expect("the built-in rulebook is valid (tested)")
    }

    /// Parses and validates rulebook text. `origin` names it in messages.
    pub fn parse(origin: &str, text: &str) -> Result<Rulebook, RulebookError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            rulebook: Meta,
            #[serde(default)]
            window: BTreeMap<String, Window>,
            bound_words: Option<Ordered<WordGroupDef>>,
            #[serde(default)]
            metric: BTreeMap<String, MetricDef>,
            clause: Vec<Clause>,
            #[serde(default)]
            notice: Vec<Notice>,
        }
        let file: File = ::toml::from_str(text).map_err(|error| {
            RulebookError::new(origin, error.to_string().trim_end().to_string())
        })?;
        let mut rulebook = Rulebook {
            meta: file.rulebook,
            windows: file.window,
            metrics: file.metric,
            clauses: file.clause,
            notices: file.notice,
            bound_words: file
                .bound_words
                .map_or_else(|| builtin_bound_words().to_vec(), bound_words),
            origin: origin.to_string(),
        };
        validate::validate(&mut rulebook)?;
        rulebook.resolve_metrics();
        Ok(rulebook)
    }

    /// Resolves every metric and field name of the clauses and derived metrics to its slot.
    fn resolve_metrics(&mut self) {
        let metrics = self.metrics.clone();
        for metric in self.metrics.values_mut() {
            if let Some(ratio) = &mut metric.ratio {
                ratio.numerator.resolve(&metrics);
                ratio.denominator.resolve(&metrics);
            }
            for name in metric.declared.iter_mut().chain(metric.summary.iter_mut()) {
                name.resolve(&metrics);
            }
            if let Some(year) = &mut metric.year {
                year.field.resolve(&metrics);
            }
            for part in &mut metric.adjust {
                part.resolve(&metrics);
            }
        }
        let mut clauses = std::mem::take(&mut self.clauses);
        let resolved = self.metrics.clone();
        let this = &*self;
        let quantity = |name: &str| match this.metric_kind(name) {
            Some(MetricKind::Number(quantity) | MetricKind::Series(quantity)) => quantity,
            _ => Quantity::Count,
        };
        let prepare = |condition: &mut Condition| {
            condition.metric.resolve(&metrics);
            condition.quantity = quantity(&condition.metric);
            condition.parts = resolved
                .get(condition.metric.as_str())
                .filter(|metric| !metric.adjust.is_empty())
                .and_then(|metric| {
                    let ratio = metric.ratio.as_ref()?;
                    Some(Box::new(RatioParts {
                        numerator: ratio.numerator.clone(),
                        denominator: ratio.denominator.clone(),
                        numerator_quantity: quantity(&ratio.numerator),
                        denominator_quantity: quantity(&ratio.denominator),
                        adjust_numerator: metric.adjust.contains(&ratio.numerator),
                        adjust_denominator: metric.adjust.contains(&ratio.denominator),
                    }))
                });
        };
        for clause in &mut clauses {
            match &mut clause.rule {
                Rule::Threshold(condition) | Rule::EveryYear(condition) => prepare(condition),
                Rule::AnyOf { conditions } | Rule::AllOf { conditions } => {
                    conditions.iter_mut().for_each(prepare)
                }
                Rule::Attestation { metric } | Rule::OneOf { metric, .. } => {
                    metric.resolve(&metrics)
                }
                Rule::Registration(rule) => {
                    rule.uscc.resolve(&metrics);
                    rule.attestation.resolve(&metrics);
                }
                Rule::Review { .. } => {}
            }
        }
        self.clauses = clauses;
    }

    /// How the law's word for a bound reads in this rulebook.
    pub fn bound_word(&self, word: &str) -> Option<&BoundWord> {
        self.bound_words.iter().find(|entry| entry.word == word)
    }

    pub fn clause(&self, id: &str) -> Option<&Clause> {
        self.clauses.iter().find(|clause| clause.id == id)
    }

    /// The type of a metric name: a derived metric of this rulebook or a profile field.
    pub fn metric_kind(&self, name: &str) -> Option<MetricKind> {
        if let Some(metric) = self.metrics.get(name) {
            let quantity = metric.quantity.into();
            return Some(if metric.series.is_some() {
                MetricKind::Series(quantity)
            } else {
                MetricKind::Number(quantity)
            });
        }
        use crate::profile::fields::{field, FieldType};
        field(name).map(|field| match field.ty {
            FieldType::Number(quantity) => MetricKind::Number(quantity),
            FieldType::Bool => MetricKind::Bool,
            FieldType::Text | FieldType::Uscc | FieldType::Date | FieldType::Choice(_) => {
                MetricKind::Text
            }
        })
    }

    /// A metric's label in one language, borrowed (a sheet writes gaps for every row).
    pub fn metric_label_in<'a>(&'a self, name: &'a str, lang: crate::i18n::Lang) -> &'a str {
        if let Some(metric) = self.metrics.get(name) {
            return metric.label.get(lang);
        }
        match crate::profile::fields::field(name) {
            Some(field) => field.label(lang),
            None => name,
        }
    }

    /// A metric's label in both languages.
    pub fn metric_label(&self, name: &str) -> Text {
        if let Some(metric) = self.metrics.get(name) {
            return metric.label.clone();
        }
        match crate::profile::fields::field(name) {
            Some(field) => Text::new(field.label_zh, field.label_en),
            None => Text::new(name, name),
        }
    }

    /// The profile fields a metric rests on, for `explain` and for "missing" messages.
    pub fn metric_fields(&self, name: &str) -> Vec<String> {
        let Some(metric) = self.metrics.get(name) else {
            return vec![name.to_string()];
        };
        let mut fields = Vec::new();
        if let Some(ratio) = &metric.ratio {
            fields.push(ratio.numerator.to_string());
            fields.push(ratio.denominator.to_string());
        }
        fields.extend(metric.declared.iter().map(|d| d.to_string()));
        if let Some(count) = &metric.count {
            fields.push(format!("[[{}]]", count.items));
        }
        if let Some(sum) = &metric.sum {
            fields.push(format!("[[{}]].{}", sum.selection.items, sum.field));
        }
        fields.extend(metric.summary.iter().map(|s| s.to_string()));
        if let Some(series) = &metric.series {
            fields.push(format!("{}.YYYY", series.table));
        }
        fields
    }

    /// Whether a date lies inside the measure's validity window.
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        date >= self.meta.effective_from
            && self.meta.effective_until.is_none_or(|until| date <= until)
    }
}

impl Clause {
    pub fn applies_to_kind(&self, kind: &str) -> bool {
        self.applies_to
            .as_ref()
            .is_none_or(|kinds| kinds.iter().any(|k| k == kind))
    }

    /// The metrics this clause reads.
    pub fn metrics(&self) -> Vec<&str> {
        match &self.rule {
            Rule::Threshold(condition) | Rule::EveryYear(condition) => vec![&condition.metric],
            Rule::AnyOf { conditions } | Rule::AllOf { conditions } => {
                conditions.iter().map(|c| c.metric.as_str()).collect()
            }
            Rule::Attestation { metric } | Rule::OneOf { metric, .. } => vec![metric],
            Rule::Review { .. } => vec![],
            Rule::Registration(rule) => vec![&rule.uscc, &rule.attestation],
        }
    }
}

/// The text of a built-in file by name (`yunnan-2022`), or of the file at a path; with the
/// origin that names it in messages. `what` says what kind of file is wanted.
pub(crate) fn read_named(
    what: &str,
    builtin: &[(&str, &'static str)],
    name_or_path: &str,
) -> Result<(String, std::borrow::Cow<'static, str>), RulebookError> {
    if let Some((name, text)) = builtin.iter().find(|(name, _)| *name == name_or_path) {
        return Ok((format!("built-in {what} {name}"), (*text).into()));
    }
    let path = Path::new(name_or_path);
    if !path.exists() {
        let names: Vec<&str> = builtin.iter().map(|(name, _)| *name).collect();
        return Err(RulebookError::new(
            name_or_path,
            format!(
                "no such {what}: not a built-in name ({}) and no file at this path",
                names.join(", ")
            ),
        ));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|error| RulebookError::new(name_or_path, format!("cannot read: {error}")))?;
    Ok((name_or_path.to_string(), text.into()))
}

mod de {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer};

    pub fn date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        let datetime = toml::value::Datetime::deserialize(deserializer)?;
        match datetime.date {
            Some(date) if datetime.time.is_none() => {
                NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())
                    .ok_or_else(|| serde::de::Error::custom("not a calendar date"))
            }
            _ => Err(serde::de::Error::custom(
                "expected a date such as 2022-04-06",
            )),
        }
    }

    pub fn optional_date<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        date(deserializer).map(Some)
    }
}
