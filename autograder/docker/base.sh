#!/usr/bin/env bash
# The local base image for hosts that cannot pull from a registry: a minimal Debian bookworm
# (Python 3.11, venv, CA certificates) made with debootstrap and imported into Docker. On a GPU
# host, pass a CUDA PyTorch image as BASE_IMAGE instead; this script is then not used.
set -euo pipefail
NAME=${1:-nnf-base:bookworm}
docker image inspect "$NAME" > /dev/null 2>&1 && { echo "base image $NAME is present"; exit 0; }
if ! command -v debootstrap > /dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap > /dev/null
fi
ROOTFS=$(mktemp -d /tmp/nnf-base-XXXXXX)
trap 'rm -rf "$ROOTFS"' EXIT
debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates bookworm "$ROOTFS" \
    > "$ROOTFS.log" 2>&1 || { tail -20 "$ROOTFS.log" >&2; exit 2; }
tar -C "$ROOTFS" -c . | docker import - "$NAME" > /dev/null
rm -f "$ROOTFS.log"
echo "base image $NAME built with debootstrap"
