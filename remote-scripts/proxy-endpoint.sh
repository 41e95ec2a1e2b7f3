#!/bin/sh
# Where the reverse proxy serves HTTPS on this server, for checks that connect to it from here (an app's
# certificate status): facts `proxy` (caddy or traefik), `https-port` (as provisioned) and
# `https-address` (what that port is published on). Changes nothing.
#
# Usage: proxy-endpoint.sh --prefix P
# shellcheck source-path=SCRIPTDIR
set -eu
here=$(dirname "$0")
# shellcheck source=lib/progress.sh
. "$here/lib/progress.sh"
# shellcheck source=lib/rules.sh
. "$here/lib/rules.sh"
# shellcheck source=lib/validate.sh
. "$here/lib/validate.sh"
# shellcheck source=lib/proxy-state.sh
. "$here/lib/proxy-state.sh"

if [ "$#" -ne 2 ] || [ "$1" != --prefix ]; then
  fail INVALID_ARGUMENT 'Usage: proxy-endpoint.sh --prefix P'
fi
prefix=$2
require prefix "$prefix" "$PREFIX_PATTERN"
container=$prefix-proxy

read_proxy "$prefix"
kind=$proxy_kind port=$proxy_https_port
[ -n "$kind" ] || fail PROXY_MISSING "The proxy container $container is not running on this server" \
  'Provision the server (helvetia server provision), then try again.'
matches "$port" "$PORT_PATTERN" || fail PROXY_CONFIG_UNREADABLE "The $kind proxy's HTTPS port could not be read from $proxy_config" \
  'Provision the server again (helvetia server provision).'
# `docker port` prints ADDRESS:PORT per binding (IPv6 in brackets); the first one will do.
published=$(timeout 20 docker port "$container" "$port/tcp" 2>/dev/null | head -n 1 || true)
[ -n "$published" ] || fail PROXY_CONFIG_UNREADABLE "The $kind proxy does not publish its HTTPS port $port" \
  'Provision the server again (helvetia server provision).'
address=${published%:*}
address=${address#[}
address=${address%]}
fact proxy "$kind"
fact https-port "$port"
fact https-address "$address"
