import { createHash } from "node:crypto";
import type { ReceivedMessage } from "../ports/broker.js";
import type { SqsEvent } from "./sqs-event.js";
import { createWorkerHandler, type WorkerHandler } from "./worker-handler.js";
import type { WorkerHost } from "./worker-host.js";

/** Options of `app.worker()`. */
export interface LocalWorkerOptions {
  /** Routing keys to consume. @default every queue the app declares */
  queues?: string[];
  /** Batches (of up to 10 messages) in flight at once, across queues. @default 4 */
  concurrency?: number;
  /** Long-poll wait of each receive, in seconds. @default 1 */
  waitSeconds?: number;
  /** Receives the handler's log lines (JSON, one per task). @default silent */
  logLine?: (line: string) => void;
  /** The handler to call. @default `createWorkerHandler({ app })`, the one Lambda runs */
  handler?: WorkerHandler;
}

/**
 * Consumes the app's queues in this process, as Lambda's SQS event source mapping
 * does: long-polls each queue, builds the same SQS event from batches of up to 10,
 * calls the same handler, and deletes the records that succeeded. The handler releases
 * the records it reports failed to come back in 1, 2, 4 … s (after `maxReceiveCount`
 * receives they go to the dead-letter queue), and, unlike in Lambda, keeps running
 * records hidden with a visibility heartbeat, so a task longer than the queue's
 * visibility timeout is neither run twice nor dead-lettered while it runs. `stop()`
 * stops receiving and waits for the batches in flight.
 */
export class LocalWorker {
  readonly queues: string[];
  readonly concurrency: number;
  private readonly waitSeconds: number;
  private readonly handler: WorkerHandler;
  private readonly logLine: (line: string) => void;
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private freed: (() => void)[] = [];

  constructor(
    private readonly host: WorkerHost,
    options: LocalWorkerOptions = {},
  ) {
    this.queues = options.queues ?? host.router.queues;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.waitSeconds = options.waitSeconds ?? 1;
    this.logLine = options.logLine ?? (() => {});
    this.handler =
      options.handler ??
      createWorkerHandler({ app: host, writeLine: this.logLine, metrics: false, heartbeat: true });
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Starts consuming; resolves at once. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.loops = this.queues.map((q) => this.consume(q));
  }

  /** Stops receiving and waits for every batch in flight to finish. */
  async stop(): Promise<void> {
    this.running = false;
    for (const f of this.freed.splice(0)) f();
    await Promise.all(this.loops);
    await Promise.all([...this.inFlight]);
  }

  private async consume(queue: string): Promise<void> {
    while (this.running) {
      if (this.inFlight.size >= this.concurrency) {
        await new Promise<void>((resolve) => this.freed.push(resolve));
        continue;
      }
      let messages: ReceivedMessage[];
      try {
        messages = await this.host.broker.receive(queue, {
          maxMessages: 10,
          waitSeconds: this.waitSeconds,
        });
      } catch (error) {
        this.logLine(
          JSON.stringify({
            level: "ERROR",
            message: `receive from '${queue}' failed`,
            error: (error as Error).message,
          }),
        );
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (messages.length > 0) this.track(this.runBatch(queue, messages));
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => {
      this.inFlight.delete(work);
      this.freed.shift()?.();
    });
  }

  private async runBatch(queue: string, messages: ReceivedMessage[]): Promise<void> {
    let failed: Set<string>;
    try {
      const response = await this.handler(toSqsEvent(queue, messages));
      failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    } catch (error) {
      // As with Lambda, a handler that throws fails the whole batch.
      this.logLine(
        JSON.stringify({
          level: "ERROR",
          message: "handler failed; the batch will be delivered again",
          error: (error as Error).message,
        }),
      );
      return;
    }
    const done = messages.filter((m) => !failed.has(m.messageId)).map((m) => m.receiptHandle);
    if (done.length === 0) return;
    try {
      await this.host.broker.ack(queue, done);
    } catch (error) {
      this.logLine(
        JSON.stringify({
          level: "WARN",
          message: `delete on '${queue}' failed; those messages will be delivered again`,
          error: (error as Error).message,
        }),
      );
    }
  }
}

/** The SQS event Lambda would build for these messages. */
export function toSqsEvent(
  queue: string,
  messages: readonly ReceivedMessage[],
  region = process.env.AWS_REGION ?? "us-east-1",
): SqsEvent {
  return {
    Records: messages.map((m) => ({
      messageId: m.messageId,
      receiptHandle: m.receiptHandle,
      body: m.body,
      attributes: { ApproximateReceiveCount: String(m.receiveCount) },
      messageAttributes: {},
      md5OfBody: createHash("md5").update(m.body).digest("hex"),
      eventSource: "aws:sqs",
      eventSourceARN: `arn:aws:sqs:${region}:000000000000:${queue}`,
      awsRegion: region,
    })),
  };
}
