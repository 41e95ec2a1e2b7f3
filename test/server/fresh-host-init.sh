#!/bin/sh
# PID 1 of a fresh test host (an image of fresh-host-image.sh): a bare Debian server with sshd and no
# Docker. Its container gets what `docker run --privileged` gives (all capabilities but
# CAP_SYS_RESOURCE, which this machine lacks: --privileged fails here) minus read-write /sys and
# cgroups, which this makes so, so that the dockerd provisioning installs can run containers.
set -eu
mount -o remount,rw /sys
for dir in /sys/fs/cgroup/*/; do
  mount -o remount,rw,bind "$dir" "$dir"
done
ssh-keygen -A >/dev/null
mkdir -p /run/sshd
exec /usr/sbin/sshd -D -e
