"""Cold start of what is deployed: fresh interpreters load a handler from the benchmark's own x86_64
`sam build` (bench/build.py: the same layer and functions, bytecode included), with
PYTHONDONTWRITEBYTECODE=1 as on Lambda's read-only file system. Nothing comes from the development tree.

Contenders, interleaved in shuffled rounds so all share the machine's noise:
- `import boto3` and a bare function (import boto3, make a DynamoDB client, one GetItem): the baselines;
- each function's import alone, and its first response (import, settings, client, its first event);
- the HTTP-facing imports from a copy of the build without bytecode (as `sam build` shipped it before).

AWS is a moto server in this process; the child reaches it through AWS_ENDPOINT_URL, the one
difference from Lambda's environment: as deployed, a function gets the hash key's secret and reads
it when a request first hashes an address, and every first event meets the same table. boto3 comes
from the development environment, compiled, as the runtime ships it.

Every child ends as a Lambda sandbox does once it has answered: it is frozen, and later killed, never
finalised. So each one leaves with `os._exit` the moment it is done: the interpreter's teardown, which
grows with everything imported (about a fifth of each process, the baselines' too), is nobody's wait,
and counted on neither side."""

from __future__ import annotations

import copy
import json
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from local.environment import ENVIRONMENT
from local.events import stream_event
from local.samples import load, with_token
from warm_intro.settings import HASH_KEY_SECRET, env_var

from . import build

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
FUNCTIONS = ["IntakeFunction", "LinksFunction", "NotifierFunction", "SchedulerFunction", "FeedbackFunction"]
HTTP_FACING = ["IntakeFunction", "LinksFunction"]
RUNTIME_PACKAGES = ["boto3", "botocore", "s3transfer", "dateutil", "jmespath", "urllib3", "six.py"]

# Run in the child: the event is read first (Lambda's runtime has it before calling the handler).
LAMBDA = """
import json, sys, time
event = json.load(open(sys.argv[1]))
class Context:
    function_name = sys.argv[2]; function_version = "$LATEST"; memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:" + sys.argv[2]
    aws_request_id = "cold"; log_group_name = "/aws/lambda/x"; log_stream_name = "cold"
    def get_remaining_time_in_millis(self): return 10000
"""
CHILD = (
    LAMBDA
    + """
start = time.perf_counter()
import app
imported = time.perf_counter()
answer = app.lambda_handler(event, Context())
done = time.perf_counter()
status = answer.get("statusCode") if isinstance(answer, dict) else None
sys.stderr.write("\\n" + json.dumps({"import_ms": (imported - start) * 1000, "first_ms": (done - imported) * 1000,
                                     "status": status, "answer": str(answer)[:200]}) + "\\n")
"""
)
BARE = """
import os, boto3
boto3.client("dynamodb").get_item(TableName=os.environ["TABLE_NAME"], Key={"pk": {"S": "x"}, "sk": {"S": "x"}})
"""
# The first response again, timed by phase (exclusive ms: a phase's time less what its inner phases took):
# the handler module's import, then inside the first invocation the settings, the secret's reader, each
# client's creation (boto3's import with the first), each AWS call, the page's wording and rendering, and
# whatever else the handler does (routing, validation, the domain). The wrappers are installed after the
# import, on module attributes the handler looks up at call time, so they move no import.
PHASED = (
    LAMBDA
    + """
spent, stack = {}, []
def timed(label, fn):
    def phase(*args, **kwargs):
        start = time.perf_counter(); stack.append(0.0)
        try:
            return fn(*args, **kwargs)
        finally:
            took = time.perf_counter() - start
            spent[label] = spent.get(label, 0.0) + took - stack.pop()
            if stack: stack[-1] += took
    return phase
start = time.perf_counter()
import app
spent["import"] = time.perf_counter() - start
from warm_intro import runtime
made = runtime.client
def client(service):
    c = timed("client " + service, made)(service)
    if not getattr(c, "_phased", False):
        c._make_api_call = timed("call " + service, c._make_api_call); c._phased = True
    return c
runtime.client = client
for name in ("settings", "secret", "repository"):
    setattr(runtime, name, timed(name, getattr(runtime, name)))
for name, label in (("html", "render"), ("span", "wording")):
    if hasattr(app, name): setattr(app, name, timed(label, getattr(app, name)))
handler = timed("handler, the rest", app.lambda_handler)
answer = handler(event, Context())
status = answer.get("statusCode") if isinstance(answer, dict) else None
sys.stderr.write("\\n" + json.dumps({"status": status, "ms": {k: v * 1000 for k, v in spent.items()}}) + "\\n")
"""
)
BARE_PHASED = """
import json, os, sys, time
t0 = time.perf_counter()
import boto3
t1 = time.perf_counter()
client = boto3.client("dynamodb")
t2 = time.perf_counter()
client.get_item(TableName=os.environ["TABLE_NAME"], Key={"pk": {"S": "x"}, "sk": {"S": "x"}})
t3 = time.perf_counter()
ms = {"import": (t1 - t0) * 1000, "client": (t2 - t1) * 1000, "call dynamodb": (t3 - t2) * 1000}
sys.stderr.write("\\n" + json.dumps({"status": None, "ms": ms}) + "\\n")
"""
# Appended to every child: done, it leaves as a frozen sandbox does, without finalising the interpreter.
FROZEN = """
import os as _os, sys as _sys
_sys.stdout.flush(); _sys.stderr.flush(); _os._exit(0)
"""


