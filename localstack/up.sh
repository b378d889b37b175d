#!/bin/bash
# Starts LocalStack and waits until its init scripts have run (at most 5 minutes).
set -euo pipefail
cd "$(dirname "$0")"
docker compose up -d
for _ in $(seq 1 300); do
  if curl -fs http://localhost:4566/_localstack/init/ready | grep -q '"completed": *true'; then
    echo "LocalStack is ready at http://localhost.localstack.cloud:4566"
    exit 0
  fi
  sleep 1
done
echo "LocalStack did not become ready in 5 minutes; see: docker compose logs localstack" >&2
exit 1
