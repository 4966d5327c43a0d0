"""An organisation's monthly bill: the fixed costs of what template.yaml creates, counted from its own
resources and default parameters, plus the variable cost of the completed introductions it serves, from
the calls the walks counted. List prices (us-east-1, on demand); the free tier is shown as its own line.

Assumptions, each pessimistic (docs/benchmark.md):
- every invocation for an introduction is a cold start (a quiet service) and Lambda bills its init phase;
  the scheduler's every run is too;
- custom metrics are billed per hour in which they get a datapoint, the datapoints spread evenly over the
  month; the table keeps a year of introductions; stored logs are as large as ingested ones;
- free tier: only what never expires (Lambda, CloudWatch, DynamoDB storage, KMS requests, EventBridge
  Scheduler); the HTTP API's and SES's 12-month allowances are left out."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager

from local import template

from .meter import Tally

HOURS = 730  # in a month
PRICE = {
    "secret_month": 0.40,
    "secrets_per_10k_calls": 0.05,
    "kms_key_month": 1.00,
    "kms_per_10k_requests": 0.03,
    "alarm_metric_month": 0.10,
    "dashboard_month": 3.00,
    "custom_metric_month": 0.30,
    "logs_ingested_gb": 0.50,
    "logs_stored_gb_month": 0.03,
    "lambda_per_million": 0.20,
    "lambda_arm64_gb_second": 0.0000133334,
    "dynamodb_per_million_wru": 0.625,
    "dynamodb_per_million_rru": 0.125,
    "dynamodb_gb_month": 0.25,
    "pitr_gb_month": 0.20,
    "scheduler_per_million": 1.00,
    "http_api_per_million": 1.00,
    "ses_per_thousand_recipients": 0.10,
}
FREE = {  # a month, never expiring
    "alarm_metrics": 10,
    "dashboards": 3,
    "custom_metrics": 10,
    "logs_gb": 5.0,
    "lambda_requests": 1_000_000,
    "lambda_gb_seconds": 400_000,
    "kms_requests": 20_000,
    "dynamodb_gb": 25.0,
    "scheduler_invocations": 14_000_000,
}


# The alarm topic on the organisation's own key (one for several stacks), as TopicKeyArn takes it.
SHARED_TOPIC_KEY = {"TopicKeyArn": "arn:aws:kms:us-east-1:111122223333:key/shared-by-several-stacks"}
_chosen: dict[str, str] = {}


@contextmanager
def parameters(**chosen: str) -> Iterator[None]:
    """Price the stack deployed with these parameters instead of the defaults."""
    before = dict(_chosen)
    _chosen.update(chosen)
    try:
        yield
    finally:
        _chosen.clear()
        _chosen.update(before)


def defaults() -> dict:
    found = {name: spec.get("Default") for name, spec in template.load().get("Parameters", {}).items()}
    return found | _chosen


def created(resource: dict) -> bool:
    """Whether a resource exists with the chosen (by default, the default) parameters (conditions of the form Equals [Ref, value])."""
    condition = resource.get("Condition")
    if not condition:
        return True
    rule = template.load()["Conditions"][condition]
    if isinstance(rule, list) and len(rule) == 2 and isinstance(rule[0], str):
        return str(defaults().get(rule[0])) == str(rule[1])
    return True


def resources(kind: str) -> dict:
    return {n: r for n, r in template.resources(kind).items() if created(r)}


def memory_mb(function: str) -> int:
    f = template.resources("AWS::Serverless::Function")[function]["Properties"]
    size = f.get("MemorySize", template.load()["Globals"]["Function"]["MemorySize"])
    return int(defaults()[size]) if isinstance(size, str) else int(size)


def customer_keys() -> int:
    """Customer-managed KMS keys the stack creates. A topic CloudWatch alarms publish to cannot use the
    AWS-managed alias/aws/sns, so a template naming it is priced as it must become: with one key of its own.
    A key named by TopicKeyArn is the organisation's, shared with other stacks: not this stack's to pay."""
    keys = len(resources("AWS::KMS::Key"))
    managed = [
        t
        for t in resources("AWS::SNS::Topic").values()
        if t["Properties"].get("KmsMasterKeyId") == "alias/aws/sns"
    ]
    return keys or (1 if managed else 0)


def alarm_metrics() -> int:
    return sum(
        len(a["Properties"].get("Metrics", [])) or 1
        for a in resources("AWS::CloudWatch::Alarm").values()
        if "AlarmRule" not in a["Properties"]
    )


def composite_alarms() -> int:
    return len(resources("AWS::CloudWatch::CompositeAlarm"))


def schedule_runs() -> int:
    runs = 0
    for f in template.resources("AWS::Serverless::Function").values():
        for e in f["Properties"].get("Events", {}).values():
            if e["Type"] in ("Schedule", "ScheduleV2"):
                n, unit = re.fullmatch(
                    r"rate\((\d+) (minute|minutes|hour|hours)\)", e["Properties"]["ScheduleExpression"]
                ).groups()
                runs += HOURS * (60 // int(n) if unit.startswith("minute") else 1 / int(n))
    return int(runs)


def _hours_with_data(datapoints: float) -> float:
    """Expected hours of the month with at least one datapoint, the datapoints falling at random hours."""
    return HOURS * (1 - (1 - 1 / HOURS) ** datapoints)


def monthly(
    intros: int, per_intro: Tally, idle_run: Tally, init_ms: dict[str, float], intro_bytes: int
) -> dict:
    """Line items (USD) for a month with `intros` completed introductions, and the free tier's share."""
    p, runs = PRICE, schedule_runs()
    scheduler = "SchedulerFunction"
    cold = {f: n * intros for f, n in per_intro.invocations.items()}
    cold[scheduler] = cold.get(scheduler, 0) + runs * sum(idle_run.invocations.values())
    requests = sum(cold.values())
    gb_s = sum(n * (init_ms.get(f, 0)) / 1000 * memory_mb(f) / 1024 for f, n in cold.items())
    gb_s += intros * gb_seconds(per_intro)
    gb_s += runs * idle_run.billed_ms / 1000 * memory_mb(scheduler) / 1024
    log_gb = (intros * per_intro.log_bytes + runs * idle_run.log_bytes) / 1e9
    table_gb = intros * 12 * intro_bytes / 1e9
    metric_hours = {}
    for key, n in per_intro.metrics.items():
        metric_hours[key] = _hours_with_data(n * intros)
    for key, n in idle_run.metrics.items():
        metric_hours[key] = min(HOURS, metric_hours.get(key, 0) + _hours_with_data(n * runs))
    metric_months = sum(metric_hours.values()) / HOURS
    secrets = len(resources("AWS::SecretsManager::Secret"))
    # Bounces and complaints reach the feedback function over EventBridge (SES's events on the default bus and
    # the rules matching them cost nothing); only alarm notifications use a topic's key, a handful a month.
    kms_requests = 0
    lines = {
        "Secrets Manager: hash key": secrets * p["secret_month"]
        + requests * p["secrets_per_10k_calls"] / 1e4,
        "KMS: customer-managed key (alarm topic)": customer_keys() * p["kms_key_month"]
        + kms_requests * p["kms_per_10k_requests"] / 1e4,
        f"CloudWatch alarms ({alarm_metrics()} metrics, {composite_alarms()} composite)": alarm_metrics()
        * p["alarm_metric_month"]
        + composite_alarms() * 0.50,
        "CloudWatch dashboard (CreateDashboard=false)"
        if not resources("AWS::CloudWatch::Dashboard")
        else "CloudWatch dashboard": len(resources("AWS::CloudWatch::Dashboard")) * p["dashboard_month"],
        f"Custom metrics ({len(metric_hours)} name×dimension sets, by the hour)": metric_months
        * p["custom_metric_month"],
        f"Scheduler: {runs:,} runs (Lambda, queries, EventBridge Scheduler)": runs
        * (p["lambda_per_million"] / 1e6 + p["scheduler_per_million"] / 1e6)
        + runs
        * (idle_run.rru * p["dynamodb_per_million_rru"] + idle_run.wru * p["dynamodb_per_million_wru"])
        / 1e6,
        "Lambda: requests and GB-seconds (init included)": (requests - runs) * p["lambda_per_million"] / 1e6
        + gb_s * p["lambda_arm64_gb_second"],
        "Logs: ingestion and storage": log_gb * (p["logs_ingested_gb"] + p["logs_stored_gb_month"]),
        "DynamoDB: requests": intros
        * (per_intro.wru + per_intro.gsi_wru)
        * p["dynamodb_per_million_wru"]
        / 1e6
        + intros * per_intro.rru * p["dynamodb_per_million_rru"] / 1e6,
        "DynamoDB: storage and point-in-time recovery": table_gb
        * (p["dynamodb_gb_month"] + p["pitr_gb_month"]),
        "HTTP API": intros * per_intro.http * p["http_api_per_million"] / 1e6,
        "SES": intros * per_intro.recipients * p["ses_per_thousand_recipients"] / 1000,
    }
    free = {
        "alarms": min(alarm_metrics(), FREE["alarm_metrics"]) * p["alarm_metric_month"],
        "dashboard": min(len(resources("AWS::CloudWatch::Dashboard")), FREE["dashboards"])
        * p["dashboard_month"],
        "custom metrics": min(metric_months, FREE["custom_metrics"]) * p["custom_metric_month"],
        "Lambda": min(requests, FREE["lambda_requests"]) * p["lambda_per_million"] / 1e6
        + min(gb_s, FREE["lambda_gb_seconds"]) * p["lambda_arm64_gb_second"],
        "logs": min(log_gb, FREE["logs_gb"]) * (p["logs_ingested_gb"] + p["logs_stored_gb_month"]),
        "KMS requests": min(kms_requests, FREE["kms_requests"]) * p["kms_per_10k_requests"] / 1e4,
        "table storage": min(table_gb, FREE["dynamodb_gb"]) * p["dynamodb_gb_month"],
        "EventBridge Scheduler": min(runs, FREE["scheduler_invocations"]) * p["scheduler_per_million"] / 1e6,
    }
    total = sum(lines.values())
    return {
        "intros": intros,
        "lines": lines,
        "total": total,
        "free_tier": sum(free.values()),
        "beyond_free_tier": total - sum(free.values()),
        "without_email": total - lines["SES"],
        "lambda_gb_seconds": gb_s,
        "cold_starts": requests,
    }


def gb_seconds(t: Tally) -> float:
    """What the tallied invocations bill, each function at its own memory size."""
    return sum(ms / 1000 * memory_mb(f) / 1024 for f, ms in t.billed_by.items())


def table(
    intros_per_month: list[int],
    per_intro: Tally,
    idle_run: Tally,
    init_ms: dict[str, float],
    intro_bytes: int,
) -> list[dict]:
    return [monthly(n, per_intro, idle_run, init_ms, intro_bytes) for n in intros_per_month]


def per_thousand_without_email(rows: list[dict]) -> float:
    """The variable cost of 1,000 completed introductions (no email), from the month-on-month difference."""
    by = {r["intros"]: r for r in rows}
    low, high = min(by), max(by)
    return (
        (by[high]["without_email"] - by[low]["without_email"]) / (high - low) * 1000
        if high > low
        else math.nan
    )
