#!/bin/sh
# Entry point of the test suite's Redis image, as the official image behaves: `redis-server ARGS`
# (password and persistence are the command's options), data in /data, port 6379. Any other
# command (redis-cli) runs as given.
set -eu
if [ "${1:-redis-server}" = redis-server ]; then
  shift || true
  cd /data
  exec redis-server --bind 0.0.0.0 --protected-mode no --dir /data "$@"
fi
exec "$@"
