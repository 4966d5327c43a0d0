"""Loads each function's handler module from its CodeUri, as Lambda would (each is `app.py`)."""

from __future__ import annotations

import importlib.util
import sys
import threading
from functools import cache
from types import ModuleType

from . import template


@cache
def module(function: str) -> ModuleType:
    path = template.functions()[function] / "app.py"
    name = f"functions_{function}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


class Context:
    """The parts of Lambda's context object that Powertools reads."""

    def __init__(self, function: str):
        self.function_name = function
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{function}"
        self.memory_limit_in_mb = 256
        self.aws_request_id = "local"
        self.log_group_name = f"/aws/lambda/{function}"
        self.log_stream_name = "local"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


# A Lambda container handles one event at a time, and Powertools' resolvers keep the current event
# on the app object, so local invocations are serialised too.
_one_at_a_time = threading.RLock()


def invoke(function: str, event: dict) -> dict:
    with _one_at_a_time:
        return module(function).lambda_handler(event, Context(function))
