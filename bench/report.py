"""Plain-text tables for the terminal and the Markdown summary in bench/results/latest.md."""

from __future__ import annotations

from .meter import Tally

SHORT = {
    "GetItem": "Get",
    "PutItem": "Put",
    "UpdateItem": "Upd",
    "DeleteItem": "Del",
    "Query": "Query",
    "Scan": "SCAN",
    "BatchGetItem": "BatchGet",
    "BatchWriteItem": "BatchWrite",
    "TransactWriteItems": "TxWrite",
    "SendEmail": "SES",
    "SendRawEmail": "SES",
}


def calls(t: Tally | dict) -> str:
    items = t.calls.items() if isinstance(t, Tally) else t.items()
    return " ".join(f"{SHORT.get(op.split('.')[1], op)}×{n}" for op, n in sorted(items)) or "-"


def _table(headers: list[str], rows: list[list], title: str = "") -> str:
    cells = [[str(c) for c in r] for r in [headers, *rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return (f"\n{title}\n" if title else "\n") + "\n".join(lines)


STEP_HEADERS = ["step", "HTTP", "λ", "AWS calls", "RRU", "WRU", "GSI WRU", "mails", "rcpts", "log B", "ms"]


def _step_row(name: str, t: Tally) -> list:
    return [
        name,
        t.http,
        sum(t.invocations.values()),
        calls(t),
        f"{t.rru:g}",
        f"{t.wru:g}",
        f"{t.gsi_wru:g}",
        t.emails,
        t.recipients,
        t.log_bytes,
        t.billed_ms,
    ]


def steps_table(path: str, steps: list[tuple[str, Tally]]) -> str:
    total = Tally()
    for _, t in steps:
        total.add(t)
    rows = [_step_row(n, t) for n, t in steps] + [_step_row("TOTAL", total)]
    return _table(STEP_HEADERS, rows, f"Path: {path}")


def cost_table(c: dict) -> str:
    rows = [[k, f"${v:.5f}"] for k, v in c.items()]
    return _table(["per 1,000 completed introductions", "USD"], rows)


def warm_table(w: dict) -> str:
    rows = [
        [n, h["function"], h["median_ms"], f"{h['ratio_to_bare_resolver']}×"]
        for n, h in w["handlers"].items()
    ]
    rows.append(["bare APIGatewayHttpResolver", "-", w["bare_resolver_ms"], "1×"])
    return _table(["warm request (AWS stubbed)", "function", "median ms", "vs bare resolver"], rows)


def cold_table(c: dict) -> str:
    rows = [
        [
            f,
            v["import_ms"],
            f"{v['import_ratio_to_import_boto3']}×",
            v.get("import_without_bytecode_ratio", "") and f"{v['import_without_bytecode_ratio']}×",
            v["first_response_ms"],
            f"{v['first_response_ratio_to_bare_function']}×",
            "yes" if v["http_facing"] else "no",
        ]
        for f, v in c["functions"].items()
    ]
    rows.append(["python -c 'import boto3'", c["import_boto3_ms"], "1×", "", "", "", ""])
    rows.append(["bare function (boto3, client, 1 call)", "", "", "", c["bare_function_ms"], "1×", ""])
    text = _table(
        [
            "cold start (from the build)",
            "import ms",
            "× boto3",
            "no .pyc ×",
            "1st response ms",
            "× bare",
            "HTTP",
        ],
        rows,
        f"Cold start: median of {c['rounds']} fresh processes each, from {c['build']}",
    )
    for name, it in c["importtime"].items():
        text += f"\n\n-X importtime, {name} (total {it['total_ms']} ms):"
        text += "\n  imported by the handler and its first event (cumulative ms): " + ", ".join(
            f"{m} {ms}" for m, ms in it["imported_by_handler_cumulative_ms"][:10]
        )
        text += "\n  by package (self ms): " + ", ".join(
            f"{m} {ms}" for m, ms in it["by_package_self_ms"][:10]
        )
    return text


def quota_table(q: dict) -> str:
    if "skipped" in q:
        return f"\nCPU share: {q['skipped']}"
    rows = [
        [
            s["memory_mb"],
            s["cpu_share"],
            s["bare function"],
            s["LinksFunction first response"],
            s["IntakeFunction first response"],
        ]
        for s in q["sizes"]
    ]
    return _table(
        ["MB", "CPU share (quota)", "bare ms", "links 1st ms", "intake 1st ms"],
        rows,
        f"Cold start in a CPU cgroup at Lambda's share (median of {q['rounds']})",
    )


def memory_table(m: list[dict]) -> str:
    rows = [
        [r["memory_mb"], r["cpu_share"], r["first_response_ms"], f"${r['init_cost_per_million_cold_starts']}"]
        for r in m
    ]
    return _table(
        ["MB", "CPU share", "links 1st response ms (est.)", "init cost / 1M cold starts"],
        rows,
        "Memory: links cold start stretched to Lambda's CPU share",
    )


def bill_table(rows: list[dict]) -> str:
    names = list(rows[0]["lines"])
    body = [[n, *(f"{r['lines'][n]:.3f}" for r in rows)] for n in names]
    body += [
        ["total (free tier used)", *(f"{r['total']:.2f}" for r in rows)],
        ["free tier", *(f"-{r['free_tier']:.2f}" for r in rows)],
        ["beyond the free tier", *(f"{r['beyond_free_tier']:.2f}" for r in rows)],
    ]
    return _table(["USD a month", *(f"{r['intros']:,} intros" for r in rows)], body, "Monthly bill")


def backlog_table(b: dict) -> str:
    rows = [
        [i + 1, r["looked_at"], r["moved"], r["seconds"], "yes" if r["unfinished"] else "no", r["failed"]]
        for i, r in enumerate(b["runs"])
    ]
    return _table(
        ["run", "looked at", "moved", "seconds", "stopped for time", "failed"],
        rows,
        f"Backlog: {b['due']:,} due at once; timeout {b['timeout_s']:g} s; {b['throughput_per_s']}/s; "
        f"moved exactly once {b['moved_exactly_once']:,}; still due {b['still_due']}; mail {b['emails_sent']}",
    )


def admin_table(a: dict) -> str:
    return _table(
        ["admin command", "size", "seconds"],
        [
            ["members import", f"{a['members']:,} rows", a["import_seconds"]],
            ["stats over a year", f"{a['intros_in_year']:,} introductions", a["stats_seconds"]],
        ],
        "Admin at scale (moto)",
    )


def scale_table(scale: list[dict]) -> str:
    names = list(scale[0]["steps"])
    rows = [[n, *(calls(s["steps"][n]) for s in scale)] for n in names]
    rows.append(["Scans", *(s["scans"] for s in scale)])
    rows.append(["fill time (s)", *(s["fill_seconds"] for s in scale)])
    same = all(s["steps"] == scale[0]["steps"] for s in scale)
    headers = ["step", *(f"{s['intros_in_table']:,} intros" for s in scale)]
    return _table(headers, rows, f"Scale: calls per step {'identical' if same else 'DIFFER'} at every size")


def directory_table(d: dict) -> str:
    rows = [
        [name, f"`{x['query']}`", x["shown"], calls(x["aws_calls"]), x["rru"], x["billed_ms"]]
        for name, x in d["searches"].items()
    ]
    return _table(
        ["search", "typed", "shown", "AWS calls", "RRU", "ms"],
        rows,
        f"Directory search: {d['listings']:,} listings under one word, a signed-in member (moto)",
    )


def _directory_md(d: dict) -> list[str]:
    out = [
        "",
        f"## Directory search: {d['listings']:,} members listed, all under one word",
        "",
        (
            "A signed-in member searches on the request form (Intake, as deployed). RRU counts every "
            "listing DynamoDB looked at, the filtered ones too; ms is against moto."
        ),
        "",
        "| search | typed | listings shown | AWS calls | RRU | ms |",
        "|---|---|---:|---|---:|---:|",
    ]
    out += [
        f"| {name} | `{x['query']}` | {x['shown']} | {calls(x['aws_calls'])} | {x['rru']:g} | {x['billed_ms']} |"
        for name, x in d["searches"].items()
    ]
    return out


def targets_table(targets: list[dict]) -> str:
    return _table(
        ["target", "measured", "met"],
        [[t["target"], t["value"], "yes" if t["met"] else "NO"] for t in targets],
        "Targets",
    )


def markdown(r: dict) -> str:
    m = r["machine"]
    out = [
        "# Benchmark: latest run",
        "",
        (
            f"{r['when']} · Python {m['python']} · {m['cpu']} × {m['cores']} · {m['platform']} · "
            f"memory (MB) {', '.join(f'{k.removesuffix("Function")} {v}' for k, v in r['memory_mb'].items())}. "
            "Method: docs/benchmark.md. Regenerate: `make bench`."
        ),
        "",
        "## A completed introduction, step by step",
        "",
        "| step | HTTP | Lambda | AWS calls | RRU | WRU | GSI WRU | emails | recipients | log bytes | ms |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    out.extend(
        f"| {s['step']} | {s['http_requests']} | {sum(s['invocations'].values())} | {calls(s['aws_calls'])} "
        f"| {s['rru']:g} | {s['wru']:g} | {s['gsi_wru']:g} | {s['ses_messages']} | {s['ses_recipients']} "
        f"| {s['log_bytes']} | {s['billed_ms']} |"
        for s in [
            *r["paths"]["completed"]["steps"],
            {"step": "**total**", **r["paths"]["completed"]["total"]},
        ]
    )
    out += [
        "",
        "## Cost per 1,000 introductions (USD)",
        "",
        "| path | HTTP API | Lambda | DynamoDB | Logs | SES | total | without email |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for path, c in r["cost_per_1000_by_path"].items():
        out.append(
            f"| {path} | {c['http_api']:.4f} | {c['lambda_requests'] + c['lambda_compute']:.4f} | "
            f"{c['dynamodb_writes'] + c['dynamodb_reads']:.4f} | {c['cloudwatch_logs']:.4f} | {c['ses']:.4f} "
            f"| {c['total']:.4f} | **{c['total_without_email']:.4f}** |"
        )
    out += _bill_md(r)
    if "cold_start" in r:
        out += _cold_md(r)
    w = r["warm"]
    out += [
        "",
        f"## Warm overhead (AWS stubbed; bare resolver = {w['bare_resolver_ms']} ms)",
        "",
        "| request | function | median ms | × bare resolver |",
        "|---|---|---:|---:|",
    ]
    for n, h in w["handlers"].items():
        out.append(f"| {n} | {h['function']} | {h['median_ms']} | {h['ratio_to_bare_resolver']} |")
    out += [
        "",
        "## Scale: AWS calls per step against a full table",
        "",
        "| step | " + " | ".join(f"{s['intros_in_table']:,} intros" for s in r["scale"]) + " |",
        "|---|" + "---|" * len(r["scale"]),
    ]
    for n in r["scale"][0]["steps"]:
        out.append(f"| {n} | " + " | ".join(calls(s["steps"][n]) for s in r["scale"]) + " |")
    a = r["admin"]
    out += [
        "",
        "| admin command (moto, this machine) | size | seconds |",
        "|---|---|---:|",
        f"| `members import` | {a['members']:,} rows | {a['import_seconds']} |",
        f"| `stats` over a year | {a['intros_in_year']:,} introductions | {a['stats_seconds']} |",
    ]
    out += _directory_md(r["directory"])
    out += _backlog_md(r["backlog"])
    out += ["", "## Targets", "", "| target | measured | met |", "|---|---|---|"]
    out += [f"| {t['target']} | {t['value']} | {'yes' if t['met'] else '**no**'} |" for t in r["targets"]]
    return "\n".join(out) + "\n"


def _bill_md(r: dict) -> list[str]:
    b = r["monthly_bill"]
    rows = b["rows"]
    out = [
        "",
        "## The monthly bill of one organisation (USD, list prices)",
        "",
        "| item | " + " | ".join(f"{x['intros']:,} intros" for x in rows) + " |",
        "|---|" + "---:|" * len(rows),
    ]
    out.extend(
        f"| {name} | " + " | ".join(f"{x['lines'][name]:.3f}" for x in rows) + " |"
        for name in rows[0]["lines"]
    )
    out.append(
        "| **total, free tier already used** | " + " | ".join(f"**{x['total']:.2f}**" for x in rows) + " |"
    )
    out.append(
        "| free tier (never-expiring allowances) | "
        + " | ".join(f"-{x['free_tier']:.2f}" for x in rows)
        + " |"
    )
    out.append(
        "| **beyond the free tier** | " + " | ".join(f"**{x['beyond_free_tier']:.2f}**" for x in rows) + " |"
    )
    out.append(
        "| total without email, free tier already used | "
        + " | ".join(f"{x['without_email']:.2f}" for x in rows)
        + " |"
    )
    out += [
        "",
        (
            f"Per 1,000 more completed introductions, without email: ${b['per_1000_without_email']:.3f} "
            "(cold starts and their init billed, custom metrics by the hour); warm, as in the table above: "
            f"${r['cost_per_1000_completed']['total_without_email']:.4f}. Stored per introduction: "
            f"{b['bytes_per_intro']:,} bytes. An idle scheduler run: "
            f"{', '.join(f'{k} {v}' for k, v in b['idle_scheduler_run']['aws_calls'].items())}, "
            f"{b['idle_scheduler_run']['log_bytes']} log bytes."
        ),
    ]
    if "idle_shared_topic_key" in b:
        shared = b["idle_shared_topic_key"]
        out += [
            "",
            (
                "With the alarm topic on the organisation's own key (`TopicKeyArn` set to its ARN; "
                f"docs/deploy.md), an idle organisation pays ${shared['total']:.2f} at list price and "
                f"${shared['beyond_free_tier']:.2f} beyond the free tier."
            ),
        ]
    return out


def _cold_md(r: dict) -> list[str]:
    c = r["cold_start"]
    out = [
        "",
        (
            f"## Cold start from `{c['build']}` (median of {c['rounds']} fresh processes, "
            f"PYTHONDONTWRITEBYTECODE=1)"
        ),
        "",
        (
            f"`import boto3` = {c['import_boto3_ms']} ms; bare function (import boto3, client, one GetItem) = "
            f"{c['bare_function_ms']} ms."
        ),
        "",
        "| function | HTTP | import ms | × import boto3 | without .pyc × | first response ms | × bare function |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for f, v in c["functions"].items():
        out.append(
            f"| {f} | {'yes' if v['http_facing'] else 'no'} | {v['import_ms']} | "
            f"{v['import_ratio_to_import_boto3']} | {v.get('import_without_bytecode_ratio', '')} | "
            f"{v['first_response_ms']} | {v['first_response_ratio_to_bare_function']} |"
        )
    for name, it in c["importtime"].items():
        out += [
            "",
            f"`-X importtime`, {name}: by package (self ms) "
            + ", ".join(f"{m} {ms}" for m, ms in it["by_package_self_ms"][:10]),
        ]
    q = r.get("cpu_share", {})
    if "sizes" in q:
        out += [
            "",
            "### A fraction of a core (CFS quota = memory / 1,769 MB)",
            "",
            "| MB | CPU share | bare function ms | links 1st response ms | intake 1st response ms |",
            "|---:|---:|---:|---:|---:|",
        ]
        out += [
            f"| {s['memory_mb']} | {s['cpu_share']} | {s['bare function']} | {s['LinksFunction first response']} "
            f"| {s['IntakeFunction first response']} |"
            for s in q["sizes"]
        ]
    elif q:
        out += ["", f"CPU share: {q['skipped']}"]
    if "memory_choice" in r:
        out += [
            "",
            "| MB | links cold first response, estimated at Lambda's share (ms) | init cost per 1M cold starts |",
            "|---:|---:|---:|",
        ]
        out += [
            f"| {m['memory_mb']} | {m['first_response_ms']} | ${m['init_cost_per_million_cold_starts']} |"
            for m in r["memory_choice"]
        ]
    return out


def _backlog_md(b: dict) -> list[str]:
    out = [
        "",
        f"## Backlog: {b['due']:,} introductions due at once",
        "",
        (
            f"Scheduler timeout {b['timeout_s']:g} s (stops taking new ones {b['margin_s']:g} s before). "
            f"{b['runs_until_done']} runs until nothing was due; {b['moved_exactly_once']:,} moved exactly once; "
            f"{b['still_due']} still due; {b['emails_sent']} emails (lapsed requests close silently); "
            f"{b['throughput_per_s']} introductions/s against moto."
        ),
        "",
        "| run | looked at | moved | seconds | stopped for time |",
        "|---:|---:|---:|---:|---|",
    ]
    out += [
        f"| {i + 1} | {x['looked_at']} | {x['moved']} | {x['seconds']} | {'yes' if x['unfinished'] else 'no'} |"
        for i, x in enumerate(b["runs"])
    ]
    return out
