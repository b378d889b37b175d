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
