/** The longest delay a message can be given in one hop (SQS's DelaySeconds maximum). */
export const MAX_DELAY_SECONDS = 900;

/** A message ready to publish. */
export interface OutgoingMessage {
  /** The routing key: one queue per key. */
  queue: string;
  /** The encoded task message (JSON). */
  body: string;
  /** 0 to 900 seconds before the message becomes visible. */
  delaySeconds: number;
  /** For error messages: the task id and name the message carries. */
  taskId: string;
  taskName: string;
}

/** A message received from a queue by a local worker. */
export interface ReceivedMessage {
  messageId: string;
  /** Opaque handle to acknowledge (delete) or release the message. */
  receiptHandle: string;
  body: string;
  /** How many times this message has been received, this time included (1 on first delivery). */
  receiveCount: number;
}

export interface ReceiveOptions {
  /** 1 to 10. */
  maxMessages: number;
  /** Long-poll wait, 0 to 20 seconds. */
  waitSeconds: number;
}

/**
 * The broker port, in queue terms. Delivery is at least once: a received message that
 * is not acknowledged within the visibility timeout is delivered again, and any message
 * may occasionally be delivered twice.
 */
export interface Broker {
  /** A short description for banners and logs, e.g. `memory://` or `sqs://`. */
  readonly description: string;

  /**
   * Where it sends its requests, for the worker's banner: an endpoint URL (an emulator)
   * or `AWS (<region>)`. Absent for in-process transports.
   */
  endpoint?(): Promise<string>;

  /** The largest message body, in bytes, that `queue` accepts. */
  maxMessageBytes(queue: string): number;

  /**
   * Publishes messages, in batches where the transport has them. Rejects with a
   * `PublishError` naming the messages that were not sent when any could not be.
   */
  publish(messages: readonly OutgoingMessage[]): Promise<void>;

  /** Receives up to `maxMessages` visible messages, waiting up to `waitSeconds` for one. */
  receive(queue: string, options: ReceiveOptions): Promise<ReceivedMessage[]>;

  /** Acknowledges (deletes) received messages: their work is durable. */
  ack(queue: string, receiptHandles: readonly string[]): Promise<void>;

  /** Makes a received message visible again after `delaySeconds` (0 = now). */
  release(queue: string, receiptHandle: string, delaySeconds: number): Promise<void>;

  /**
   * Seconds a message received from `queue` stays hidden before it is delivered again.
   * Workers lease claims and time visibility heartbeats by it. @default 30 when absent
   */
  visibilityTimeoutOf?(queue: string): Promise<number>;

  /** The transport's name of the queue for `routingKey` (the last part of its ARN). @default the key */
  queueName?(routingKey: string): string;

  /** Deletes every message waiting in `queue`; resolves how many were removed, when known. */
  purge(queue: string): Promise<number | undefined>;

  /** Releases connections and timers. */
  close(): Promise<void>;

  /**
   * Loads what requests need (an SDK) ahead of the first one. A Lambda worker calls it
   * while its container starts, so that the first event does not wait for the load.
   */
  prepare?(): Promise<void>;

  /**
   * Creates what the queues need where that is the app's job (local emulators, tests):
   * each queue with its dead-letter queue. Idempotent. In AWS the CDK app owns them.
   */
  ensureResources?(queues: readonly string[]): Promise<void>;
}
