//! 第十条第（一）项 "在云南省境内注册登记", decided as SPEC §3 sets out: by the division code in
//! the unified social credit code, falling back to the applicant's own declaration.

use super::{Finding, Note, Observed, Verdict};
use crate::normalise::{FactValue, Facts};
use crate::profile::uscc;
use crate::rules::RegistrationRule;

pub fn judge<'r>(rule: &'r RegistrationRule, facts: &Facts<'_>, finding: &mut Finding<'r>) {
    let code_fact = facts.fact(&rule.uscc);
    if let FactValue::Text(code) = &code_fact.value {
        let division = uscc::division_code(code);
        finding.at = code_fact.at.clone();
        finding.observed = Observed::Uscc(code.clone());
        finding.verdict = if division.starts_with(&rule.province_division_prefix) {
            Verdict::Pass
        } else if rule.review_divisions.iter().any(|d| d == division) {
            finding
                .notes
                .push(Note::NationalRegistration(division.to_string()));
            Verdict::Review
        } else {
            Verdict::Fail
        };
        return;
    }
    let declared = facts.fact(&rule.attestation);
    finding.at = declared.at.clone();
    finding.verdict = match declared.value {
        FactValue::Bool(flag) => {
            finding.observed = Observed::One(&rule.attestation, FactValue::Bool(flag));
            finding.self_declared = true;
            if flag {
                Verdict::Pass
            } else {
                Verdict::Fail
            }
        }
        _ => {
            finding.missing = vec![rule.uscc.to_string(), rule.attestation.to_string()];
            Verdict::Missing
        }
    };
}
