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

/** Messages asked for by each receive: SQS's most, and a full Lambda batch. */
const BATCH_SIZE = 10;

/**
 * Consumes the app's queues in this process, as Lambda's SQS event source mapping
 * does: long-polls each queue, builds the same SQS event from batches of up to 10,
 * calls the same handler, and deletes the records that succeeded. The handler releases
 * the records it reports failed to come back in 1, 2, 4 … s (after `maxReceiveCount`
 * receives they go to the dead-letter queue), and, unlike in Lambda, keeps running
 * records hidden with a visibility heartbeat, so a task longer than the queue's
 * visibility timeout is neither run twice nor dead-lettered while it runs. `stop()`
 * stops receiving and waits for the batches in flight.
 *
 * Each queue has one long poll. While a queue has a backlog (a receive came back full),
 * further receives run beside it, one per free batch slot, as the event source mapping
 * adds pollers; each of them ends at the first receive that is not full, so an idle
 * queue costs one poll. A full batch holds its slot while the handler runs; the delete of
 * its done records (the event source mapping's work in Lambda) runs after the slot is free.
 */
export class LocalWorker {
  readonly queues: string[];
  readonly concurrency: number;
  private readonly waitSeconds: number;
  private readonly handler: WorkerHandler;
  private readonly logLine: (line: string) => void;
  private running = false;
  private loops: Promise<void>[] = [];
  /** Batches whose handler is running: each holds a slot. */
  private readonly inFlight = new Set<Promise<void>>();
  /** Work that holds no slot but that `stop()` waits for: deletes, and the backlog's receives. */
  private readonly trailing = new Set<Promise<void>>();
  /** Receives in flight, the long polls included: each may bring a batch that needs a slot. */
  private receives = 0;
  /** Long polls waiting for a slot, longest first; each is told whether it got one. */
  private readonly waiting: ((granted: boolean) => void)[] = [];
  /** Slots given to a waiting long poll that has not started its receive yet. */
  private granted = 0;

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

  /** Stops receiving and waits for every batch in flight, and its delete, to finish. */
  async stop(): Promise<void> {
    this.running = false;
    for (const wake of this.waiting.splice(0)) wake(false);
    await Promise.all(this.loops);
    while (this.inFlight.size > 0 || this.trailing.size > 0) {
      await Promise.all([...this.inFlight, ...this.trailing]);
    }
  }

  /**
   * The long poll of `queue`: waits for a free slot, receives, hands the batch on. Every
   * running batch and every receive in flight (another queue's long poll too) holds a
   * slot, so the queues together never run more than `concurrency` batches; a poll that
   * must wait queues behind those already waiting, so no queue starves.
   */
  private async consume(queue: string): Promise<void> {
    while (this.running) {
      if (this.waiting.length > 0 || !this.hasSpareSlot()) {
        const granted = await new Promise<boolean>((resolve) => this.waiting.push(resolve));
        if (!granted) continue;
        // the slot given passes to the receive, in the same turn (or back, when stopping)
        this.granted--;
        if (!this.running) break;
      }
      // a receive holds its slot until its batch does, in the turn the receive returns in
      this.receives++;
      const messages = await this.receive(queue, this.waitSeconds);
      this.receives--;
      if (messages !== undefined) this.dispatch(queue, messages);
      this.grantSlots();
      if (messages === undefined) await new Promise((r) => setTimeout(r, 1000));
    }
  }

  /** Gives each free slot to the long poll that has waited longest. */
  private grantSlots(): void {
    while (this.waiting.length > 0 && this.hasSpareSlot()) {
      this.granted++;
      this.waiting.shift()!(true);
    }
  }

  /**
   * A receive beside the long poll while `queue` has a backlog: it takes a free slot for
   * the batch it brings, and ends when a receive is not full or no slot is free.
   */
  private async drainBacklog(queue: string): Promise<void> {
    while (this.running && this.hasSpareSlot()) {
      this.receives++;
      const messages = await this.receive(queue, 0);
      this.receives--;
      if (messages !== undefined) this.dispatch(queue, messages);
      // its slot is the batch's now, or free again for a poll waiting for one
      this.grantSlots();
      if (messages === undefined || messages.length < BATCH_SIZE) return;
    }
  }

  /**
   * A slot free beyond those of the running batches, of the receives in flight and of the
   * polls given one.
   */
  private hasSpareSlot(): boolean {
    return this.inFlight.size + this.receives + this.granted < this.concurrency;
  }

  /**
   * One receive of up to a batch; `undefined` when it failed (and was logged). The caller
   * counts it in `receives` until the turn it resumes in, where the batch takes the slot.
   */
  private async receive(
    queue: string,
    waitSeconds: number,
  ): Promise<ReceivedMessage[] | undefined> {
    try {
      return await this.host.broker.receive(queue, { maxMessages: BATCH_SIZE, waitSeconds });
    } catch (error) {
      this.logLine(
        JSON.stringify({
          level: "ERROR",
          message: `receive from '${queue}' failed`,
          error: (error as Error).message,
        }),
      );
      return undefined;
    }
  }

  /** Runs a received batch in a slot; a full batch starts a backlog receive beside it. */
  private dispatch(queue: string, messages: ReceivedMessage[]): void {
    if (messages.length === 0) return;
    this.track(this.inFlight, this.runBatch(queue, messages));
    if (messages.length >= BATCH_SIZE && this.hasSpareSlot()) {
      this.track(this.trailing, this.drainBacklog(queue));
    }
  }

  private track(set: Set<Promise<void>>, work: Promise<void>): void {
    set.add(work);
    void work.finally(() => {
      set.delete(work);
      if (set === this.inFlight) this.grantSlots();
    });
  }

  /** Calls the handler, then deletes the records that succeeded. */
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
    // A full batch frees its slot for the backlog at once; a partial one keeps it through
    // the delete, so that the next receive has longer to gather a fuller batch.
    if (messages.length >= BATCH_SIZE) this.track(this.trailing, this.ack(queue, done));
    else await this.ack(queue, done);
  }

  private async ack(queue: string, receiptHandles: string[]): Promise<void> {
    try {
      await this.host.broker.ack(queue, receiptHandles);
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
      // computed when read: the handler never reads it
      get md5OfBody() {
        return createHash("md5").update(m.body).digest("hex");
      },
      eventSource: "aws:sqs",
      eventSourceARN: `arn:aws:sqs:${region}:000000000000:${queue}`,
      awsRegion: region,
    })),
  };
}
