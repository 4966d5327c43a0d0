"""The organisation's members: import a CSV (idempotent), add, remove, list.

A CSV may have an `agreed` column: `yes` records that the member agreed to be asked as connector (the
welcome mail's link records it too); `no` or empty changes nothing (a member's own yes is theirs to keep).
It may have an `aliases` column: a member's other addresses, separated by spaces or semicolons, so a
requester who knows them by one still reaches them (services.membership.connector_address). Without the
column, aliases already stored are left as they are; with it, each row's aliases become exactly those.
"""

from __future__ import annotations

import csv
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from warm_intro.adapters.agreements import Agreements
from warm_intro.adapters.aliases import Aliases
from warm_intro.adapters.dynamodb import Repository
from warm_intro.domain.errors import Conflict, InvalidInput
from warm_intro.domain.languages import SHIPPED, is_shipped
from warm_intro.domain.validation import check_email, check_name
from warm_intro.services import membership

from . import cells
from .progress import Progress
from .target import AdminError


@dataclass
class Row:
    line: int
    email: str
    name: str
    aliases: tuple[str, ...] | None = None  # None: the file has no aliases column
    agreed: bool = False  # the organisation records that they agreed to be asked as connector
    language: str | None = None  # None: the file has no language column, so a stored one stays


@dataclass
class Report:
    rows: int = 0
    changed: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (line, what was there, why)


