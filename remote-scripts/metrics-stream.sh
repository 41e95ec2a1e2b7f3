#!/bin/sh
# Streams resource readings of this server and of the prefix's app containers: one sample every
# INTERVAL seconds, until the caller ends the command (it runs in one long-lived exec channel, so the
# server sees one session, not one per sample). Changes nothing.
#
# Usage: metrics-stream.sh --prefix P --interval SECONDS
#
# First the facts `cpus` and `docker-status` (progress lines), then per sample these tab-separated
# lines (src-main/core/metrics/metrics-parse.ts reads them):
#   host CPU_TOTAL CPU_IDLE MEM_TOTAL MEM_AVAILABLE DISK_TOTAL DISK_USED NET_RX NET_TX
#        (jiffies since boot; bytes; network counters of the physical interfaces since boot; - when unknown)
#   app CONTAINER_ID APP             one per running container of the prefix
#   stats JSON                       `docker stats --no-stream` of those containers, one line each
#   end
# shellcheck source-path=SCRIPTDIR
set -eu
here=$(dirname "$0")
# shellcheck source=lib/progress.sh
. "$here/lib/progress.sh"
# shellcheck source=lib/rules.sh
. "$here/lib/rules.sh"
# shellcheck source=lib/validate.sh
. "$here/lib/validate.sh"
# shellcheck source=lib/deploy-common.sh
. "$here/lib/deploy-common.sh"
# shellcheck source=lib/system.sh
. "$here/lib/system.sh"

prefix='' interval=10
parse_options 'prefix interval' "$@"
require prefix "$prefix" "$PREFIX_PATTERN"
require interval "$interval" '[1-9][0-9]{0,3}' 'a number of seconds from 1 to 9999'

# Sets docker_status and disk_dir (Docker's data root, else /).
gather_docker_facts
fact cpus "$(getconf _NPROCESSORS_ONLN 2>/dev/null || grep -c '^processor' /proc/cpuinfo)"
fact docker-status "$docker_status"

tab=$(printf '\t')

host_line() {
  disk=$(df -Pk "$disk_dir" 2>/dev/null | awk 'NR == 2 { printf "%.0f\t%.0f", $2 * 1024, $3 * 1024 }') || disk=''
  [ -n "$disk" ] || disk="-$tab-"
  # Guest time is already in user time, so the total stops at steal; idle counts iowait too.
  # Container (veth), bridge and loopback traffic is left out: it would count app traffic twice.
  awk -v disk="$disk" '
    FILENAME == "/proc/stat" && $1 == "cpu" {
      for (i = 2; i <= 9 && i <= NF; i++) total += $i
      idle = $5 + $6
    }
    FILENAME == "/proc/meminfo" { kb[$1] = $2 }
    FILENAME == "/proc/net/dev" && /:/ {
      line = $0
      sub(/:/, " ", line)
      split(line, f, " ")
      if (f[1] != "lo" && f[1] !~ /^(veth|docker|br-)/) { rx += f[2]; tx += f[10]; net = 1 }
    }
    END {
      available = ("MemAvailable:" in kb) ? kb["MemAvailable:"] : kb["MemFree:"] + kb["Buffers:"] + kb["Cached:"]
      printf "host\t%.0f\t%.0f\t%.0f\t%.0f\t%s\t", total, idle, kb["MemTotal:"] * 1024, available * 1024, disk
      if (net) printf "%.0f\t%.0f\n", rx, tx; else printf "-\t-\n"
    }' /proc/stat /proc/meminfo /proc/net/dev
}

containers_lines() {
  [ "$docker_status" = ok ] || return 0
  listing=$(timeout 30 docker ps --filter "label=dev.helvetia.prefix=$prefix" \
    --format "{{.ID}}$tab{{.Label \"dev.helvetia.app\"}}" 2>/dev/null) || return 0
  [ -n "$listing" ] || return 0
  ids=''
  while IFS="$tab" read -r id app; do
    printf 'app\t%s\t%s\n' "$id" "$app"
    ids="$ids $id"
  done <<EOF
$listing
EOF
  # A container that stopped since the listing fails the whole call: that sample has no app readings.
  # shellcheck disable=SC2086 # the IDs are Docker's hex IDs, split on purpose
  timeout 60 docker stats --no-stream --format "stats$tab{{json .}}" $ids 2>/dev/null || true
}

while :; do
  started=$(date +%s)
  host_line
  containers_lines
  echo end
  elapsed=$(($(date +%s) - started))
  [ "$elapsed" -ge "$interval" ] || sleep $((interval - elapsed))
done
