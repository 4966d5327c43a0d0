"""template.yaml as CloudFormation sees it after `sam package` and the transforms, for any stack name,
parameters and artifact contents. The SAM CLI's own interpreter does the transforming (sam_transform.py)."""

from __future__ import annotations

import hashlib
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from local import template

SAM_PYTHON = template.ROOT / ".tools" / "uv-tools" / "aws-sam-cli" / "bin" / "python"
SCRIPT = Path(__file__).with_name("sam_transform.py")
ACCOUNT = "123456789012"


def content_hash(directory: Path) -> str:
    """What `sam package` names an artifact after: the hash of its files."""
    digest = hashlib.md5(usedforsecurity=False)
    for path in sorted(p for p in directory.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(directory)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def artifacts() -> dict[str, str]:
    found = {}
    for name, resource in template.load()["Resources"].items():
        uri = resource.get("Properties", {}).get("CodeUri") or resource.get("Properties", {}).get(
            "ContentUri"
        )
        if resource["Type"].startswith("AWS::Serverless::") and isinstance(uri, str):
            found[name] = f"s3://artifacts-{ACCOUNT}/{content_hash(template.ROOT / uri)}"
    return found


@dataclass(frozen=True)
class Case:
    stack: str = "warm-intro"
    region: str = "eu-west-2"
    parameters: dict[str, str] = field(default_factory=dict)
    artifacts: dict[str, str] = field(default_factory=artifacts)

    def as_json(self) -> dict:
        return {
            "stack": self.stack,
            "region": self.region,
            "account": ACCOUNT,
            "parameters": self.parameters,
            "artifacts": self.artifacts,
        }


def transform(*cases: Case) -> list[dict]:
    """The CloudFormation template each case deploys (one SAM CLI process for all of them)."""
    assert SAM_PYTHON.exists(), (
        "the SAM CLI is not installed: run scripts/setup.sh --with-sam (make test does)"
    )
    request = json.dumps({"template": str(template.TEMPLATE), "cases": [c.as_json() for c in cases]})
    done = subprocess.run(
        [str(SAM_PYTHON), str(SCRIPT)],
        input=request,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)
