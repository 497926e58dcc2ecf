//! `ticheck evaluate --format json`: SPEC §6's grade words (`excellent|good|fair|poor`,
//! acceptance `passed|not_passed`), exact figures as strings.
//!
//! The acceptance (第二十三条) is an estimate from the contract's targets, the expert panel
//! deciding: `"status": "estimated"` with a `basis` saying so; `"incomplete"` while an achieved
//! value is missing; `"not_assessed"` (and `"result": null`, with a `reason`) for a center deemed
//! to have given up its title (第二十六条第（三）项).

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{
    acceptance_basis, lacking_json, next_grade_text, not_assessed_reason, points_json, GradeSummary,
};
use crate::evaluation::{target_met, AcceptanceOutcome, Evaluation, Standing};
use crate::i18n::{Lang, Text};
use crate::profile::value::plain;
use crate::report::json::{error_value, indented, location};
use crate::rules::evaluation::{Rubric, GRADES};

/// `notes`: what was said of the sheets read (the worksheet, ignored columns, skipped rows).
pub fn write(
    out: &mut dyn Write,
    rubric: &Rubric,
    evaluations: &[Evaluation<'_>],
    lang: Lang,
    notes: &[Text],
) -> io::Result<()> {
    let summary = GradeSummary::of(evaluations);
    let mut counts = serde_json::Map::new();
    for ((id, _), count) in GRADES.iter().zip(summary.graded) {
        counts.insert((*id).to_string(), json!(count));
    }
    counts.insert("incomplete".to_string(), json!(summary.incomplete));
    counts.insert("error".to_string(), json!(summary.error));
    let document = json!({
        "rubric": {
            "id": rubric.meta.id,
            "title": rubric.meta.title.get(lang),
            "document": rubric.meta.document,
            "default": rubric.meta.default,
            "notice": rubric.meta.notice.get(lang),
        },
        "results": evaluations.iter().map(|e| result(e, lang)).collect::<Vec<_>>(),
        "summary": counts,
        "notes": notes.iter().map(|note| note.get(lang)).collect::<Vec<_>>(),
    });
    writeln!(out, "{}", indented(&document, 0))
}

fn result(evaluation: &Evaluation<'_>, lang: Lang) -> Value {
    let (error, problems) = error_value(evaluation.error.as_ref(), lang);
    let rubric = evaluation.rubric;
    let (status, grade, consequence, possible, missing, vetoed_by) = match &evaluation.standing {
        Standing::Graded { grade, vetoed_by } => {
            let consequence = evaluation
                .standing
                .consequence()
                .map(|(citation, text)| json!({"citation": citation, "text": text.get(lang)}));
            (
                "graded",
                Some(*grade),
                consequence.unwrap_or(Value::Null),
                Vec::new(),
                Vec::new(),
                vetoed_by.iter().map(|veto| veto.id.as_str()).collect(),
            )
        }
        Standing::Incomplete { possible, missing } => (
            "incomplete",
            None,
            Value::Null,
            possible.iter().map(|grade| grade.id.as_str()).collect(),
            missing.clone(),
            Vec::new(),
        ),
        Standing::Error => (
            "error",
            None,
            Value::Null,
            Vec::new(),
            Vec::new(),
            Vec::new(),
        ),
    };
    let total = evaluation.total;
    let error_free = evaluation.error.is_none();
    let mut value = json!({
        "source": evaluation.source,
        "center": evaluation.center,
        "cycle": evaluation.cycle.map(|(from, to)| json!({"from": from, "to": to})),
        "status": status,
        "grade": grade.map(|grade| grade.id.as_str()),
        "grade_label": grade.map(|grade| grade.label.as_str()),
        "score": (error_free && total.is_exact()).then(|| points_json(total.low)),
        "score_range": error_free.then(|| json!({"low": points_json(total.low), "high": points_json(total.high)})),
        "possible_grades": possible,
        "consequence": consequence,
        "vetoed_by": vetoed_by,
        "missing": missing,
        "indicators": evaluation.scores.iter().map(|score| json!({
            "metric": score.indicator.metric,
            "area": score.indicator.area,
            "area_title": rubric.areas.get(score.indicator.area - 1).map(|area| area.title.get(lang)),
            "value": score.value.map(plain),
            "points": score.points.map(points_json),
            "weight": plain(score.indicator.weight),
            "zero_at": plain(score.indicator.zero_at),
            "full_at": plain(score.indicator.full_at),
            "location": location(&score.at),
        })).collect::<Vec<_>>(),
        "vetoes": evaluation.vetoes.iter().map(|finding| json!({
            "id": finding.veto.id,
            "citation": finding.veto.citation,
            "imposed_by": finding.veto.imposed_by.word(),
            "basis": finding.veto.basis.get(lang),
            "title": finding.veto.title.get(lang),
            "stated": finding.stated,
            "location": location(&finding.at),
        })).collect::<Vec<_>>(),
        "governance": evaluation.governance.iter().map(|finding| json!({
            "id": finding.check.id,
            "citation": finding.check.citation,
            "title": finding.check.title.get(lang),
            "verdict": finding.verdict.word(),
            "actual": finding.actual.as_ref().map(|actual| actual.get(lang)),
            "required": finding.required.get(lang),
            "missing": finding.missing,
            "notes": finding.notes.iter().map(|note| note.get(lang)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "acceptance": evaluation.acceptance.as_ref().map(|acceptance| {
            let outcome = acceptance.outcome;
            let terms = &rubric.acceptance;
            let consequence = outcome.consequence(terms);
            // 第二十六条第（三）项: a center deemed to have given up its title has no acceptance.
            let reason = (outcome == AcceptanceOutcome::NotAssessed)
                .then(|| not_assessed_reason(evaluation, lang));
            json!({
                "status": outcome.status_word(),
                "result": outcome.result_word(),
                // 第二十三条: the panel decides; this is an estimate from the targets.
                "basis": acceptance_basis(terms, lang),
                "reason": reason,
                "citation": terms.citation,
                "consequence": consequence.map(|text| text.get(lang)),
                "targets": acceptance.targets.iter().map(|target| json!({
                    "name": target.name,
                    "target": plain(target.target),
                    "achieved": target.achieved.map(plain),
                    "unit": target.unit,
                    "achieved_unit": target.achieved_unit,
                    "direction": target.direction.word(),
                    "required": target.required_text(),
                    "met": target_met(target),
                    "location": location(&target.at),
                })).collect::<Vec<_>>(),
            })
        }),
        // Points to the next grade (the evaluation's counterpart of check's gaps).
        "next_grade": evaluation.next_grade.as_ref().map(|next| json!({
            "grade": next.grade.id,
            "at_least": next.grade.at_least.map(plain),
            "short_by": plain(lacking_json(next.short_by)),
            "combined": next.combined,
            "text": next_grade_text(next, lang),
            "routes": next.routes.iter().map(|route| json!({
                "metric": route.indicator.metric,
                "from": plain(route.from),
                "to": plain(route.to),
                "increase": plain(route.increase()),
                "points": points_json(route.points),
            })).collect::<Vec<_>>(),
        })),
        "warnings": evaluation.warnings.iter().map(|w| w.get(lang)).collect::<Vec<_>>(),
        "error": error,
    });
    if !problems.is_empty() {
        value["problems"] = Value::Array(problems);
    }
    value
}
