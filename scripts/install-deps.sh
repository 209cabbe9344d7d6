#!/usr/bin/env bash
# Installs what Theon needs from Debian 12 packages, only if something is
# missing. Safe to run again.
set -euo pipefail

packages=(
  cmake ninja-build ccache g++ python3
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools
  libspdlog-dev libgtest-dev libgmock-dev libbenchmark-dev libopenblas-dev libdnnl-dev
  libomp-22-dev
  # Tests only: NumPy reads Theon's .npy files and writes ones Theon reads;
  # Graphviz renders theon::to_dot's graphs.
  python3-numpy graphviz
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "theon: all build dependencies are installed"
  exit 0
fi

echo "theon: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
