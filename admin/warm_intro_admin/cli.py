"""warm-intro: administer one organisation's introductions.

    warm-intro --stack warm-intro-bletchley --region eu-west-2 members import members.csv
    warm-intro --local stats
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ProfileNotFound,
)

from warm_intro import runtime
from warm_intro.services import privacy

from . import members, outbox, stats, target
from .target import AdminError, Target


def connect(args: argparse.Namespace) -> Target:
    if args.local:
        return target.local()
    if args.stack:
        return target.deployed(args.stack, args.region, args.profile)
    return target.table(args.table, args.region, args.profile)


# commands ----------------------------------------------------------------------------------------


def members_import(t: Target, args) -> int:
    report = members.import_csv(t.repository, args.file, progress=args.progress)
    members.print_report(args.file, report)
    return 1 if report.rejected else 0


def members_add(t: Target, args) -> int:
    print(members.add(t.repository, args.email, args.name))
    return 0


def members_remove(t: Target, args) -> int:
    print(members.remove(t.repository, args.email))
    return 0


def members_list(t: Target, args) -> int:
    count = members.write_csv(t.repository)
    print(f"{count} members", file=sys.stderr)
    return 0


def show_stats(t: Target, args) -> int:
    now = runtime.now()
    span = stats.months(args.to or stats.month_of(now), args.months)
    cap = int(t.setting("LimitConnectorWeek", "5"))
    figures = stats.summarise(stats.collect(t.repository, span), now, cap)
    print(json.dumps({"months": span, **figures}, indent=2) if args.json else stats.render(figures, span))
    return 0


def outbox_list(t: Target, args) -> int:
    repo = t.repository
    ids = args.intro or outbox.recent_ids(repo, stats.months(stats.month_of(runtime.now()), args.months))
    found = outbox.find(repo, ids, runtime.now())
    for m in found:
        print(f"{m.intro} {m.kind.value}: {m.status} since {m.at}")
    print(f"{len(found)} messages waiting for a person", file=sys.stderr)
    return 0


def outbox_resend(t: Target, args) -> int:
    repo = t.repository
    letters = outbox.read_dead_letters(t) if args.dlq else None
    if letters is not None:
        ids = letters.ids
    else:
        ids = args.intro or outbox.recent_ids(repo, stats.months(stats.month_of(runtime.now()), args.months))
    found = outbox.find(repo, ids, runtime.now())
    for line in outbox.resend_all(repo, found, runtime.now()):
        print(line)
    if letters is not None:
        outbox.forget(t, letters.receipts)
        print(f"{len(letters.receipts)} dead letters handled ({len(set(letters.ids))} introductions); "
              f"{letters.unreadable} could not be read back from the stream and were left in the queue", file=sys.stderr)
        print("Refused messages are retried by the scheduler; ones pending under an hour are left to the stream.",
              file=sys.stderr)
    print(f"{len(found)} messages set back to pending", file=sys.stderr)
    return 0


def export_person(t: Target, args) -> int:
    print(json.dumps(privacy.export(t.hash_key(), t.repository, args.email), indent=2))
    return 0


def erase_person(t: Target, args) -> int:
    erased = privacy.erase(t.hash_key(), t.repository, args.email, runtime.now())
    print(f"Erased {args.email}: {erased.introductions} introductions rewritten, "
          f"membership {'removed' if erased.member_removed else 'none'}; "
          f"{'their opt-out still holds' if erased.opted_out else 'no opt-out on record'}.")
    return 0


# the command line --------------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="warm-intro", description="Administer one organisation's warm introductions.")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--stack", help="a deployed organisation's CloudFormation stack name")
    where.add_argument("--local", action="store_true", help="the local server's embedded AWS (port LOCAL_AWS_PORT, "
                       f"else AWS_ENDPOINT_URL, else {target.LOCAL_ENDPOINT}; table {target.LOCAL_TABLE})")
    where.add_argument("--table", help="a table by name, with the ambient AWS credentials")
    p.add_argument("--region", help="the stack's region (default: AWS_DEFAULT_REGION / your profile's)")
    p.add_argument("--profile", help="an AWS profile from your configuration")
    commands = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    m = commands.add_parser("members", help="import, add, remove or list members").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    imp = m.add_parser("import", help="add or rename every member in a CSV with columns email,name (idempotent)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                     help="draw a progress bar (default: when stderr is a terminal)")
    imp.set_defaults(run=members_import)
    add = m.add_parser("add", help="add a member, or rename one")
    add.add_argument("email")
    add.add_argument("name")
    add.set_defaults(run=members_add)
    rm = m.add_parser("remove", help="remove a member (their past introductions stay)")
    rm.add_argument("email")
    rm.set_defaults(run=members_remove)
    m.add_parser("list", help="print the members as CSV (email,name)").set_defaults(run=members_list)

    s = commands.add_parser("stats", help="requests, decisions, time to introduction, connectors near their cap")
    s.add_argument("--months", type=int, default=3, help="how many months of requests (default 3)")
    s.add_argument("--to", metavar="YYYY-MM", help="the last month to include (default: this month)")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    s.set_defaults(run=show_stats)

    o = commands.add_parser("outbox", help="messages parked for a person").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    for name, run, text in (("list", outbox_list, "show 'failed', 'uncertain' and 'stalled' messages"),
                            ("resend", outbox_resend, "set parked messages back to pending so they are sent")):
        sub = o.add_parser(name, help=text)
        sub.add_argument("--intro", action="append", metavar="ID", help="only this introduction (repeatable)")
        sub.add_argument("--months", type=int, default=2, help="look at requests from this many months (default 2)")
        sub.set_defaults(run=run)
    o.choices["resend"].add_argument("--dlq", action="store_true",
                                     help="the introductions behind the notifier's dead-letter queue")
    for name, run, text in (("export", export_person, "print everything held about one person, as JSON"),
                            ("erase", erase_person, "erase one person's name and address everywhere (an opt-out stays)")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--email", required=True)
        sub.set_defaults(run=run)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(connect(args), args)
    except AdminError as error:
        return _fail(str(error))
    except NoCredentialsError:
        return _fail("No AWS credentials found: set AWS_PROFILE (or pass --profile), or use --local.")
    except NoRegionError:
        return _fail("Which region? Pass --region or set AWS_DEFAULT_REGION.")
    except ProfileNotFound as error:
        return _fail(str(error))
    except EndpointConnectionError as error:
        return _fail(f"Cannot reach {error.kwargs.get('endpoint_url')}. With --local: is the local server running "
                     "(make run)?")
    except ClientError as error:
        e = error.response["Error"]
        return _fail(f"AWS refused {error.operation_name}: {e.get('Code')}: {e.get('Message')}")
    except BotoCoreError as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return _fail("Interrupted.", 130)


def _fail(message: str, code: int = 1) -> int:
    print(f"warm-intro: {message}", file=sys.stderr)
    return code
