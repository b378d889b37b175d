import { describe, expect, it } from "vitest";
import { createWorkerHandler, type WorkerHandler } from "../../runtime/worker/worker-handler.js";
import { memoryApp, range } from "../support/memory-app.js";

const T = { timeout: 10 };

describe("Local worker: batches and deletes", () => {
  it("drains a backlog with at most `concurrency` batches in the handler at once", async () => {
    const env = await memoryApp();
    const add = env.app.task("lw.add", (x: number, y: number) => x + y);
    let running = 0;
    let most = 0;
    const inner = createWorkerHandler({ app: env.app, writeLine: () => {}, heartbeat: true });
    const handler: WorkerHandler = async (event, context) => {
      most = Math.max(most, ++running);
      try {
        return await inner(event, context);
      } finally {
        running--;
      }
    };
    const worker = env.app.worker({ concurrency: 3, waitSeconds: 0.2, handler });
    const results = await env.app.sendMany(range(95).map((i) => add.s(i, 1)));
    await worker.start();
    const values = await Promise.all(results.map((r) => r.get(T)));
    expect(values).toEqual(range(95).map((i) => i + 1));
    expect(most).toBeLessThanOrEqual(3);
    await worker.stop();
    expect(env.broker.depth("celery")).toBe(0);
    await env.close();
  });

  it("runs at most `concurrency` batches across all its queues, and serves every queue", async () => {
    const env = await memoryApp();
    const slow = env.app.task("lw.slow", async (x: number) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return x;
    });
    let running = 0;
    let most = 0;
    const served: string[] = [];
    const inner = createWorkerHandler({ app: env.app, writeLine: () => {}, heartbeat: true });
    const handler: WorkerHandler = async (event, context) => {
      most = Math.max(most, ++running);
      served.push(event.Records[0]!.eventSourceARN.split(":").at(-1)!);
      try {
        return await inner(event, context);
      } finally {
        running--;
      }
    };
    const results = await env.app.sendMany([
      ...range(30).map((i) => slow.s(i).set({ queue: "celery" })),
      ...range(30).map((i) => slow.s(100 + i).set({ queue: "lopri" })),
    ]);
    const worker = env.app.worker({ concurrency: 1, waitSeconds: 0.2, handler });
    expect(worker.queues).toEqual(["celery", "lopri"]);
    await worker.start();
    const values = await Promise.all(results.map((r) => r.get(T)));
    await worker.stop();
    expect(values).toEqual([...range(30), ...range(30).map((i) => 100 + i)]);
    expect(most).toBe(1);
    // both queues had batches before either was empty: neither waited for the other
    const firstLopri = served.indexOf("lopri");
    expect(firstLopri).toBeGreaterThan(-1);
    expect(served.slice(firstLopri).includes("celery")).toBe(true);
    await env.close();
  });

  it("waits in stop() for the delete of a batch whose results are stored", async () => {
    const env = await memoryApp();
    const add = env.app.task("lw.add2", (x: number, y: number) => x + y);
    const ack = env.broker.ack.bind(env.broker);
    let deleting = 0;
    env.broker.ack = async (queue, handles) => {
      deleting++;
      await new Promise((resolve) => setTimeout(resolve, 100));
      await ack(queue, handles);
    };
    const worker = env.app.worker({ concurrency: 2, waitSeconds: 0.2 });
    const results = await env.app.sendMany(range(10).map((i) => add.s(i, i)));
    await worker.start();
    await Promise.all(results.map((r) => r.get(T)));
    await expect.poll(() => deleting, T).toBeGreaterThan(0);
    await worker.stop();
    expect(env.broker.depth("celery")).toBe(0);
    await env.close();
  });
});
