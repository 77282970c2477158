#!/usr/bin/env bash
# Builds .venv from uv.lock. Rasa 3.6 needs Python 3.8-3.10: use pyenv's 3.10 when present (the
# `python3.10` shim fails while 3.11 is global, so the full path is used). Without it, fall back to
# the machine's python3 with the same pins resolved for 3.10 (Rasa declares dask only below 3.11).
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.9
TOOLS=.cache/uv-venv

find_python310() {
  local root
  if command -v pyenv >/dev/null 2>&1; then
    root=$(pyenv root)
    ls -d "$root"/versions/3.10.*/bin/python3.10 2>/dev/null | sort -V | tail -n 1 && return
  fi
  for candidate in "$HOME"/.pyenv/versions/3.10.*/bin/python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
    [ -x "$candidate" ] && { echo "$candidate"; return; }
  done
  return 1
}

PY310=$(find_python310 || true)
BASE_PY=${PY310:-$(command -v python3)}

if [ ! -x "$TOOLS/bin/uv" ] || [ "$("$TOOLS/bin/uv" --version | awk '{print $2}')" != "$UV_VERSION" ]; then
  echo "installing uv $UV_VERSION into $TOOLS"
  "$BASE_PY" -m venv "$TOOLS"
  "$TOOLS/bin/pip" install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
UV="$TOOLS/bin/uv"

if [ -n "$PY310" ]; then
  echo "Python: $PY310 (Rasa 3.6 supports 3.8-3.10)"
  "$UV" sync --frozen --python "$PY310"
else
  echo "Python 3.10 not found; using $BASE_PY with dependencies resolved for 3.10"
  "$UV" venv --python "$BASE_PY" .venv
  "$UV" export --frozen --no-hashes --no-emit-project > .cache/requirements-3.10.txt
  echo "matplotlib==3.7.5" > .cache/overrides.txt
  "$UV" pip install --python .venv/bin/python --python-version 3.10 \
    --override .cache/overrides.txt -r .cache/requirements-3.10.txt
  "$UV" pip install --python .venv/bin/python --no-deps -e .
fi
