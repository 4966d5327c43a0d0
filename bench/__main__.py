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

from local import environment

environment.use()  # the tests' environment, pointed at moto

os.environ["POWERTOOLS_LOG_LEVEL"] = "INFO"  # as deployed: the log bytes are part of the cost

from .meter import Meter, Tally, tap_stdout

RESULTS = Path(__file__).resolve().parent / "results"
DECISIONS = {"confirm", "approve", "accept", "decline", "opt out"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--full", action="store_true", help="also fill the table with 100,000 intros (~5 min more)"
    )
    parser.add_argument(
        "--million",
        action="store_true",
        help="also the 1,000,000-introduction table (about 10 min and 7 GB more: by hand, never in CI)",
    )
    parser.add_argument("--rounds", type=int, default=7, help="fresh processes per contender for cold start")
    parser.add_argument(
        "--skip-cold", action="store_true", help="leave out cold start and the CPU-share runs"
    )
    parser.add_argument(
        "--backlog", type=int, default=10_000, help="introductions due at once for the backlog"
    )
    parser.add_argument(
        "--members",
        type=int,
        default=10_000,
        help="rows for the timed `members import`, and introductions in the year `stats` reads",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()

    tap = tap_stdout()
    meter = Meter(tap)
    meter.install()
    from . import backlog, bill, coldstart, cost, directory, flows, report, scale, warm

    flows.walk(meter, "completed")  # warms every handler: what follows is warm
    walks = {path: flows.walk(meter, path) for path in flows.PATHS}
    completed = walks["completed"]
    steps = dict(completed.steps)
    total = _sum(completed.steps)
    results = {
        "machine": machine(),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "prices": {**cost.PRICES, **bill.PRICE},
        "memory_mb": {f: bill.memory_mb(f) for f in [*coldstart.FUNCTIONS, "AdminFunction"]},
        "paths": {
            path: {
                "steps": [{"step": name, **t.as_dict()} for name, t in w.steps],
                "total": _sum(w.steps).as_dict(),
            }
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

    init_ms: dict[str, float] = {}
    if not args.skip_cold:
        tap.capturing = True  # the fixture's own setup logs are not part of any measurement
        try:
            results["cold_start"] = coldstart.measure(args.rounds, sizes=SIZES)
            results["cpu_share"] = results["cold_start"].pop("cpu_share")
        finally:
            tap.capturing = False
        print(report.cold_table(results["cold_start"]))
        print(report.quota_table(results["cpu_share"]))
        results["memory_choice"] = memory_choice(results["cold_start"])
        print(report.memory_table(results["memory_choice"]))
        # What Lambda bills for each cold start's init: this machine's CPU time, stretched by the function's share.
        init_ms = {
            f: v["import_cpu_ms"] / min(1.0, bill.memory_mb(f) / coldstart.VCPU_MB)
            for f, v in results["cold_start"]["functions"].items()
        }
        results["init_billed_ms_estimate"] = {f: round(ms) for f, ms in init_ms.items()}

    idle = flows.idle_run(meter)
    rows = bill.table(VOLUMES, total, idle, init_ms, completed.stored_bytes)
    results["monthly_bill"] = {
        "idle_scheduler_run": idle.as_dict(),
        "bytes_per_intro": completed.stored_bytes,
        "rows": rows,
        "per_1000_without_email": bill.per_thousand_without_email(rows),
    }
    with bill.parameters(**bill.SHARED_TOPIC_KEY):
        results["monthly_bill"]["idle_shared_topic_key"] = bill.monthly(
            0, total, idle, init_ms, completed.stored_bytes
        )
    print(report.bill_table(rows))

    results["backlog"] = backlog.run(tap, args.backlog)
    print(report.backlog_table(results["backlog"]))

    sizes = [100, 10_000] + ([100_000] if args.full else []) + ([1_000_000] if args.million else [])
    results["scale"] = [scale.run(meter, n) for n in sizes]
    print(report.scale_table(results["scale"]))
    results["admin"] = scale.admin(args.members, args.members)
    print(report.admin_table(results["admin"]))
    results["directory"] = directory.run(meter, args.members)
    print(report.directory_table(results["directory"]))

    results["targets"] = targets(results, walks)
    results["seconds"] = round(time.perf_counter() - started, 1)
    print(report.targets_table(results["targets"]))
    print(f"\nfinished in {results['seconds']} s")

    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=1, default=str) + "\n")
    (RESULTS / "latest.md").write_text(report.markdown(results))
    print(f"wrote {RESULTS / 'latest.json'} and latest.md")
    return 0


SIZES = [256, 512, 1024, 1769]  # MB: Lambda's CPU share is memory / 1,769 MB
VOLUMES = [0, 100, 1_000, 10_000]  # completed introductions a month


def memory_choice(cold: dict) -> list[dict]:
    """Per memory size: a cold start's first response at Lambda's CPU share (this machine's CPU time stretched
    by the share, plus what the child spent waiting) and what its init costs, for the links function."""
    from .bill import PRICE

    links = cold["functions"]["LinksFunction"]
    cpu, wall = links["first_response_cpu_ms"], links["first_response_ms"]
    waiting = max(0.0, wall - cpu)
    out = []
    for mb in SIZES:
        share = min(1.0, mb / 1769)
        first = cpu / share + waiting
        out.append(
            {
                "memory_mb": mb,
                "cpu_share": round(share, 3),
                "first_response_ms": round(first),
                "init_cost_per_million_cold_starts": round(
                    links["import_cpu_ms"] / share / 1000 * mb / 1024 * PRICE["lambda_arm64_gb_second"] * 1e6,
                    2,
                ),
            }
        )
    return out


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
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
    }


