import { describe, expect, it } from "vitest";
import { AsyncResult, chain, chord, GroupResult } from "../../runtime/index.js";
import { runningMemoryApp } from "../support/memory-app.js";

const env = await runningMemoryApp();
const { app } = env;
const T = { timeout: 4 };

const add = app.task("rv.fz.add", (x: number, y: number) => x + y);
const xsum = app.task("rv.fz.xsum", (xs: number[]) => xs.reduce((a, b) => a + b, 0));

describe("ids fixed by freeze() are the ids sent", () => {
  it("chunks: freeze() then delay() resolves the frozen GroupResult", async () => {
    const c = add.chunks(
      [
        [1, 1],
        [2, 2],
      ],
      1,
    );
    const frozen = c.freeze();
    const sent = await c.delay();
    expect(sent.id).toBe(frozen.id);
    expect(await frozen.get(T)).toEqual([[2], [4]]);
  });

  it("chunks: options set on the chunks signature are kept (queue)", async () => {
    // the queue option must not be lost when the chunks signature is copied for sending
    const sentTo: string[] = [];
    const orig = env.broker.publish.bind(env.broker);
    env.broker.publish = async (ms) => {
      for (const m of ms) sentTo.push(m.queue);
      return orig(ms);
    };
    try {
      await add
        .chunks([[1, 1]], 1)
        .set({ queue: "lopri" })
        .delay();
    } finally {
      env.broker.publish = orig;
    }
    expect(sentTo).toEqual(["lopri"]);
  });

  it("chain(chord(h, b), c): the header GroupResult reached from the frozen result is the one sent", async () => {
    const c = chain(chord([add.s(1, 1), add.s(2, 2)], xsum.s()), add.s(1));
    const frozen = c.freeze() as unknown as AsyncResult;
    const sent = (await c.delay()) as unknown as AsyncResult;
    expect(sent.id).toBe(frozen.id);
    expect(await sent.get(T)).toBe(7);
    // walk back to the header group
    let node: unknown = frozen.parent;
    while (node && !(node instanceof GroupResult)) node = (node as AsyncResult).parent;
    expect(node).toBeInstanceOf(GroupResult);
    expect(await (node as GroupResult).get(T)).toEqual([2, 4]);
  });
});

describe("AsyncResult.parent of a chord whose body is a chain (Celery links the body's first task to the header)", () => {
  it("res.parent is the body chain's first task, and its parent the header", async () => {
    const res = (await chord(
      [add.s(1, 1), add.s(2, 2)],
      chain(xsum.s(), add.s(1)),
    ).delay()) as AsyncResult;
    expect(await res.get(T)).toBe(7);
    expect(res.parent).toBeInstanceOf(AsyncResult);
    expect(await (res.parent as AsyncResult).get(T)).toBe(6);
    expect((res.parent as AsyncResult).parent).toBeInstanceOf(GroupResult);
  });
});
