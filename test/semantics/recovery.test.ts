import { describe, expect, it, onTestFinished } from "vitest";
import { createWorkerHandler, type SqsEvent, toSqsEvent } from "../../runtime/index.js";
import { encodeRequest } from "../../runtime/message/envelope.js";
import type { TerminalMeta } from "../../runtime/ports/task-meta.js";
import { memoryApp } from "../support/memory-app.js";
import { taskRequest } from "../support/task-request.js";

/** An error shaped like the SDK's for a throttled DynamoDB request. */
function throttled(): Error {
  return Object.assign(new Error("Rate of requests exceeds the allowed throughput."), {
    name: "ThrottlingException",
    $fault: "client",
    $metadata: { httpStatusCode: 400 },
    $retryable: { throttling: true },
  });
}

/** A fresh memory app (no worker running) with `h.add` registered, closed after the test. */
async function appWithAdd() {
  const env = await memoryApp();
  onTestFinished(() => env.close());
  env.app.task("h.add", (x: number, y: number) => x + y);
  return env;
}

function eventFor(...requests: { id: string; body: string; receiveCount?: number }[]): SqsEvent {
  return toSqsEvent(
    "celery",
    requests.map((r) => ({
      messageId: `m-${r.id}`,
      receiptHandle: `rh-${r.id}`,
      body: r.body,
      receiveCount: r.receiveCount ?? 1,
    })),
  );
}

describe("Recovery inside the handler", () => {
  it("retries a throttled terminal write in the handler: the record succeeds in this delivery", async () => {
    const { app, backend } = await appWithAdd();
    const store = backend.storeTerminal.bind(backend);
    let failures = 2;
    backend.storeTerminal = (meta: TerminalMeta) => {
      if (failures-- > 0) return Promise.reject(throttled());
      return store(meta);
    };
    const req = taskRequest({ task: "h.add", args: [2, 2] });
    const handler = createWorkerHandler({ app, writeLine: () => {}, metrics: false });
    const response = await handler(eventFor({ id: req.id, body: encodeRequest(req) }));
    expect(response.batchItemFailures).toEqual([]);
    expect(await app.asyncResult(req.id).get({ timeout: 1 })).toBe(4);
  });

  it("releases a record whose write kept failing to come back in 1, 2, 4 … s by receive count", async () => {
    const { app, backend, broker } = await appWithAdd();
    backend.storeTerminal = () => Promise.reject(throttled());
    const released: [string, string, number][] = [];
    broker.release = async (queue, handle, delay) => {
      released.push([queue, handle, delay]);
    };
    const handler = createWorkerHandler({ app, writeLine: () => {}, metrics: false });
    const reqs = [1, 3, 20].map((receiveCount) => ({
      req: taskRequest({ task: "h.add", args: [1, receiveCount] }),
      receiveCount,
    }));
    // the invocation has 2.5 s left: the handler's own retries stop in time to release
    const response = await handler(
      eventFor(
        ...reqs.map(({ req, receiveCount }) => ({
          id: req.id,
          body: encodeRequest(req),
          receiveCount,
        })),
      ),
      { getRemainingTimeInMillis: () => 2_500 },
    );
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      reqs.map(({ req }) => `m-${req.id}`).sort(),
    );
    expect(released.sort((a, b) => a[2] - b[2])).toEqual([
      ["celery", `rh-${reqs[0]!.req.id}`, 1],
      ["celery", `rh-${reqs[1]!.req.id}`, 4],
      ["celery", `rh-${reqs[2]!.req.id}`, 60],
    ]);
  });
});

describe("The worker's log lines", () => {
  it("logs a retry at WARN and the failure after the last retry at ERROR, with the traceback", async () => {
    const { app } = await appWithAdd();
    app.task(
      "h.flaky",
      (): number => {
        throw new RangeError("not yet");
      },
      { autoretryFor: [RangeError], maxRetries: 1, defaultRetryDelay: 5 },
    );
    const lines: Record<string, unknown>[] = [];
    const handler = createWorkerHandler({
      app,
      writeLine: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
      metrics: false,
    });
    const first = taskRequest({ task: "h.flaky" });
    await handler(eventFor({ id: first.id, body: encodeRequest(first) }));
    const last = { ...first, retries: 1 };
    await handler(eventFor({ id: `${first.id}-1`, body: encodeRequest(last) }));
    expect(lines).toEqual([
      expect.objectContaining({
        level: "WARN",
        message: `Task h.flaky[${first.id}] retry: Retry in 5s: RangeError('not yet')`,
        state: "RETRY",
        traceback: expect.stringContaining("RangeError: not yet"),
      }),
      expect.objectContaining({
        level: "ERROR",
        message: expect.stringMatching(
          new RegExp(String.raw`^Task h\.flaky\[${first.id}\] raised unexpected: \w+Error\(`),
        ),
        state: "FAILURE",
        traceback: expect.any(String),
      }),
    ]);
  });
});
