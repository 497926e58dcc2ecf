//! 第十条第（一）项 "在云南省境内注册登记", decided as SPEC §3 sets out: by the division code in
//! the unified social credit code, falling back to the applicant's own declaration.

use super::describe::{self, Shown};
use super::{Finding, Verdict};
use crate::i18n::Text;
use crate::normalise::{FactValue, Facts};
use crate::profile::uscc;
use crate::rules::{RegistrationRule, Rulebook};

pub fn judge(
    rulebook: &Rulebook,
    rule: &RegistrationRule,
    facts: &Facts,
    finding: &mut Finding<'_>,
) {
    let code_fact = facts.get(&rule.uscc);
    if let FactValue::Text(code) = &code_fact.value {
        let division = uscc::division_code(code);
        finding.at = code_fact.at.clone();
        let place = uscc::prefecture_of(division);
        finding.actual = Some(Shown {
            machine: format!("{code} (division {division})"),
            human: Text::new(
                format!(
                    "{code}（区划 {division}{}）",
                    place.map(|p| format!("，{p}")).unwrap_or_default()
                ),
                format!(
                    "{code} (division {division}{})",
                    place.map(|p| format!(", {p}")).unwrap_or_default()
                ),
            ),
        });
        finding.verdict = if division.starts_with(&rule.province_division_prefix) {
            Verdict::Pass
        } else if rule.review_divisions.iter().any(|d| d == division) {
            finding.notes.push(Text::new(
                format!("代码区划 {division} 表示在国家级登记机关登记（如中央在滇单位），请提供在云南省境内实际运行的证明，由评审人工核实"),
                format!(
                    "division {division} means registration with a national authority (e.g. a central institute \
                     in Yunnan); prove the organisation is located in Yunnan for a manual check"
                ),
            ));
            Verdict::Review
        } else {
            Verdict::Fail
        };
        return;
    }
    let declared = facts.get(&rule.attestation);
    finding.actual = describe::actual(rulebook, &rule.attestation, &declared);
    finding.at = declared.at.clone();
    finding.verdict = match declared.value {
        FactValue::Bool(true) => Verdict::Pass,
        FactValue::Bool(false) => Verdict::Fail,
        _ => {
            finding.missing = vec![rule.uscc.clone(), rule.attestation.clone()];
            Verdict::Missing
        }
    };
    if finding.verdict != Verdict::Missing {
        finding.mark_self_declared();
    }
}
