"""What `sam build` ships: the layer and every function carry bytecode the runtime's Python loads
without compiling (Lambda's file system is read-only), for the architecture the template deploys.

The checks read `.aws-sam/build` when `make lint` has just built it from this tree, and build a fresh
copy otherwise; one test always builds from the files a fresh clone has."""

from __future__ import annotations

import filecmp
import importlib.util
import marshal
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from local import template

ROOT = Path(__file__).resolve().parents[2]
SAM = ROOT / ".tools" / "bin" / "sam"
RUNTIME = (3, 13)  # template.yaml: Runtime python3.13
FUNCTIONS = template.resources("AWS::Serverless::Function")
EM_AARCH64 = 183  # ELF e_machine


def sam_build(source: Path, build_dir: Path) -> None:
    if not SAM.exists():
        pytest.skip("the SAM CLI is not installed: bash scripts/setup.sh --with-sam")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.base_prefix) / 'bin'}:{os.environ['PATH']}",
        "SAM_CLI_TELEMETRY": "0",
    }
    done = subprocess.run(
        [str(SAM), "build", "--parallel", "--build-dir", str(build_dir)],
        check=False,
        cwd=source,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def fresh_clone(into: Path) -> Path:
    """The tree as a clone of it would hold it: tracked (and new, unignored) files, nothing built or cached."""
    files = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, into / name)
    return into


def artifacts(build_dir: Path) -> dict[str, tuple[Path, Path]]:
    """Built directory and the source directory it came from, for the layer and every function."""
    out = {"SharedLayer": (build_dir / "SharedLayer" / "python", ROOT / "shared")}
    for name, f in FUNCTIONS.items():
        out[name] = (build_dir / name, ROOT / f["Properties"]["CodeUri"])
    return out


def shipped_is_current(build_dir: Path) -> bool:
    if not (build_dir / "template.yaml").exists():
        return False
    for built, source in artifacts(build_dir).values():
        for py in source.rglob("*.py"):
            if not (built / py.relative_to(source)).is_file() or not filecmp.cmp(
                py, built / py.relative_to(source), shallow=False
            ):
                return False
    return True


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory) -> Path:
    current = ROOT / ".aws-sam" / "build"
    if shipped_is_current(current):
        return current
    built = tmp_path_factory.mktemp("build")
    sam_build(ROOT, built)
    return built


def bytecode_faults(root: Path, deployed_at: str) -> list[str]:
    """Every .py under root must have an unchecked hash-based .pyc for RUNTIME next to it, made from exactly
    that source, whose code names the file where Lambda mounts it."""
    faults = []
    sources = sorted(root.rglob("*.py"))
    assert sources, f"nothing shipped in {root}"
    for py in sources:
        pyc = Path(importlib.util.cache_from_source(str(py)))
        if not pyc.is_file():
            faults.append(f"no bytecode for {py.relative_to(root)}")
            continue
        data = pyc.read_bytes()
        flags = int.from_bytes(data[4:8], "little")
        if data[:4] != importlib.util.MAGIC_NUMBER:
            faults.append(f"{pyc.name}: not Python {RUNTIME} bytecode")
        elif flags != 0b01:  # hash-based, source not checked
            faults.append(f"{pyc.name}: flags {flags:#b}, not an unchecked hash-based pyc")
        elif data[8:16] != importlib.util.source_hash(py.read_bytes()):
            faults.append(f"{pyc.name}: compiled from another source than {py.relative_to(root)}")
        elif marshal.loads(data[16:]).co_filename != f"{deployed_at}/{py.relative_to(root)}":
            faults.append(f"{pyc.name}: names {marshal.loads(data[16:]).co_filename}")
    return faults


def test_the_checks_run_with_the_runtimes_python():
    assert sys.version_info[:2] == RUNTIME
    runtimes = {
        f["Properties"].get("Runtime", template.load()["Globals"]["Function"]["Runtime"])
        for f in FUNCTIONS.values()
    }
    assert runtimes == {f"python{RUNTIME[0]}.{RUNTIME[1]}"}


@pytest.mark.parametrize("name", ["SharedLayer", *FUNCTIONS])
def test_every_shipped_module_carries_valid_bytecode(build_dir, name):
    built, _ = artifacts(build_dir)[name]
    assert bytecode_faults(built, "/opt/python" if name == "SharedLayer" else "/var/task") == []


