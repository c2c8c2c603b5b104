#!/usr/bin/env bash
# Builds and runs the whole test suite in two legs, side by side:
#   build/       the Release build (g++) that the README's first command makes, and its tests;
#   build-asan/  the same suite built by clang++ with AddressSanitizer and UndefinedBehaviorSanitizer,
#                where any sanitizer report ends the test that made it.
# Both legs compile at once, so each fills the cores while the other links or waits; the Release tests
# run as soon as their build is done, and the sanitizer tests last. The Release leg prints to the
# terminal; the sanitizer leg's configure and compile output goes to build-asan/build.log, which is
# printed if it fails. Exits non-zero when anything fails.
#
# NPUSIM_JOBS sets each leg's parallelism (default: the number of cores).
set -euo pipefail
cd "$(dirname "$0")/.."

jobs="${NPUSIM_JOBS:-$(nproc)}"
say() { printf '== run_tests, %ds: %s\n' "$SECONDS" "$*"; }

# Ninja for a new folder (it starts a target's compiles before the libraries it links are done); an
# existing folder keeps the generator it was configured with.
configure() {
  local folder=$1
  shift
  local generator=()
  if [ ! -f "$folder/CMakeCache.txt" ]; then generator=(-G Ninja); fi
  cmake -S . -B "$folder" "${generator[@]}" "$@"
}

sanitizer_build() {
  configure build-asan -DNPUSIM_SANITIZE=ON -DCMAKE_CXX_COMPILER=clang++ && cmake --build build-asan -j "$jobs"
}

mkdir -p build-asan
say "sanitizer leg compiling in the background (log: build-asan/build.log)"
set -m  # the background leg gets a process group of its own, so that it can be stopped as a whole
sanitizer_build > build-asan/build.log 2>&1 &
sanitizer_pid=$!
set +m
# Whatever ends this script (a failure, Ctrl-C) stops the background compile too.
trap 'kill -- -"$sanitizer_pid" 2>/dev/null || true' EXIT

say "Release leg: configure and build"
configure build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$jobs"
say "Release leg: tests"
ctest --test-dir build --output-on-failure -j "$jobs"
say "Release leg passed; waiting for the sanitizer leg's build"

if ! wait "$sanitizer_pid"; then
  cat build-asan/build.log
  say "the sanitizer leg's build failed (build-asan/build.log above)"
  exit 1
fi
trap - EXIT
say "sanitizer leg: tests"
ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"
say "both legs passed"
