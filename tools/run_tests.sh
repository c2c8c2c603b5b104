#!/usr/bin/env bash
# Builds and runs the whole test suite in two legs, one after the other:
#   build/       the Release build (g++) that the README's first command makes, and its tests;
#   build-asan/  the same suite built by clang++ with AddressSanitizer and UndefinedBehaviorSanitizer,
#                where any sanitizer report ends the test that made it.
# Each step prints when it starts, in seconds since the script began (docs/development.md keeps CI's
# time by step). Stops at the first failure, with a non-zero exit.
#
# NPUSIM_JOBS sets the parallelism of the builds and the tests (default: the number of cores).
set -euo pipefail
cd "$(dirname "$0")/.."

jobs="${NPUSIM_JOBS:-$(nproc)}"
step() { printf '== run_tests, %ds: %s\n' "$SECONDS" "$*"; }

# Ninja for a new folder: it starts a target's compiles before the libraries that target links are
# done, which keeps both cores busy. A folder configured before keeps its generator.
configure() {
  local folder=$1
  shift
  local generator=()
  if [ ! -f "$folder/CMakeCache.txt" ]; then generator=(-G Ninja); fi
  cmake -S . -B "$folder" "${generator[@]}" "$@"
}

step "Release: configure"
configure build -DCMAKE_BUILD_TYPE=Release
step "Release: build"
cmake --build build -j "$jobs"
step "Release: tests"
ctest --test-dir build --output-on-failure -j "$jobs"

step "sanitizers: configure"
configure build-asan -DNPUSIM_SANITIZE=ON -DCMAKE_CXX_COMPILER=clang++
step "sanitizers: build"
cmake --build build-asan -j "$jobs"
step "sanitizers: tests"
ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"
step "both legs passed"
