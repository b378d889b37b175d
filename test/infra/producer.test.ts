import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handler, parseEvent } from "../../examples/producer/handler.js";
import { app } from "../../examples/proj/tasks.js";
import type { LocalWorker } from "../../runtime/index.js";

// The example producer Lambda on the embedded runtime (no CELERIAC_* variables in the
// test environment, so the seed's app uses memory://), with a local worker running.

describe("Function: parseEvent", () => {
  it("sends add(2, 2) for an empty event", () => {
    expect(parseEvent({})).toEqual({ add: [2, 2] });
    expect(parseEvent(undefined)).toEqual({ add: [2, 2] });
  });

  it("accepts the seed's chain as true or as steps", () => {
    expect(parseEvent({ chain: true })).toEqual({ chain: true });
    expect(parseEvent({ chain: [[4, 4], [8], [10]] })).toEqual({ chain: [[4, 4], [8], [10]] });
  });

  it("lists every problem of a bad event in one error", () => {
    expect(() => parseEvent({ add: [2], chain: [[1]], chord: 0, wait: -1, extra: 1 })).toThrow(
      "Bad producer event: unknown field 'extra'; add must be two numbers, e.g. [2, 2]; chain must be true or [[x, y], [m1], [m2], ...] (numbers); chord must be an integer from 1 to 1000; wait must be a number of seconds from 0 to 900.",
    );
    expect(() => parseEvent([1, 2])).toThrow("must be a JSON object");
  });
});

describe("Function: handler", () => {
  let worker: LocalWorker;
  beforeAll(async () => {
    worker = app.worker();
    await worker.start();
  });
  afterAll(() => worker.stop());

  it("returns the ids of add, the chain's last task and the chord's body", async () => {
    const out = await handler({ add: [2, 2], chain: true, chord: 10 });
    expect(Object.keys(out.ids).sort()).toEqual(["add", "chain", "chord"]);
    expect(out.results).toBeUndefined();
    expect(await app.asyncResult(out.ids.add!).get({ timeout: 10 })).toBe(4);
    expect(await app.asyncResult(out.ids.chain!).get({ timeout: 10 })).toBe(640);
    expect(await app.asyncResult(out.ids.chord!).get({ timeout: 10 })).toBe(90);
  });

  it("waits for the results when asked", async () => {
    const out = await handler({ add: [1, 2], chain: [[1, 1], [3]], wait: 10 });
    expect(out.results).toEqual({ add: 3, chain: 6 });
  });
});
