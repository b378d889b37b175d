import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type Message,
  PurgeQueueCommand,
  type QueueAttributeName,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { UnknownQueueError } from "../../errors/usage-errors.js";
import { isQueueMissing } from "./aws-errors.js";
import {
  type DeadLetter,
  type DeadLetterCounts,
  type DeadLetterQueue,
  MissingDeadLetterQueueError,
  RedriveError,
  type RedriveOptions,
  type RedriveResult,
} from "./dead-letter-types.js";
import { isUnsupportedOperation, moveWithTask, unsupportedReason } from "./message-move.js";
import { MAX_BATCH_ENTRIES } from "./publish.js";
import { DLQ_SUFFIX, type QueueNamer } from "./queue-names.js";
import type { QueueUrlResolver } from "./queue-urls.js";
import { moveByCopying } from "./redrive-copy.js";

/** Seconds `peek` hides the messages it reads before it releases them again. */
const PEEK_VISIBILITY_SECONDS = 30;

/** What `peek` read, and how many it could not make visible again at once. */
export interface PeekResult {
  letters: DeadLetter[];
  /** Messages whose release failed: they become visible after 30 s on their own. */
  notReleased: number;
}

/**
 * The dead-letter queues of an {@link SqsBroker}'s routing keys: find them, count,
 * peek at, redrive and purge their messages. Get one with `broker.deadLetterQueues()`.
 *
 * @example
 * const dlqs = await broker.deadLetterQueues();
 * const dlq = await dlqs.locate("celery"); // proj-celery-dlq, from proj-celery's RedrivePolicy
 * const { moved, method } = await dlqs.redrive(dlq);
 */
export class DeadLetterQueues {
  constructor(
    private readonly client: SQSClient,
    private readonly namer: QueueNamer,
    private readonly urls: QueueUrlResolver,
  ) {}

  /**
   * Finds `routingKey`'s queue and, from its redrive policy, its dead-letter queue.
   * @throws MissingDeadLetterQueueError when either does not exist, or the queue has
   *   no redrive policy.
   */
  async locate(routingKey: string): Promise<DeadLetterQueue> {
    const sourceName = this.namer.nameOf(routingKey);
    const missing = (queueName: string, why: string, cause?: unknown) =>
      new MissingDeadLetterQueueError(why, { routingKey, queueName }, { cause });
    const dlqName = `${sourceName}${DLQ_SUFFIX}`;
    const absent = `Dead-letter queue '${dlqName}' of routing key '${routingKey}' does not exist`;
    let url: string;
    let attributes: Record<string, string>;
    try {
      url = await this.urls.urlOf(routingKey);
      attributes = await this.attributes(url, ["QueueArn", "RedrivePolicy"]);
    } catch (error) {
      if (!(error instanceof UnknownQueueError) && !isQueueMissing(error)) throw error;
      this.urls.forget(routingKey);
      throw missing(dlqName, `${absent} (nor does its queue '${sourceName}').`, error);
    }
    const targetArn = deadLetterTargetOf(attributes.RedrivePolicy);
    if (targetArn === undefined) {
      throw missing(dlqName, `${absent}: queue '${sourceName}' has no redrive policy.`);
    }
    const name = targetArn.split(":").pop() ?? dlqName;
    try {
      const out = await this.client.send(new GetQueueUrlCommand({ QueueName: name }));
      if (!out.QueueUrl) throw missing(name, `SQS returned no URL for queue '${name}'.`);
      const source = { name: sourceName, url, arn: attributes.QueueArn ?? "" };
      return { routingKey, name, url: out.QueueUrl, arn: targetArn, source };
    } catch (error) {
      if (!isQueueMissing(error)) throw error;
      throw missing(
        name,
        `Dead-letter queue '${name}' of routing key '${routingKey}' does not exist (queue '${sourceName}' names it in its redrive policy).`,
        error,
      );
    }
  }

