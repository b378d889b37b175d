#!/bin/bash
# Stops LocalStack and removes its state.
set -euo pipefail
cd "$(dirname "$0")"
docker compose down -v
rm -rf ./volume
