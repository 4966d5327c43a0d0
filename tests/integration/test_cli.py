"""The admin CLI end to end, against moto in-process: the same table, stream and handlers the
`world` drives, reached through `warm-intro`'s own argument parsing and error handling."""

from __future__ import annotations

import json

import boto3
import pytest

from warm_intro import runtime
from warm_intro.domain import delivery
from warm_intro.domain.delivery import is_parked
from warm_intro.domain.model import Delivery, Kind, State
from warm_intro_admin.cli import main

from . import steps

TABLE = ["--table", "intros-test", "--region", "us-east-1"]
K = Kind.CONFIRM_REQUEST


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()  # drop what the handlers printed (their metrics) before the command
    code = main([*argv])
    out, err = capsys.readouterr()
    return code, out, err


def members(capsys) -> dict[str, str]:
    code, out, _ = run(capsys, *TABLE, "members", "list")
    assert code == 0
    return dict(line.split(",", 1) for line in out.splitlines()[1:])


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "members.csv"
    path.write_text(
        "email,name\n"
        "Mary@Example.org,Mary Somerville\n"
        "not-an-address,Someone\n"
        "emmy@example.org,Emmy Noether\n"
        "mary@example.org,Mary Again\n"
        'joan@example.org,"Joan\rClarke"\n'
        "grace@example.org,Grace Hopper\n",
        encoding="utf-8",
    )
    return path


def test_import_adds_members_and_reports_each_rejected_row(world, capsys, csv_file):
    code, out, _ = run(capsys, *TABLE, "members", "import", str(csv_file))
    assert code == 1  # some rows were rejected
    assert "rejected line 3: not-an-address: email: That doesn't look like an email address." in out
    assert "rejected line 5: mary@example.org: duplicate of line 2" in out
    assert "rejected line 6: joan@example.org: name:" in out
    assert "6 rows; 2 added or renamed, 1 already there, 3 rejected" in out
    found = members(capsys)
    assert found["mary@example.org"] == "Mary Somerville" and found["emmy@example.org"] == "Emmy Noether"
    assert "joan@example.org" not in found and "not-an-address" not in found
    assert world.settings and runtime.repository().member_name("mary@example.org") == "Mary Somerville"


def test_importing_again_changes_nothing(world, capsys, csv_file):
    run(capsys, *TABLE, "members", "import", str(csv_file))
    before = members(capsys)
    code, out, _ = run(capsys, *TABLE, "members", "import", str(csv_file))
    assert code == 1 and "0 added or renamed, 3 already there, 3 rejected" in out
    assert members(capsys) == before


def test_import_of_a_file_without_header_stops_before_writing(world, capsys, tmp_path):
    path = tmp_path / "bare.csv"
    path.write_text("mary@example.org,Mary Somerville\n")
    code, _, err = run(capsys, *TABLE, "members", "import", str(path))
    assert code == 1 and "header" in err and "Traceback" not in err
    assert "mary@example.org" not in members(capsys)


def test_a_progress_bar_is_drawn_on_request(world, capsys, csv_file):
    code, _, err = run(capsys, *TABLE, "members", "import", "--progress", str(csv_file))
    assert code == 1 and "importing [" in err and "3/3" in err


def test_add_rename_and_remove(world, capsys):
    assert (
        run(capsys, *TABLE, "members", "add", "Hedy@example.org", "Hedy Lamarr")[1]
        == "hedy@example.org: added or renamed\n"
    )
    assert (
        run(capsys, *TABLE, "members", "add", "hedy@example.org", "Hedy Lamarr")[1]
        == "hedy@example.org: already a member\n"
    )
    assert run(capsys, *TABLE, "members", "add", "hedy@example.org", "Hedy Kiesler")[1].endswith(
        "added or renamed\n"
    )
    assert members(capsys)["hedy@example.org"] == "Hedy Kiesler"
    out = run(capsys, *TABLE, "members", "remove", "hedy@example.org")[1]
    assert out == "hedy@example.org: removed; no open requests involve them\n"
    out = run(capsys, *TABLE, "members", "remove", "hedy@example.org")[1]
    assert out == "hedy@example.org: was not a member; no open requests involve them\n"
    assert "hedy@example.org" not in members(capsys)
    assert runtime.repository().member_name("hedy@example.org") is None


def test_add_refuses_a_bad_address(world, capsys):
    with pytest.raises(SystemExit) as exit_:  # an argument error: argparse's usage line and exit code 2
        run(capsys, *TABLE, "members", "add", "hedy.example.org", "Hedy")
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "email" in err and "Traceback" not in err