@pytest.mark.parametrize("name", ["SharedLayer", *FUNCTIONS])
def test_shipped_code_is_the_source_and_nothing_from_development(build_dir, name):
    built, source = artifacts(build_dir)[name]
    package = "warm_intro" if name == "SharedLayer" else "."
    wanted = {
        p.relative_to(source)
        for p in (source / package).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }
    for rel in wanted:
        assert filecmp.cmp(source / rel, built / rel, shallow=False), f"{rel} differs from its source"
    if name != "SharedLayer":
        shipped = {p.relative_to(built) for p in built.rglob("*") if p.is_file() and p.suffix != ".pyc"}
        assert shipped == wanted  # app.py alone: no Makefile, no tests, no stray files


def test_the_layer_ships_exactly_the_pinned_dependencies_for_arm64(build_dir):
    layer = build_dir / "SharedLayer" / "python"
    pins = dict(
        re.findall(
            r"^([a-z0-9_.-]+)==(\S+)", (ROOT / "shared" / "requirements.txt").read_text(), re.MULTILINE
        )
    )
    shipped = {}
    for info in layer.glob("*.dist-info"):
        meta = (info / "METADATA").read_text()
        shipped[re.search(r"^Name: (.+)$", meta, re.MULTILINE)[1].lower().replace("_", "-")] = re.search(
            r"^Version: (.+)$", meta, re.MULTILINE
        )[1]
    assert shipped == pins  # nothing the runtime already has (boto3), nothing unpinned
    assert (
        "arm64"
        in template.resources("AWS::Serverless::LayerVersion")["SharedLayer"]["Properties"][
            "CompatibleArchitectures"
        ]
    )
    natives = sorted(layer.rglob("*.so"))
    assert {p.parent.name for p in natives} >= {"pydantic_core"}
    for so in natives:
        header = so.read_bytes()[:20]
        assert header[:4] == b"\x7fELF" and int.from_bytes(header[18:20], "little") == EM_AARCH64, so.name
        assert ".cpython-313-aarch64-linux-gnu." in so.name


def test_sam_build_works_from_a_fresh_clone(tmp_path):
    source = fresh_clone(tmp_path / "clone")
    assert not list(source.rglob("__pycache__")) and not (source / ".aws-sam").exists()
    sam_build(source, tmp_path / "build")
    built = yaml.load((tmp_path / "build" / "template.yaml").read_text(), Loader=template._Loader)
    for name in ["SharedLayer", *FUNCTIONS]:
        uri = (
            built["Resources"][name]["Properties"].get("CodeUri")
            or built["Resources"][name]["Properties"]["ContentUri"]
        )
        assert (tmp_path / "build" / uri).is_dir()
    layer = tmp_path / "build" / "SharedLayer" / "python"
    assert bytecode_faults(layer / "warm_intro", "/opt/python/warm_intro") == []
    assert bytecode_faults(tmp_path / "build" / "LinksFunction", "/var/task") == []


def test_the_layer_ships_every_template_precompiled_from_its_source(build_dir, tmp_path):
    """The modules `sam build` compiled the templates to are what compiling today's sources gives, so a
    deployed page never shows an older wording than its template; their bytecode is checked above."""
    from warm_intro.views import templating

    templating.compile_all(tmp_path)
    shipped = build_dir / "SharedLayer" / "python" / "warm_intro" / "compiled_templates"
    for flavour in ("html", "text"):
        expected = sorted(p.name for p in (tmp_path / flavour).glob("*.py"))
        assert expected and sorted(p.name for p in (shipped / flavour).glob("*.py")) == expected
        for name in expected:
            assert filecmp.cmp(tmp_path / flavour / name, shipped / flavour / name, shallow=False), name


OPENAPI_MODELS = "aws_lambda_powertools.event_handler.openapi.models"
# What a function's cold start must not import: Powertools' OpenAPI models (a tree of pydantic models) load
# when /docs is asked for; pydantic itself only where requests are validated (intake, admin).
NOT_IMPORTED = {
    "IntakeFunction": [OPENAPI_MODELS],
    "LinksFunction": [OPENAPI_MODELS, "pydantic", "warm_intro.api"],
    "NotifierFunction": ["pydantic"],
    "SchedulerFunction": ["pydantic"],
    "FeedbackFunction": ["pydantic"],
}


@pytest.mark.parametrize("name", sorted(NOT_IMPORTED))
def test_a_cold_start_imports_nothing_its_requests_do_not_use(name):
    """Imported from the source tree: the built layer's native modules are arm64's."""
    env = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": f"{ROOT / FUNCTIONS[name]['Properties']['CodeUri']}:{ROOT / 'shared'}",
        "PYTHONDONTWRITEBYTECODE": "1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "POWERTOOLS_SERVICE_NAME": "test",
        "POWERTOOLS_METRICS_NAMESPACE": "test",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys, app; print([m for m in {NOT_IMPORTED[name]!r} if m in sys.modules])",
        ],
        cwd=ROOT / FUNCTIONS[name]["Properties"]["CodeUri"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"
