"""Dependencies point one way: the benchmark and the local harness never reach into the test suite
(the tests use local/, not the other way round), and only the adapters and the runtime wiring talk
to the AWS SDK, so a service never has to recognise a botocore error."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "shared" / "warm_intro"


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def sources(*folders: Path) -> list[Path]:
    return sorted(p for folder in folders for p in folder.rglob("*.py"))


@pytest.mark.parametrize(
    "path", sources(ROOT / "bench", ROOT / "local"), ids=lambda p: str(p.relative_to(ROOT))
)
def test_the_benchmark_and_the_harness_import_nothing_from_the_tests(path):
    assert not {m for m in imports(path) if m == "tests" or m.startswith("tests.")}


@pytest.mark.parametrize("path", sources(LAYER / "services", LAYER / "domain"), ids=lambda p: p.name)
def test_services_and_the_domain_never_import_the_aws_sdk(path):
    assert not {m for m in imports(path) if m.split(".")[0] in ("boto3", "botocore")}
