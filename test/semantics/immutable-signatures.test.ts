import { describe, expect, it } from "vitest";
import { chain, chord, group, type AnySignature } from "../../runtime/index.js";
import { runningMemoryApp } from "../support/memory-app.js";

const env = await runningMemoryApp();
const { app } = env;
const add = app.task("im.add", (x: number, y: number) => x + y);
const tsum = app.task("im.tsum", (xs: number[]) => xs.reduce((a, b) => a + b, 0));
const seen: unknown[] = [];
const record = app.task("im.record", (value: unknown) => {
  seen.push(value);
  return null;
});
const T = { timeout: 10 };

/** What a signature is, in full: its dict form (children and options included). */
const snapshot = (sig: AnySignature) => JSON.stringify(sig.toJSON());

describe("Sending a signature never changes it (Celery users reuse signatures)", () => {
  it("sends the same task signature twice, each with an id of its own, unchanged", async () => {
    const sig = add.s(2, 2);
    const before = snapshot(sig);
    const [a, b] = [await sig.delay(), await sig.delay()];
    expect(a.id).not.toBe(b.id);
    expect([await a.get(T), await b.get(T)]).toEqual([4, 4]);
    expect(snapshot(sig)).toBe(before);
    expect(sig.id).toBeUndefined();
  });

  it("sends the same chain, group and chord twice, unchanged", async () => {
    const c = chain(add.s(1, 1), add.s(10));
    const g = group(add.s(1, 1), add.s(2, 2));
    const ch = chord([add.s(1, 1), add.s(2, 2)], tsum.s());
    const before = [c, g, ch].map(snapshot);
    for (let i = 0; i < 2; i++) {
      expect(await (await c.delay()).get(T)).toBe(12);
      expect(await (await g.delay()).get(T)).toEqual([2, 4]);
      expect(await (await ch.delay()).get(T)).toBe(6);
    }
    expect([c, g, ch].map(snapshot)).toEqual(before);
  });

  it("leaves a link callback as it was, frozen or not, after calls that link it", async () => {
    seen.length = 0;
    const plain = record.s();
    const frozen = record.s();
    const handle = frozen.freeze();
    const before = [plain, frozen].map(snapshot);
    await add.applyAsync([1, 1], {}, { link: [plain, frozen] });
    await add.applyAsync([2, 2], {}, { link: plain });
    await handle.get(T);
    await env.drained();
    expect([plain, frozen].map(snapshot)).toEqual(before);
    expect(seen.sort()).toEqual([2, 2, 4]);
  });

  it("refuses changes in place: args, kwargs and options are frozen", () => {
    const sig = add.s(1, 2).set({ countdown: 1 });
    expect(() => (sig.args as unknown[]).push(3)).toThrow(TypeError);
    expect(() => Object.assign(sig.kwargs, { x: 1 })).toThrow(TypeError);
    expect(() => Object.assign(sig.options, { queue: "lopri" })).toThrow(TypeError);
    expect(() => (sig.link(record.s()), (sig.options.link as AnySignature[]).pop())).toThrow(
      TypeError,
    );
    expect(sig.args).toEqual([1, 2]);
    expect(sig.options.countdown).toBe(1);
  });

  it("marks a copy of a chord body, never the caller's, and the mark cannot be changed", async () => {
    const body = tsum.s();
    const res = await chord([add.s(1, 1), add.s(2, 2)], body).delay();
    expect(await res.get(T)).toBe(6);
    expect(body.chordBody).toEqual({ size: undefined, idsDerived: false });
    expect(() => Object.assign(body.chordBody, { size: 5 })).toThrow(TypeError);
    expect(() => ((body as { chordBody: unknown }).chordBody = {})).toThrow(TypeError);
  });

  it("changes only through clone() (a copy) and set(), link(), onError() (this one)", () => {
    const sig = add.s(2);
    const copy = sig.clone({ args: [4], options: { queue: "lopri" } });
    expect(copy.args).toEqual([4, 2]);
    expect(copy.options.queue).toBe("lopri");
    expect(sig.args).toEqual([2]);
    expect(sig.options.queue).toBeUndefined();
    expect(sig.set({ countdown: 5 })).toBe(sig);
    expect(sig.options.countdown).toBe(5);
    const cb = record.s();
    expect(sig.link(cb)).toBe(cb);
    expect(sig.options.link).toEqual([cb]);
  });
});
