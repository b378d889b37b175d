import { describe, expect, it } from "vitest";
import { chord, type TaskContext } from "../../runtime/index.js";
import { runningMemoryApp } from "../support/memory-app.js";

const env = await runningMemoryApp();
const { app } = env;
const T = { timeout: 8 };

describe("retry of a claimed task (once: true, chord bodies)", () => {
  it("a once:true task that retries still finishes (its retry is not dropped as a duplicate)", async () => {
    const seen: number[] = [];
    const flaky = app.task(
      "rv.once.flaky",
      function (this: TaskContext) {
        seen.push(this.request.retries);
        if (this.request.retries < 1) this.retry({ countdown: 0.2, exc: new Error("not yet") });
        return "ok";
      },
      { bind: true, once: true },
    );
    const res = await flaky.delay();
    expect(await res.get(T)).toBe("ok");
    expect(seen).toEqual([0, 1]);
  });

  it("a chord body that retries still finishes", async () => {
    const add = app.task("rv.cb.add", (x: number, y: number) => x + y);
    const flakySum = app.task(
      "rv.cb.flakySum",
      function (this: TaskContext, xs: number[]) {
        if (this.request.retries < 1) this.retry({ countdown: 0.2, exc: new Error("not yet") });
        return xs.reduce((a, b) => a + b, 0);
      },
      { bind: true },
    );
    const res = await chord([add.s(1, 1), add.s(2, 2)], flakySum.s()).delay();
    expect(await res.get(T)).toBe(6);
  });
});
