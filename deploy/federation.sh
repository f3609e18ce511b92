#!/usr/bin/env bash
# A local federation of real processes with real region codes, one node directory per office:
#   cn (national) ─ 11 北京市 ─ 1101 ─ 110101 东城区 ─ 110101001 东华门街道
#                              └─ 110102 西城区
#               └ 44 广东省 ─ 4403 深圳市 ─ 440305 南山区
# Every office runs its own nats-server and its own `weiquan run`. The servers form a tree of leaf
# connections mirroring the administrative tree (docs/operations.md, "NATS topology").
#
# Usage: deploy/federation.sh up|status|down [--root DIR] [--purge --yes]
#   up      builds weiquan if needed; creates and enrolls every node (once) and verifies its
#           store; writes each node's <node>/nats.conf (deploy/nats/leaf-config.sh); starts each
#           nats-server and each node that is not running yet, waits for every node's
#           GET /health (30 s at most), prints the table. Again, it leaves what runs alone.
#   status  prints the table and whether each nats-server and node runs (pid file + kill -0)
#   down    stops every node, then every nats-server (SIGTERM; SIGKILL after 10 s); the node
#           directories stay. With --purge --yes it also deletes them, keys included.
# Files per node directory: nats.conf, nats.log, nats.pid, weiquan.log, weiquan.pid.
# Ports: WEIQUAN_PORT_BASE (default 18000) + the node's index i in the list below (0..8):
#   HTTP base+i, NATS clients base+100+i, leaf connections base+200+i, nats monitoring base+300+i.
# Environment: WEIQUAN_BIN (default build/weiquan), WEIQUAN_NATS_SERVER (default nats-server).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/.." && pwd)
cmd=${1:-up}
shift || true
root="$project/run/federation"
confirm=no
purge=no
while (($#)); do
  case "$1" in
    --root) root=$2; shift 2 ;;
    --yes) confirm=yes; shift ;;
    --purge) purge=yes; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bin="${WEIQUAN_BIN:-$project/build/weiquan}"
nats_server="${WEIQUAN_NATS_SERVER:-$(command -v nats-server || echo /usr/sbin/nats-server)}"
base="${WEIQUAN_PORT_BASE:-18000}"
host=127.0.0.1

# node id, level, parent node id (parents before children)
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

declare -A index parent_of
for i in "${!topology[@]}"; do
  read -r id _ parent <<<"${topology[$i]}"
  index[$id]=$i
  parent_of[$id]=$parent
done

http_port() { echo $((base + index[$1])); }
nats_port() { echo $((base + 100 + index[$1])); }
leaf_port() { echo $((base + 200 + index[$1])); }
monitor_port() { echo $((base + 300 + index[$1])); }
has_children() {
  local row
  for row in "${topology[@]}"; do
    read -r _ _ p <<<"$row"
    [ "$p" = "$1" ] && return 0
  done
  return 1
}

build() {
  if [ ! -x "$bin" ]; then
    cmake -S "$project" -B "$project/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$project/build" -j2 --target weiquan
  fi
}

# The pid in <dir>/<name>.pid when that process runs and is the one started for <dir> (its
# command line names the directory, so a reused pid is never taken for ours); empty otherwise.
running_pid() {
  local file="$1/$2.pid" pid command
  [ -f "$file" ] || return 0
  pid=$(<"$file")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  command=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 0
  [[ "$command" == *"$1 "* || "$command" == *"$1/"* ]] || return 0
  echo "$pid"
}

