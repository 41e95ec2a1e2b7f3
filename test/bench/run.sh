#!/usr/bin/env bash
# What `npm run bench` runs: the CLI start-up, relay and log view benchmarks (no server needed), then brings up the
# disposable test server (test/server/up.sh, as root) and runs the deploy benchmark and the server-side
# relay benchmark (relay-server.bench.ts) against it, and the database backup and restore throughput
# (db-backup.bench.ts). It prints numbers; it asserts nothing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
node --import tsx test/bench/cli.bench.ts
node --import tsx test/bench/relay.bench.ts
node --import tsx test/bench/log-view.bench.ts
state=${HELVETIA_TEST_STATE:-/tmp/helvetia-test-server}
mkdir -p "$state"
if ! bash test/server/up.sh >"$state/bench-up.log" 2>&1; then
  echo "bench: the test server did not start: $(tail -n 1 "$state/bench-up.log")" >&2
  exit 1
fi
# shellcheck source=/dev/null
. "$state/env"
node --import tsx test/bench/deploy.bench.ts "$@"
node --import tsx test/bench/db-backup.bench.ts
exec node --import tsx test/bench/relay-server.bench.ts
