import { describe, expect, it } from "vitest";
import {
  type AsyncResult,
  CanvasError,
  type Chain,
  Chord,
  chain,
  chord,
  group,
} from "../../runtime/index.js";
import { runningMemoryApp } from "../support/memory-app.js";

const env = await runningMemoryApp();
const { app } = env;
const add = app.task("t.add", (x: number, y: number) => x + y);
const sub = app.task("t.sub", (x: number, y: number) => x - y);
const tsum = app.task("t.tsum", (xs: number[]) => xs.reduce((a, b) => a + b, 0));
const echo = app.task("t.echo", (...args: unknown[]) => args);
const T = { timeout: 10 };

describe("Composition rules", () => {
  it("flattens nested chains", () => {
    const c = chain(add.s(1, 1), chain(add.s(2), add.s(3)), add.s(4)) as Chain;
    expect(c.steps().map((s) => s.toString())).toEqual([
      "t.add(1, 1)",
      "t.add(2)",
      "t.add(3)",
      "t.add(4)",
    ]);
  });

  it("turns a group followed by a task into a chord", () => {
    const steps = (chain(add.s(1, 1), group(add.s(1), add.s(2)), tsum.s()) as Chain).steps();
    expect(steps).toHaveLength(2);
    expect(steps[1]).toBeInstanceOf(Chord);
  });

  it("makes group.pipe(sig) a chord, even for a group of one", () => {
    expect(group(add.s(1, 1), add.s(2, 2)).pipe(tsum.s())).toBeInstanceOf(Chord);
    expect(group(add.s(1, 1)).pipe(tsum.s())).toBeInstanceOf(Chord);
  });

  it("chains a step after a chord onto the chord's body", async () => {
    const c = chord([add.s(1, 1), add.s(2, 2)], tsum.s()).pipe(add.s(10));
    expect(c).toBeInstanceOf(Chord);
    expect(await (await c.delay()).get(T)).toBe(16);
  });

  it("unrolls a group of one inside a chain, so the next step gets a value, not a list", async () => {
    expect(await (await chain(group(add.s(1, 1)), add.s(2)).delay()).get(T)).toBe(4);
  });

  it("keeps a group of one a group when sent alone", async () => {
    const res = await group(add.s(1, 1)).delay();
    expect(await res.get(T)).toEqual([2]);
  });

  it("gives an empty result for an empty group, and calls an empty chord's body with []", async () => {
    expect(await (await group([]).delay()).get(T)).toEqual([]);
    expect(await (await chord([], echo.s("x")).delay()).get(T)).toEqual([[], "x"]);
  });

  it("prepends a group's partial args to every member: group(sub.s(1), sub.s(2)).delay(10)", async () => {
    expect(await (await group(sub.s(1), sub.s(2)).delay(10)).get(T)).toEqual([9, 8]);
  });

  it("returns a chord's header results in the order given, not completion order", async () => {
    const slow = app.task("t.slow", async (x: number, ms: number) => {
      await new Promise((r) => setTimeout(r, ms));
      return x;
    });
    const res = await chord([slow.s(1, 150), slow.s(2, 0), slow.s(3, 60)], echo.s()).delay();
    expect(await res.get(T)).toEqual([[1, 2, 3]]);
  });

  it("reads only the members still pending while a group result is joined", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slow = app.task("t.gated", async () => {
      await gate;
      return "late";
    });
    const res = await group(add.s(1, 1), add.s(2, 2), slow.s()).delay();
    const asked: string[][] = [];
    const getMany = env.backend.getMany.bind(env.backend);
    env.backend.getMany = (ids) => {
      asked.push([...ids]);
      return getMany(ids);
    };
    try {
      const joined = res.get(T);
      await expect.poll(() => asked.some((ids) => ids.length === 1)).toBe(true);
      release();
      expect(await joined).toEqual([2, 4, "late"]);
    } finally {
      env.backend.getMany = getMany;
    }
    const slowId = res.results[2]!.id;
    expect(asked.filter((ids) => ids.length === 1).every((ids) => ids[0] === slowId)).toBe(true);
  });

  it("skews a group's members over time, as chunks(...).group().skew() does", () => {
    const g = add
      .chunks(
        [
          [1, 1],
          [2, 2],
          [3, 3],
          [4, 4],
        ],
        1,
      )
      .group()
      .skew(1, 3);
    expect(g.tasks.map((t) => t.options.countdown)).toEqual([1, 2, 3, 3]);
  });

  it("links a group's errback to every member", async () => {
    const failed: string[] = [];
    const fail = app.task("t.fail", (): number => {
      throw new Error("member failed");
    });
    const log = app.task("t.logfail", (id: string) => {
      failed.push(id);
    });
    const g = group(fail.s(), fail.s());
    g.onError(log.s());
    const res = await g.delay();
    await expect(res.get(T)).rejects.toThrow("member failed");
    await expect.poll(() => failed.sort()).toEqual(res.results.map((r) => r.id).sort());
  });

  it("refuses links on a group and points to a chord", async () => {
    expect(() => group(add.s(1, 1)).link(tsum.s())).toThrow(CanvasError);
    await expect(group(add.s(1, 1)).applyAsync([], {}, { link: tsum.s() })).rejects.toThrow(
      /use a chord/,
    );
  });

  it("passes non-empty kwargs as one extra, last argument", async () => {
    const res = await echo.applyAsync([1, 2], { debug: true });
    expect(await res.get(T)).toEqual([1, 2, { debug: true }]);
    expect(await (await echo.s(1).delay()).get(T)).toEqual([1]);
  });

  it("ignores partial args on an immutable signature but still merges options", async () => {
    const s = add.si(2, 2);
    const res = await s.applyAsync([100], {}, { countdown: 0 });
    expect(await res.get(T)).toBe(4);
  });

  it("gives a frozen signature the id its result has", async () => {
    const s = add.s(1, 2);
    const frozen = s.freeze();
    const res = await s.delay();
    expect(res.id).toBe(frozen.id);
    expect(await frozen.get(T)).toBe(3);
  });

  it("runs apply() in this process, with callbacks, and sends nothing", async () => {
    const before = env.broker.publishedCount;
    const ok = await add.s(2, 2).apply();
    expect(await ok.get()).toBe(4);
    expect(await ok.state()).toBe("SUCCESS");
    const fails = app.task("t.fails", (): number => {
      throw new TypeError("eager failure");
    });
    const failed = await fails.s().apply();
    expect(await failed.state()).toBe("FAILURE");
    await expect(failed.get()).rejects.toThrow(TypeError);
    expect(env.broker.publishedCount).toBe(before);
  });

  it("writes a group's members under kwargs.tasks, as Celery does", () => {
    const json = group(add.s(1, 1), add.s(2, 2)).toJSON();
    expect(json.task).toBe("celery.group");
    expect(json.subtask_type).toBe("group");
    expect(json.kwargs).toEqual({ tasks: [add.s(1, 1).toJSON(), add.s(2, 2).toJSON()] });
  });
});

describe("Chain failure", () => {
  it("stops at the failed step, fails every later step with the same error, and runs the errback once", async () => {
    const boom = app.task("t.boom", (_x: number): number => {
      throw new RangeError("boom");
    });
    const seen: string[] = [];
    const record = app.task("t.record", (id: string) => {
      seen.push(id);
      return id;
    });
    const c = chain(add.s(1, 1), boom.s(), add.s(10), add.s(20));
    c.onError(record.s());
    const res = await c.delay();
    const error = await res.get(T).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe("boom");
    expect(await (res.parent as AsyncResult).state()).toBe("FAILURE");
    expect(await (res.parent!.parent as AsyncResult).state()).toBe("FAILURE");
    expect(await res.parent!.parent!.parent!.get(T)).toBe(2);
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]).toBe(res.parent!.parent!.id);
  });

  it("counts a chain inside a chord header that fails early, so the chord fails instead of hanging", async () => {
    const boom = app.task("t.boom2", (): number => {
      throw new Error("early");
    });
    const res = await chord([chain(boom.s(), add.si(1, 1)), add.s(2, 2)], tsum.s()).delay();
    await expect(res.get(T)).rejects.toThrow(/Dependency .* raised Error\('early'\)/);
  });
});
