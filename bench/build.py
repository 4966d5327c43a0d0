"""The benchmark's own copy of what `sam build` ships, built for x86_64 so it loads on this machine.

The same template and the same shared/Makefile as a deploy; only the wheels' platform differs
(manylinux x86_64 instead of aarch64), chosen through the Makefile's WHEEL_PLATFORM."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAM = ROOT / ".tools" / "bin" / "sam"
BUILD = ROOT / ".aws-sam" / "bench-x86_64"
LAYER = "SharedLayer"


def build() -> tuple[Path, float]:
    """Builds (cached) into .aws-sam/bench-x86_64 and returns it with the seconds it took."""
    if not SAM.exists():
        raise SystemExit("the SAM CLI is missing: bash scripts/setup.sh --with-sam")
    env = {
        **os.environ,
        "WHEEL_PLATFORM": "manylinux2014_x86_64",
        "SAM_CLI_TELEMETRY": "0",
        # sam build finds python3.13 on PATH: the interpreter this benchmark runs on (the runtime's version).
        "PATH": f"{Path(sys.base_prefix) / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}",
    }
    start = time.perf_counter()
    done = subprocess.run(
        [
            str(SAM),
            "build",
            "--cached",
            "--parallel",
            "--build-dir",
            str(BUILD / "build"),
            "--cache-dir",
            str(BUILD / "cache"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"sam build failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return BUILD / "build", time.perf_counter() - start


def layer(build_dir: Path) -> Path:
    return build_dir / LAYER / "python"
