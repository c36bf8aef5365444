"""What a person asks of experiments: how each A/B-tested step of a sequence is doing
(docs/api.md §18)."""

from __future__ import annotations

from sqlalchemy import select

from service.db.unit_of_work import UnitOfWork
from service.domain.errors import require
from service.domain.experiments import results, stats
from service.models import Sequence, SequenceStep, Site, StepExperiment


def report(uow: UnitOfWork, site: Site, sequence_id: int) -> dict:
    """{"steps": [...]}: one entry per step with variants (404: not this site's)."""
    session = uow.session
    sequence = require(
        session.scalar(
            select(Sequence).where(
                Sequence.id == sequence_id,
                Sequence.site_id == site.id,
                Sequence.deleted_at.is_(None),
            )
        ),
        "Sequence",
    )
    counters = {
        c.position: c
        for c in session.scalars(
            select(StepExperiment).where(StepExperiment.sequence_id == sequence.id)
        )
    }
    return {
        "steps": [
            _step(step, results.counts(session, sequence.id, step), counters.get(step.position))
            for step in sequence.steps
            if step.variants
        ]
    }


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _variant(index: int, variant: dict, found: dict) -> dict:
    sent = found["sent"]
    return {
        "variant": index,
        "template_id": variant["template_id"],
        "weight": variant["weight"],
        **found,
        "open_rate": _rate(found["opened"], sent),
        "reply_rate": _rate(found["replied"], sent),
        "positive_rate": _rate(found["positive"], sent),
        "reply_interval": list(stats.credible_interval(found["replied"], sent)),
    }


def _step(step: SequenceStep, found: list[dict], counter: StepExperiment | None) -> dict:
    # Human replies decide; opens are shown, never judged (docs/api.md §18).
    verdict = stats.verdict([(c["replied"], c["sent"]) for c in found], step.min_sends)
    winner = counter.winner if counter is not None and step.auto_winner else None
    return {
        "position": step.position,
        "auto_winner": step.auto_winner,
        "min_sends": step.min_sends,
        "winner": winner,
        "winner_at": counter.winner_at if winner is not None else None,
        "variants": [_variant(i, v, found[i]) for i, v in enumerate(step.variants)],
        "verdict": {
            "leader": verdict.leader,
            "confidence": verdict.confidence,
            "decided": verdict.decided,
            "sends_to_decide": verdict.sends_to_decide,
        },
    }
