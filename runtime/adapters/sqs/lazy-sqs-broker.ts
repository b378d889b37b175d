import type { SQSClient } from "@aws-sdk/client-sqs";
import type {
  Broker,
  OutgoingMessage,
  ReceivedMessage,
  ReceiveOptions,
} from "../../ports/broker.js";
import type { DeadLetterQueues } from "./dead-letters.js";
import type { EnsureQueuesOptions } from "./ensure-queues.js";
import { SQS_MAX_MESSAGE_BYTES } from "./limits.js";
import { QueueNamer } from "./queue-names.js";
import { queueUrlsFromEnv } from "./queue-urls-env.js";
import type { SqsBroker } from "./sqs-broker.js";

/** What an app's `sqs://` URL gives the broker. */
export interface LazySqsBrokerOptions {
  /** Prefix of the queue names: routing key `k` uses queue `${appName}-${k}`. */
  appName: string;
  /** The app's own client (`sqsClient`), used as given. */
  client?: SQSClient;
}

/**
 * The broker an app makes from `sqs://` where Node loads the package itself
 * (aws-transports-on-demand.ts; a bundle gets {@link SqsBroker} directly). Its options
 * are checked, and its queues named, when the app is made; the AWS SDK (and the
 * {@link SqsBroker} that does the work) is loaded by the first request, or by
 * `prepare()`. So an app that is never asked to send or receive, and a process whose
 * apps all use `memory://`, never load the SDK.
 *
 * @example
 * const broker = new LazySqsBroker({ appName: "proj" }); // nothing loaded yet
 * await broker.publish([message]); // loads the SDK, then sends
 */
export class LazySqsBroker implements Broker {
  readonly description = "sqs://";
  private readonly options: LazySqsBrokerOptions;
  private readonly namer: QueueNamer;
  /** `CELERIAC_QUEUE_URLS` as it was when the app was made, as SqsBroker reads it then. */
  private readonly queueUrls: Record<string, string>;
  private broker: Promise<SqsBroker> | undefined;
  private closed = false;

  /** @throws ConfigurationError for an empty app name or a malformed `CELERIAC_QUEUE_URLS`. */
  constructor(options: LazySqsBrokerOptions) {
    this.namer = new QueueNamer(options.appName);
    this.queueUrls = queueUrlsFromEnv();
    this.options = options;
  }

  /**
   * The broker doing the work, made (and the SDK loaded) on the first call. Made after
   * `close()`, it is closed at once, so it answers as a closed SqsBroker does.
   */
  loaded(): Promise<SqsBroker> {
    this.broker ??= import("./sqs-broker.js").then(async ({ SqsBroker }) => {
      const broker = new SqsBroker({
        appName: this.options.appName,
        queueUrls: this.queueUrls,
        ...(this.options.client ? { client: this.options.client } : {}),
      });
      if (this.closed) await broker.close();
      return broker;
    });
    return this.broker;
  }

  /** Loads the SDK now, before the first request (a Lambda worker does so while it starts). */
  async prepare(): Promise<void> {
    await this.loaded();
  }

  queueName(routingKey: string): string {
    return this.namer.nameOf(routingKey);
  }

  maxMessageBytes(_queue: string): number {
    return SQS_MAX_MESSAGE_BYTES;
  }

  async endpoint(): Promise<string> {
    return (await this.loaded()).endpoint();
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    await (await this.loaded()).publish(messages);
  }

  async receive(queue: string, options: ReceiveOptions): Promise<ReceivedMessage[]> {
    return (await this.loaded()).receive(queue, options);
  }

  async ack(queue: string, receiptHandles: readonly string[]): Promise<void> {
    await (await this.loaded()).ack(queue, receiptHandles);
  }

  async release(queue: string, receiptHandle: string, delaySeconds: number): Promise<void> {
    await (await this.loaded()).release(queue, receiptHandle, delaySeconds);
  }

  async visibilityTimeoutOf(queue: string): Promise<number> {
    return (await this.loaded()).visibilityTimeoutOf(queue);
  }

  async purge(queue: string): Promise<undefined> {
    return (await this.loaded()).purge(queue);
  }

  async ensureResources(queues: readonly string[]): Promise<void> {
    await (await this.loaded()).ensureResources(queues);
  }

  /** See {@link SqsBroker.ensureQueues}. */
  async ensureQueues(
    routingKeys: readonly string[],
    options?: EnsureQueuesOptions,
  ): Promise<Record<string, string>> {
    return (await this.loaded()).ensureQueues(routingKeys, options);
  }

  /** The dead-letter queues of this broker's routing keys (for `celeriac dlq`). */
  async deadLetterQueues(): Promise<DeadLetterQueues> {
    return (await this.loaded()).deadLetterQueues();
  }

  /**
   * Closes the broker doing the work, if it was made (a load that failed left nothing to
   * close); one made later is closed as it is made.
   */
  async close(): Promise<void> {
    this.closed = true;
    const broker = await this.broker?.catch(() => undefined);
    await broker?.close();
  }
}