def read(path: Path) -> tuple[list[Row], list[tuple[int, str, str]]]:
    """Valid rows, and every other line with a reason: unreadable (an unclosed quote, a field past the
    csv module's limit), bad address or name, duplicate in the file. A member is one line (names
    can't hold line breaks), so each line is parsed on its own and a bad one never hides the rest."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:  # a CR inside a quoted name stays in it
            lines = handle.read().replace("\r\n", "\n").split("\n")
    except FileNotFoundError as error:
        raise AdminError(f"{path}: no such file") from error
    except IsADirectoryError as error:
        raise AdminError(f"{path}: is a directory, not a CSV file") from error
    except PermissionError as error:
        raise AdminError(f"{path}: not allowed to read it") from error
    except UnicodeDecodeError as error:
        raise AdminError(f"{path}: not UTF-8 text") from error
    try:
        columns = [c.strip().lower() for c in _cells(lines[0])]
    except csv.Error:
        columns = []
    if "email" not in columns:
        raise AdminError(
            f"{path}: the first line must be a header naming the columns: email,name (and optionally language)"
        )
    good: list[Row] = []
    rejected: list[tuple[int, str, str]] = []
    first_line: dict[str, int] = {}
    for line, text in enumerate(lines[1:], start=2):
        if not text.strip():
            continue
        try:
            values = [cells.unescape(c) for c in _cells(text)]
        except csv.Error as error:
            rejected.append((line, text[:40], f"could not be read: {_unreadable(error)}"))
            continue
        record = dict(zip(columns, values, strict=False))
        raw = record.get("email", "").strip()
        try:
            row = Row(line, check_email("email", raw), check_name("name", record.get("name", "")))
            if "aliases" in columns:
                found = record.get("aliases", "").replace(";", " ").split()
                row.aliases = tuple(dict.fromkeys(check_email("aliases", a) for a in found))
            row.agreed = _agreed(record.get("agreed", ""))
        except InvalidInput as error:
            rejected.append((line, raw, f"{error.field}: {error}"))
            continue
        if "language" in columns:
            row.language = record.get("language", "").strip().lower()
            if row.language and not is_shipped(row.language):
                rejected.append((line, raw, f"language: one of {', '.join(SHIPPED)}, or empty"))
                continue
        clash = next((a for a in (row.email, *(row.aliases or ())) if a in first_line), None)
        if clash is not None:
            why = "duplicate" if clash == row.email else f"alias {clash} is already an address"
            rejected.append((line, raw, f"{why} of line {first_line[clash]}"))
            continue
        first_line.update(dict.fromkeys((row.email, *(row.aliases or ())), line))
        good.append(row)
    return good, rejected


def _agreed(value: str) -> bool:
    word = value.strip().lower()
    if word not in ("yes", "no", ""):
        raise InvalidInput(
            "agreed", "write yes (they agreed to be asked as connector), no, or leave it empty"
        )
    return word == "yes"


def _cells(line: str) -> list[str]:
    return next(csv.reader([line], strict=True), [])


def _unreadable(error: csv.Error) -> str:
    if "field limit" in str(error):
        return f"a field is longer than {csv.field_size_limit()} characters"
    if "unexpected end of data" in str(error):
        return "a quote is opened and never closed"
    return f"not valid CSV ({error})"


def import_csv(
    repo: Repository, path: Path, progress: bool | None = None, hash_key=None, now: int | None = None
) -> Report:
    """`hash_key`: a callable giving the stack's key, asked for only when the file lists aliases
    (they are found by their keyed hash, like opt-outs)."""
    rows, rejected = read(path)
    aliases = Aliases(repo, hash_key()) if any(r.aliases is not None for r in rows) else None
    report = Report(rows=len(rows) + len(rejected), rejected=rejected)
    bar = Progress(len(rows), "importing", enabled=progress)
    try:
        for row in rows:
            try:
                changed = repo.put_member(row.email, row.name, row.language)
                if aliases is not None and row.aliases is not None:
                    changed = aliases.set(row.email, list(row.aliases)) or changed
                if row.agreed:
                    changed = Agreements(repo).record(row.email, now or int(time.time()), "import") or changed
            except Conflict as error:
                report.rejected.append((row.line, row.email, str(error)))
                continue
            except (ClientError, BotoCoreError) as error:
                done = report.changed + report.unchanged
                raise AdminError(
                    f"{path}: stopped at line {row.line} after {done} of {len(rows)} members were "
                    f"written ({error}). Importing again is safe: it picks up where it stopped."
                ) from error
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
    print(
        f"{path}: {report.rows} rows; {report.changed} added or renamed, {report.unchanged} already there, "
        f"{len(report.rejected)} rejected",
        file=out,
    )


def add(repo: Repository, email: str, name: str) -> str:
    try:
        email, name = check_email("email", email), check_name("name", name)
    except InvalidInput as error:
        raise AdminError(f"{error.field}: {error}") from error
    return f"{email}: added or renamed" if repo.put_member(email, name) else f"{email}: already a member"


def remove(
    repo: Repository, email: str, hash_key: str, now: int, policy: str = "members", domains: str = ""
) -> str:
    """Removes the member, then says what became of each open request they are part of. Safe to
    run again: it finishes what an interrupted run left undone."""
    email = email.strip().lower()
    allowed = tuple(d.strip().lower().lstrip("@") for d in domains.split(",") if d.strip())
    removal = membership.remove(repo, hash_key, email, now, policy=policy, allowed_domains=allowed)
    lines = [f"{email}: {'removed' if removal.was_member else 'was not a member'}"]
    if not removal.effects:
        lines[0] += "; no open requests involve them"
    lines.extend(
        f"  {count} open request{'s' if count > 1 else ''} {effect.value}"
        for effect in membership.Effect
        if (count := removal.effects[effect])
    )
    return "\n".join(lines)


def write_csv(repo: Repository, out=None, aliases_of=None) -> int:
    """The members as a CSV that `members import` reads back, safe to open in a spreadsheet; with an
    aliases column when `aliases_of` (a member's address -> their aliases) finds any."""
    out = out or sys.stdout
    members = repo.members()
    found = {email: aliases_of(email) if aliases_of else [] for email, _ in members}
    writer = csv.writer(out, lineterminator="\n")
    extra = any(found.values())
    writer.writerow(["email", "name", *(["aliases"] if extra else [])])
    writer.writerows(
        [cells.escape(email), cells.escape(name), *([cells.escape(" ".join(found[email]))] if extra else [])]
        for email, name in members
    )
    return len(members)
