"""Cold start: fresh interpreters that import a handler module and serve its first event, timed
against fresh interpreters that only `import boto3`, interleaved so both share the machine's noise.

AWS is a moto server in this process; the child reaches it through AWS_ENDPOINT_URL, the one
difference from Lambda's environment. Its imports are the real ones: nothing is preloaded."""

from __future__ import annotations

import copy
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from local import template
from local.events import stream_event
from tests.conftest import TEST_ENV
from tests.support.events import load, with_token

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
FUNCTIONS = ["IntakeFunction", "LinksFunction", "NotifierFunction", "SchedulerFunction", "FeedbackFunction"]

# Run in the child: the event is read first (Lambda's runtime has it before calling the handler).
CHILD = """
import json, sys, time
event = json.load(open(sys.argv[1]))
class Context:
    function_name = sys.argv[2]; function_version = "$LATEST"; memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:" + sys.argv[2]
    aws_request_id = "cold"; log_group_name = "/aws/lambda/x"; log_stream_name = "cold"
    def get_remaining_time_in_millis(self): return 10000
start = time.perf_counter()
import app
imported = time.perf_counter()
answer = app.lambda_handler(event, Context())
done = time.perf_counter()
status = answer.get("statusCode") if isinstance(answer, dict) else None
sys.stderr.write("\\n" + json.dumps({"import_ms": (imported - start) * 1000, "first_ms": (done - imported) * 1000,
                                     "status": status, "answer": str(answer)[:200]}) + "\\n")
"""


def compile_bytecode() -> float:
    """Lambda's file system is read-only: code without .pyc compiles on every cold start. A layer built
    for speed ships them, so they are compiled here first (and the figures assume it)."""
    site = next((ROOT / ".venv" / "lib").glob("python3.*/site-packages"))
    start = time.perf_counter()
    subprocess.run([str(PYTHON), "-m", "compileall", "-q", "-j", "0", "shared", "functions", str(site)],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Fixture:
    """A moto server holding the template's table and one introduction of each kind the first events need."""

    def __init__(self, workdir: Path):
        import logging

        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)

        self.port = _free_port()
        self.server = ThreadedMotoServer(port=self.port, verbose=False)
        self.server.start()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.workdir = workdir
        self.events: dict[str, Path] = {}
        self.restore = None

    def prepare(self) -> None:
        from tests.support.world import World
        from warm_intro import runtime
        from warm_intro.adapters.codec import intro_key
        from warm_intro.adapters.dynamodb import dump

        os.environ["AWS_ENDPOINT_URL"] = self.endpoint
        runtime.reset()
        try:
            world = World([int(time.time())])
            world.ask()
            (item,) = [i for i in self._intros(world) if "pending" in i]
            intro_id = item["pk"]["S"].removeprefix("INTRO#")
            record = {"eventID": "1", "eventName": "INSERT", "dynamodb": {
                "Keys": dump(intro_key(intro_id)), "NewImage": item, "SequenceNumber": "100000000000000000001",
                "SizeBytes": 1024, "StreamViewType": "NEW_IMAGE"}}
            table = world.settings.table_name
            client = runtime.client("dynamodb")
            self.restore = lambda: client.put_item(TableName=table, Item=item)
            notifier_event = stream_event([record], "arn:aws:dynamodb:us-east-1:123456789012:table/x/stream/1")
            world.ask(requester={"name": "Mary Somerville", "email": "mary@example.org"})
            world.deliver()
            link = world.last_link("mary@example.org")
            self.restore()
        finally:
            os.environ.pop("AWS_ENDPOINT_URL")
            runtime.reset()
        bounce = {"notificationType": "Bounce", "bounce": {"bounceType": "Permanent",
                  "bouncedRecipients": [{"emailAddress": "gone@example.net"}]}, "mail": {}}
        events = {
            "IntakeFunction": load("intake_create_intro.json"),
            "LinksFunction": with_token(load("links_get.json"), link),
            "NotifierFunction": notifier_event,
            "SchedulerFunction": {"version": "0", "source": "aws.scheduler", "detail-type": "Scheduled Event",
                                  "detail": {}},
            "FeedbackFunction": {"Records": [{"EventSource": "aws:sns", "Sns": {"Message": json.dumps(bounce)}}]},
        }
        for name, event in events.items():
            path = self.workdir / f"{name}.json"
            path.write_text(json.dumps(copy.deepcopy(event)))
            self.events[name] = path

    @staticmethod
    def _intros(world) -> list[dict]:
        from warm_intro import runtime

        items = runtime.client("dynamodb").scan(TableName=world.settings.table_name)["Items"]
        return [i for i in items if i["pk"]["S"].startswith("INTRO#")]

    def env(self, function: str | None) -> dict[str, str]:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **TEST_ENV, "POWERTOOLS_LOG_LEVEL": "INFO",
               "AWS_ENDPOINT_URL": self.endpoint, "AWS_REGION": "us-east-1", "LIMIT_IP_HOUR": "1000000",
               "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256"}
        if function:
            code = template.functions()[function]
            env |= {"PYTHONPATH": f"{ROOT / 'shared'}:{code}", "LAMBDA_TASK_ROOT": str(code),
                    "AWS_LAMBDA_FUNCTION_NAME": function, "_HANDLER": "app.lambda_handler"}
        return env

    def stop(self) -> None:
        self.server.stop()


