"""The cold start runs without the cyclic garbage collector (warm_intro.init_phase): paused from the
handler module's first import, in Lambda's runtime only, until the first invocation has answered or
failed; then what the cold start built is frozen and collection resumes. Each case runs in a fresh
interpreter, since the pause happens at import."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = sorted((ROOT / "functions").glob("*/app.py"))

PROBE = """
import gc, json, sys
from warm_intro import init_phase
seen = {"at_import": gc.isenabled()}

@init_phase.resumed_after_first
def handler(event, context):
    seen.setdefault("during_first", gc.isenabled())
    if event == "fail":
        raise RuntimeError("the first invocation failed")
    return "answer"

try:
    seen["answer"] = handler(sys.argv[1], None)
except RuntimeError:
    seen["answer"] = "raised"
seen["after_first"] = gc.isenabled()
seen["frozen"] = gc.get_freeze_count()
handler("ok", None)
seen["after_second"] = gc.isenabled()
print(json.dumps(seen))
"""


def probe(event: str, execution_env: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "AWS_EXECUTION_ENV"}
    env["PYTHONPATH"] = str(ROOT / "shared")
    if execution_env is not None:
        env["AWS_EXECUTION_ENV"] = execution_env
    done = subprocess.run(
        [sys.executable, "-c", PROBE, event], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize("event", ["ok", "fail"])
def test_in_lambda_collection_pauses_until_the_first_invocation_is_over(event):
    seen = probe(event, "AWS_Lambda_python3.13")
    assert seen["at_import"] is False and seen["during_first"] is False
    assert seen["answer"] == ("answer" if event == "ok" else "raised")
    assert seen["after_first"] is True and seen["after_second"] is True
    assert seen["frozen"] > 1_000  # what the cold start built (the probe's modules): never scanned again


@pytest.mark.parametrize("execution_env", [None, "", "something-else"])
def test_outside_lambda_collection_never_pauses(execution_env):
    seen = probe("ok", execution_env)
    assert seen["at_import"] is True and seen["during_first"] is True and seen["after_first"] is True
    assert seen["frozen"] == 0


@pytest.mark.parametrize("app", FUNCTIONS, ids=lambda p: p.parent.name)
def test_every_handler_pauses_first_and_resumes_after_its_first_invocation(app):
    tree = ast.parse(app.read_text())
    imports = [
        n
        for n in tree.body
        if isinstance(n, ast.Import | ast.ImportFrom) and getattr(n, "module", None) != "__future__"
    ]
    first = imports[0]
    assert isinstance(first, ast.ImportFrom) and first.module == "warm_intro"
    assert [a.name for a in first.names] == ["init_phase"]
    (handler,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "lambda_handler"]
    outermost = handler.decorator_list[0]
    assert ast.unparse(outermost) == "init_phase.resumed_after_first"
