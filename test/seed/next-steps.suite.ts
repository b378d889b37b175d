import { describe, expect, it } from "vitest";
import { type Celery, chain, chord, group } from "../../runtime/index.js";
import { range } from "../support/memory-app.js";
import type { ProjTasks } from "../support/proj-tasks.js";

/**
 * Every example of Celery's "Next Steps" guide, as one suite run on each runtime: `app`
 * is the seed's app (or one declared the same way) with a worker consuming its queues.
 */
export function describeNextSteps(label: string, app: Celery, { add, mul, xsum }: ProjTasks): void {
  const T = { timeout: 10 };

  describe(`Next Steps: calling tasks (${label})`, () => {
    it("runs add.delay(2, 2) and gets 4", async () => {
      expect(await (await add.delay(2, 2)).get(T)).toBe(4);
    });

    it("sends applyAsync to lopri with a countdown and runs it after the delay", async () => {
      const sent = Date.now();
      const res = await add.applyAsync([2, 2], {}, { queue: "lopri", countdown: 1 });
      expect(await res.state()).toBe("PENDING");
      expect(await res.get(T)).toBe(4);
      expect(Date.now() - sent).toBeGreaterThanOrEqual(900);
    });

    it("runs the task in this process when called directly", () => {
      expect(add(2, 2)).toBe(4);
    });

    it("rejects get() with the task's own TypeError", async () => {
      const res = await add.applyAsync([2, "2"] as never);
      const error = await res.get(T).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toBe(
        "unsupported operand type(s) for +: 'number' and 'string'",
      );
      expect((error as Error).stack).toContain("TypeError: unsupported operand");
    });

    it("resolves the error with propagate: false, and reports the state", async () => {
      const res = await add.applyAsync([2, "2"] as never);
      const error = await res.get({ ...T, propagate: false });
      expect((error as Error).name).toBe("TypeError");
      expect(await res.failed()).toBe(true);
      expect(await res.successful()).toBe(false);
      expect(await res.state()).toBe("FAILURE");
      expect(await res.traceback()).toContain("unsupported operand");
    });

    it("reads an unknown id as PENDING", async () => {
      expect(await app.asyncResult("this-id-does-not-exist").state()).toBe("PENDING");
    });
  });

  describe(`Next Steps: signatures (${label})`, () => {
    it("carries options in the signature", () => {
      expect(add.signature([2, 2], {}, { countdown: 10 }).toJSON()).toEqual({
        task: "proj.tasks.add",
        args: [2, 2],
        kwargs: {},
        options: { countdown: 10 },
        subtask_type: null,
        immutable: false,
      });
    });

    it("resolves a partial with the call's args prepended: add.s(2).delay(8) is add(8, 2)", async () => {
      expect(await (await add.s(2, 2).delay()).get(T)).toBe(4);
      expect(await (await mul.s(2).delay(8)).get(T)).toBe(16);
      expect(await (await add.s(2).delay(8)).get(T)).toBe(10);
    });

    it("merges kwargs with the new ones winning", () => {
      const s3 = add.signature([2, 2], { debug: true });
      expect(s3.clone({ kwargs: { debug: false } }).kwargs).toEqual({ debug: false });
    });
  });

  describe(`Next Steps: primitives (${label})`, () => {
    it("runs a group", async () => {
      expect(await (await group(range(10).map((i) => add.s(i, i))).delay()).get(T)).toEqual(
        range(10).map((i) => 2 * i),
      );
    });

    it("prepends a partial group's argument to every member", async () => {
      expect(await (await group(range(10).map((i) => add.s(i))).delay(10)).get(T)).toEqual(
        range(10).map((i) => 10 + i),
      );
    });

    it("runs chains, partial chains and pipes", async () => {
      expect(await (await chain(add.s(4, 4), mul.s(8)).delay()).get(T)).toBe(64);
      expect(await (await chain(add.s(4), mul.s(8)).delay(4)).get(T)).toBe(64);
      expect(await (await add.s(4, 4).pipe(mul.s(8)).delay()).get(T)).toBe(64);
    });

    it("runs a chord and a group piped into a task", async () => {
      expect(
        await (
          await chord(
            range(10).map((i) => add.s(i, i)),
            xsum.s(),
          ).delay()
        ).get(T),
      ).toBe(90);
      expect(
        await (
          await group(range(10).map((i) => add.s(i, i)))
            .pipe(xsum.s())
            .delay()
        ).get(T),
      ).toBe(90);
    });
  });
}
