import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type { Construct } from "constructs";
import type { ResolvedProps } from "./props.js";

/** The results table's partition key, as `runtime/adapters/dynamodb` reads and writes it. */
export const PARTITION_KEY = "pk";
/** The partition key of a table in Celery's layout (`celery/backends/dynamodb.py`). */
export const CELERY_PARTITION_KEY = "id";
/** The attribute holding each item's expiry (epoch seconds). */
export const TTL_ATTRIBUTE = "ttl";

/**
 * The results table of `runtime/adapters/dynamodb/ARCHITECTURE.md`: partition key `pk`
 * (S), no sort key, on-demand, TTL on `ttl`, encrypted with the AWS-managed key,
 * point-in-time recovery and deletion protection per the props.
 */
export function createResultsTable(scope: Construct, config: ResolvedProps): dynamodb.Table {
  return new dynamodb.Table(scope, "Results", {
    tableName: config.tableName,
    partitionKey: {
      name: config.resultLayout === "celery" ? CELERY_PARTITION_KEY : PARTITION_KEY,
      type: dynamodb.AttributeType.STRING,
    },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    timeToLiveAttribute: TTL_ATTRIBUTE,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: config.pointInTimeRecovery },
    deletionProtection: config.deletionProtection,
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    removalPolicy: config.removalPolicy,
  });
}
