"""Warm overhead: time inside each HTTP handler per request, with AWS answered by botocore's
Stubber (the answers the same step got from moto, replayed in order), against a bare Powertools
APIGatewayHttpResolver dispatch of the same event, measured in the same run."""

from __future__ import annotations

import copy
import statistics
import time
from functools import partial

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from botocore import xform_name
from botocore.stub import Stubber

from local.lambdas import Context, module
from warm_intro import runtime

from .meter import Tally, Tap


def bare_handler():
    app = APIGatewayHttpResolver()

    @app.get("/link/<token>")
    def show(token: str):
        return Response(200, "text/html", "<p>ok</p>")

    return app.resolve


def _invoke(handler, event, context):
    return handler(copy.deepcopy(event), context)


def _time(call, iterations: int, before=None) -> float:
    samples = []
    for _ in range(iterations):
        if before:
            before()
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def measure(tap: Tap, cases: dict[str, Tally], iterations: int = 200) -> dict:
    """`cases`: name -> the tally of one step that made exactly one HTTP invocation."""
    runtime.reset()
    stubbers: dict[str, Stubber] = {}

    def stubber(service: str) -> Stubber:
        if service not in stubbers:
            stubbers[service] = Stubber(runtime.client(service))
            stubbers[service].activate()
        return stubbers[service]

    def replay(trace):
        def queue():
            for service, op, answer in trace:
                body = {k: v for k, v in answer.items() if k != "ResponseMetadata"}
                if "Error" in body:
                    stubber(service).add_client_error(xform_name(op), body["Error"]["Code"])
                else:
                    stubber(service).add_response(xform_name(op), copy.deepcopy(body))

        return queue

    context = Context("bench")
    real_now = runtime.now
    link_event = None
    results = {}
    tap.capturing = True
    try:
        for name, tally in cases.items():
            ((function, event),) = tally.handled
            handler = module(function).lambda_handler
            runtime.now = lambda at=tally.at: at
            queue = replay(tally.trace)
            call = partial(_invoke, handler, event, context)
            _time(call, 20, queue)
            ms = _time(call, iterations, queue)
            for s in stubbers.values():
                s.assert_no_pending_responses()
            results[name] = {"function": function, "median_ms": ms}
            if event.get("routeKey") == "GET /link/{token}":
                link_event = event
        bare = bare_handler()
        _time(lambda: bare(copy.deepcopy(link_event), context), 20)
        base = _time(lambda: bare(copy.deepcopy(link_event), context), iterations)
    finally:
        tap.capturing = False
        runtime.now = real_now
        for s in stubbers.values():
            s.deactivate()
        runtime.reset()
    for r in results.values():
        r["ratio_to_bare_resolver"] = round(r["median_ms"] / base, 1)
        r["median_ms"] = round(r["median_ms"], 2)
    return {"bare_resolver_ms": round(base, 3), "iterations": iterations, "handlers": results}
