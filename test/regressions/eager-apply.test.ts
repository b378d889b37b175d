import { describe, expect, it } from "vitest";
import { chain, chord, group } from "../../runtime/index.js";
import { runningMemoryApp } from "../support/memory-app.js";

const env = await runningMemoryApp();
const { app } = env;

const add = app.task("rv.ea.add", (x: number, y: number) => x + y);
const mul = app.task("rv.ea.mul", (x: number, y: number) => x * y);
const xsum = app.task("rv.ea.xsum", (xs: number[]) => xs.reduce((a, b) => a + b, 0));

// API.md: "Each primitive has delay(), applyAsync() and apply()".
describe("apply() (eager) on canvas primitives", () => {
  it("chain(...).apply() runs the chain in this process", async () => {
    const res = await chain(add.s(4, 4), mul.s(8)).apply();
    expect(await res.get()).toBe(64);
  });

  it("group(...).apply() runs the members", async () => {
    const res = await group(add.s(2, 2), add.s(4, 4)).apply();
    expect(await res.get()).toEqual([4, 8]);
  });

  it("chord(...).apply() runs header and body", async () => {
    const res = await chord([add.s(1, 1), add.s(2, 2)], xsum.s()).apply();
    expect(await res.get()).toBe(6);
  });
});
