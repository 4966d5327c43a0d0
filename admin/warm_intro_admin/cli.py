"""warm-intro: administer one organisation's introductions.

warm-intro --stack warm-intro-bletchley --region eu-west-2 members import members.csv
warm-intro --local stats
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from types import SimpleNamespace

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ProfileNotFound,
)

from warm_intro import runtime
from warm_intro.adapters.aliases import Aliases
from warm_intro.adapters.mailer import Mailer
from warm_intro.services import identities, personal_data, welcome

from . import arguments, doctor, members, optouts, outbox, stats, target
from .target import AdminError, Target


def connect(args: argparse.Namespace) -> Target:
    if args.local:
        return target.local()
    if args.stack:
        return target.deployed(args.stack, args.region, args.profile)
    return target.table(args.table, args.region, args.profile)


# commands ----------------------------------------------------------------------------------------


def members_import(t: Target, args) -> int:
    report = members.import_csv(
        t.repository, args.file, progress=args.progress, hash_key=t.hash_key, now=runtime.now()
    )
    members.print_report(args.file, report)
    return 1 if report.rejected else 0


def members_add(t: Target, args) -> int:
    print(members.add(t.repository, args.email, args.name))
    return 0


def members_remove(t: Target, args) -> int:
    print(
        members.remove(
            t.repository,
            args.email,
            t.hash_key(),
            runtime.now(),
            t.settings["request_policy"],
            ",".join(t.settings["allowed_domains"]),
        )
    )
    return 0


def members_welcome(t: Target, args) -> int:
    domain = t.parameters.get("CustomDomain", "")
    base_url = t.settings.get("base_url", "") or (f"https://{domain}" if domain else "")
    if not base_url and not args.dry_run:
        raise AdminError(
            "The welcome link needs the service's address: set the stack's BaseUrl or CustomDomain."
        )
    mailer = Mailer(t.client("sesv2"), t.configuration_set())
    done = welcome.send_all(
        t.repository,
        mailer,
        t.hash_key(),
        SimpleNamespace(**{**t.settings, "base_url": base_url.rstrip("/")}),
        runtime.now(),
        dry_run=args.dry_run,
    )
    for email in done.sent:
        print(f"{email}: {'would be welcomed' if args.dry_run else 'welcomed'}")
    for email in done.uncertain:
        print(f"{email}: an earlier run may or may not have mailed them; not sent again")
    print(
        f"{len(done.sent)} {'to welcome' if args.dry_run else 'welcomed'}; {done.agreed} already happy to be "
        f"asked, {done.before} welcomed before, {done.suppressed} opted out or unreachable, "
        f"{len(done.uncertain)} uncertain",
        file=sys.stderr,
    )
    return 0


def members_list(t: Target, args) -> int:
    repo = t.repository
    count = members.write_csv(repo, aliases_of=Aliases(repo, "").of)
    print(f"{count} members", file=sys.stderr)
    return 0


def show_stats(t: Target, args) -> int:
    now = runtime.now()
    span = stats.months(args.to or stats.month_of(now), args.months)
    cap = t.settings["limit_connector_week"]
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
        print(
            f"{len(letters.receipts)} dead letters handled ({len(set(letters.ids))} introductions); "
            f"{letters.unreadable} could not be read back from the stream and were left in the queue",
            file=sys.stderr,
        )
        print(
            "Refused messages are retried by the scheduler; ones pending under an hour are left to the stream.",
            file=sys.stderr,
        )
    print(f"{len(found)} messages set back to pending", file=sys.stderr)
    return 0


def export_person(t: Target, args) -> int:
    print(json.dumps(personal_data.export(t.hash_key(), t.repository, args.email), indent=2))
    return 0


def erase_person(t: Target, args) -> int:
    erased = personal_data.erase(t.hash_key(), t.repository, args.email, runtime.now())
    print(
        f"Erased {args.email}: {erased.introductions} introductions rewritten, "
        f"membership {'removed' if erased.member_removed else 'none'}; "
        f"{'their opt-out still holds' if erased.opted_out else 'no opt-out on record'}."
    )
    return 0


def optouts_list(t: Target, args) -> int:
    print(optouts.render(*optouts.counts(t.repository)))
    return 0


def optouts_restore(t: Target, args) -> int:
    repo, now = t.repository, runtime.now()
    print(optouts.restore(repo, t.hash_key(), args.email, args.reason, optouts.operator(t), now))
    return 0


def run_doctor(t: Target, args) -> int:
    if t.stack:
        stack = doctor.deployment(t.client("cloudformation"), t.stack)
    elif t.endpoint:
        stack = doctor.local_deployment(t.table, dict(os.environ))
    else:
        raise AdminError("doctor needs the stack (--stack NAME --region R) or --local.")
    resolver = None if stack.local or args.no_dns else doctor.dns_resolver
    lines = list(_printed(doctor.Doctor(t.client, stack, resolver=resolver, fetch=doctor.http_fetch).run()))
    if args.send_test:
        if stack.local:
            lines += _printed(
                [doctor.Line(doctor.SKIP, "test send", "the local server has no SES feedback chain")]
            )
        else:
            lines += _printed(
                doctor.send_test(t.client, stack, t.repository, t.hash_key(), timeout=args.timeout)
            )
    counts = {status: sum(line.status == status for line in lines) for status in doctor.MARK}
    print(
        f"{counts[doctor.RED]} failed, {counts[doctor.WARN]} warnings, {counts[doctor.GREEN]} passed, "
        f"{counts[doctor.SKIP]} skipped",
        file=sys.stderr,
    )
    return 1 if counts[doctor.RED] else 0


def _printed(lines):
    colour = sys.stdout.isatty()
    for line in lines:
        print(line.render(colour), flush=True)
        yield line


def migrate_identities(t: Target, args) -> int:
    done = identities.migrate(t.hash_key(), t.repository, runtime.now())
    print(
        f"{done.addresses} stored addresses had an earlier hash: {done.index_entries} index entries moved, "
        f"{done.suppressions} suppressions copied to the canonical hash; "
        f"{done.scheduled} closed introductions scheduled for anonymisation."
    )
    return 0


# the command line --------------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="warm-intro", description="Administer one organisation's warm introductions."
    )
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--stack", help="a deployed organisation's CloudFormation stack name")
    where.add_argument(
        "--local",
        action="store_true",
        help="the local server's embedded AWS (port LOCAL_AWS_PORT, "
        f"else AWS_ENDPOINT_URL, else {target.LOCAL_ENDPOINT}; table {target.LOCAL_TABLE})",
    )
    where.add_argument("--table", help="a table by name, with the ambient AWS credentials")
    p.add_argument("--region", help="the stack's region (default: AWS_DEFAULT_REGION / your profile's)")
    p.add_argument("--profile", help="an AWS profile from your configuration")
    commands = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    m = commands.add_parser("members", help="import, add, remove or list members").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    imp = m.add_parser(
        "import",
        help="add or rename every member in a CSV with columns email,name[,aliases] (idempotent)",
    )
    imp.add_argument("file", type=arguments.csv_file)
    imp.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="draw a progress bar (default: when stderr is a terminal)",
    )
    imp.set_defaults(run=members_import)
    add = m.add_parser("add", help="add a member, or rename one")
    add.add_argument("email", type=arguments.address)
    add.add_argument("name", type=arguments.name)
    add.set_defaults(run=members_add)
    rm = m.add_parser(
        "remove",
        help="remove a member and say what becomes of their open requests (their past introductions stay)",
    )
    rm.add_argument("email", type=arguments.address)
    rm.set_defaults(run=members_remove)
    m.add_parser("list", help="print the members as CSV (email,name)").set_defaults(run=members_list)
    wel = m.add_parser(
        "welcome", help="mail each member not yet asked an 'I'm happy to be asked' link (once per member)"
    )
    wel.add_argument("--dry-run", action="store_true", help="only say who would be mailed")
    wel.set_defaults(run=members_welcome)

    s = commands.add_parser(
        "stats", help="requests, decisions, time to introduction, connectors near their cap"
    )
    s.add_argument(
        "--months", type=arguments.months, default=3, help="how many months of requests (default 3)"
    )
    s.add_argument(
        "--to",
        type=arguments.month,
        metavar="YYYY-MM",
        help="the last month to include (default: this month)",
    )
    s.add_argument("--json", action="store_true", help="machine-readable output")
    s.set_defaults(run=show_stats)

    o = commands.add_parser("outbox", help="messages parked for a person").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    for name, run, text in (
        ("list", outbox_list, "show 'failed', 'uncertain' and 'stalled' messages"),
        ("resend", outbox_resend, "set parked messages back to pending so they are sent"),
    ):
        sub = o.add_parser(name, help=text)
        sub.add_argument("--intro", action="append", metavar="ID", help="only this introduction (repeatable)")
        sub.add_argument(
            "--months",
            type=arguments.months,
            default=2,
            help="look at requests from this many months (default 2)",
        )
        sub.set_defaults(run=run)
    o.choices["resend"].add_argument(
        "--dlq", action="store_true", help="the introductions behind the notifier's dead-letter queue"
    )
    for name, run, text in (
        ("export", export_person, "print everything held about one person, as JSON"),
        ("erase", erase_person, "erase one person's name and address everywhere (an opt-out stays)"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--email", required=True, type=arguments.address)
        sub.set_defaults(run=run)
    oo = commands.add_parser("optouts", help="opt-outs, bounces and complaints").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    oo.add_parser("list", help="how many, by kind and month (never whose)").set_defaults(run=optouts_list)
    restore = oo.add_parser(
        "restore", help="lift one person's opt-out, only at their own request (logged: who, when, why)"
    )
    restore.add_argument("email", type=arguments.address)
    restore.add_argument("--reason", required=True, help="why, e.g. 'asked by email on 2026-11-29'")
    restore.set_defaults(run=optouts_restore)
    d = commands.add_parser("doctor", help="check a deployed stack end to end (run after every deploy)")
    d.add_argument(
        "--send-test",
        action="store_true",
        help="mail SES's mailbox simulator and wait for the bounce and complaint to become suppressions",
    )
    d.add_argument(
        "--timeout", type=float, default=300, help="seconds to wait for --send-test's notices (default 300)"
    )
    d.add_argument("--no-dns", action="store_true", help="skip the SPF, DKIM and DMARC lookups")
    d.set_defaults(run=run_doctor)
    i = commands.add_parser("identities", help="the one-off move to canonical identities").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    i.add_parser(
        "migrate",
        help="re-key index entries and suppressions stored under an address's earlier hash (idempotent)",
    ).set_defaults(run=migrate_identities)
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
        return _fail(
            f"Cannot reach {error.kwargs.get('endpoint_url')}. With --local: is the local server running "
            "(make run)?"
        )
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
