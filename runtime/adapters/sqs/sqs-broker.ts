import { describeEndpoint } from "../endpoint.js";
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { CeleriacError } from "../../errors/celeriac-error.js";
import { ConfigurationError } from "../../errors/usage-errors.js";
import type {
  Broker,
  OutgoingMessage,
  ReceivedMessage,
  ReceiveOptions,
} from "../../ports/broker.js";
import { isNotInflight, isQueueMissing, isQueueMissingCode } from "./aws-errors.js";
import { settleWithLimit } from "./concurrency.js";
import { DeadLetterQueues } from "./dead-letters.js";
import {
  createQueueWithDlq,
  type DivergentQueue,
  type EnsureQueuesOptions,
  type WarnLogger,
} from "./ensure-queues.js";
import { AckError, type AckFailure } from "./errors.js";
import {
  checkMessage,
  MAX_BATCH_ENTRIES,
  type RetryPolicy,
  SqsPublishError,
  sendBatch,
  toBatches,
  type UnsentMessage,
} from "./publish.js";
import { QueueNamer } from "./queue-names.js";
import { SQS_MAX_MESSAGE_BYTES } from "./limits.js";
import { QueueUrlResolver, queueUrlsFromEnv } from "./queue-urls.js";

/** Options of {@link SqsBroker}. */
export interface SqsBrokerOptions {
  /** Prefix of the queue names: routing key `k` uses queue `${appName}-${k}`. */
  appName: string;
  /**
   * The client to use, as given (its endpoint, region, credentials and middleware).
   * @default `new SQSClient({ useQueueUrlAsEndpoint: false })` from the SDK's standard chain
   */
  client?: SQSClient;
  /** Routing key → queue URL. @default the JSON object in `CELERIAC_QUEUE_URLS`, if set */
  queueUrls?: Record<string, string>;
  /** Routing key → queue name, for queues not named `${appName}-${key}`. */
  queueNames?: Record<string, string>;
  /** Largest body in bytes, 1024 to 1,048,576. @default 1_048_576 (SQS's maximum) */
  maxMessageBytes?: number;
  /** Seconds a received message stays hidden, sent with each receive. @default the queue's */
  visibilityTimeout?: number;
  /** Retries of batch entries SQS reports as failed. @default `{ attempts: 3, baseDelayMs: 50 }` */
  retry?: Partial<RetryPolicy>;
  /** Where warnings go. @default console */
  logger?: WarnLogger;
}

/** SendMessageBatch and DeleteMessageBatch calls in flight at once, per broker call. */
const MAX_CONCURRENT_CALLS = 16;
/** SQS's longest visibility timeout. */
const MAX_VISIBILITY_SECONDS = 43_200;

/**
 * The broker on Amazon SQS: one standard queue per routing key, batched sends with
 * per-message `DelaySeconds`, long-poll receives for local workers.
 *
 * @example
 * const broker = new SqsBroker({ appName: "proj" });
 * await broker.ensureQueues(["celery"]); // locally: queue + DLQ with a redrive policy
 * await broker.publish([{ queue: "celery", body, delaySeconds: 0, taskId, taskName }]);
 */
export class SqsBroker implements Broker {
  readonly description = "sqs://";

  /** Where this broker's client sends requests: an endpoint URL or `AWS (<region>)`. */
  endpoint(): Promise<string> {
    return describeEndpoint(this.client.config, "SQS");
  }
  private readonly client: SQSClient;
  private readonly ownsClient: boolean;
  private readonly namer: QueueNamer;
  private readonly urls: QueueUrlResolver;
  private readonly maxBytes: number;
  private readonly visibilityTimeout: number | undefined;
  private readonly retry: RetryPolicy;
  private readonly logger: WarnLogger;
  private readonly closing = new AbortController();
  private readonly visibility = new Map<string, Promise<number>>();

  constructor(options: SqsBrokerOptions) {
    checkOptions(options);
    this.maxBytes = options.maxMessageBytes ?? SQS_MAX_MESSAGE_BYTES;
    this.visibilityTimeout = options.visibilityTimeout;
    this.retry = { attempts: 3, baseDelayMs: 50, ...options.retry };
    this.logger = options.logger ?? console;
    this.namer = new QueueNamer(options.appName, options.queueNames);
    this.ownsClient = options.client === undefined;
    this.client = options.client ?? new SQSClient({ useQueueUrlAsEndpoint: false });
    this.urls = new QueueUrlResolver(
      this.client,
      this.namer,
      options.queueUrls ?? queueUrlsFromEnv(),
    );
  }

  /** The SQS queue name for `routingKey`. */
  queueName(routingKey: string): string {
    return this.namer.nameOf(routingKey);
  }

  /**
   * The dead-letter queues of this broker's routing keys (for `celeriac dlq`). A promise,
   * as from the broker an app makes in Node (LazySqsBroker), which loads the SDK first.
   */
  deadLetterQueues(): Promise<DeadLetterQueues> {
    return Promise.resolve(new DeadLetterQueues(this.client, this.namer, this.urls));
  }

