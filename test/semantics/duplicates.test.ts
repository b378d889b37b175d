import { describe, expect, it } from "vitest";
import { chain, chord, group } from "../../runtime/index.js";
import { range, runningMemoryApp } from "../support/memory-app.js";

// Every message is delivered twice (two copies), as SQS may: results stay right and
// each chord body runs once.
const env = await runningMemoryApp({ broker: { deliverTwice: true } });
const { app } = env;
const runs = new Map<string, number>();
const count = (name: string) => runs.set(name, (runs.get(name) ?? 0) + 1);
const add = app.task("d.add", (x: number, y: number) => x + y);
const body = app.task("d.body", (xs: number[]) => {
  count("body");
  return xs.reduce((a, b) => a + b, 0);
});
const body2 = app.task("d.body2", (xs: number[]) => {
  count("body2");
  return xs.length;
});
const T = { timeout: 15 };

describe("Duplicate delivery on the memory broker", () => {
  it("leaves a chain of 8 with the right result", async () => {
    const res = await chain(add.s(1, 1), ...range(7).map(() => add.s(1))).delay();
    expect(await res.get(T)).toBe(9);
  });

  it("leaves a group of 20 with the right results", async () => {
    expect(await (await group(range(20).map((i) => add.s(i, i))).delay()).get(T)).toEqual(
      range(20).map((i) => 2 * i),
    );
  });

  it("runs a chord body of 30 members once", async () => {
    const res = await chord(
      range(30).map((i) => add.s(i, 1)),
      body.s(),
    ).delay();
    expect(await res.get(T)).toBe(range(30).reduce((a, i) => a + i + 1, 0));
    await new Promise((r) => setTimeout(r, 300));
    expect(runs.get("body")).toBe(1);
  });

  it("runs each body once for a chain that ends in a chord", async () => {
    const res = await chain(add.s(1, 1), group(range(5).map((i) => add.s(i))), body2.s()).delay();
    expect(await res.get(T)).toBe(5);
    await new Promise((r) => setTimeout(r, 300));
    expect(runs.get("body2")).toBe(1);
  });

  it("delivered every message twice", () => {
    expect(env.broker.publishedCount % 2).toBe(0);
    expect(env.broker.publishedCount).toBeGreaterThan(100);
  });
});
