"""Prices (us-east-1, on-demand, as of 2025; see docs/benchmark.md) applied to a tally: what a number of
warm repetitions of it cost (the monthly bill, with cold starts and fixed costs, is bill.py)."""

from __future__ import annotations

from .bill import gb_seconds
from .meter import Tally

PRICES = {
    "http_api_per_million_requests": 1.00,
    "lambda_per_million_requests": 0.20,
    "lambda_arm64_per_gb_second": 0.0000133334,
    "dynamodb_per_million_wru": 0.625,
    "dynamodb_per_million_rru": 0.125,
    "ses_per_thousand_recipients": 0.10,
    "cloudwatch_logs_per_gb_ingested": 0.50,
}


def dollars(t: Tally, times: int = 1000) -> dict[str, float]:
    """What `times` repetitions of the tallied work cost, by service."""
    p = PRICES
    invocations = sum(t.invocations.values())
    lines = {
        "http_api": t.http * p["http_api_per_million_requests"] / 1e6,
        "lambda_requests": invocations * p["lambda_per_million_requests"] / 1e6,
        "lambda_compute": gb_seconds(t) * p["lambda_arm64_per_gb_second"],
        "dynamodb_writes": (t.wru + t.gsi_wru) * p["dynamodb_per_million_wru"] / 1e6,
        "dynamodb_reads": t.rru * p["dynamodb_per_million_rru"] / 1e6,
        "cloudwatch_logs": t.log_bytes / 1e9 * p["cloudwatch_logs_per_gb_ingested"],
        "ses": t.recipients * p["ses_per_thousand_recipients"] / 1000,
    }
    out = {k: v * times for k, v in lines.items()}
    out["total"] = sum(out.values())
    out["total_without_email"] = out["total"] - out["ses"]
    return out
