#!/usr/bin/env bash
# Creates (once) and prints the path of the virtual environment that holds
# the current releases of Theon's benchmark peers from PyPI: NumPy, PyTorch
# (eager and torch.compile), JAX and PyTensor. The environment is cached:
# PyTorch's Linux wheel pulls some 4 GB of CUDA libraries, so it is built
# once per machine and reused. Peers are optional: a package that fails to
# install is left out and bench/peers.py skips it.
#   bash bench/peers-venv.sh            # prints the venv's python
#   THEON_PEERS_VENV=dir bash bench/peers-venv.sh
set -euo pipefail
venv="${THEON_PEERS_VENV:-$HOME/.cache/theon/bench-venv}"
if [ ! -x "$venv/bin/python" ]; then
  # The newest NumPy, JAX and PyTensor need Python 3.11 or newer; pyenv's
  # 3.13 gets the newest of each where it is installed.
  py=""
  for candidate in "$HOME/.pyenv/versions/3.13"*/bin/python3 python3.13 python3.12 python3; do
    if command -v "$candidate" > /dev/null 2>&1; then py="$candidate"; break; fi
  done
  [ -n "$py" ] || { echo "peers-venv: no python3 found" >&2; exit 1; }
  mkdir -p "$(dirname "$venv")"
  "$py" -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --upgrade pip >&2
fi
for package in numpy torch jax pytensor; do
  module="$package"
  if ! "$venv/bin/python" -c "import $module" 2> /dev/null; then
    "$venv/bin/pip" install --quiet "$package" >&2 ||
      echo "peers-venv: $package did not install; its peer is skipped" >&2
  fi
done
echo "$venv/bin/python"