def test_stats_count_how_far_each_request_got(world, capsys, monkeypatch):
    monkeypatch.setenv("LIMIT_CONNECTOR_WEEK", "3")
    steps.unconfirmed(world)  # lapses after a day
    world.advance(hours=25)  # Ada's next confirmation mail waits until this one is answered or lapsed
    first = steps.awaiting_target(world, target={"name": "Alan Turing", "email": "alan@example.net"})
    world.advance(days=2)
    assert world.post_form(world.last_link(steps.ALAN), {"decision": "accept"}).status == 200
    world.deliver()
    steps.awaiting_connector(world, target={"name": "Joan Clarke", "email": "joan@example.net"})
    assert world.post_form(world.last_link(steps.GRACE), {"decision": "decline"}).status == 200
    world.deliver()
    world.advance(days=1, hours=1)
    steps.tick(world)
    assert world.intro(first).state is State.INTRODUCED

    code, out, _ = run(capsys, *TABLE, "stats", "--json", "--months", "1")
    figures = json.loads(out)
    assert code == 0 and figures["months"] == ["2026-09"]
    assert {
        k: figures[k]
        for k in (
            "requests",
            "confirmations",
            "approvals",
            "acceptances",
            "introductions",
            "declines",
            "expiries",
            "open",
        )
    } == {
        "requests": 3,
        "confirmations": 2,
        "approvals": 1,
        "acceptances": 1,
        "introductions": 1,
        "declines": 1,
        "expiries": 1,
        "open": 0,
    }
    assert figures["median_days_to_introduction"] == pytest.approx(2.0, abs=0.01)
    assert figures["connectors_near_cap"] == [{"email": "grace@example.org", "asks_last_7_days": 2}]

    code, out, _ = run(capsys, *TABLE, "stats", "--months", "1")
    assert "introductions       1" in out and "grace@example.org: 2 asks in the last 7 days" in out


def test_stats_read_the_index_never_scan(world, capsys):
    steps.unconfirmed(world)
    calls: list[str] = []
    from botocore.session import Session

    original = Session.create_client

    def spy(self, *args, **kwargs):
        client = original(self, *args, **kwargs)
        client.meta.events.register("before-call.dynamodb.*", lambda model, **_: calls.append(model.name))
        return client

    Session.create_client = spy
    try:
        assert run(capsys, *TABLE, "stats", "--months", "2")[0] == 0
    finally:
        Session.create_client = original
    assert "Scan" not in calls and calls.count("Query") == 2


def parked(world) -> str:
    """An introduction whose confirmation the notifier claimed and then vanished: parked as 'uncertain'."""
    assert world.ask().status == 202
    repo = runtime.repository()
    (intro,) = repo.created_in("2026-09")
    unit = repo.begin(world.now)
    unit.intros.save(delivery.claim(intro, K, world.now, {}))
    unit.commit()
    world.deliver()
    world.advance(seconds=301)
    steps.tick(world)
    assert is_parked(world.intro(intro.id).outbox[K], world.now)
    assert world.mail_to(steps.ADA) == []
    return intro.id


def test_outbox_resend_sends_an_uncertain_message_again(world, capsys):
    found = parked(world)
    code, out, _ = run(capsys, *TABLE, "outbox", "list")
    assert code == 0 and out == f"{found} confirm_request: uncertain since {world.now - 301}\n"
    code, out, _ = run(capsys, *TABLE, "outbox", "resend")
    assert out == f"{found} confirm_request: uncertain -> pending\n"
    world.deliver()
    assert world.intro(found).outbox[K].status is Delivery.SENT
    assert len(world.mail_to(steps.ADA)) == 1
    assert run(capsys, *TABLE, "outbox", "list")[1] == ""


# a deployed stack, as moto's CloudFormation holds it --------------------------------------------

STACK = {
    "Parameters": {"LimitConnectorWeek": {"Type": "Number", "Default": "2"}},
    "Resources": {"DeadLetterQueue": {"Type": "AWS::SQS::Queue"}},
    "Outputs": {
        "TableName": {"Value": "intros-test"},
        "DeadLetterQueueUrl": {"Value": {"Ref": "DeadLetterQueue"}},
    },
}
ON_STACK = ["--stack", "warm-intro-bletchley", "--region", "us-east-1"]


@pytest.fixture
def stack(world):
    cfn = boto3.client("cloudformation", region_name="us-east-1")
    cfn.create_stack(StackName="warm-intro-bletchley", TemplateBody=json.dumps(STACK))
    outputs = cfn.describe_stacks(StackName="warm-intro-bletchley")["Stacks"][0]["Outputs"]
    return {o["OutputKey"]: o["OutputValue"] for o in outputs}


