#!/usr/bin/env bash
# Installs everything the project needs, from scratch or not: safe to run again, and fast once done.
#   (no flag)       uv in .tools/, then the app's environment .venv/ (Python 3.13, from uv.lock)
#   --with-sam      also AWS SAM CLI, as its own uv tool in .tools/ (.tools/bin/sam)
#   --with-browser  also Debian's chromium (/usr/bin/chromium) for the browser tests
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

UV_VERSION=0.13.9
SAM_VERSION=1.170.0
export UV_PYTHON_DOWNLOADS=never UV_NO_PROGRESS=1
export UV_TOOL_DIR="$PWD/.tools/uv-tools" UV_TOOL_BIN_DIR="$PWD/.tools/bin"

with_sam=0 with_browser=0
for arg in "$@"; do
  case "$arg" in
    --with-sam) with_sam=1 ;;
    --with-browser) with_browser=1 ;;
    *) echo "setup: unknown option '$arg' (use --with-sam, --with-browser)" >&2; exit 2 ;;
  esac
done

say() { echo "setup: $*"; }
die() { echo "setup: ERROR: $*" >&2; exit 1; }
# quietly CMD...: run CMD with its output kept aside, shown only if it fails.
quietly() {
  local log rc=0
  log=$(mktemp)
  "$@" >"$log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then tail -n 40 "$log" >&2; rm -f "$log"; return "$rc"; fi
  rm -f "$log"
}

# (a) uv, in a repo-local tools venv made with whatever python3 is on PATH.
if [[ "$(.tools/bin/uv --version 2>/dev/null)" == "uv $UV_VERSION"?( *) ]]; then
  say "uv $UV_VERSION: present"
else
  command -v python3 >/dev/null || die "no python3 on PATH to bootstrap uv with"
  say "uv $UV_VERSION: installing into .tools/"
  quietly python3 -m venv .tools || die "could not create .tools/ with $(command -v python3)"
  quietly .tools/bin/pip install "uv==$UV_VERSION" || die "pip could not install uv==$UV_VERSION"
fi
uv=.tools/bin/uv

# (b) a Python 3.13 interpreter (its real path, not a pyenv shim).
runs313() { "$1" -c 'import sys; assert sys.version_info[:2] == (3, 13); print(sys.executable)' 2>/dev/null; }
find_python313() {
  local c
  for c in ${PYTHON313:-} "$(command -v python3.13 || true)" \
           $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13.*/bin/python3.13 \
                   /root/.pyenv/versions/3.13.*/bin/python3.13 2>/dev/null | sort -rV) \
           "$(pyenv prefix 3.13.0 2>/dev/null || true)/bin/python3.13"; do
    [ -n "$c" ] && [ -x "$c" ] && runs313 "$c" && return 0
  done
  return 1
}
py313=$(find_python313) ||
  die "no working Python 3.13 found (tried \$PYTHON313, python3.13 on PATH, pyenv's versions/3.13.*); install one, e.g. 'pyenv install 3.13'"
say "python 3.13: $py313"

# (c) the app's environment, exactly as pinned in requirements/dev.txt (hashes checked), plus the
#     project itself in editable mode (the `warm-intro` admin command).
if ! .venv/bin/python -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null; then
  quietly "$uv" venv --python "$py313" .venv || die "could not create .venv with $py313"
fi
quietly "$uv" pip sync --python .venv/bin/python --require-hashes requirements/dev.txt ||
  die "installing requirements/dev.txt failed"
quietly "$uv" pip install --python .venv/bin/python --no-deps -e . || die "installing the project failed"
say "environment: .venv ready"

# (d) AWS SAM CLI, kept out of the app's environment (it pins boto3, click and pydantic).
if [ "$with_sam" = 1 ]; then
  if [ -x .tools/bin/sam ] && ls -d "$UV_TOOL_DIR"/aws-sam-cli/lib/python3.13/site-packages/aws_sam_cli-"$SAM_VERSION".dist-info >/dev/null 2>&1; then
    say "sam $SAM_VERSION: present"
  else
    say "sam $SAM_VERSION: installing into .tools/"
    quietly "$uv" tool install --force --python "$py313" "aws-sam-cli==$SAM_VERSION" ||
      die "could not install aws-sam-cli==$SAM_VERSION as a uv tool"
  fi
fi

# (e) Debian's Chromium, for the browser tests (Playwright cannot download its own browsers here).
if [ "$with_browser" = 1 ]; then
  if [ -x /usr/bin/chromium ]; then
    say "chromium: present"
  else
    say "chromium: installing with apt-get (takes a few minutes)"
    sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    quietly "${sudo[@]}" apt-get update || die "apt-get update failed"
    quietly "${sudo[@]}" apt-get install -y chromium ||
      die "apt-get install chromium failed"
    [ -x /usr/bin/chromium ] || die "chromium installed but /usr/bin/chromium is missing"
  fi
fi