stop_all() {  # name: SIGTERM to every node's <name>, wait up to 10 s for all, then SIGKILL
  local row id pid waited=0 pids=()
  for row in "${topology[@]}"; do
    read -r id _ _ <<<"$row"
    [ -d "$root/$id" ] || continue
    pid=$(running_pid "$root/$id" "$1")
    if [ -n "$pid" ]; then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
    rm -f "$root/$id/$1.pid"
  done
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && ((waited < 100)); do
      sleep 0.1
      waited=$((waited + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "$1 (pid $pid) did not stop within 10 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}

port_open() { (exec 3<>"/dev/tcp/$host/$1") 2>/dev/null; }

# Waits up to $3 seconds for `check` ($4...) to succeed while the pid in <dir>/<name>.pid lives
# (a process just started may not have exec'd yet: its command line is still this script's).
await() {
  local dir=$1 name=$2 seconds=$3 tries=0
  shift 3
  until "$@"; do
    if ! kill -0 "$(<"$dir/$name.pid")" 2>/dev/null || ((tries >= seconds * 10)); then
      echo "$name of $dir did not come up; end of $dir/$name.log:" >&2
      tail -n 20 "$dir/$name.log" >&2 || true
      return 1
    fi
    sleep 0.1
    tries=$((tries + 1))
  done
}

healthy() { curl -fsS --max-time 1 "http://$host:$1/health" >/dev/null 2>&1; }

write_nats_conf() {  # node id
  local id=$1 dir="$root/$1" args=() ancestor=${parent_of[$1]}
  args=(--name "$id" --listen "$host:$(nats_port "$id")" --monitor "$host:$(monitor_port "$id")"
    --log "$dir/nats.log")
  if has_children "$id"; then args+=(--leaf-listen "$host:$(leaf_port "$id")"); fi
  while [ "$ancestor" != "-" ]; do  # the parent first, then its ancestors as fail-over
    args+=(--parent "nats-leaf://$host:$(leaf_port "$ancestor")")
    ancestor=${parent_of[$ancestor]}
  done
  "$here/nats/leaf-config.sh" "${args[@]}" >"$dir/nats.conf.new"
  mv "$dir/nats.conf.new" "$dir/nats.conf"
}

start_nats() {  # node id
  local dir="$root/$1"
  [ -z "$(running_pid "$dir" nats)" ] || return 0
  nohup "$nats_server" -c "$dir/nats.conf" >>"$dir/nats.log" 2>&1 </dev/null &
  echo $! >"$dir/nats.pid"
  await "$dir" nats 10 port_open "$(nats_port "$1")"
}

start_node() {  # node id
  local id=$1 dir="$root/$1" urls
  [ -z "$(running_pid "$dir" weiquan)" ] || return 0
  urls="nats://$host:$(nats_port "$id")"
  [ "${parent_of[$id]}" = "-" ] || urls+=",nats://$host:$(nats_port "${parent_of[$id]}")"
  nohup "$bin" run --dir "$dir" --http "$host:$(http_port "$id")" --nats "$urls" \
    >>"$dir/weiquan.log" 2>&1 </dev/null &
  echo $! >"$dir/weiquan.pid"
}

process_state() {  # dir, name
  if [ -n "$(running_pid "$1" "$2")" ]; then echo running; else echo stopped; fi
}

table() {  # yes: also show whether the processes run
  if [ "$1" = yes ]; then
    printf '%-10s %-9s %-10s %-23s %-23s %-8s %s\n' LEVEL REGION NODE HTTP NATS NATS-SRV NODE-PROC
  else
    printf '%-10s %-9s %-10s %-23s %s\n' LEVEL REGION NODE HTTP NATS
  fi
  for row in "${topology[@]}"; do
    read -r id level _ <<<"$row"
    [ -f "$root/$id/config.json" ] || continue
    if [ "$1" = yes ]; then
      printf '%-10s %-9s %-10s %-23s %-23s %-8s %s\n' "$level" "${id%%-*}" "$id" \
        "http://$host:$(http_port "$id")" "nats://$host:$(nats_port "$id")" \
        "$(process_state "$root/$id" nats)" "$(process_state "$root/$id" weiquan)"
    else
      printf '%-10s %-9s %-10s %-23s %s\n' "$level" "${id%%-*}" "$id" \
        "http://$host:$(http_port "$id")" "nats://$host:$(nats_port "$id")"
    fi
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
    for row in "${topology[@]}"; do
      read -r id _ _ <<<"$row"
      write_nats_conf "$id"
      start_nats "$id"
    done
    for row in "${topology[@]}"; do
      read -r id _ _ <<<"$row"
      start_node "$id"
    done
    for row in "${topology[@]}"; do
      read -r id _ _ <<<"$row"
      await "$root/$id" weiquan 30 healthy "$(http_port "$id")"
    done
    echo "trust anchor: $("$bin" anchor --dir "$root/cn")"
    table no
    ;;
  status) table yes ;;
  down)
    if [ "$purge" = yes ] && [ "$confirm" != yes ]; then
      echo "--purge deletes $root and every key in it; run again with --purge --yes" >&2
      exit 1
    fi
    if [ -d "$root" ]; then
      stop_all weiquan  # the nodes first, while their servers still carry their last words
      stop_all nats
    fi
    if [ "$purge" = yes ]; then rm -rf "$root"; fi
    ;;
  *) echo "usage: $0 up|status|down [--root DIR] [--purge --yes]" >&2; exit 2 ;;
esac
