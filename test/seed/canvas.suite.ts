import { describe, expect, it } from "vitest";
import {
  type AsyncResult,
  type Celery,
  ChordError,
  chain,
  chord,
  group,
  Signature,
  signature,
} from "../../runtime/index.js";
import { range, zip } from "../support/memory-app.js";
import type { ProjTasks } from "../support/proj-tasks.js";

/**
 * The examples of Celery's Canvas guide, as one suite run on each runtime: `app` is the
 * seed's app (or one declared the same way) with a worker consuming its queues.
 */
export function describeCanvas(
  label: string,
  app: Celery,
  { add, mul, xsum, logError, resetBuffers, raisingTask }: ProjTasks,
): void {
  const T = { timeout: 10 };

  describe(`Canvas: signatures (${label})`, () => {
    it("builds a signature by name on the current app", () => {
      const s = signature("proj.tasks.add", { args: [2, 2], options: { countdown: 10 } });
      expect(s.task).toBe("proj.tasks.add");
      expect(s.args).toEqual([2, 2]);
      expect(s.options).toEqual({ countdown: 10 });
      expect(app.signature("proj.tasks.add", { args: [2, 2] }).args).toEqual([2, 2]);
    });

    it("exposes args, kwargs and options", () => {
      const s = add.signature([2, 2], { debug: true }, { countdown: 10 });
      expect([s.args, s.kwargs, s.options]).toEqual([[2, 2], { debug: true }, { countdown: 10 }]);
    });

    it("clones a partial with args prepended and kwargs merged", () => {
      expect(
        add
          .s(2)
          .clone({ args: [4], kwargs: { debug: true } })
          .toString(),
      ).toBe("proj.tasks.add(4, 2, debug=true)");
    });

    it("lets call-time options override the signature's", async () => {
      const s = add.signature([2, 2], {}, { countdown: 10 });
      const sent = Date.now();
      expect(await (await s.applyAsync([], {}, { countdown: 0 })).get(T)).toBe(4);
      expect(Date.now() - sent).toBeLessThan(10_000);
    });

    it("set() returns the signature", () => {
      const s = add.s(2, 2);
      expect(s.set({ countdown: 1 })).toBe(s);
      expect(s.options.countdown).toBe(1);
    });

    it("round-trips every kind through Celery's JSON form", () => {
      const canvases: Signature[] = [
        add.s(2, 2),
        add.si(2, 2),
        chain(add.s(4, 4), mul.s(8)) as unknown as Signature,
        group(add.s(1, 1), add.s(2, 2)) as unknown as Signature,
        chord([add.s(1, 1)], xsum.s()) as unknown as Signature,
        xsum.map([[1], [2]]),
        add.starmap([[1, 2]]),
        add.chunks([[1, 2]], 1) as unknown as Signature,
      ];
      for (const c of canvases) {
        const json = JSON.parse(JSON.stringify(c.toJSON()));
        const back = Signature.fromJSON(json);
        expect(back.toJSON()).toEqual(json);
        expect(back.constructor.name).toBe(
          c.constructor.name === "Chunks" ? "Signature" : c.constructor.name,
        );
      }
    });
  });

  describe(`Canvas: callbacks (${label})`, () => {
    it("runs a link with the parent's result prepended and records it as a child", async () => {
      const res = await add.applyAsync([2, 2], {}, { link: mul.s(16) });
      expect(await res.get(T)).toBe(4);
      const children = await res.children();
      expect(children).toHaveLength(1);
      expect(await children[0]!.get(T)).toBe(64);
    });

    it("runs an immutable callback without the parent's result", async () => {
      const res = await add.applyAsync([2, 2], {}, { link: resetBuffers.si() });
      await res.get(T);
      expect(await (await res.children())[0]!.get(T)).toBe("buffers reset");
    });

    it("runs an errback with the failed task's id", async () => {
      const eb = logError.s();
      const ebResult = eb.freeze() as AsyncResult<string>;
      const res = await add
        .s(2, "2" as never)
        .onError(eb)
        .delay();
      expect(await ebResult.get(T)).toBe(`task ${res.id} failed`);
      const viaOption = logError.s();
      const optResult = viaOption.freeze() as AsyncResult<string>;
      const res2 = await add.applyAsync([2, "2"] as never, {}, { linkError: viaOption });
      expect(await optResult.get(T)).toBe(`task ${res2.id} failed`);
    });

    it("collects a result and its children breadth first", async () => {
      const res = await add.applyAsync([2, 2], {}, { link: mul.s(16) });
      const values: unknown[] = [];
      for await (const [, value] of res.collect(T)) values.push(value);
      expect(values).toEqual([4, 64]);
    });
  });

  describe(`Canvas: chains (${label})`, () => {
    it("returns the last result and walks back through parents", async () => {
      const res = await chain(add.s(4, 4), mul.s(8), mul.s(10)).delay();
      expect(await res.get(T)).toBe(640);
      expect(await res.parent!.get(T)).toBe(64);
      expect(await res.parent!.parent!.get(T)).toBe(8);
      expect(res.parent!.parent!.parent).toBeUndefined();
    });

    it("chains with pipes and immutable steps", async () => {
      expect(await (await add.s(2, 2).pipe(add.s(4)).pipe(add.s(8)).delay()).get(T)).toBe(16);
      const res = await add.si(2, 2).pipe(add.si(4, 4)).pipe(add.si(8, 8)).delay();
      expect([
        await res.get(T),
        await res.parent!.get(T),
        await res.parent!.parent!.get(T),
      ]).toEqual([16, 8, 4]);
    });

    it("combines partial chains: (add(4, 16) | mul(2) | (add(4) | mul(8)))", async () => {
      const c1 = add.s(4).pipe(mul.s(8));
      expect(await (await c1.delay(16)).get(T)).toBe(160);
      const c2 = add.s(4, 16).pipe(mul.s(2)).pipe(c1);
      expect(await (await c2.delay()).get(T)).toBe(352);
    });

    it("forwards the previous result to every group member, and keeps the parent", async () => {
      const res = await add
        .s(4, 4)
        .pipe(group(range(10).map((i) => add.s(i))))
        .delay();
      expect(await res.get(T)).toEqual(range(10).map((i) => 8 + i));
      expect(await res.parent!.get(T)).toBe(8);
      const imm = await add
        .s(4, 4)
        .pipe(group(range(10).map((i) => add.si(i, i))))
        .delay();
      expect(await imm.get(T)).toEqual(range(10).map((i) => 2 * i));
    });

    it("draws the dependency graph in DOT", async () => {
      const res = await chain(add.s(4, 4), mul.s(8), mul.s(10)).delay();
      await res.get(T);
      const first = res.parent!.parent as AsyncResult;
      const graph = await first.graph();
      expect([...graph.nodes.keys()]).toEqual([first.id, (res.parent as AsyncResult).id, res.id]);
      const dot = graph.toDot();
      expect(dot).toContain(`"${first.id}" -> "${(res.parent as AsyncResult).id}";`);
      expect(dot).toContain(`"${(res.parent as AsyncResult).id}" -> "${res.id}";`);
      expect(dot.startsWith("digraph dependencies {")).toBe(true);
    });
  });

  describe(`Canvas: groups (${label})`, () => {
    it("answers GroupResult questions", async () => {
      const res = await group([
        add.s(2, 2),
        add.s(4, 4),
        add.s(8, 8),
        add.s(16, 16),
        add.s(32, 32),
      ]).applyAsync();
      expect(await res.get(T)).toEqual([4, 8, 16, 32, 64]);
      expect(await res.ready()).toBe(true);
      expect(await res.successful()).toBe(true);
      expect(await res.failed()).toBe(false);
      expect(await res.waiting()).toBe(false);
      expect(await res.completedCount()).toBe(5);
    });

    it("saves and restores a group by id", async () => {
      const res = await group(add.s(2, 2), add.s(4, 4)).delay();
      await res.save();
      const restored = await app.groupResult(res.id);
      expect(await restored!.get(T)).toEqual([4, 8]);
      expect(await app.groupResult("no-such-group")).toBeUndefined();
    });

    it("joins with propagate: false, holding errors in their slots", async () => {
      const res = await group(add.s(2, 2), add.s(2, "2" as never), add.s(3, 3)).delay();
      const values = await res.join({ ...T, propagate: false });
      expect(values[0]).toBe(4);
      expect((values[1] as Error).name).toBe("TypeError");
      expect(values[2]).toBe(6);
      expect(await res.completedCount()).toBe(2);
      await expect(res.get(T)).rejects.toThrow(TypeError);
    });
  });

  describe(`Canvas: chords (${label})`, () => {
    it("sums 100 members in header order: 9900", async () => {
      expect(
        await (
          await chord(
            range(100).map((i) => add.s(i, i)),
            xsum.s(),
          ).delay()
        ).get(T),
      ).toBe(9900);
    });

    it("fails the body with a ChordError naming the failed dependency", async () => {
      const res = await chord([add.s(4, 4), raisingTask.s(), add.s(8, 8)], xsum.s()).delay();
      const error = await res.get(T).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ChordError);
      const failedId = (res.parent as { results: AsyncResult[] }).results[1]!.id;
      expect((error as Error).message).toBe(
        `Dependency ${failedId} raised ValueError('something something')`,
      );
    });
  });

  describe(`Canvas: map, starmap and chunks (${label})`, () => {
    it("maps xsum over lists in one task", async () => {
      expect(await (await xsum.map([range(10), range(100)]).delay()).get(T)).toEqual([45, 4950]);
    });

    it("starmaps add over pairs", async () => {
      expect(await (await add.starmap(zip(range(10), range(10))).delay()).get(T)).toEqual(
        range(10).map((i) => 2 * i),
      );
    });

    it("splits 100 pairs into 10 chunks, each a list", async () => {
      const res = await add.chunks(zip(range(100), range(100)), 10).delay();
      expect(res.results).toHaveLength(10);
      const value = await res.get(T);
      expect(value).toEqual(range(10).map((c) => range(10).map((i) => 2 * (c * 10 + i))));
    });

    it("routes map to the inner task's queue", async () => {
      const res = await mul.map([1, 2, 3] as never).applyAsync();
      expect(await res.state()).toBe("PENDING");
      expect(app.routeFor("proj.tasks.mul", undefined)).toBe("lopri");
    });
  });
}