def run_child(fixture: Fixture, function: str | None, importtime: bool = False) -> tuple[float, dict]:
    """Wall time of one fresh process (ms), and what the child measured inside itself."""
    if function is None:
        argv = [str(PYTHON), "-c", "import boto3"]
        cwd = ROOT
    else:
        if function == "NotifierFunction":
            fixture.restore()  # the same message waits to be sent every time
        cwd = template.functions()[function]
        argv = [str(PYTHON), *(["-X", "importtime"] if importtime else []), "-c", CHILD,
                str(fixture.events[function]), function]
    start = time.perf_counter()
    done = subprocess.run(argv, check=False, cwd=cwd, env=fixture.env(function), capture_output=True, text=True)
    wall = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise RuntimeError(f"{function or 'import boto3'} failed:\n{done.stderr[-2000:]}")
    inside = {}
    if function is not None:
        inside = json.loads(next(x for x in reversed(done.stderr.splitlines()) if x.startswith("{")))
        inside["stderr"] = done.stderr
    return wall, inside


def measure(rounds: int = 10, seed: int = 7) -> dict:
    compiled_s = compile_bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        fixture = Fixture(Path(tmp))
        try:
            fixture.prepare()
            for name in [None, *FUNCTIONS]:  # untimed: warms the OS file cache alike for every contender
                run_child(fixture, name)
            walls: dict[str, list[float]] = {"boto3": [], **{f: [] for f in FUNCTIONS}}
            inner: dict[str, list[dict]] = {f: [] for f in FUNCTIONS}
            order = random.Random(seed)
            for _ in range(rounds):
                names = [None, *FUNCTIONS]
                order.shuffle(names)
                for name in names:
                    wall, inside = run_child(fixture, name)
                    walls[name or "boto3"].append(wall)
                    if name:
                        inside.pop("stderr")
                        inner[name].append(inside)
            base = statistics.median(walls["boto3"])
            result = {
                "rounds": rounds,
                "bytecode_compiled_in_s": round(compiled_s, 1),
                "import_boto3_ms": round(base, 1),
                "functions": {},
            }
            for f in FUNCTIONS:
                med = statistics.median(walls[f])
                result["functions"][f] = {
                    "median_ms": round(med, 1),
                    "ratio_to_import_boto3": round(med / base, 2),
                    "import_ms": round(statistics.median(i["import_ms"] for i in inner[f]), 1),
                    "first_event_ms": round(statistics.median(i["first_ms"] for i in inner[f]), 1),
                    "first_status": inner[f][0]["status"],
                    "http_facing": f in {r.function for r in template.routes()},
                }
            slowest = max(FUNCTIONS, key=lambda f: result["functions"][f]["median_ms"])
            _, inside = run_child(fixture, slowest, importtime=True)
            result["importtime"] = {"function": slowest, **top_imports(inside["stderr"])}
            return result
        finally:
            fixture.stop()


def top_imports(stderr: str, n: int = 12) -> dict:
    """`-X importtime` lines: what the handler module and its first event import (cumulative), and the self
    time of every module summed by top-level package, in ms."""
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative, name = line.removeprefix("import time:").split("|")
        depth = (len(name) - len(name.lstrip()) - 1) // 2
        rows.append((name.strip(), depth, int(self_us), int(cumulative)))
    direct = sorted(((name, cum) for name, depth, _, cum in rows if depth <= 1 and name != "app"), key=lambda r: -r[1])
    packages: dict[str, int] = {}
    for name, _, self_us, _ in rows:
        packages[name.split(".")[0]] = packages.get(name.split(".")[0], 0) + self_us
    return {
        "imported_by_handler_cumulative_ms": [[m, round(us / 1000, 1)] for m, us in direct[:n]],
        "by_package_self_ms": [[p, round(us / 1000, 1)] for p, us in sorted(packages.items(), key=lambda r: -r[1])[:n]],
        "total_ms": round(sum(r[2] for r in rows) / 1000, 1),
    }


if __name__ == "__main__":
    json.dump(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 3), sys.stdout, indent=1)
