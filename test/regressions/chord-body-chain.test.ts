import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chain, chord, group } from "../../runtime/index.js";
import { memoryApp } from "../support/memory-app.js";

const env = await memoryApp();
const { app } = env;
beforeAll(() => env.start());
afterAll(() => env.close());
const T = { timeout: 8 };

const add = app.task("rv.cc.add", (x: number, y: number) => x + y);
const slow = app.task("rv.cc.slow", async (x: number) => {
  await new Promise((r) => setTimeout(r, 800));
  return x;
});
const collect = app.task("rv.cc.collect", (xs: unknown[]) => xs);
const ident = app.task("rv.cc.ident", (x: unknown) => x);

describe("chord whose body is a chain (chord_size survives re-hydration)", () => {
  it("chord([chain(a, b), slow], chain(collect, ident)) gets both header results", async () => {
    const res = await chord(
      [chain(add.s(1, 1), add.s(1)), slow.s(7)],
      chain(collect.s(), ident.s()),
    ).delay();
    expect(await res.get(T)).toEqual([3, 7]);
  });

  it("the same through chain(group(...), collect, ident)", async () => {
    const res = await chain(
      group(chain(add.s(1, 1), add.s(1)), slow.s(7)),
      collect.s(),
      ident.s(),
    ).delay();
    expect(await res.get(T)).toEqual([3, 7]);
  });

  it("nested chord in a header, outer body a chain", async () => {
    const res = await chord(
      [chord([add.s(1, 1), add.s(2, 2)], collect.s()), slow.s(7)],
      chain(collect.s(), ident.s()),
    ).delay();
    expect(await res.get(T)).toEqual([[2, 4], 7]);
  });
});
