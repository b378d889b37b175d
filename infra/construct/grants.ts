import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as logs from "aws-cdk-lib/aws-logs";
import type * as sqs from "aws-cdk-lib/aws-sqs";

/**
 * What an SQS event source needs on its queue (Lambda's poller acts with the function's
 * role): receive, delete, change visibility, read attributes. Not `GetQueueUrl`: the
 * runtime gets its URLs from `CELERIAC_QUEUE_URLS`.
 */
export const CONSUME_ACTIONS = [
  "sqs:ReceiveMessage",
  "sqs:DeleteMessage",
  "sqs:ChangeMessageVisibility",
  "sqs:GetQueueAttributes",
] as const;

/** Publishing (`SendMessageBatch` is authorised by `sqs:SendMessage`). */
export const SEND_ACTIONS = ["sqs:SendMessage"] as const;

/** What a worker does to the results table (no Scan, no Query, no table management). */
export const TABLE_WORKER_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
] as const;

/** Reading results (`AsyncResult.get`, `GroupResult.join`). */
export const TABLE_READ_ACTIONS = ["dynamodb:GetItem", "dynamodb:BatchGetItem"] as const;

/** Saving a group's member ids (`GroupResult.save()`, a chord with frozen header ids). */
export const TABLE_GROUP_SAVE_ACTIONS = ["dynamodb:PutItem", "dynamodb:BatchWriteItem"] as const;

/** Writing to its own log group (which exists: no `logs:CreateLogGroup`). */
export const LOG_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"] as const;

export function consumeStatement(queue: sqs.IQueue): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: "ConsumeOwnQueue",
    actions: [...CONSUME_ACTIONS],
    resources: [queue.queueArn],
  });
}

export function sendStatement(queues: readonly sqs.IQueue[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: "SendToAppQueues",
    actions: [...SEND_ACTIONS],
    resources: queues.map((q) => q.queueArn),
  });
}

export function tableStatement(
  sid: string,
  table: dynamodb.ITable,
  actions: readonly string[],
): iam.PolicyStatement {
  return new iam.PolicyStatement({ sid, actions: [...actions], resources: [table.tableArn] });
}

/** The log group's ARN attribute ends in `:*`, which covers its log streams. */
export function logsStatement(logGroup: logs.ILogGroup): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: "WriteOwnLogs",
    actions: [...LOG_ACTIONS],
    resources: [logGroup.logGroupArn],
  });
}
