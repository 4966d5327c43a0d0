"""Lifecycle metrics: one CloudWatch count (EMF, through Powertools) per consent-record event,
with the organisation as a dimension so each stack's dashboard works out of the box.
Handlers flush them with `@metrics.log_metrics`."""

from __future__ import annotations

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit

from .domain.model import Flow, Intro

metrics = Metrics()  # namespace: POWERTOOLS_METRICS_NAMESPACE


def count_events(organisation: str, intro: Intro, since: int) -> None:
    """Counts the events `intro.history` gained after its first `since` entries. A proposal's are
    counted apart (proposal_confirm, proposal_accept, ...), so a request's figures mean what they did."""
    metrics.set_default_dimensions(organisation=organisation)
    prefix = "proposal_" if intro.flow is Flow.PROPOSAL else ""
    for event in intro.history[since:]:
        metrics.add_metric(name=prefix + event.action.replace(":", "_"), unit=MetricUnit.Count, value=1)
