import type { ReceivedMessage } from "../ports/broker.js";
import { processMessages, type WorkerLogger } from "./batch.js";
import type { WorkerHost } from "./worker-host.js";

/** Options of `app.worker()`. */
export interface LocalWorkerOptions {
  /** Routing keys to consume. @default every queue the app declares */
  queues?: string[];
  /** Messages processed at once, across queues. @default 10 */
  concurrency?: number;
  /** Long-poll wait of each receive, in seconds. @default 1 */
  waitSeconds?: number;
  /** Receives one entry per finished task and per problem. @default silent */
  logger?: WorkerLogger;
}

/**
 * Consumes the app's queues in this process: receives up to 10 messages at a time,
 * runs them, deletes what succeeded, and leaves the rest to the visibility timeout.
 * `stop()` stops receiving and waits for the messages in flight.
 */
export class LocalWorker {
  readonly queues: string[];
  readonly concurrency: number;
  private readonly waitSeconds: number;
  private readonly log: WorkerLogger;
  private running = false;
  private loops: Promise<void>[] = [];
  private inFlight = new Set<Promise<void>>();
  private freed: (() => void)[] = [];

  constructor(
    private readonly host: WorkerHost,
    options: LocalWorkerOptions = {},
  ) {
    this.queues = options.queues ?? host.router.queues;
    this.concurrency = Math.max(1, options.concurrency ?? 10);
    this.waitSeconds = options.waitSeconds ?? 1;
    this.log = options.logger ?? (() => {});
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

  /** Stops receiving and waits for every message in flight to finish. */
  async stop(): Promise<void> {
    this.running = false;
    for (const f of this.freed.splice(0)) f();
    await Promise.all(this.loops);
    await Promise.all([...this.inFlight]);
  }

  private async consume(queue: string): Promise<void> {
    while (this.running) {
      const free = this.concurrency - this.inFlight.size;
      if (free <= 0) {
        await new Promise<void>((resolve) => this.freed.push(resolve));
        continue;
      }
      let messages: ReceivedMessage[];
      try {
        messages = await this.host.broker.receive(queue, {
          maxMessages: Math.min(10, free),
          waitSeconds: this.waitSeconds,
        });
      } catch (error) {
        this.log({
          level: "error",
          message: `receive from '${queue}' failed`,
          error: (error as Error).message,
        });
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      for (const m of messages) this.track(this.handle(queue, m));
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => {
      this.inFlight.delete(work);
      this.freed.shift()?.();
    });
  }

  private async handle(queue: string, m: ReceivedMessage): Promise<void> {
    const [result] = await processMessages(
      this.host,
      [{ messageId: m.messageId, body: m.body, receiveCount: m.receiveCount }],
      this.log,
    );
    if (!result?.ok) return;
    try {
      await this.host.broker.ack(queue, [m.receiptHandle]);
    } catch (error) {
      this.log({
        level: "warn",
        message: `ack on '${queue}' failed; the message will be delivered again`,
        error: (error as Error).message,
      });
    }
  }
}
