"""`warm-intro --local doctor` against the running local server: every check prints a line; what exists
locally (the verified sender, the request page) is green, what only a deployed stack has is skipped."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.support.server import ROOT, LocalServer

pytestmark = pytest.mark.e2e

CHECKS = [
    "sender",
    "SES identity",
    "DKIM",
    "SES account",
    "bounce notices",
    "alarm topic",
    "live versions",
    "schedule",
    "hash key",
    "request page",
    "table protection",
    "DNS",
]


@pytest.fixture(scope="module")
def server():
    srv = LocalServer()
    yield srv
    srv.stop()


def test_the_doctor_prints_every_check_against_the_local_server(server):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "BASE_URL"))}
    env.update(AWS_ENDPOINT_URL=f"http://127.0.0.1:{server.aws_port}", PORT=str(server.port))
    done = subprocess.run(
        [sys.executable, "-m", "warm_intro_admin", "--local", "doctor"],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert [line[2:].split(":")[0] for line in lines] == CHECKS
    assert f"✔ request page: {server.base}/ answers with the request form" in lines
    assert "✔ SES identity: example.org is verified in the embedded SES" in lines
    assert done.stderr.strip() == "0 failed, 0 warnings, 3 passed, 9 skipped"
