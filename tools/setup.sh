#!/usr/bin/env bash
# Installs the Debian packages npusim builds with. Idempotent: it asks apt only for what is missing,
# and runs `apt-get update` once, only when something is.
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  libsystemc-dev libyaml-cpp-dev libboost-program-options-dev
  googletest libgtest-dev libbenchmark-dev
  iverilog verilator yosys
  nlohmann-json3-dev libfmt-dev libeigen3-dev
  clang libclang-rt-14-dev
  libssl-dev parallel
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages are installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}"
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
