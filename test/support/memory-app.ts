import { randomUUID } from "node:crypto";
import {
  Celery,
  type CeleryOptions,
  MemoryBackend,
  MemoryBroker,
  type MemoryBrokerOptions,
} from "../../runtime/index.js";
import { afterAll, beforeAll } from "vitest";
import { eventually } from "./emulators.js";

/** A fresh app on new memory adapters, with its worker started; `close()` stops both. */
export async function memoryApp(
  options: {
    broker?: MemoryBrokerOptions;
    app?: Omit<CeleryOptions, "broker" | "backend">;
    concurrency?: number;
  } = {},
) {
  const broker = new MemoryBroker(options.broker);
  const backend = new MemoryBackend();
  const app = new Celery(`t${randomUUID().slice(0, 8)}`, {
    broker,
    backend,
    queues: ["celery", "lopri"],
    ...options.app,
  });
  const worker = app.worker({ concurrency: options.concurrency ?? 8, waitSeconds: 0.2 });
  return {
    app,
    broker,
    backend,
    worker,
    start: () => worker.start(),
    /**
     * Resolves once every queue of the app is empty (nothing visible, delayed or in
     * flight): no callback or later step can run after it.
     */
    drained: () =>
      eventually(
        async () => app.queues.reduce((sum, q) => sum + broker.depth(q), 0),
        (left) => left === 0,
        { what: `the queues of ${app.name} drained`, intervalMs: 20 },
      ),
    close: async () => {
      await worker.stop();
      await app.close();
    },
  };
}

/**
 * The header of a test file on one memory app: the app of `memoryApp(options)`, its
 * worker started before the file's tests and both closed after them.
 */
export async function runningMemoryApp(options: Parameters<typeof memoryApp>[0] = {}) {
  const env = await memoryApp(options);
  beforeAll(() => env.start());
  afterAll(() => env.close());
  return env;
}

export const range = (n: number) => [...Array(n).keys()];
export const zip = <A, B>(a: A[], b: B[]): [A, B][] => a.map((x, i) => [x, b[i]!]);
