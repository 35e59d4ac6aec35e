#!/usr/bin/env bash
# Makes the local stand-in for the training image's base (the pinned pytorch/pytorch CUDA image,
# which cannot be pulled here), or reuses it, and prints its tag on the last line.
#
# What it is: Debian bookworm (minbase, from debootstrap) with its python3 (3.11), pip and the
# same CUDA build of torch/torchvision the project pins (the real base also ships CUDA torch): the
# files .venv installed from this machine's wheel files (scripts/copy_dists.py; pip installs them
# from those wheels when .venv has none). Differences from the real base, on purpose and nothing
# else: Debian's python at /usr/bin (the real one is conda's at /opt/conda) with Debian's
# "externally managed" marker removed, so `pip install` works system-wide as it does in conda;
# and this machine's CA bundle, so builds with `--network host` reach the package registries as
# the host does.
#
# How it gets into the engine: like any base image, from a registry. Its two layers (Debian +
# python; torch + CUDA libraries, 5.5 GB) are gzipped here (level 1, side by side) and uploaded to
# the test registry with a manifest, then pulled. The daemon then knows the compressed layers, so
# pushing a training image built on it only mounts them: otherwise every fresh push would gzip
# 5.5 GB again at docker's default level (more than 7 minutes on a busy 2-core machine).
#
# The tag names the recipe (suite, torch and torchvision versions, RECIPE: bump it when the steps
# change): an unchanged recipe is reused from the engine's image store (scripts/test-engine.sh
# keeps it between runs), a changed one makes a new image.
set -euo pipefail
cd "$(dirname "$0")/.."

TORCH=torch==2.14.1
TORCHVISION=torchvision==0.29.1
SUITE=bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
NAME=sagemaker-yolo-test/base
RECIPE=1
TAG="$SUITE-torch${TORCH#*==}-vision${TORCHVISION#*==}-r$RECIPE"
SITE=/usr/local/lib/python3.11/dist-packages # where Debian's python looks for local packages

engine=$(scripts/test-engine.sh start)
value() { sed -n "s/^$1=//p" <<<"$engine"; }
started=$(value STARTED)
work=
cleanup() {
  [ -z "$work" ] || rm -rf "$work"
  [ -z "$started" ] || scripts/test-engine.sh stop $started
}
trap cleanup EXIT
export DOCKER_HOST PATH
DOCKER_HOST=$(value DOCKER_HOST)
PATH=$(value PATH)
registry=$(value REGISTRY)
auth="$(value REGISTRY_USER):$(value REGISTRY_PASSWORD)"

if docker image inspect "$NAME:$TAG" >/dev/null 2>&1; then
  echo "reusing $NAME:$TAG" >&2
  echo "$NAME:$TAG"
  exit 0
fi

scripts/setup-debian.sh
work=$(mktemp -d "${TMPDIR:-/var/tmp}/test-base.XXXXXX")
root="$work/rootfs"
t0=$SECONDS
took() { echo "   $((SECONDS - t0)) s" >&2; }

echo "== debootstrap $SUITE minbase + python3" >&2
debootstrap --variant=minbase --include=python3,python3-pip,python-is-python3,ca-certificates \
  "$SUITE" "$root" "$MIRROR" >&2
[ -x "$root/usr/bin/python3.11" ] || { echo "test-base-image: $SUITE's python is not 3.11" >&2; exit 1; }
rm -f "$root"/usr/lib/python3*/EXTERNALLY-MANAGED
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
mkdir -p "$root$SITE"
took

echo "== $TORCH $TORCHVISION" >&2
venv_site=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' 2>/dev/null || true)
if [ -n "$venv_site" ] && .venv/bin/python - "$TORCH" "$TORCHVISION" <<'PY' 2>/dev/null; then
import sys
from importlib.metadata import version
assert sys.version_info[:2] == (3, 11)
for pin in sys.argv[1:]:
    name, want = pin.split("==")
    assert version(name) == want, (name, version(name), want)
PY
  .venv/bin/python scripts/copy_dists.py "$venv_site" "$root$SITE" torch torchvision
