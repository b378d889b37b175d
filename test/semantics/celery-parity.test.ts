import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chain, ConfigurationError, chord, GroupResult, group } from "../../runtime/index.js";
import { memoryApp } from "../support/memory-app.js";

const env = await memoryApp();
const { app } = env;
const add = app.task("p.add", (x: number, y: number) => x + y);
const xsum = app.task("p.xsum", (xs: number[]) => xs.reduce((a, b) => a + b, 0));
const quiet = app.task("p.quiet", (x: number) => x * 2, { ignoreResult: true });
const quietSum = app.task("p.quietSum", (xs: number[]) => xs.reduce((a, b) => a + b, 0), {
  ignoreResult: true,
});
// A second app made after the first: it is now the "current" app.
const other = await memoryApp();
const otherAdd = other.app.task("q.add", (x: number, y: number) => x + y);
beforeAll(async () => {
  await env.start();
  await other.start();
});
afterAll(async () => {
  await env.close();
  await other.close();
});
const T = { timeout: 10 };

describe("Celery parity: parents through a chord in a chain", () => {
  it("gives the body the header's GroupResult as parent, and the header the step before", async () => {
    const res = await chain(add.s(1, 1), group(add.s(1), add.s(2)), xsum.s()).delay();
    expect(await res.get(T)).toBe(3 + 4);
    const header = res.parent;
    expect(header).toBeInstanceOf(GroupResult);
    expect(await (header as GroupResult).get(T)).toEqual([3, 4]);
    const first = header!.parent;
    expect(first).toBeDefined();
    expect(await (first as { get(o: object): Promise<unknown> }).get(T)).toBe(2);
    expect(first!.parent).toBeUndefined();
  });

  it("keeps a chord's header as its body's parent when the chord is the chain's first step", async () => {
    const res = await chain(chord([add.s(1, 1), add.s(2, 2)], xsum.s()), add.s(10)).delay();
    expect(await res.get(T)).toBe(16);
    const body = res.parent!;
    expect(body.parent).toBeInstanceOf(GroupResult);
  });
});

describe("Celery parity: ignored results", () => {
  it("resolves get() of a task declared with ignoreResult at once, with null", async () => {
    const res = await quiet.delay(2);
    expect(res.ignored).toBe(true);
    // without the ignored flag this would wait the whole timeout and reject
    expect(await res.get({ timeout: 5 })).toBeNull();
  });

  it("resolves get() of a call sent with ignoreResult at once, with null", async () => {
    const res = await add.applyAsync([1, 2], {}, { ignoreResult: true });
    expect(res.ignored).toBe(true);
    expect(await res.get({ timeout: 5 })).toBeNull();
  });

  it("still waits for a chord body declared with ignoreResult: the body stores its state", async () => {
    const res = await chord([add.s(1, 1), add.s(2, 2)], quietSum.s()).delay();
    expect(res.ignored).toBe(false);
    expect(await res.get(T)).toBe(6);
  });
});

describe("Celery parity: a canvas sends through the app of its tasks", () => {
  it("sends a chain, a group and a chord of the first app's tasks through that app, not the current one", async () => {
    expect(await (await chain(add.s(1, 1), add.s(2)).delay()).get(T)).toBe(4);
    expect(await (await group(add.s(1, 1), add.s(2, 2)).delay()).get(T)).toEqual([2, 4]);
    expect(await (await chord([add.s(1, 1)], xsum.s()).delay()).get(T)).toBe(2);
    expect(await (await chain(otherAdd.s(1, 1), otherAdd.s(3)).delay()).get(T)).toBe(5);
  });
});

describe("Celery parity: one function per task name", () => {
  it("refuses to register a second task under a name the app has", () => {
    expect(() => app.task("p.add", (x: number) => x)).toThrow(ConfigurationError);
    expect(() => app.task("p.add", (x: number) => x)).toThrow(
      `app.task('p.add'): a task named 'p.add' is registered in app '${app.name}' already.`,
    );
    // the first registration is the one that runs
    expect(add(2, 3)).toBe(5);
  });
});

describe("Options: one table, and the internal ones kept for Celeriac", () => {
  it("refuses in set() and in a call the options Celeriac sets itself, naming them", async () => {
    expect(() => add.s(1, 1).set({ groupId: "g" } as never)).toThrow(
      /^Signature p\.add: 'groupId' is set by Celeriac while it plans a canvas, not by callers\. Options you can set: countdown, eta, expires, queue, taskId, link, linkError, retries, ignoreResult, priority\.$/,
    );
    await expect(add.applyAsync([1, 1], {}, { rootId: "r", claim: true } as never)).rejects.toThrow(
      "p.add.applyAsync(): 'rootId', 'claim' are set by Celeriac",
    );
  });

  it("passes a group's call options on to its members, but not its own id", async () => {
    const res = await group(add.s(1, 1), add.s(2, 2)).applyAsync(
      [],
      {},
      {
        taskId: "own-group-id",
        countdown: 0,
        queue: "lopri",
      },
    );
    expect(res.id).toBe("own-group-id");
    expect(res.results.map((r) => r.id)).not.toContain("own-group-id");
    expect(await res.get(T)).toEqual([2, 4]);
  });
});
