import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { Broker, ReceivedMessage } from "../../runtime/ports/broker.js";
import { LocalWorker } from "../../runtime/worker/local-worker.js";
import type { WorkerHandler } from "../../runtime/worker/worker-handler.js";
import type { WorkerHost } from "../../runtime/worker/worker-host.js";

// The local worker's slots under every order of events: a broker and a handler whose
// promises a seeded scheduler settles, several in one turn and in shuffled order, so that
// receives, batches and deletes end together in ways a real broker only sometimes shows.

/** A small seeded generator (xorshift32): the same seed gives the same run. */
function seeded(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Settles, at each step, a random part of what is pending, in a random order. */
class Scheduler {
  private pending: (() => void)[] = [];
  constructor(readonly random: () => number) {}

  later<T>(value: () => T): Promise<T> {
    return new Promise((resolve) => this.pending.push(() => resolve(value())));
  }

  step(): void {
    const now = this.pending;
    this.pending = [];
    now.sort(() => this.random() - 0.5);
    for (const settle of now) {
      if (this.random() < 0.7) settle();
      else this.pending.push(settle);
    }
  }
}

async function run(seed: number, concurrency: number, queues: string[]) {
  const scheduler = new Scheduler(seeded(seed));
  let id = 0;
  let receives = 0;
  let running = 0;
  const most = { batches: 0, held: 0 };
  const note = () => {
    most.batches = Math.max(most.batches, running);
    most.held = Math.max(most.held, running + receives);
  };
  const broker = {
    receive: () => {
      receives++;
      note();
      return scheduler.later(() => {
        receives--;
        const r = scheduler.random();
        const size = r < 0.4 ? 0 : r < 0.7 ? 1 : 10;
        return Array.from({ length: size }, (): ReceivedMessage => ({
          messageId: String(id++),
          receiptHandle: "h",
          body: "{}",
          receiveCount: 1,
        }));
      });
    },
    ack: () => scheduler.later(() => undefined),
  } as unknown as Broker;
  const handler: WorkerHandler = async () => {
    running++;
    note();
    await scheduler.later(() => undefined);
    running--;
    return { batchItemFailures: [] };
  };
  const host = { broker, router: { queues } } as unknown as WorkerHost;
  const worker = new LocalWorker(host, { concurrency, handler });
  await worker.start();
  for (let i = 0; i < 300; i++) {
    await nextTurn();
    scheduler.step();
  }
  let stopped = false;
  void worker.stop().then(() => (stopped = true));
  for (let i = 0; i < 300 && !stopped; i++) {
    await nextTurn();
    scheduler.step();
  }
  return { ...most, stopped, received: id };
}

describe("Local worker: slots, whatever order events come in", () => {
  for (const [concurrency, queues] of [
    [1, ["a", "b"]],
    [2, ["a", "b", "c"]],
    [3, ["a", "b", "c", "d", "e"]],
  ] as const) {
    it(`holds at most ${concurrency} slot(s) with ${queues.length} queues, and stops`, async () => {
      for (let seed = 1; seed <= 12; seed++) {
        const result = await run(seed, concurrency, [...queues]);
        expect(result.stopped, `stop() resolved (seed ${seed})`).toBe(true);
        expect(result.held, `receives + batches at once (seed ${seed})`).toBeLessThanOrEqual(
          concurrency,
        );
        expect(result.received, `messages received (seed ${seed})`).toBeGreaterThan(0);
      }
    });
  }
});
