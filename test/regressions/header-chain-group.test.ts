import { beforeEach, describe, expect, it } from "vitest";
import { chain, chord, group } from "../../runtime/index.js";
import { eventually } from "../support/emulators.js";
import { runningMemoryApp } from "../support/memory-app.js";

const env = await runningMemoryApp();
const { app } = env;
const T = { timeout: 5 };

let addsDone = 0;
const add = app.task("rv.hg.add", (x: number, y: number) => {
  addsDone++;
  return x + y;
});
// The header member that finishes last: it waits until the test's two adds have run.
const slow = app.task("rv.hg.slow", async (x: number) => {
  await eventually(
    async () => addsDone,
    (n) => n >= 2,
    { what: "two adds", intervalMs: 10 },
  );
  return x;
});
beforeEach(() => {
  addsDone = 0;
});
const collect = app.task("rv.hg.collect", (xs: unknown[]) => xs);

describe("Chord header members that are a chain ending in a group, or chunks", () => {
  it("is refused at once with a CanvasError that says why, and nothing is sent", async () => {
    const before = env.broker.publishedCount;
    await expect(
      chord([chain(add.s(1, 1), group(add.s(10), add.s(20))), slow.s(7)], collect.s()).delay(),
    ).rejects.toThrow(/header member 0 is a chain that ends in a group/);
    expect(env.broker.publishedCount).toBe(before);
  });

  it("chord header member that is chunks", async () => {
    const res = await chord(
      [
        add.chunks(
          [
            [1, 1],
            [2, 2],
          ],
          1,
        ),
        slow.s(7),
      ],
      collect.s(),
    ).delay();
    const value = await res.get(T);
    expect(JSON.stringify(value)).toMatch(/2.*4.*7/);
  });
});
