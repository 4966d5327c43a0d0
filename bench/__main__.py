"""`python -m bench [--full] [--rounds N]`: runs every part of the benchmark, prints it, and writes
bench/results/latest.json and latest.md. See docs/benchmark.md for the method."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

from tests.conftest import TEST_ENV  # noqa: F401 -- the tests' environment, pointed at moto

os.environ["POWERTOOLS_LOG_LEVEL"] = "INFO"  # as deployed: the log bytes are part of the cost

from .meter import Meter, Tally, tap_stdout

RESULTS = Path(__file__).resolve().parent / "results"
DECISIONS = {"confirm", "approve", "accept", "decline", "opt out"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--full", action="store_true", help="also fill the table with 100,000 intros (~5 min more)")
    parser.add_argument("--rounds", type=int, default=10, help="fresh processes per function for cold start")
    parser.add_argument("--skip-cold", action="store_true", help="leave out the cold-start part")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    tap = tap_stdout()
    meter = Meter(tap)
    meter.install()
    from . import coldstart, cost, flows, report, scale, warm

    flows.walk(meter, "completed")  # warms every handler: what follows is warm
    walks = {path: flows.walk(meter, path) for path in flows.PATHS}
    completed = walks["completed"]
    steps = dict(completed.steps)
    total = Tally()
    for _, t in completed.steps:
        total.add(t)
    results = {
        "machine": machine(),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "prices": cost.PRICES,
        "memory_mb": int(cost.memory_gb() * 1024),
        "paths": {
            path: {"steps": [{"step": name, **t.as_dict()} for name, t in w.steps],
                   "total": _sum(w.steps).as_dict()}
            for path, w in walks.items()
        },
        "replayed_stream_batch": completed.duplicates.as_dict(),
        "cost_per_1000_completed": cost.dollars(total),
        "cost_per_1000_by_path": {path: cost.dollars(_sum(w.steps)) for path, w in walks.items()},
    }
    print(report.steps_table("completed", completed.steps))
    for path, w in walks.items():
        if path != "completed":
            print(report.steps_table(path, w.steps))
    print(report.cost_table(results["cost_per_1000_completed"]))

    cases = {name: steps[name] for name in ("request", "confirm page view", "confirm", "accept")}
    results["warm"] = warm.measure(tap, cases)
    print(report.warm_table(results["warm"]))

    if not args.skip_cold:
        tap.capturing = True  # the fixture's own setup logs are not part of any measurement
        try:
            results["cold_start"] = coldstart.measure(args.rounds)
        finally:
            tap.capturing = False
        print(report.cold_table(results["cold_start"]))

    sizes = [100, 10_000] + ([100_000] if args.full else [])
    results["scale"] = [scale.run(meter, n) for n in sizes]
    print(report.scale_table(results["scale"]))

    results["targets"] = targets(results, walks)
    results["seconds"] = round(time.perf_counter() - started, 1)
    print(report.targets_table(results["targets"]))
    print(f"\nfinished in {results['seconds']} s")

    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=1, default=str) + "\n")
    (RESULTS / "latest.md").write_text(report.markdown(results))
    print(f"wrote {RESULTS / 'latest.json'} and latest.md")
    return 0


def _sum(steps) -> Tally:
    total = Tally()
    for _, t in steps:
        total.add(t)
    return total


def machine() -> dict:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        cpu = next(line.split(":", 1)[1].strip() for line in lines if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    return {"python": platform.python_version(), "platform": platform.platform(), "cpu": cpu,
            "cores": os.cpu_count()}


def targets(results: dict, walks: dict) -> list[dict]:
    all_steps = [(path, name, t) for path, w in walks.items() for name, t in w.steps]
    views = [t.ddb_reads for _, name, t in all_steps if name.endswith("page view")]
    decision_writes = [
        t.calls["dynamodb.PutItem"] + t.calls["dynamodb.TransactWriteItems"]
        for _, name, t in all_steps if name in DECISIONS
    ]
    scans = sum(n for _, _, t in all_steps for op, n in t.calls.items() if op.endswith("Scan"))
    scans += sum(s["scans"] for s in results["scale"])
    done = walks["completed"].steps
    through_intro = done[: [n for n, _ in done].index("notifier: introduction") + 1]
    mails = _sum(through_intro)
    subjects = _sum(done).subjects
    out = [
        {"target": "at most 1 DynamoDB read per page view", "value": max(views), "met": max(views) <= 1},
        {"target": "1 conditional write per decision", "value": max(decision_writes),
         "met": max(decision_writes) == 1 and min(decision_writes) == 1},
        {"target": "0 Scans on request paths", "value": scans, "met": scans == 0},
        {"target": "emails through the introduction: 4 messages, 6 recipients (the minimum)",
         "value": f"{mails.emails} messages, {mails.recipients} recipients", "met": (mails.emails, mails.recipients) == (4, 6)},
        {"target": "0 duplicate emails (replayed stream batch, repeated subjects)",
         "value": results["replayed_stream_batch"]["ses_messages"] + len(subjects) - len(set(subjects)),
         "met": results["replayed_stream_batch"]["ses_messages"] == 0 and len(subjects) == len(set(subjects))},
        {"target": "cost without email <= $0.02 per 1,000 completed",
         "value": round(results["cost_per_1000_completed"]["total_without_email"], 4),
         "met": results["cost_per_1000_completed"]["total_without_email"] <= 0.02},
    ]
    for name, f in results.get("cold_start", {}).get("functions", {}).items():
        if f["http_facing"]:
            out.append({"target": f"cold start {name} <= 2.0x import boto3", "value": f["ratio_to_import_boto3"],
                        "met": f["ratio_to_import_boto3"] <= 2.0})
    return out


if __name__ == "__main__":
    sys.exit(main())