  maxMessageBytes(_queue: string): number {
    return this.maxBytes;
  }

  /**
   * Checks every message (delay, size), then sends each queue's messages with
   * `SendMessageBatch`, 10 entries and at most 1 MiB a call, calls running concurrently.
   * Nothing is sent when a check fails or a queue does not exist.
   */
  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    const byQueue = new Map<string, OutgoingMessage[]>();
    for (const m of messages) {
      checkMessage(m, this.maxBytes, this.namer.nameOf(m.queue));
      const list = byQueue.get(m.queue) ?? [];
      list.push(m);
      byQueue.set(m.queue, list);
    }
    const queues = [...byQueue.keys()];
    const urls = await Promise.all(queues.map((q) => this.urls.urlOf(q)));
    const calls = queues.flatMap((q, i) =>
      toBatches(byQueue.get(q) ?? []).map((batch) => ({ queue: q, url: urls[i] as string, batch })),
    );
    const results = await settleWithLimit(calls, MAX_CONCURRENT_CALLS, (c) =>
      sendBatch(this.client, c.url, c.batch, this.retry),
    );
    const unsent: UnsentMessage[] = [];
    results.forEach((r, i) => {
      if (r.status === "fulfilled") unsent.push(...r.value);
      else {
        const reason = r.reason instanceof Error ? r.reason.message : String(r.reason);
        for (const message of calls[i]?.batch ?? [])
          unsent.push({ message, code: "Error", reason });
      }
    });
    for (const u of unsent) {
      if (!isQueueMissingCode(u.code)) continue;
      this.urls.forget(u.message.queue);
      u.reason = this.urls.unknownQueue(u.message.queue).message.replace(/\.$/, "");
    }
    if (unsent.length > 0) throw new SqsPublishError(unsent, messages.length);
  }

  /**
   * Long-polls `queue` with `ReceiveMessage`. An empty result is normal (and, on some
   * emulators, early when several polls wait on one queue). Resolves `[]` once closed.
   */
  async receive(queue: string, options: ReceiveOptions): Promise<ReceivedMessage[]> {
    if (this.closing.signal.aborted) return [];
    const QueueUrl = await this.urls.urlOf(queue);
    try {
      const out = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: options.maxMessages,
          WaitTimeSeconds: options.waitSeconds,
          MessageSystemAttributeNames: ["ApproximateReceiveCount"],
          ...(this.visibilityTimeout === undefined
            ? {}
            : { VisibilityTimeout: this.visibilityTimeout }),
        }),
        { abortSignal: this.closing.signal },
      );
      return (out.Messages ?? []).map((m) => ({
        messageId: m.MessageId ?? "",
        receiptHandle: m.ReceiptHandle ?? "",
        body: m.Body ?? "",
        receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? "1"),
      }));
    } catch (error) {
      if (this.closing.signal.aborted) return [];
      throw this.translate(queue, error);
    }
  }

  /**
   * Deletes received messages with `DeleteMessageBatch`, 10 a call.
   * @throws AckError listing the handles SQS did not delete (they will be delivered again).
   */
  async ack(queue: string, receiptHandles: readonly string[]): Promise<void> {
    if (receiptHandles.length === 0) return;
    const QueueUrl = await this.urls.urlOf(queue);
    const chunks: string[][] = [];
    for (let i = 0; i < receiptHandles.length; i += MAX_BATCH_ENTRIES) {
      chunks.push(receiptHandles.slice(i, i + MAX_BATCH_ENTRIES));
    }
    const results = await settleWithLimit(chunks, MAX_CONCURRENT_CALLS, async (handles) => {
      const out = await this.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl,
          Entries: handles.map((ReceiptHandle, i) => ({ Id: String(i), ReceiptHandle })),
        }),
      );
      return (out.Failed ?? []).map((f): AckFailure => ({
        receiptHandle: handles[Number(f.Id)] ?? "",
        code: f.Code ?? "Error",
        message: f.Message ?? "",
      }));
    });
    const failures: AckFailure[] = [];
    let cause: unknown;
    results.forEach((r, i) => {
      if (r.status === "fulfilled") failures.push(...r.value);
      else {
        cause = this.translate(queue, r.reason);
        const message = cause instanceof Error ? cause.message : String(cause);
        for (const receiptHandle of chunks[i] ?? []) {
          failures.push({ receiptHandle, code: "Error", message });
        }
      }
    });
    if (failures.length > 0) {
      const codes = [...new Set(failures.map((f) => `${f.code}: ${f.message}`))].join("; ");
      throw new AckError(
        `${failures.length} of ${receiptHandles.length} messages on queue '${queue}' were not deleted and will be delivered again: ${codes}.`,
        failures,
        { cause },
      );
    }
  }

  /**
   * Makes a received message visible again after `delaySeconds` with
   * `ChangeMessageVisibility`. A message no longer in flight is left alone.
   */
  async release(queue: string, receiptHandle: string, delaySeconds: number): Promise<void> {
    if (
      !Number.isInteger(delaySeconds) ||
      delaySeconds < 0 ||
      delaySeconds > MAX_VISIBILITY_SECONDS
    ) {
      throw new CeleriacError(
        `release() delaySeconds ${delaySeconds} must be a whole number from 0 to ${MAX_VISIBILITY_SECONDS}.`,
      );
    }
    const QueueUrl = await this.urls.urlOf(queue);
    try {
      await this.client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: delaySeconds,
        }),
      );
    } catch (error) {
      if (isNotInflight(error)) return;
      throw this.translate(queue, error);
    }
  }

  /**
   * How long a message received from `queue` stays hidden: the broker's
   * `visibilityTimeout` option, else the queue's own attribute (read once, then cached).
   */
  visibilityTimeoutOf(queue: string): Promise<number> {
    if (this.visibilityTimeout !== undefined) return Promise.resolve(this.visibilityTimeout);
    let known = this.visibility.get(queue);
    if (known === undefined) {
      known = this.readVisibilityTimeout(queue);
      this.visibility.set(queue, known);
      known.catch(() => this.visibility.delete(queue));
    }
    return known;
  }

  private async readVisibilityTimeout(queue: string): Promise<number> {
    const QueueUrl = await this.urls.urlOf(queue);
    try {
      const out = await this.client.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["VisibilityTimeout"] }),
      );
      return Number(out.Attributes?.VisibilityTimeout ?? "30");
    } catch (error) {
      throw this.translate(queue, error);
    }
  }

  /** Deletes every message in `queue` with `PurgeQueue`. SQS does not say how many. */
  async purge(queue: string): Promise<undefined> {
    const QueueUrl = await this.urls.urlOf(queue);
    try {
      await this.client.send(new PurgeQueueCommand({ QueueUrl }));
    } catch (error) {
      throw this.translate(queue, error);
    }
    return undefined;
  }

  /** Ends long polls in flight; destroys the client if this broker created it. */
  async close(): Promise<void> {
    this.closing.abort();
    if (this.ownsClient) this.client.destroy();
  }

  /**
   * Creates the queue of each routing key with its dead-letter queue (`<name>-dlq`) and
   * a redrive policy, for local emulators and `celeriac local up`; in AWS the CDK
   * construct does this. Idempotent. A queue that exists with other attributes is used
   * as it is, with one warning. Resolves routing key → queue URL, and caches the URLs.
   */
  /** The port's name for `ensureQueues()`. */
  async ensureResources(queues: readonly string[]): Promise<void> {
    await this.ensureQueues(queues);
  }

  async ensureQueues(
    routingKeys: readonly string[],
    options: EnsureQueuesOptions = {},
  ): Promise<Record<string, string>> {
    const resolved: Required<EnsureQueuesOptions> = {
      maxReceiveCount: options.maxReceiveCount ?? 5,
      visibilityTimeout: options.visibilityTimeout ?? this.visibilityTimeout ?? 180,
    };
    const keys = [...new Set(routingKeys)];
    const divergent: DivergentQueue[] = [];
    const urls: Record<string, string> = {};
    const results = await settleWithLimit(keys, 4, async (key) => {
      const url = await createQueueWithDlq(
        this.client,
        this.namer.nameOf(key),
        resolved,
        divergent,
      );
      this.urls.remember(key, url);
      urls[key] = url;
    });
    const failed = results.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
    if (divergent.length > 0) {
      this.logger.warn(
        `celeriac: ${divergent.length} SQS queue(s) already exist with other attributes and were left as they are: ${divergent
          .map((d) => `${d.queueName} (${d.reason})`)
          .join("; ")}`,
      );
    }
    return urls;
  }

  private translate(queue: string, error: unknown): unknown {
    if (!isQueueMissing(error)) return error;
    this.urls.forget(queue);
    return this.urls.unknownQueue(queue, error);
  }
}

function checkOptions(options: SqsBrokerOptions): void {
  const problems: string[] = [];
  const max = options.maxMessageBytes;
  if (max !== undefined && (!Number.isInteger(max) || max < 1024 || max > 1_048_576)) {
    problems.push(`maxMessageBytes ${max} must be a whole number from 1024 to 1048576`);
  }
  const vt = options.visibilityTimeout;
  if (vt !== undefined && (!Number.isInteger(vt) || vt < 0 || vt > MAX_VISIBILITY_SECONDS)) {
    problems.push(
      `visibilityTimeout ${vt} must be a whole number from 0 to ${MAX_VISIBILITY_SECONDS}`,
    );
  }
  const attempts = options.retry?.attempts;
  if (attempts !== undefined && (!Number.isInteger(attempts) || attempts < 1)) {
    problems.push(`retry.attempts ${attempts} must be a whole number of at least 1`);
  }
  if (problems.length > 0) {
    throw new ConfigurationError(`Invalid SQS broker options: ${problems.join("; ")}.`);
  }
}