def runtime_bytecode() -> None:
    """The Lambda runtime ships boto3 compiled: make sure the development copy that stands in for it is."""
    site = next((ROOT / ".venv" / "lib").glob("python3.*/site-packages"))
    paths = [str(site / p) for p in RUNTIME_PACKAGES if (site / p).exists()]
    subprocess.run(
        [str(PYTHON), "-m", "compileall", "-q", "-j", "0", *paths], check=True, stdout=subprocess.DEVNULL
    )


def without_bytecode(build_dir: Path, into: Path) -> Path:
    """A copy of the build as the pip builder shipped it: sources only."""
    shutil.copytree(build_dir, into, ignore=shutil.ignore_patterns("__pycache__"), symlinks=True)
    return into


def _restorer(client, table: str):
    """Puts the table back as it is now: what a run added is deleted, what it changed is put back.
    moto's TransactWriteItems deep-copies the whole table once per action (to roll back), so a table
    that grew with every intake run would make each run slower than the last; DynamoDB's latency
    doesn't grow with the table."""
    key_names = [k["AttributeName"] for k in client.describe_table(TableName=table)["Table"]["KeySchema"]]

    def items() -> dict[tuple, dict]:
        pages = client.get_paginator("scan").paginate(TableName=table)
        return {tuple(json.dumps(i[k]) for k in key_names): i for p in pages for i in p["Items"]}

    kept = items()

    def restore() -> None:
        for key, item in items().items():
            if key not in kept:
                client.delete_item(TableName=table, Key={k: item[k] for k in key_names})
            elif item != kept[key]:
                client.put_item(TableName=table, Item=kept[key])
        for key in kept.keys() - items().keys():
            client.put_item(TableName=table, Item=kept[key])

    return restore


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
        self.secret = ""

    def prepare(self) -> None:
        from local.world import World
        from warm_intro import runtime
        from warm_intro.adapters.codec import intro_key, to_item
        from warm_intro.adapters.dynamodb import dump
        from warm_intro.domain.delivery import pending

        os.environ["AWS_ENDPOINT_URL"] = self.endpoint
        runtime.reset()
        try:
            world = World([int(time.time())])
            world.ask()
            (intro,) = [i for i in self._intros(world) if pending(i)]  # what the stream filter lets through
            intro_id = intro.id
            # the stream's image of it, as the adapter writes it
            item = dump(to_item(intro, world.settings.timings))
            record = {
                "eventID": "1",
                "eventName": "INSERT",
                "dynamodb": {
                    "Keys": dump(intro_key(intro_id)),
                    "NewImage": item,
                    "SequenceNumber": "100000000000000000001",
                    "SizeBytes": 1024,
                    "StreamViewType": "NEW_IMAGE",
                },
            }
            table = world.settings.table_name
            client = runtime.client("dynamodb")
            notifier_event = stream_event(
                [record], "arn:aws:dynamodb:us-east-1:123456789012:table/x/stream/1"
            )
            world.ask(requester={"name": "Mary Somerville", "email": "mary@example.org"})
            world.deliver()
            link = world.last_link("mary@example.org")
            client.put_item(TableName=table, Item=item)  # the notifier's message waits again
            self.restore = _restorer(client, table)
            # As deployed: the functions get the hash key's secret, read when a request first hashes an address.
            self.secret = runtime.client("secretsmanager").create_secret(
                Name="warm-intro-hash-key", SecretString=ENVIRONMENT[env_var("hash_key")]
            )["ARN"]
        finally:
            os.environ.pop("AWS_ENDPOINT_URL")
            runtime.reset()
        bounce = {
            "eventType": "Bounce",
            "bounce": {
                "bounceType": "Permanent",
                "bouncedRecipients": [{"emailAddress": "gone@example.net"}],
            },
            "mail": {},
        }
        events = {
            "IntakeFunction": load("intake_create_intro.json"),
            "LinksFunction": with_token(load("links_get.json"), link),
            "NotifierFunction": notifier_event,
            "SchedulerFunction": {
                "version": "0",
                "source": "aws.scheduler",
                "detail-type": "Scheduled Event",
                "detail": {},
            },
            "FeedbackFunction": {
                "version": "0",
                "source": "aws.ses",
                "detail-type": "Email Bounced",
                "detail": bounce,
            },
        }
        for name, event in events.items():
            path = self.workdir / f"{name}.json"
            path.write_text(json.dumps(copy.deepcopy(event)))
            self.events[name] = path

    @staticmethod
    def _intros(world) -> list:
        from time import gmtime, strftime

        from warm_intro import runtime

        return runtime.repository().created_in(strftime("%Y-%m", gmtime(world.now)))

    def env(
        self, function: str | None, code: Path | None = None, layer: Path | None = None
    ) -> dict[str, str]:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            **ENVIRONMENT,
            "POWERTOOLS_LOG_LEVEL": "INFO",
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_REGION": "us-east-1",
            "LIMIT_IP_HOUR": "1000000",
            "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        if function:
            del env[env_var("hash_key")]
            # Lambda's order: the function's code, then the layer, then the runtime's own packages (boto3).
            env |= {
                HASH_KEY_SECRET: self.secret,
                "PYTHONPATH": f"{code}:{layer}",
                "LAMBDA_TASK_ROOT": str(code),
                "AWS_LAMBDA_FUNCTION_NAME": function,
                "_HANDLER": "app.lambda_handler",
            }
        return env

    def stop(self) -> None:
        self.server.stop()


