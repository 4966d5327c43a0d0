"""Local tooling that can't hit the wrong server or run the stream twice (issue 11, item 9):
`warm-intro --local` acts on the embedded AWS at LOCAL_AWS_PORT, as the local server does, and the
stream pump never delivers from two threads at once."""

from __future__ import annotations

import threading
import time

import boto3
import pytest
from moto.server import ThreadedMotoServer

from local import aws, stream
from warm_intro.adapters.dynamodb import Repository
from warm_intro.domain.rules import Timings
from warm_intro_admin.cli import main
from warm_intro_admin.target import LOCAL_TABLE


@pytest.fixture
def embedded_aws(monkeypatch):
    """A local server's embedded AWS on a port of its own, holding one member."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{server.get_host_and_port()[1]}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    aws.create_resources(LOCAL_TABLE, "intros@example.org")
    repository = Repository(boto3.client("dynamodb", region_name="us-east-1"), LOCAL_TABLE, Timings())
    repository.put_member("mary.port@example.org", "Mary Port")
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    yield server.get_host_and_port()[1]
    server.stop()


@pytest.mark.parametrize("elsewhere", [None, "http://127.0.0.1:9"], ids=["no-endpoint", "another-endpoint"])
def test_local_cli_acts_on_the_server_at_local_aws_port(embedded_aws, capsys, monkeypatch, elsewhere):
    monkeypatch.setenv("LOCAL_AWS_PORT", str(embedded_aws))
    if elsewhere:
        monkeypatch.setenv("AWS_ENDPOINT_URL", elsewhere)
    code = main(["--local", "members", "list"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "mary.port@example.org,Mary Port" in out.splitlines()


@pytest.mark.parametrize("port", ["http://127.0.0.1:3001", "0", "70000", "30O1"])
def test_a_local_aws_port_that_is_not_a_port_is_explained(capsys, monkeypatch, port):
    monkeypatch.setenv("LOCAL_AWS_PORT", port)
    code = main(["--local", "members", "list"])
    err = capsys.readouterr().err
    assert code == 1 and "LOCAL_AWS_PORT" in err and "Traceback" not in err


def test_the_stream_pump_never_runs_from_two_threads_at_once(world, monkeypatch):
    """The local server pumps from its own thread and from every POST /_local/tick."""
    delivered: list[str] = []
    inside, most_inside = [0], [0]

    def slow_notifier(function, event):
        inside[0] += 1
        most_inside[0] = max(most_inside[0], inside[0])
        time.sleep(0.2)
        delivered.extend(r["dynamodb"]["SequenceNumber"] for r in event["Records"])
        inside[0] -= 1
        return {"batchItemFailures": []}

    monkeypatch.setattr(stream, "invoke", slow_notifier)
    for n in range(3):
        assert world.ask(requester={"name": "Ada Lovelace", "email": f"ada{n}@example.org"}).status == 202
    start = threading.Barrier(2)

    def pump():
        start.wait()
        world.pump_.pump()

    threads = [threading.Thread(target=pump) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert delivered and len(delivered) == len(set(delivered))  # each record once
    assert most_inside[0] == 1
