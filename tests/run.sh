#!/usr/bin/env bash
# Sets up the machine, builds, and runs every test: the unit and integration suites in a Release
# build, then the same suites under AddressSanitizer + UndefinedBehaviorSanitizer. Exits non-zero
# on the first failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash deploy/setup.sh

step() { printf '\n== %s ==\n' "$*"; }

step "Release build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2
step "Unit and integration tests (Release)"
ctest --test-dir build --output-on-failure -j2 -L 'unit|integration'

step "Sanitizer build (ASan + UBSan)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DWEIQUAN_SANITIZE=ON >/dev/null
cmake --build build-asan -j2
step "Unit and integration tests (ASan + UBSan)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j2 -L 'unit|integration'
