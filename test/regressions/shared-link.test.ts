import { describe, expect, it } from "vitest";
import { chain } from "../../runtime/index.js";
import { runningMemoryApp } from "../support/memory-app.js";

const env = await runningMemoryApp();
const { app } = env;
const T = { timeout: 4 };

const add = app.task("rv.sl.add", (x: number, y: number) => x + y);
const boom = app.task("rv.sl.boom", () => {
  throw new Error("boom");
});
const seen: unknown[] = [];
const record = app.task("rv.sl.record", (x: unknown) => {
  seen.push(x);
  return x;
});
// every message consumed: no callback can run after this
const settle = () => env.drained();

describe("one callback signature used for several calls (Celery gives each callback its own id)", () => {
  it("applyAsync(..., { link: cb }) twice with the same cb runs the callback twice", async () => {
    seen.length = 0;
    const cb = record.s();
    const r1 = await add.applyAsync([1, 1], {}, { link: cb });
    const r2 = await add.applyAsync([2, 2], {}, { link: cb });
    await r1.get(T);
    await r2.get(T);
    await settle();
    expect(seen.sort()).toEqual([2, 4]);
  });

  it("applyAsync(..., { linkError: eb }) twice with the same eb runs the errback twice", async () => {
    seen.length = 0;
    const eb = record.s();
    const r1 = await boom.applyAsync([], {}, { linkError: eb });
    const r2 = await boom.applyAsync([], {}, { linkError: eb });
    await r1.get({ ...T, propagate: false });
    await r2.get({ ...T, propagate: false });
    await settle();
    expect(new Set(seen)).toEqual(new Set([r1.id, r2.id]));
  });

  it("a chain with a link, sent twice, runs its callback after each run", async () => {
    seen.length = 0;
    const c = chain(add.s(1, 1), add.s(10));
    c.link(record.s());
    const r1 = await c.delay();
    const r2 = await c.delay();
    await (r1 as { get(o: object): Promise<unknown> }).get(T);
    await (r2 as { get(o: object): Promise<unknown> }).get(T);
    await settle();
    expect(seen).toEqual([12, 12]);
  });
});
