#!/usr/bin/env bash
# A local federation with real region codes, one node directory per office:
#   cn (national) ─ 11 北京市 ─ 1101 ─ 110101 东城区 ─ 110101001 东华门街道
#                              └─ 110102 西城区
#               └ 44 广东省 ─ 4403 深圳市 ─ 440305 南山区
# Usage: deploy/federation.sh up|status|down [--root DIR]
#   up      builds weiquan if needed, creates and enrolls every node (idempotent), verifies each
#           node's store and prints level, region and directory of every node
#   status  prints the same table without changing anything
#   down    removes the federation's directory (asks for --yes)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/.." && pwd)
cmd=${1:-up}
shift || true
root="$project/run/federation"
confirm=no
while (($#)); do
  case "$1" in
    --root) root=$2; shift 2 ;;
    --yes) confirm=yes; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bin="${WEIQUAN_BIN:-$project/build/weiquan}"

# node id, level, parent node id
topology=(
  "cn national -"
  "11 province cn"
  "1101 city 11"
  "110101 county 1101"
  "110102 county 1101"
  "110101001 station 110101"
  "44 province cn"
  "4403 city 44"
  "440305 county 4403"
)

build() {
  if [ ! -x "$bin" ]; then
    cmake -S "$project" -B "$project/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$project/build" -j2 --target weiquan
  fi
}

table() {
  printf '%-10s %-9s %-11s %s\n' LEVEL REGION NODE DIRECTORY
  for row in "${topology[@]}"; do
    read -r id level _ <<<"$row"
    [ -f "$root/$id/config.json" ] || continue
    printf '%-10s %-9s %-11s %s\n' "$level" "$id" "$id" "$root/$id"
  done
}

case "$cmd" in
  up)
    build
    mkdir -p "$root"
    for row in "${topology[@]}"; do
      read -r id level parent <<<"$row"
      dir="$root/$id"
      if [ ! -f "$dir/config.json" ]; then
        "$bin" init --dir "$dir" --level "$level" --region "$id"
        [ "$parent" = "-" ] || "$bin" enroll --parent "$root/$parent" --child "$dir"
      fi
      "$bin" verify --dir "$dir" >/dev/null
    done
    echo "trust anchor: $("$bin" anchor --dir "$root/cn")"
    table
    ;;
  status) table ;;
  down)
    if [ "$confirm" != yes ]; then
      echo "this deletes $root and every key in it; run again with --yes" >&2
      exit 1
    fi
    rm -rf "$root"
    ;;
  *) echo "usage: $0 up|status|down [--root DIR] [--yes]" >&2; exit 2 ;;
esac
