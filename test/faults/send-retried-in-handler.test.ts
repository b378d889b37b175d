import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chain } from "../../runtime/index.js";
import { localAwsTarget } from "../support/emulators.js";
import { type FaultEnv, faultEnv } from "../support/faults/fault-env.js";
import { RunCounts, registerFaultTasks } from "../support/faults/workflows.js";

// Regression: a worker's SendMessageBatch that failed with a 500 came back as an
// SqsPublishError that hid the SDK error, so it was not seen as transient: the record was
// reported failed and redelivered (1, 2, 4 … s each time) instead of being sent again
// at once by the handler's own retry.
describe("A successor send that fails with a 500", () => {
  let env: FaultEnv;
  const lines: { message?: string; id?: string }[] = [];
  let draws = 0;

  beforeAll(async () => {
    env = await faultEnv(localAwsTarget(), {
      suite: "send retried in the handler",
      sqs: { failWhole: 0.5 },
      // the worker's first send fails whole; nothing else is injected
      random: () => (draws++ === 0 ? 0 : 0.99),
      logLine: (line) => lines.push(JSON.parse(line) as { message?: string }),
    });
    registerFaultTasks(env.worker.app, new RunCounts());
    await env.worker.worker.start();
  });
  afterAll(() => env?.close());

  it("is sent again inside the handler: the record is not redelivered", async () => {
    const tasks = registerFaultTasks(env.producer, new RunCounts());
    const res = await chain(tasks.add.s(1, 1), tasks.add.s(2)).delay();
    expect(await res.get({ timeout: 30 })).toBe(4);
    expect(env.log.counts.get("send-failed")).toBe(1);
    expect(lines.filter((l) => l.message === "task message will be delivered again")).toEqual([]);
  });
});
