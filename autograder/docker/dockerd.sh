#!/usr/bin/env bash
# Make sure a Docker daemon answers. Where none runs (CI, a fresh machine), install docker.io if it
# is missing and start dockerd in the background; its pid goes to build/dockerd.pid so that
# `make docker-stop` stops exactly that process and never another daemon.
set -euo pipefail
cd "$(dirname "$0")/../.."
docker info > /dev/null 2>&1 && exit 0
if ! command -v dockerd > /dev/null; then
    [ "$(id -u)" = 0 ] || { echo "error: Docker is not running and dockerd is not installed;" \
        "install Docker (apt-get install docker.io) or start it" >&2; exit 2; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io > /dev/null
fi
mkdir -p build
nohup dockerd --storage-driver=overlay2 > build/dockerd.log 2>&1 &
echo $! > build/dockerd.pid
for _ in $(seq 60); do
    docker info > /dev/null 2>&1 && { echo "dockerd started (pid $(cat build/dockerd.pid))"; exit 0; }
    sleep 1
done
echo "error: dockerd did not start within 60 s; see build/dockerd.log" >&2
exit 2
