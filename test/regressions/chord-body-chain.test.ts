import { beforeEach, describe, expect, it } from "vitest";
import { chain, chord, group } from "../../runtime/index.js";
import { eventually } from "../support/emulators.js";
import { runningMemoryApp } from "../support/memory-app.js";

const env = await runningMemoryApp();
const { app } = env;
const T = { timeout: 8 };

let addsDone = 0;
const add = app.task("rv.cc.add", (x: number, y: number) => {
  addsDone++;
  return x + y;
});
// The header member that finishes last: it waits until the test's two adds have run.
const slow = app.task("rv.cc.slow", async (x: number) => {
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
