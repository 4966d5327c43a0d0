"""The local server's request log never holds a link's token (issue 11, item 9): anyone reading a
terminal or a CI log could otherwise open, confirm or opt out for the person the link was for."""

from __future__ import annotations

import pytest

from tests.support.server import LocalServer

pytestmark = pytest.mark.e2e

SECRETS = ["01JDEMO.s3cr3t-confirm-token", "01JDEMO.s3cr3t-optout-token", "s3cr3t-query"]


def test_paths_with_tokens_are_logged_without_them():
    server = LocalServer(LOCAL_QUIET="0")
    try:
        assert server.get(f"/link/{SECRETS[0]}")[0] in (404, 410)
        server.post_form(f"/link/{SECRETS[0]}", {"decision": "confirm"})
        server.get(f"/optout/{SECRETS[1]}?t={SECRETS[2]}")
        server.post_form(f"/optout/{SECRETS[1]}", {"decision": "opt_out"})
        server.get("/docs?format=json")
    finally:
        server.stop()
    log = server.process.stdout.read()
    assert not any(secret in log for secret in SECRETS), log
    lines = log.splitlines()
    assert any(line.startswith("GET /link/") for line in lines)  # still a useful log: the route and status
    assert any(line.startswith("POST /optout/") for line in lines)
    assert any(line.startswith("GET /docs") for line in lines)