def targets(results: dict, walks: dict) -> list[dict]:
    all_steps = [(path, name, t) for path, w in walks.items() for name, t in w.steps]
    views = [t.ddb_reads for _, name, t in all_steps if name.endswith("page view")]
    decision_writes = [
        t.calls["dynamodb.PutItem"] + t.calls["dynamodb.TransactWriteItems"]
        for _, name, t in all_steps
        if name in DECISIONS
    ]
    scans = sum(n for _, _, t in all_steps for op, n in t.calls.items() if op.endswith("Scan"))
    scans += sum(s["scans"] for s in results["scale"])
    done = walks["completed"].steps
    through_intro = done[: [n for n, _ in done].index("notifier: introduction") + 1]
    mails = _sum(through_intro)
    subjects = _sum(done).subjects
    without_email = results["cost_per_1000_completed"]["total_without_email"]
    idle = results["monthly_bill"]["rows"][0]
    shared = results["monthly_bill"]["idle_shared_topic_key"]
    b = results["backlog"]
    out = [
        {"target": "at most 1 DynamoDB read per page view", "value": max(views), "met": max(views) <= 1},
        {
            "target": "1 conditional write per decision",
            "value": max(decision_writes),
            "met": max(decision_writes) == 1 and min(decision_writes) == 1,
        },
        {"target": "0 Scans on request paths", "value": scans, "met": scans == 0},
        {
            "target": "emails through the introduction: 4 messages, 6 recipients (the minimum)",
            "value": f"{mails.emails} messages, {mails.recipients} recipients",
            "met": (mails.emails, mails.recipients) == (4, 6),
        },
        {
            "target": "0 duplicate emails (replayed stream batch, repeated subjects)",
            "value": results["replayed_stream_batch"]["ses_messages"] + len(subjects) - len(set(subjects)),
            "met": results["replayed_stream_batch"]["ses_messages"] == 0
            and len(subjects) == len(set(subjects)),
        },
        {
            "target": "cost without email <= $0.052 per 1,000 completed (stretch $0.03)",
            "value": round(without_email, 4),
            "met": without_email <= 0.052,
        },
        {
            "target": "idle organisation <= $1/month beyond the free tier",
            "value": round(idle["beyond_free_tier"], 2),
            "met": idle["beyond_free_tier"] <= 1.0,
        },
        {
            "target": "idle organisation <= $1/month beyond the free tier, alarm topic on the organisation's key (TopicKeyArn)",
            "value": round(shared["beyond_free_tier"], 2),
            "met": shared["beyond_free_tier"] <= 1.0,
        },
        {
            "target": "idle organisation <= $3/month with the free tier used",
            "value": round(idle["total"], 2),
            "met": idle["total"] <= 3.0,
        },
        {
            "target": f"backlog of {b['due']:,}: every one moved exactly once, nothing still due, no duplicate mail",
            "value": f"{b['moved_exactly_once']:,} once, {b['still_due']} due, {b['emails_sent']} mails",
            "met": b["moved_exactly_once"] == b["due"] and b["still_due"] == 0,
        },
        {
            "target": "backlog: no run near its timeout (each stops by timeout - margin)",
            "value": f"{b['runs_until_done']} runs, slowest {b['slowest_run_s']} s of {b['timeout_s']:g} s",
            "met": b["slowest_run_s"] <= b["timeout_s"] - b["margin_s"] / 2,
        },
    ]
    d = results["directory"]
    searched = d["searches"].values()
    queries = [x["aws_calls"].get("dynamodb.Query", 0) for x in searched]
    scans_d = sum(x["aws_calls"].get("dynamodb.Scan", 0) for x in searched)
    out.append(
        {
            "target": f"directory search over {d['listings']:,} listings: at most {d['page_bound']} Queries, no Scan",
            "value": f"{' / '.join(map(str, queries))} Queries, {scans_d} Scans",
            "met": max(queries) <= d["page_bound"] and scans_d == 0,
        }
    )
    for name, f in results.get("cold_start", {}).get("functions", {}).items():
        if f["http_facing"]:
            out.append(
                {
                    "target": f"{name}: import <= 1.8x import boto3",
                    "value": f["import_ratio_to_import_boto3"],
                    "met": f["import_ratio_to_import_boto3"] <= 1.8,
                }
            )
            out.append(
                {
                    "target": f"{name}: first response <= 1.2x bare function",
                    "value": f["first_response_ratio_to_bare_function"],
                    "met": f["first_response_ratio_to_bare_function"] <= 1.2,
                }
            )
    return out


if __name__ == "__main__":
    sys.exit(main())