def dead_letter(stream_arn: str, intro_id: str) -> str:
    """What Lambda puts on the on-failure queue: where the failed batch sits in the stream, nothing more."""
    streams = boto3.client("dynamodbstreams", region_name="us-east-1")
    (shard,) = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]
    iterator = streams.get_shard_iterator(
        StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    records = streams.get_records(ShardIterator=iterator)["Records"]
    numbers = [
        r["dynamodb"]["SequenceNumber"]
        for r in records
        if r["dynamodb"]["Keys"]["pk"]["S"] == f"INTRO#{intro_id}"
    ]
    return json.dumps(
        {
            "requestContext": {"condition": "RetryAttemptsExhausted", "approximateInvokeCount": 6},
            "version": "1.0",
            "DDBStreamBatchInfo": {
                "shardId": shard["ShardId"],
                "startSequenceNumber": numbers[0],
                "endSequenceNumber": numbers[-1],
                "batchSize": len(numbers),
                "streamArn": stream_arn,
            },
        }
    )


def test_outbox_resend_follows_the_dead_letter_queue_back_to_the_introduction(world, capsys, stack):
    found = parked(world)
    sqs = boto3.client("sqs", region_name="us-east-1")
    sqs.send_message(QueueUrl=stack["DeadLetterQueueUrl"], MessageBody=dead_letter(world.pump_.arn, found))
    sqs.send_message(QueueUrl=stack["DeadLetterQueueUrl"], MessageBody='{"not": "a stream batch"}')
    code, out, err = run(capsys, *ON_STACK, "outbox", "resend", "--dlq")
    assert code == 0 and out == f"{found} confirm_request: uncertain -> pending\n"
    assert "1 dead letters handled (1 introductions); 1 could not be read back" in err
    world.deliver()
    assert len(world.mail_to(steps.ADA)) == 1
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    left = sqs.get_queue_attributes(QueueUrl=stack["DeadLetterQueueUrl"], AttributeNames=names)["Attributes"]
    assert sum(int(n) for n in left.values()) == 1  # the unreadable one stays for a person to look at


def test_a_stack_supplies_the_table_and_the_connector_cap(world, capsys, stack):
    steps.awaiting_connector(world)
    code, out, _ = run(capsys, *ON_STACK, "stats", "--json", "--months", "1")
    figures = json.loads(out)
    assert code == 0 and figures["connector_cap_per_week"] == 2
    assert figures["connectors_near_cap"] == [{"email": "grace@example.org", "asks_last_7_days": 1}]


# clear errors, never a traceback --------------------------------------------------------------


def test_a_missing_stack_is_named(world, capsys):
    code, out, err = run(capsys, "--stack", "nope", "--region", "eu-west-2", "stats")
    assert (code, out) == (1, "") and err == "warm-intro: No stack named 'nope' in eu-west-2.\n"


def test_a_missing_table_is_named(world, capsys):
    code, _, err = run(capsys, "--table", "nope", "--region", "us-east-1", "members", "list")
    assert code == 1 and err == "warm-intro: Table 'nope' not found for table nope (us-east-1).\n"


def test_missing_credentials_are_explained(world, capsys, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    code, _, err = run(capsys, "--stack", "warm-intro-bletchley", "--region", "us-east-1", "stats")
    assert code == 1 and "No AWS credentials found" in err


def test_an_unreachable_local_server_is_explained(capsys, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    code, _, err = run(capsys, "--local", "members", "list")
    assert code == 1 and "Cannot reach http://127.0.0.1:9" in err and "make run" in err


def test_export_then_erase_one_person(world, capsys):
    assert world.ask().status == 202
    world.deliver()
    code, out, _ = run(capsys, *TABLE, "export", "--email", "ada@example.org")
    exported = json.loads(out)
    assert code == 0 and exported["member"] == "Ada Lovelace" and len(exported["introductions"]) == 1
    code, out, _ = run(capsys, *TABLE, "erase", "--email", "ada@example.org")
    assert code == 0 and "1 introductions rewritten, membership removed" in out
    items = json.dumps(
        boto3.client("dynamodb", region_name="us-east-1").scan(TableName="intros-test")["Items"],
        default=bytes.hex,  # binary values (grants) as hex
    )
    assert "ada@example.org" not in items and "Ada Lovelace" not in items
    code, out, _ = run(capsys, *TABLE, "export", "--email", "ada@example.org")
    assert json.loads(out)["introductions"] == [] and json.loads(out)["member"] is None


def test_export_without_a_key_says_where_to_find_it(world, capsys, monkeypatch):
    monkeypatch.delenv("HASH_KEY")
    code, _, err = run(capsys, *TABLE, "export", "--email", "ada@example.org")
    assert code == 1 and "HASH_KEY" in err and "Traceback" not in err
