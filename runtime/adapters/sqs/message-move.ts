import {
  ListMessageMoveTasksCommand,
  type ListMessageMoveTasksResultEntry,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { awsErrorName, describeAwsError } from "./aws-errors.js";
import { sleep } from "./concurrency.js";
import { type DeadLetterQueue, RedriveError } from "./dead-letter-types.js";

/** Error names endpoints give for an operation they do not implement. */
const UNSUPPORTED_NAMES = new Set([
  "InvalidAction", // fauxqs: "Unknown action: StartMessageMoveTask"
  "UnsupportedOperation",
  "UnknownOperation",
  "UnknownOperationException",
  "NotImplemented",
  "NotImplementedException",
]);

/**
 * True when the endpoint does not implement the operation that failed, as opposed to a
 * failure of the operation itself: an error name such as `InvalidAction` (fauxqs) or
 * `UnsupportedOperation`, HTTP 501, or a server error whose body is not an AWS error at
 * all (moto answers an unimplemented action with a 500 HTML page the SDK cannot parse).
 */
export function isUnsupportedOperation(error: unknown): boolean {
  const name = awsErrorName(error);
  if (name !== undefined && UNSUPPORTED_NAMES.has(name)) return true;
  const status = httpStatusOf(error);
  if (status === 501) return true;
  const message = error instanceof Error ? error.message : "";
  if (/not (been )?implemented|unknown (action|operation)/i.test(message)) return true;
  return status !== undefined && status >= 500 && /Deserialization error/i.test(message);
}

/** Options of {@link moveWithTask}. */
export interface MoveTaskOptions {
  timeoutSeconds: number;
  pollIntervalMs: number;
}

/**
 * Moves every message of `dlq` to its source queue with SQS's message-move task: starts
 * it (`StartMessageMoveTask`, the DLQ's ARN as source, the source queue's as
 * destination), then polls `ListMessageMoveTasks` until it reports COMPLETED. Resolves
 * how many messages it moved. Rejects with the SDK's error when the start fails (so the
 * caller can tell an unsupported endpoint), and with a {@link RedriveError} when the task
 * fails, is cancelled or is still running after `timeoutSeconds`.
 */
export async function moveWithTask(
  client: SQSClient,
  dlq: DeadLetterQueue,
  options: MoveTaskOptions,
): Promise<number> {
  const started = await client.send(
    new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: dlq.source.arn }),
  );
  const handle = started.TaskHandle;
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  let last: ListMessageMoveTasksResultEntry | undefined;
  for (;;) {
    const out = await client.send(
      new ListMessageMoveTasksCommand({ SourceArn: dlq.arn, MaxResults: 1 }),
    );
    // The newest task comes first; SQS gives its handle only while it runs.
    const newest = out.Results?.[0];
    if (newest && (newest.TaskHandle === undefined || newest.TaskHandle === handle)) {
      last = newest;
      const moved = newest.ApproximateNumberOfMessagesMoved ?? 0;
      if (newest.Status === "COMPLETED") return moved;
      if (newest.Status === "FAILED" || newest.Status === "CANCELLED") {
        const reason = newest.FailureReason ? `: ${newest.FailureReason}` : "";
        throw new RedriveError(
          `The message-move task from ${dlq.name} to ${dlq.source.name} ended ${newest.Status}${reason} after moving about ${moved} messages.`,
          moved,
        );
      }
    }
    if (Date.now() >= deadline) throw stillRunning(dlq, options.timeoutSeconds, last);
    await sleep(options.pollIntervalMs);
  }
}

function stillRunning(
  dlq: DeadLetterQueue,
  timeoutSeconds: number,
  last: ListMessageMoveTasksResultEntry | undefined,
): RedriveError {
  const moved = last?.ApproximateNumberOfMessagesMoved ?? 0;
  const toMove = last?.ApproximateNumberOfMessagesToMove;
  const progress = last
    ? `status ${last.Status ?? "unknown"}, about ${moved}${toMove === undefined ? "" : ` of ${toMove}`} messages moved`
    : "ListMessageMoveTasks did not list it";
  return new RedriveError(
    `The message-move task from ${dlq.name} to ${dlq.source.name} did not complete within ${timeoutSeconds} s (${progress}). It goes on in SQS; see \`aws sqs list-message-move-tasks --source-arn ${dlq.arn}\`.`,
    moved,
  );
}

/** Why a move task could not be used, for the fallback's message. */
export function unsupportedReason(error: unknown): string {
  const status = httpStatusOf(error);
  const message = error instanceof Error ? error.message : "";
  const detail =
    status !== undefined && /Deserialization error/i.test(message)
      ? `HTTP ${status} with a body that is not an SQS error`
      : (describeAwsError(error).split("\n")[0] ?? "");
  return `the endpoint does not support StartMessageMoveTask (${detail})`;
}

function httpStatusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}
