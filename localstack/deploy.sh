#!/bin/bash
# Bootstraps and deploys the seed stack to LocalStack with cdklocal, which points the CDK
# CLI at http://localhost.localstack.cloud:4566 through AWS_ENDPOINT_URL. Idempotent:
# bootstrap and deploy may be run again (on free tiers a restart starts empty).
set -euo pipefail
cd "$(dirname "$0")/.."
export CDK_DISABLE_CLI_TELEMETRY=true
npx cdklocal bootstrap aws://000000000000/us-east-1
npx cdklocal deploy --require-approval never --outputs-file localstack/outputs.json "$@"
echo "Outputs written to localstack/outputs.json"
