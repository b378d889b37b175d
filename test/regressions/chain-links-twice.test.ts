import { describe, expect, it } from "vitest";
import { chain, group } from "../../runtime/index.js";
import { runningMemoryApp } from "../support/memory-app.js";

const env = await runningMemoryApp();
const { app } = env;
const T = { timeout: 5 };

const add = app.task("rv.lk.add", (x: number, y: number) => x + y);
const boom = app.task("rv.lk.boom", () => {
  throw new Error("boom");
});
const calls: string[] = [];
const record = app.task("rv.lk.record", (tag: unknown, label: string) => {
  calls.push(`${label}:${String(tag)}`);
  return null;
});
// every message consumed: no callback can run after this
const settle = () => env.drained();

describe("a chain's link/linkError are attached once, however often it is planned", () => {
  it("freeze() then delay(): the chain's link callback runs once", async () => {
    calls.length = 0;
    const c = chain(add.s(1, 1), add.s(1));
    c.link(record.s("freeze-link"));
    c.freeze();
    const res = await c.delay();
    expect(await res.get(T)).toBe(3);
    await settle();
    expect(calls).toEqual(["freeze-link:3"]);
  });

  it("a chain with an errback nested in a group at the end of a chain: errback runs once", async () => {
    calls.length = 0;
    const inner = chain(add.s(1), boom.si()).onError(record.s("nested-eb"));
    const res = await chain(add.s(1, 1), group(inner, add.s(5))).delay();
    await (res as unknown as { get(o: object): Promise<unknown> })
      .get({ ...T, propagate: false })
      .catch(() => undefined);
    await settle();
    expect(calls.filter((c) => c.startsWith("nested-eb"))).toHaveLength(1);
  });

  it("JSON round trip of a frozen chain with an errback: errback runs once", async () => {
    calls.length = 0;
    const c = chain(add.s(1, 1), boom.si()).onError(record.s("json-eb"));
    c.freeze();
    const again = (await import("../../runtime/index.js")).Signature.fromJSON(
      JSON.parse(JSON.stringify(c.toJSON())),
      app,
    );
    const res = await again.delay();
    await (res as { get(o: object): Promise<unknown> }).get({ ...T, propagate: false });
    await settle();
    expect(calls.filter((c) => c.startsWith("json-eb"))).toHaveLength(1);
  });
});
