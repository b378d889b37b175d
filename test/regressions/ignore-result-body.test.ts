import { afterAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { executeRequest } from "../../runtime/worker/execute.js";
import { memoryApp } from "../support/memory-app.js";
import { taskRequest } from "../support/task-request.js";

const env = await memoryApp();
const { app } = env;
afterAll(() => env.close());

let runs = 0;
app.task(
  "rv.ir.notify",
  (_xs: unknown) => {
    runs++;
  },
  { ignoreResult: true },
);

describe("a chord body with ignoreResult runs once (DESIGN invariant 4)", () => {
  it("a second copy of the body, sent again by the dispatcher's redelivery after the first run's lease ran out, does not run it again", async () => {
    // The clock is the test's (no worker runs here): the lease runs out when it moves.
    vi.useFakeTimers({ toFake: ["Date"] });
    onTestFinished(() => void vi.useRealTimers());
    // The body message as completeChordMember sends it: claimed, with a fixed id.
    const body = taskRequest({ task: "rv.ir.notify", args: [[2, 4]], claim: true });
    // First run, in an invocation whose lease is short (Lambda: remaining time + 10 s).
    expect(await executeRequest(app, body, { receiveCount: 1, leaseSeconds: 0.05 })).toBe(
      "SUCCESS",
    );
    // The dispatcher member crashed before its message was deleted; after the visibility
    // timeout (6x the function timeout, longer than any lease) it re-publishes the body.
    vi.setSystemTime(Date.now() + 100);
    await executeRequest(app, body, { receiveCount: 1, leaseSeconds: 0.05 });
    expect(runs).toBe(1);
  });
});
