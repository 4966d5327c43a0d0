"""Plain-text tables for the terminal and the Markdown summary in bench/results/latest.md."""

from __future__ import annotations

from .meter import Tally

SHORT = {"GetItem": "Get", "PutItem": "Put", "UpdateItem": "Upd", "DeleteItem": "Del", "Query": "Query",
         "Scan": "SCAN", "BatchGetItem": "BatchGet", "BatchWriteItem": "BatchWrite",
         "TransactWriteItems": "TxWrite", "SendEmail": "SES", "SendRawEmail": "SES"}


def calls(t: Tally | dict) -> str:
    items = t.calls.items() if isinstance(t, Tally) else t.items()
    return " ".join(f"{SHORT.get(op.split('.')[1], op)}×{n}" for op, n in sorted(items)) or "-"


def _table(headers: list[str], rows: list[list], title: str = "") -> str:
    cells = [[str(c) for c in r] for r in [headers, *rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return (f"\n{title}\n" if title else "\n") + "\n".join(lines)


STEP_HEADERS = ["step", "HTTP", "λ", "AWS calls", "RRU", "WRU", "GSI WRU", "mails", "rcpts", "log B", "ms"]


def _step_row(name: str, t: Tally) -> list:
    return [name, t.http, sum(t.invocations.values()), calls(t), f"{t.rru:g}", f"{t.wru:g}", f"{t.gsi_wru:g}",
            t.emails, t.recipients, t.log_bytes, t.billed_ms]


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
    rows = [[n, h["function"], h["median_ms"], f"{h['ratio_to_bare_resolver']}×"] for n, h in w["handlers"].items()]
    rows.append(["bare APIGatewayHttpResolver", "-", w["bare_resolver_ms"], "1×"])
    return _table(["warm request (AWS stubbed)", "function", "median ms", "vs bare resolver"], rows)


def cold_table(c: dict) -> str:
    rows = [[f, v["median_ms"], f"{v['ratio_to_import_boto3']}×", v["import_ms"], v["first_event_ms"],
             "yes" if v["http_facing"] else "no"] for f, v in c["functions"].items()]
    rows.append(["python -c 'import boto3'", c["import_boto3_ms"], "1×", "", "", ""])
    text = _table(["cold start", "median ms", "ratio", "import ms", "1st event ms", "HTTP"], rows,
                  f"Cold start: median of {c['rounds']} fresh processes each")
    it = c["importtime"]
    text += f"\n\n-X importtime, {it['function']} (total {it['total_ms']} ms):"
    text += "\n  imported by the handler and its first event (cumulative ms): " + ", ".join(
        f"{m} {ms}" for m, ms in it["imported_by_handler_cumulative_ms"][:10])
    text += "\n  by package (self ms): " + ", ".join(f"{m} {ms}" for m, ms in it["by_package_self_ms"][:10])
    return text


def scale_table(scale: list[dict]) -> str:
    names = list(scale[0]["steps"])
    rows = [[n, *(calls(s["steps"][n]) for s in scale)] for n in names]
    rows.append(["Scans", *(s["scans"] for s in scale)])
    rows.append(["fill time (s)", *(s["fill_seconds"] for s in scale)])
    same = all(s["steps"] == scale[0]["steps"] for s in scale)
    headers = ["step", *(f"{s['intros_in_table']:,} intros" for s in scale)]
    return _table(headers, rows, f"Scale: calls per step {'identical' if same else 'DIFFER'} at every size")


def targets_table(targets: list[dict]) -> str:
    return _table(["target", "measured", "met"], [[t["target"], t["value"], "yes" if t["met"] else "NO"]
                                                   for t in targets], "Targets")


def markdown(r: dict) -> str:
    m = r["machine"]
    out = [
        "# Benchmark: latest run",
        "",
        (f"{r['when']} · Python {m['python']} · {m['cpu']} × {m['cores']} · {m['platform']} · "
         f"{r['memory_mb']} MB functions. Method: docs/benchmark.md. Regenerate: `make bench`."),
        "",
        "## A completed introduction, step by step",
        "",
        "| step | HTTP | Lambda | AWS calls | RRU | WRU | GSI WRU | emails | recipients | log bytes | ms |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in r["paths"]["completed"]["steps"] + [{"step": "**total**", **r["paths"]["completed"]["total"]}]:
        out.append(f"| {s['step']} | {s['http_requests']} | {sum(s['invocations'].values())} | {calls(s['aws_calls'])} "
                   f"| {s['rru']:g} | {s['wru']:g} | {s['gsi_wru']:g} | {s['ses_messages']} | {s['ses_recipients']} "
                   f"| {s['log_bytes']} | {s['billed_ms']} |")
    out += ["", "## Cost per 1,000 introductions (USD)", "",
            "| path | HTTP API | Lambda | DynamoDB | Logs | SES | total | without email |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for path, c in r["cost_per_1000_by_path"].items():
        out.append(f"| {path} | {c['http_api']:.4f} | {c['lambda_requests'] + c['lambda_compute']:.4f} | "
                   f"{c['dynamodb_writes'] + c['dynamodb_reads']:.4f} | {c['cloudwatch_logs']:.4f} | {c['ses']:.4f} "
                   f"| {c['total']:.4f} | **{c['total_without_email']:.4f}** |")
    if "cold_start" in r:
        c = r["cold_start"]
        out += ["", f"## Cold start (median of {c['rounds']} fresh processes; `import boto3` = {c['import_boto3_ms']} ms)",
                "", "| function | HTTP-facing | median ms | × import boto3 |", "|---|---|---:|---:|"]
        for f, v in c["functions"].items():
            out.append(f"| {f} | {'yes' if v['http_facing'] else 'no'} | {v['median_ms']} | {v['ratio_to_import_boto3']} |")
    w = r["warm"]
    out += ["", f"## Warm overhead (AWS stubbed; bare resolver = {w['bare_resolver_ms']} ms)", "",
            "| request | function | median ms | × bare resolver |", "|---|---|---:|---:|"]
    for n, h in w["handlers"].items():
        out.append(f"| {n} | {h['function']} | {h['median_ms']} | {h['ratio_to_bare_resolver']} |")
    out += ["", "## Scale: AWS calls per step against a full table", "",
            "| step | " + " | ".join(f"{s['intros_in_table']:,} intros" for s in r["scale"]) + " |",
            "|---|" + "---|" * len(r["scale"])]
    for n in r["scale"][0]["steps"]:
        out.append(f"| {n} | " + " | ".join(calls(s["steps"][n]) for s in r["scale"]) + " |")
    out += ["", "## Targets", "", "| target | measured | met |", "|---|---|---|"]
    out += [f"| {t['target']} | {t['value']} | {'yes' if t['met'] else '**no**'} |" for t in r["targets"]]
    return "\n".join(out) + "\n"
