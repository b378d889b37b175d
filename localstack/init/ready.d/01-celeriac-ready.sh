#!/bin/bash
# Runs when LocalStack is ready. Idempotent: it only checks and reports. The queues, the
# table and the functions come from `cdklocal deploy` (the CDK app in infra/), and
# `celeriac local up` can create the queues and the table without it.
set -euo pipefail
for service in sqs dynamodb lambda cloudformation; do
  if ! curl -fs http://localhost:4566/_localstack/health | grep -q "\"$service\": \"\(available\|running\)\""; then
    echo "celeriac: LocalStack service '$service' is not available yet" >&2
  fi
done
echo "celeriac: LocalStack is ready; deploy with: npm run localstack:deploy"
