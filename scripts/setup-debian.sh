#!/usr/bin/env bash
# Installs what the tests need from Debian's packages, when it is missing: the Docker engine
# (docker.io 20.10, BuildKit built in), the registry (docker-registry, Distribution 2.8),
# debootstrap (the test base image) and htpasswd (the registry's password file) for the image
# tests; Git LFS for the sync's git shortcut tests (an LFS-tracked image). Idempotent: a machine
# that has them all installs nothing. Services are not started here (policy-rc.d keeps
# the packages from starting dockerd with its default bridge); scripts/test-engine.sh starts them.
set -euo pipefail

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
[ -x /usr/bin/docker ] || need+=(docker.io)
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
command -v htpasswd >/dev/null 2>&1 || need+=(apache2-utils)
git lfs version >/dev/null 2>&1 || need+=(git-lfs)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-debian: missing ${need[*]}; run as root (apt-get) or install them" >&2
  exit 1
fi
# A package's postinst must not start dockerd: its default configuration creates the docker0
# bridge on a private range, which this machine must never have.
created_policy=
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  created_policy=1
fi
trap '[ -n "$created_policy" ] && rm -f /usr/sbin/policy-rc.d' EXIT
echo "== installing ${need[*]} (Debian packages)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${need[@]}"
