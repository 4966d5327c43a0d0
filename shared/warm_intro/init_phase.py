"""A Lambda cold start without the cyclic garbage collector, imported first by every handler module.

A cold start allocates the objects of some six hundred modules (Powertools, boto3, Jinja, ours), and
the collector walks the young ones every 2,000 allocations and the older ones every tenth time: some
fifty passes, a few of them over tens of thousands of objects, almost none of which is garbage, since
modules, classes and clients live as long as the process. So collection pauses from the handler module's first import
until its first invocation has answered (which imports and builds the rest: the SDK client, the
templates); then everything built so far is frozen (`gc.freeze`: never scanned again) and collection
resumes for what requests allocate. The few hundred objects of cyclic garbage a cold start leaves are
frozen with the rest (tens of KB, once per process), rather than paying a full collection while the
first person waits. Only in Lambda's runtime (`AWS_EXECUTION_ENV`), never in a test process that imports
a handler and may never invoke it. Measured in docs/benchmark.md section 3."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from functools import wraps

PAUSED = os.environ.get("AWS_EXECUTION_ENV", "").startswith("AWS_Lambda_") and gc.isenabled()
if PAUSED:
    gc.disable()


def resumed_after_first[**P, R](handler: Callable[P, R]) -> Callable[P, R]:
    """Decorates a Lambda handler: once its first invocation has answered (or failed), what the cold
    start built is frozen and collection resumes."""

    @wraps(handler)
    def invoked(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return handler(*args, **kwargs)
        finally:
            resume()

    return invoked


def resume() -> None:
    global PAUSED
    if PAUSED:
        PAUSED = False
        gc.freeze()
        gc.enable()
