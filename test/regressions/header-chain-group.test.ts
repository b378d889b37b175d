import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chain, chord, group } from "../../runtime/index.js";
import { memoryApp } from "../support/memory-app.js";

const env = await memoryApp();
const { app } = env;
beforeAll(() => env.start());
afterAll(() => env.close());
const T = { timeout: 5 };

const add = app.task("rv.hg.add", (x: number, y: number) => x + y);
const slow = app.task("rv.hg.slow", async (x: number) => {
  await new Promise((r) => setTimeout(r, 500));
  return x;
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