class Contenders:
    """What one fresh process runs for each name, from a given build."""

    def __init__(self, fixture: Fixture, build_dir: Path, bare_build: Path | None = None):
        self.fixture, self.build_dir, self.bare_build = fixture, build_dir, bare_build

    def names(self) -> list[str]:
        names = ["import boto3", "bare function"]
        names += [f"{f} import" for f in FUNCTIONS] + [f"{f} first response" for f in FUNCTIONS]
        if self.bare_build:
            names += [f"{f} import without bytecode" for f in HTTP_FACING]
        return names

    def run(self, name: str, importtime: bool = False, preexec=None) -> tuple[float, dict]:
        """Wall time of one fresh process (ms), and what the child measured inside itself."""
        fx = self.fixture
        if name == "import boto3":
            argv, cwd, env = [str(PYTHON), "-c", "import boto3" + FROZEN], ROOT, fx.env(None)
        elif name == "bare function":
            argv, cwd, env = [str(PYTHON), "-c", BARE + FROZEN], ROOT, fx.env(None)
        else:
            function, what = name.split(" ", 1)
            root = self.bare_build if what == "import without bytecode" else self.build_dir
            cwd = root / function
            env = fx.env(function, cwd, build.layer(root))
            if what == "first response":
                fx.restore()  # every first event meets the same table (the notifier, the same message to send)
                argv = [
                    str(PYTHON),
                    *(["-X", "importtime"] if importtime else []),
                    "-c",
                    CHILD + FROZEN,
                    str(fx.events[function]),
                    function,
                ]
            else:
                argv = [
                    str(PYTHON),
                    *(["-X", "importtime"] if importtime else []),
                    "-c",
                    "import app" + FROZEN,
                ]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            argv, check=False, cwd=cwd, env=env, capture_output=True, text=True, preexec_fn=preexec
        )
        wall = (time.perf_counter() - start) * 1000
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise RuntimeError(f"{name} failed:\n{done.stderr[-2000:]}")
        # CPU the child used: what a fraction of a core stretches (Lambda's CPU share grows with memory).
        inside = {
            "stderr": done.stderr,
            "cpu_ms": (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000,
        }
        if name.endswith("first response"):
            inside |= json.loads(next(x for x in reversed(done.stderr.splitlines()) if x.startswith("{")))
        return wall, inside


def rounds_of(
    contenders: Contenders, names: list[str], rounds: int, seed: int, preexec=None
) -> dict[str, dict]:
    """Median wall time (and what the children measured) per name over shuffled rounds."""
    for name in names:  # untimed: warms the OS file cache alike for every contender
        contenders.run(name, preexec=preexec)
    walls: dict[str, list[float]] = {n: [] for n in names}
    inner: dict[str, list[dict]] = {n: [] for n in names}
    order = random.Random(seed)
    for _ in range(rounds):
        shuffled = list(names)
        order.shuffle(shuffled)
        for name in shuffled:
            wall, inside = contenders.run(name, preexec=preexec)
            inside.pop("stderr")
            walls[name].append(wall)
            inner[name].append(inside)
    return {
        n: {
            "median_ms": round(statistics.median(walls[n]), 1),
            "inside": inner[n],
            "cpu_ms": round(statistics.median(i["cpu_ms"] for i in inner[n]), 1),
        }
        for n in names
    }


def measure(rounds: int = 10, seed: int = 7, sizes: list[int] | None = None) -> dict:
    """Cold starts, then (given memory sizes) the same children at each size's CPU share: one moto fixture,
    since moto's state belongs to the process."""
    runtime_bytecode()
    build_dir, build_s = build.build()
    with tempfile.TemporaryDirectory() as tmp:
        fixture = Fixture(Path(tmp))
        try:
            fixture.prepare()
            contenders = Contenders(fixture, build_dir, without_bytecode(build_dir, Path(tmp) / "no-pyc"))
            m = rounds_of(contenders, contenders.names(), rounds, seed)
            boto3_ms, bare_ms = m["import boto3"]["median_ms"], m["bare function"]["median_ms"]
            result = {
                "rounds": rounds,
                "build": str(build_dir.relative_to(ROOT)),
                "build_s": round(build_s, 1),
                "import_boto3_ms": boto3_ms,
                "bare_function_ms": bare_ms,
                "import_boto3_cpu_ms": m["import boto3"]["cpu_ms"],
                "bare_function_cpu_ms": m["bare function"]["cpu_ms"],
                "functions": {},
            }
            for f in FUNCTIONS:
                imp, first = m[f"{f} import"], m[f"{f} first response"]
                result["functions"][f] = {
                    "http_facing": f in HTTP_FACING,
                    "import_ms": imp["median_ms"],
                    "import_cpu_ms": imp["cpu_ms"],
                    "import_ratio_to_import_boto3": round(imp["median_ms"] / boto3_ms, 2),
                    "first_response_ms": first["median_ms"],
                    "first_response_cpu_ms": first["cpu_ms"],
                    "first_response_ratio_to_bare_function": round(first["median_ms"] / bare_ms, 2),
                    # CPU time: what a loaded machine's noise stretches least (and Lambda's CPU share most)
                    "import_cpu_ratio_to_import_boto3": round(imp["cpu_ms"] / m["import boto3"]["cpu_ms"], 2),
                    "first_response_cpu_ratio_to_bare_function": round(
                        first["cpu_ms"] / m["bare function"]["cpu_ms"], 2
                    ),
                    "first_event_ms_inside": round(
                        statistics.median(i["first_ms"] for i in first["inside"]), 1
                    ),
                    "first_status": first["inside"][0]["status"],
                }
                if f in HTTP_FACING:
                    old = m[f"{f} import without bytecode"]["median_ms"]
                    result["functions"][f] |= {
                        "import_without_bytecode_ms": old,
                        "import_without_bytecode_ratio": round(old / boto3_ms, 2),
                    }
            result["importtime"] = {}
            for f in HTTP_FACING:
                _, inside = contenders.run(f"{f} first response", importtime=True)
                result["importtime"][f] = top_imports(inside["stderr"])
            if sizes:
                result["cpu_share"] = quota(contenders, sizes)
            return result
        finally:
            fixture.stop()


def phases(rounds: int = 5, seed: int = 5, builds: dict[str, Path] | None = None) -> dict:
    """The first responses of the HTTP functions, from each build given (default: this tree's), beside the
    bare function: each process's wall time (as `measure` takes it) and, in separate processes, its time by
    phase (PHASED); shuffled rounds, medians. Several builds compare before and after in one run."""
    runtime_bytecode()
    if builds is None:
        builds = {"this tree": build.build()[0]}
    with tempfile.TemporaryDirectory() as tmp:
        fixture = Fixture(Path(tmp))
        try:
            fixture.prepare()
            jobs = [("bare function", None, None)]
            jobs += [(f"{label}: {f}", root, f) for label, root in builds.items() for f in HTTP_FACING]
            by_phase: dict[str, list[dict]] = {name: [] for name, _, _ in jobs}
            walls: dict[str, list[float]] = {name: [] for name, _, _ in jobs}
            cpus: dict[str, list[float]] = {name: [] for name, _, _ in jobs}
            order = random.Random(seed)
            for round_ in range(rounds + 1):  # the first round, untimed, warms the file cache alike
                order.shuffle(jobs)
                for name, root, function in jobs:
                    wall, cpu = _phased_wall(fixture, root, function)
                    measured = _phased(fixture, root, function)
                    if round_:
                        walls[name].append(wall)
                        cpus[name].append(cpu)
                        by_phase[name].append(measured)
            bare = statistics.median(walls["bare function"])
            bare_cpu = statistics.median(cpus["bare function"])
            out: dict = {
                "rounds": rounds,
                "bare_function_ms": round(bare, 1),
                "bare_function_cpu_ms": round(bare_cpu, 1),
                "first_responses": {},
            }
            for name, runs in by_phase.items():
                labels = sorted({k for r in runs for k in r["ms"]})
                out["first_responses"][name] = {
                    "wall_ms": round(statistics.median(walls[name]), 1),
                    "ratio_to_bare_function": round(statistics.median(walls[name]) / bare, 2),
                    "cpu_ms": round(statistics.median(cpus[name]), 1),
                    "cpu_ratio_to_bare_function": round(statistics.median(cpus[name]) / bare_cpu, 2),
                    "status": runs[0]["status"],
                    "phases_ms": {
                        k: round(statistics.median(r["ms"].get(k, 0.0) for r in runs), 1) for k in labels
                    },
                }
            return out
        finally:
            fixture.stop()


def _phased_wall(fixture: Fixture, root: Path | None, function: str | None) -> tuple[float, float]:
    """A whole process's wall and CPU ms, as `measure` takes them."""
    if function is None:
        wall, inside = Contenders(fixture, Path()).run("bare function")
    else:
        assert root is not None
        wall, inside = Contenders(fixture, root).run(f"{function} first response")
    return wall, inside["cpu_ms"]


def _phased(fixture: Fixture, root: Path | None, function: str | None) -> dict:
    if function is None:
        argv, cwd, env = [str(PYTHON), "-c", BARE_PHASED + FROZEN], ROOT, fixture.env(None)
    else:
        assert root is not None
        fixture.restore()
        cwd = root / function
        env = fixture.env(function, cwd, build.layer(root))
        argv = [str(PYTHON), "-c", PHASED + FROZEN, str(fixture.events[function]), function]
    done = subprocess.run(argv, check=False, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{function or 'bare function'} (by phase) failed:\n{done.stderr[-2000:]}")
    return json.loads(next(x for x in reversed(done.stderr.splitlines()) if x.startswith("{")))


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
    direct = sorted(
        ((name, cum) for name, depth, _, cum in rows if depth <= 1 and name != "app"), key=lambda r: -r[1]
    )
    packages: dict[str, int] = {}
    for name, _, self_us, _ in rows:
        packages[name.split(".")[0]] = packages.get(name.split(".")[0], 0) + self_us
    return {
        "imported_by_handler_cumulative_ms": [[m, round(us / 1000, 1)] for m, us in direct[:n]],
        "by_package_self_ms": [
            [p, round(us / 1000, 1)] for p, us in sorted(packages.items(), key=lambda r: -r[1])[:n]
        ],
        "total_ms": round(sum(r[2] for r in rows) / 1000, 1),
    }


CGROUP = Path("/sys/fs/cgroup/cpu")  # cgroup v1's CPU controller (CFS bandwidth)
PERIOD_US = 100_000
VCPU_MB = 1769  # Lambda: one full vCPU at 1,769 MB, in proportion below


def quota(contenders: Contenders, memory_sizes: list[int], rounds: int = 3, seed: int = 11) -> dict:
    """Cold start of the links and intake functions' first response, and of the bare function, in a CPU cgroup
    whose CFS quota is the share of a core Lambda gives each memory size. Needs a writable cgroup v1 CPU
    controller; otherwise says why it measured nothing."""
    group = CGROUP / f"warm-intro-bench-{os.getpid()}"
    try:
        group.mkdir()
    except OSError as error:
        return {"skipped": f"no CPU cgroup to limit the children ({error})"}
    procs = group / "cgroup.procs"

    def join() -> None:  # in the child, before it runs Python: its CPU is the group's
        procs.write_text(str(os.getpid()))

    try:
        out = {"period_ms": PERIOD_US / 1000, "rounds": rounds, "sizes": []}
        names = ["bare function", "LinksFunction first response", "IntakeFunction first response"]
        for mb in memory_sizes:
            share = min(1.0, mb / VCPU_MB)
            (group / "cpu.cfs_period_us").write_text(str(PERIOD_US))
            (group / "cpu.cfs_quota_us").write_text(str(int(PERIOD_US * share)))
            m = rounds_of(contenders, names, rounds, seed, preexec=join)
            out["sizes"].append(
                {
                    "memory_mb": mb,
                    "cpu_share": round(share, 3),
                    **{n: m[n]["median_ms"] for n in names},
                    **{f"{n} cpu_ms": m[n]["cpu_ms"] for n in names},
                }
            )
        return out
    finally:
        group.rmdir()


if __name__ == "__main__":
    # `python -m bench.coldstart [rounds]`: this part alone, as JSON;
    # `python -m bench.coldstart phases [rounds] [label=build_dir ...]`: the first responses by phase.
    from local import environment

    environment.use()
    args = sys.argv[1:]
    if args[:1] == ["phases"]:
        rounds = int(args[1]) if len(args) > 1 else 5
        given = {label: Path(path).resolve() for label, path in (a.split("=", 1) for a in args[2:])}
        json.dump(phases(rounds, builds=given or None), sys.stdout, indent=1, default=str)
    else:
        json.dump(measure(int(args[0]) if args else 3), sys.stdout, indent=1, default=str)
