"""The organisation's members: import a CSV (idempotent), add, remove, list."""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from warm_intro.adapters.dynamodb import Repository
from warm_intro.domain.errors import InvalidInput
from warm_intro.domain.validation import check_email, check_name
from warm_intro.services import membership

from .progress import Progress
from .target import AdminError


@dataclass
class Row:
    line: int
    email: str
    name: str


@dataclass
class Report:
    rows: int = 0
    changed: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (line, what was there, why)


def read(path: Path) -> tuple[list[Row], list[tuple[int, str, str]]]:
    """Valid rows, and the rejected ones with a reason each: bad address or name, duplicate in the file."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "email" not in [f.strip().lower() for f in reader.fieldnames]:
                raise AdminError(f"{path}: the first line must be a header naming the columns: email,name")
            records = []
            start = reader.line_num + 1  # where the next record begins (a quoted field may span lines)
            for record in reader:
                records.append((start, {k.strip().lower(): (v or "") for k, v in record.items() if k}))
                start = reader.line_num + 1
    except FileNotFoundError as error:
        raise AdminError(f"{path}: no such file") from error
    except UnicodeDecodeError as error:
        raise AdminError(f"{path}: not UTF-8 text") from error
    good: list[Row] = []
    rejected: list[tuple[int, str, str]] = []
    first_line: dict[str, int] = {}
    for line, record in records:
        raw = record.get("email", "").strip()
        try:
            row = Row(line, check_email("email", raw), check_name("name", record.get("name", "")))
        except InvalidInput as error:
            rejected.append((line, raw, f"{error.field}: {error}"))
            continue
        if row.email in first_line:
            rejected.append((line, raw, f"duplicate of line {first_line[row.email]}"))
            continue
        first_line[row.email] = line
        good.append(row)
    return good, rejected


def import_csv(repo: Repository, path: Path, progress: bool | None = None) -> Report:
    rows, rejected = read(path)
    report = Report(rows=len(rows) + len(rejected), rejected=rejected)
    bar = Progress(len(rows), "importing", enabled=progress)
    try:
        for row in rows:
            try:
                changed = repo.put_member(row.email, row.name)
            except (ClientError, BotoCoreError) as error:
                done = report.changed + report.unchanged
                raise AdminError(f"{path}: stopped at line {row.line} after {done} of {len(rows)} members were "
                                 f"written ({error}). Importing again is safe: it picks up where it stopped.") from error
            report.changed += changed
            report.unchanged += not changed
            bar.step()
    finally:
        bar.close()
    return report


def print_report(path: Path, report: Report, out=None) -> None:
    out = out or sys.stdout
    for line, raw, why in sorted(report.rejected):
        print(f"  rejected line {line}: {raw or '(empty)'}: {why}", file=out)
    print(f"{path}: {report.rows} rows; {report.changed} added or renamed, {report.unchanged} already there, "
          f"{len(report.rejected)} rejected", file=out)


def add(repo: Repository, email: str, name: str) -> str:
    try:
        email, name = check_email("email", email), check_name("name", name)
    except InvalidInput as error:
        raise AdminError(f"{error.field}: {error}") from error
    return f"{email}: added or renamed" if repo.put_member(email, name) else f"{email}: already a member"


def remove(repo: Repository, email: str, hash_key: str, now: int, policy: str = "members", domains: str = "") -> str:
    """Removes the member, then says what became of each open request they are part of. Safe to
    run again: it finishes what an interrupted run left undone."""
    email = email.strip().lower()
    allowed = tuple(d.strip().lower().lstrip("@") for d in domains.split(",") if d.strip())
    removal = membership.remove(repo, hash_key, email, now, policy=policy, allowed_domains=allowed)
    lines = [f"{email}: {'removed' if removal.was_member else 'was not a member'}"]
    if not removal.effects:
        lines[0] += "; no open requests involve them"
    for effect in membership.Effect:
        if count := removal.effects[effect]:
            lines.append(f"  {count} open request{'s' if count > 1 else ''} {effect.value}")
    return "\n".join(lines)


def write_csv(repo: Repository, out=None) -> int:
    """The members as a CSV that `members import` reads back."""
    out = out or sys.stdout
    members = repo.members()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["email", "name"])
    writer.writerows(members)
    return len(members)
