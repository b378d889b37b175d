import { describe, expect, it } from "vitest";
import { encodeRequest } from "../../runtime/message/envelope.js";
import { createWorkerHandler, toSqsEvent } from "../../runtime/index.js";
import { memoryApp } from "../support/memory-app.js";
import { taskRequest } from "../support/task-request.js";

describe("Function: createWorkerHandler (memory runtime)", () => {
  it("leases a claim for the invocation's remaining time plus a margin, no longer", async () => {
    const { app, backend } = await memoryApp();
    app.task("h.once", () => "ran", { once: true });
    const leases: number[] = [];
    const claim = backend.claim.bind(backend);
    backend.claim = (taskId, owner, leaseSeconds) => {
      leases.push(leaseSeconds);
      return claim(taskId, owner, leaseSeconds);
    };
    const handler = createWorkerHandler({ app, writeLine: () => {} });
    const body = encodeRequest(taskRequest({ task: "h.once" }));
    const event = toSqsEvent("celery", [
      { messageId: "m", receiptHandle: "r", body, receiveCount: 1 },
    ]);
    const response = await handler(event, { getRemainingTimeInMillis: () => 29_500 });
    expect(response.batchItemFailures).toEqual([]);
    expect(leases).toEqual([30 + 10]);
    await app.close();
  });

  it("creates the app once, on the first event, when given a factory", async () => {
    const { app } = await memoryApp();
    let built = 0;
    const handler = createWorkerHandler({
      app: () => {
        built++;
        return app;
      },
      writeLine: () => {},
      metrics: false,
    });
    expect(built).toBe(0);
    await handler({ Records: [] });
    await handler({ Records: [] });
    expect(built).toBe(1);
    await app.close();
  });
});