  /** How many messages `dlq` holds, visible and in flight. */
  async counts(dlq: DeadLetterQueue): Promise<DeadLetterCounts> {
    const a = await this.attributes(dlq.url, [
      "ApproximateNumberOfMessages",
      "ApproximateNumberOfMessagesNotVisible",
    ]);
    return {
      visible: Number(a.ApproximateNumberOfMessages ?? "0"),
      inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? "0"),
    };
  }

  /**
   * Reads up to `max` messages of `dlq` without removing them: each is received, then
   * released with visibility 0 (visible again at once), even when a later receive fails.
   * Each peek adds one to the messages' receive counts.
   */
  async peek(dlq: DeadLetterQueue, max: number): Promise<PeekResult> {
    const received = new Map<string, Message>();
    const handles: string[] = [];
    let notReleased = 0;
    try {
      while (received.size < max) {
        const out = await this.client.send(
          new ReceiveMessageCommand({
            QueueUrl: dlq.url,
            MaxNumberOfMessages: Math.min(MAX_BATCH_ENTRIES, max - received.size),
            WaitTimeSeconds: 1,
            VisibilityTimeout: PEEK_VISIBILITY_SECONDS,
            MessageSystemAttributeNames: [
              "ApproximateReceiveCount",
              "ApproximateFirstReceiveTimestamp",
            ],
          }),
        );
        const messages = out.Messages ?? [];
        if (messages.length === 0) break;
        for (const m of messages) {
          if (m.ReceiptHandle) handles.push(m.ReceiptHandle);
          if (m.MessageId && !received.has(m.MessageId)) received.set(m.MessageId, m);
        }
      }
    } finally {
      notReleased = await this.releaseNow(dlq, handles);
    }
    return { letters: [...received.values()].slice(0, max).map(toDeadLetter), notReleased };
  }

  /**
   * Moves every message of `dlq` back to its source queue, with SQS's message-move task
   * or, where the endpoint does not implement it (or `method: "copy"`), by copying.
   * @throws RedriveError when the move did not finish; it says how far it got.
   */
  async redrive(dlq: DeadLetterQueue, options: RedriveOptions = {}): Promise<RedriveResult> {
    const method = options.method ?? "auto";
    if (method === "copy") return { moved: await moveByCopying(this.client, dlq), method };
    const taskOptions = {
      timeoutSeconds: options.timeoutSeconds ?? 300,
      pollIntervalMs: options.pollIntervalMs ?? 1000,
    };
    try {
      return { moved: await moveWithTask(this.client, dlq, taskOptions), method: "move-task" };
    } catch (error) {
      if (error instanceof RedriveError || !isUnsupportedOperation(error)) throw error;
      const reason = unsupportedReason(error);
      if (method === "move-task") throw new RedriveError(`Cannot redrive: ${reason}.`, 0);
      const moved = await moveByCopying(this.client, dlq);
      return { moved, method: "copy", fallbackReason: reason };
    }
  }

  /**
   * Deletes every message of `dlq` with `PurgeQueue`. Resolves how many it held just
   * before (SQS's approximate count; PurgeQueue itself does not say).
   */
  async purge(dlq: DeadLetterQueue): Promise<number> {
    const { visible, inFlight } = await this.counts(dlq);
    await this.client.send(new PurgeQueueCommand({ QueueUrl: dlq.url }));
    return visible + inFlight;
  }

  private async attributes(
    QueueUrl: string,
    names: QueueAttributeName[],
  ): Promise<Record<string, string>> {
    const out = await this.client.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: names }),
    );
    return out.Attributes ?? {};
  }

  /** Makes received messages visible again now; resolves how many could not be. */
  private async releaseNow(dlq: DeadLetterQueue, handles: readonly string[]): Promise<number> {
    let failed = 0;
    for (let i = 0; i < handles.length; i += MAX_BATCH_ENTRIES) {
      const chunk = handles.slice(i, i + MAX_BATCH_ENTRIES);
      const out = await this.client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: dlq.url,
          Entries: chunk.map((ReceiptHandle, j) => ({
            Id: String(j),
            ReceiptHandle,
            VisibilityTimeout: 0,
          })),
        }),
      );
      failed += out.Failed?.length ?? 0;
    }
    return failed;
  }
}

/**
 * The dead-letter queues of `broker`, when it is an SQS broker (checked by shape, so a
 * broker from another copy of the package is found too, and an app's `sqs://` broker,
 * which loads the SDK first); `undefined` for others.
 */
export async function deadLetterQueuesOf(broker: object): Promise<DeadLetterQueues | undefined> {
  const candidate = broker as { deadLetterQueues?: unknown };
  if (typeof candidate.deadLetterQueues !== "function") return undefined;
  return (candidate.deadLetterQueues as () => Promise<DeadLetterQueues>).call(broker);
}

function deadLetterTargetOf(policy: string | undefined): string | undefined {
  if (policy === undefined || policy === "") return undefined;
  try {
    const parsed = JSON.parse(policy) as { deadLetterTargetArn?: unknown };
    return typeof parsed.deadLetterTargetArn === "string" ? parsed.deadLetterTargetArn : undefined;
  } catch {
    return undefined;
  }
}

function toDeadLetter(m: Message): DeadLetter {
  const first = Number(m.Attributes?.ApproximateFirstReceiveTimestamp);
  return {
    messageId: m.MessageId ?? "",
    receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? "1"),
    firstReceivedAt: Number.isFinite(first) && first > 0 ? new Date(first) : undefined,
    body: m.Body ?? "",
  };
}
