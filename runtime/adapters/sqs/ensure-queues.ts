import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { ConfigurationError } from "../../errors/usage-errors.js";
import { isQueueNameTaken } from "./aws-errors.js";
import { DLQ_SUFFIX } from "./queue-names.js";

/** Options of {@link createQueueWithDlq}. */
export interface EnsureQueuesOptions {
  /** Receives after which a message moves to the dead-letter queue. @default 5 */
  maxReceiveCount?: number;
  /**
   * Seconds a received message stays hidden. Lambda's guidance is six times the
   * function timeout; 180 fits a 30 s function. @default 180
   */
  visibilityTimeout?: number;
}

/** Where to report queues that exist with other attributes than asked. */
export interface WarnLogger {
  warn(message: string): void;
}

/** A queue that existed with different attributes; it was used as it is. */
export interface DivergentQueue {
  queueName: string;
  reason: string;
}

/** The largest message SQS accepts, and what our queues accept. */
const MAXIMUM_MESSAGE_SIZE = "1048576";
/** Dead letters are kept 14 days, SQS's longest retention, to leave time to look at them. */
const DLQ_RETENTION_SECONDS = "1209600";

/**
 * Creates `queueName` and its dead-letter queue `<queueName>-dlq`, the first with a
 * redrive policy to the second, both accepting 1 MiB messages. CreateQueue with the same
 * attributes is idempotent in SQS; a queue that exists with other attributes is kept as
 * it is and reported in `divergent`. Resolves the queue's URL.
 */
export async function createQueueWithDlq(
  client: SQSClient,
  queueName: string,
  options: Required<EnsureQueuesOptions>,
  divergent: DivergentQueue[],
): Promise<string> {
  checkOptions(options);
  const dlqName = `${queueName}${DLQ_SUFFIX}`;
  const dlqUrl = await createOrGet(
    client,
    dlqName,
    { MaximumMessageSize: MAXIMUM_MESSAGE_SIZE, MessageRetentionPeriod: DLQ_RETENTION_SECONDS },
    divergent,
  );
  const attrs = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }),
  );
  const dlqArn = attrs.Attributes?.QueueArn;
  if (!dlqArn) throw new Error(`SQS returned no QueueArn for dead-letter queue '${dlqName}'.`);
  return createOrGet(
    client,
    queueName,
    {
      MaximumMessageSize: MAXIMUM_MESSAGE_SIZE,
      VisibilityTimeout: String(options.visibilityTimeout),
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: dlqArn,
        maxReceiveCount: options.maxReceiveCount,
      }),
    },
    divergent,
  );
}

async function createOrGet(
  client: SQSClient,
  QueueName: string,
  Attributes: Record<string, string>,
  divergent: DivergentQueue[],
): Promise<string> {
  try {
    const out = await client.send(new CreateQueueCommand({ QueueName, Attributes }));
    if (out.QueueUrl) return out.QueueUrl;
  } catch (error) {
    if (!isQueueNameTaken(error)) throw error;
    divergent.push({
      queueName: QueueName,
      reason: error instanceof Error ? error.message : String(error),
    });
  }
  const out = await client.send(new GetQueueUrlCommand({ QueueName }));
  if (!out.QueueUrl) throw new Error(`SQS returned no URL for queue '${QueueName}'.`);
  return out.QueueUrl;
}

function checkOptions({ maxReceiveCount, visibilityTimeout }: Required<EnsureQueuesOptions>) {
  const problems: string[] = [];
  if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
    problems.push(`maxReceiveCount ${maxReceiveCount} must be a whole number from 1 to 1000`);
  }
  if (!Number.isInteger(visibilityTimeout) || visibilityTimeout < 0 || visibilityTimeout > 43_200) {
    problems.push(`visibilityTimeout ${visibilityTimeout} must be a whole number from 0 to 43200`);
  }
  if (problems.length > 0) {
    throw new ConfigurationError(`Cannot create SQS queues: ${problems.join("; ")}.`);
  }
}