else
  # Same Python minor version, so the same wheels; the host's pip configuration says where.
  python3 -c 'import sys; assert sys.version_info[:2] == (3, 11)' ||
    { echo "test-base-image: needs .venv (scripts/setup-python.sh) or a host python3.11" >&2; exit 1; }
  python3 -m pip install --quiet --no-compile --target "$root$SITE" "$TORCH" "$TORCHVISION" >&2
  rm -rf "${root:?}$SITE/bin"
fi
took

echo "== layers (gzip -1, side by side)" >&2
# Layer 1: everything but the packages; layer 2: the packages. Each: uncompressed digest (the
# image's diff_id) and compressed digest (the manifest's blob), both hashed while streaming.
layer() { # <name> <tar args...>
  local name=$1
  shift
  tar -C "$root" --numeric-owner --sort=name -c "$@" |
    tee >(sha256sum | cut -d' ' -f1 >"$work/$name.diffid") |
    gzip -1 -n |
    tee >(sha256sum | cut -d' ' -f1 >"$work/$name.tar.gz.sha256") >"$work/$name.tar.gz"
}
layer system --exclude="./${SITE#/}/*" . &
system_pid=$!
layer packages "./${SITE#/}" &
packages_pid=$!
wait "$system_pid" "$packages_pid"
sleep 2 # the tee'd sha256sums write their files after the pipes end
took

api="http://$registry/v2/$NAME"
upload_blob() { # <file>: monolithic upload unless the registry has it
  local digest location
  if [ -s "$1.sha256" ]; then digest="sha256:$(cat "$1.sha256")"; else digest="sha256:$(sha256sum "$1" | cut -d' ' -f1)"; fi
  if ! curl -fsS -u "$auth" -I "$api/blobs/$digest" >/dev/null 2>&1; then
    location=$(curl -fsS -u "$auth" -X POST -D - -o /dev/null "$api/blobs/uploads/" |
      tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
    case "$location" in http*) ;; *) location="http://$registry$location" ;; esac
    case "$location" in *\?*) location="$location&digest=$digest" ;; *) location="$location?digest=$digest" ;; esac
    # -T streams the file (--data-binary would read gigabytes into memory first).
    curl -fsS -u "$auth" -T "$1" -H 'Content-Type: application/octet-stream' "$location" >/dev/null
  fi
  echo "$digest $(stat -c %s "$1")"
}

echo "== upload to $registry and pull" >&2
python3 - "$work" >"$work/config.json" <<'PY'
import json, sys
work = sys.argv[1]
diff = [open(f"{work}/{n}.diffid").read().strip() for n in ("system", "packages")]
print(json.dumps({
    "architecture": "amd64",
    "os": "linux",
    "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8"]},
    "rootfs": {"type": "layers", "diff_ids": [f"sha256:{d}" for d in diff]},
    "history": [{"created_by": "scripts/test-base-image.sh: debootstrap"}, {"created_by": "scripts/test-base-image.sh: torch"}],
}, separators=(",", ":")))
PY
read -r config_digest config_size < <(upload_blob "$work/config.json")
read -r system_digest system_size < <(upload_blob "$work/system.tar.gz")
read -r packages_digest packages_size < <(upload_blob "$work/packages.tar.gz")
cat >"$work/manifest.json" <<JSON
{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
 "config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":$config_size,"digest":"$config_digest"},
 "layers":[
  {"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":$system_size,"digest":"$system_digest"},
  {"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":$packages_size,"digest":"$packages_digest"}]}
JSON
curl -fsS -u "$auth" -X PUT -H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' \
  --data-binary "@$work/manifest.json" "$api/manifests/$TAG" >/dev/null
rm -f "$work"/*.tar.gz
rm -rf "$root"
docker login --username "${auth%%:*}" --password-stdin "$registry" <<<"${auth#*:}" >/dev/null
docker pull "$registry/$NAME:$TAG" >&2
docker logout "$registry" >/dev/null
docker tag "$registry/$NAME:$TAG" "$NAME:$TAG"
echo "   $((SECONDS - t0)) s; $(docker image inspect --format '{{.Size}}' "$NAME:$TAG" | awk '{printf "%.2f GB", $1/1e9}')" >&2
echo "$NAME:$TAG"
