import { describe, expect, it } from "vitest";
import { type AsyncResult, chain } from "../../runtime/index.js";
import { runningMemoryApp } from "../support/memory-app.js";

const env = await runningMemoryApp();
const { app } = env;

let release!: () => void;
const gate = new Promise<void>((r) => {
  release = r;
});
let started = false;
const quietSlow = app.task(
  "rv.ri.quietSlow",
  async () => {
    started = true;
    await gate;
    return 1;
  },
  { ignoreResult: true },
);
const ran: unknown[] = [];
const after = app.task("rv.ri.after", (x: unknown) => {
  ran.push(x);
  return x;
});

describe("revoke while running discards successors (API: 'its result and successors are discarded')", () => {
  it("also for an ignoreResult task", async () => {
    const res = (await chain(quietSlow.s(), after.s()).delay()) as AsyncResult;
    await expect.poll(() => started, { timeout: 4 }).toBe(true);
    await (res.parent as AsyncResult).revoke();
    release();
    const outcome = await res.get({ timeout: 4, propagate: false });
    expect(ran).toEqual([]);
    expect(await res.state()).toBe("REVOKED");
    expect(outcome).toBeInstanceOf(Error);
  });
});
