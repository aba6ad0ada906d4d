"""The ``witness`` renewal requirement: at least ``min_satisfactory`` satisfactory witness
assessments in the cycle that ends.

Counted: witness assessments (not report reviews) with the result "satisfactory", dated
from ``context.cycle_start`` to ``context.as_of`` (both inclusive), and not overturned on
appeal (``AssessmentRecord.counts``). Minor or major concerns do not count. With no cycle
start (a first application), every witness up to ``as_of`` counts."""

from collections.abc import Mapping
from typing import Any

from educational.core.records import PersonRecord

from .results import EvaluationContext, Reason, RequirementResult


def check_witness(
    params: Mapping[str, Any], record: PersonRecord, context: EvaluationContext
) -> list[RequirementResult]:
    needed = int(params.get("min_satisfactory", 1))
    start, end = context.cycle_start, context.as_of
    counted = [
        a
        for a in record.assessments
        if a.kind == "witness"
        and a.counts
        and a.result == "satisfactory"
        and (start is None or start <= a.day)
        and a.day <= end
    ]
    met = len(counted) >= needed
    latest = max((a.day for a in counted), default=None)
    details = {
        "satisfactory": len(counted),
        "min_satisfactory": needed,
        "window_start": start.isoformat() if start else None,
        "as_of": end.isoformat(),
        "day": latest.isoformat() if latest else None,
        "assessment_ids": [a.assessment_id for a in counted],
    }
    since = f" since {start.isoformat()}" if start else ""
    reason = f"{len(counted)} of {needed} satisfactory witness assessments{since}"
    message = Reason(
        "witness",
        {
            "satisfactory": len(counted),
            "min_satisfactory": needed,
            "window_start": details["window_start"],
            "day": details["day"],
        },
    )
    return [RequirementResult("witness", met, reason, details, message)]
