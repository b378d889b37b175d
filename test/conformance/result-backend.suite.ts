import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ResultBackend } from "../../runtime/ports/result-backend.js";
import type { TaskMeta, TerminalMeta } from "../../runtime/ports/task-meta.js";
import type { JsonValue } from "../../runtime/types/json.js";

/** Options the suite asks a backend factory for. */
export interface ResultBackendFactoryOptions {
  /** Seconds a stored record lives; absent means forever. */
  resultExpires?: number;
}

/** Builds a fresh backend; the suite closes it after each test. */
export type ResultBackendFactory = (
  options: ResultBackendFactoryOptions,
) => ResultBackend | Promise<ResultBackend>;

const id = (): string => randomUUID();

function success(taskId: string, result: JsonValue = 42): TerminalMeta {
  return {
    taskId,
    status: "SUCCESS",
    result,
    traceback: null,
    children: [],
    dateDone: new Date().toISOString(),
  };
}

function failure(taskId: string, message = "boom"): TerminalMeta {
  return {
    taskId,
    status: "FAILURE",
    result: { exc_type: "ValueError", exc_message: message, exc_module: "user" },
    traceback: `ValueError: ${message}\n    at task (tasks.ts:1:1)`,
    children: [],
    dateDone: new Date().toISOString(),
  };
}

function revoked(taskId: string): TerminalMeta {
  return {
    taskId,
    status: "REVOKED",
    result: { exc_type: "TaskRevokedError", exc_message: "revoked", exc_module: "celeriac" },
    traceback: null,
    children: [],
    dateDone: new Date().toISOString(),
  };
}

function progress(taskId: string, status: "STARTED" | "RETRY"): TaskMeta {
  return { taskId, status, result: null, traceback: null, children: [], dateDone: null };
}

/**
 * Stops the clock the backends read (`Date` only: timers and sockets run as usual), so
 * that tests of leases and expiry decide by the clock, not by how fast the machine is.
 */
function freezeClock(): void {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
}

/** Moves the frozen clock on by `ms`. */
function advanceClock(ms: number): void {
  vi.setSystemTime(Date.now() + ms);
}

/**
 * Past any record written with `resultExpires: 1`: its TTL is whole epoch seconds,
 * rounded up, so it lives between 1 and 2 seconds.
 */
const EXPIRY_MS = 2_001;

/** The 450-part chord tests make about 1,000 requests: on a loaded machine, give them time. */
const HEAVY_TEST_MS = 120_000;

/**
 * The result backend contract (runtime/ports/result-backend.ts), run against any
 * adapter. Every test uses fresh task and group ids, so adapters may share storage
 * between tests.
 *
 * @example
 * describeResultBackend("memory", (options) => new MemoryBackend(options));
 */
export function describeResultBackend(
  name: string,
  factory: ResultBackendFactory,
  options: { concurrency?: number } = {},
): void {
  /** Runs `fn` over `items` with at most `options.concurrency` calls in flight (default: all). */
  const inFlight = async <T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> => {
    const limit = options.concurrency ?? items.length;
    const out: R[] = [];
    for (let i = 0; i < items.length; i += limit) {
      out.push(...(await Promise.all(items.slice(i, i + limit).map(fn))));
    }
    return out;
  };
  describe(`ResultBackend conformance: ${name}`, () => {
    let backend: ResultBackend;
    const opened: ResultBackend[] = [];

    async function open(options: ResultBackendFactoryOptions = {}): Promise<ResultBackend> {
      const created = await factory(options);
      opened.push(created);
      return created;
    }

    beforeEach(async () => {
      backend = await open();
    });

    afterEach(async () => {
      vi.useRealTimers();
      await Promise.all(opened.splice(0).map((b) => b.close()));
    });

    describe("Method: get", () => {
      it("reads undefined for an unknown task id", async () => {
        expect(await backend.get(id())).toBeUndefined();
      });

      it("reads back every field of a stored meta", async () => {
        const meta: TerminalMeta = {
          ...success(id(), { nested: [1, "two", { three: true }], empty: null }),
          children: [{ id: id() }, { groupId: id(), ids: [id(), id()] }],
          name: "tests.add",
          parentId: id(),
          groupId: id(),
          retries: 2,
        };
        await backend.storeTerminal(meta);
        expect(await backend.get(meta.taskId)).toEqual(meta);
      });
    });

    describe("Method: storeTerminal", () => {
      it("resolves true for the first terminal write", async () => {
        const meta = success(id());
        expect(await backend.storeTerminal(meta)).toBe(true);
        expect(await backend.get(meta.taskId)).toEqual(meta);
      });

      it.each([
        ["SUCCESS", "FAILURE", success, failure],
        ["FAILURE", "SUCCESS", failure, success],
        ["SUCCESS", "REVOKED", success, revoked],
        ["REVOKED", "SUCCESS", revoked, success],
      ] as const)(
        "refuses %s then %s and keeps the first",
        async (_first, _second, first, second) => {
          const taskId = id();
          const winner = first(taskId);
          expect(await backend.storeTerminal(winner)).toBe(true);
          expect(await backend.storeTerminal(second(taskId))).toBe(false);
          expect(await backend.get(taskId)).toEqual(winner);
        },
      );

      it("refuses a repeat of the same terminal write", async () => {
        const meta = success(id());
        expect(await backend.storeTerminal(meta)).toBe(true);
        expect(await backend.storeTerminal({ ...meta, result: 43 })).toBe(false);
        expect(await backend.get(meta.taskId)).toEqual(meta);
      });

      it("lets exactly one of a concurrent SUCCESS and FAILURE win, and stores the winner", async () => {
        const races = Array.from({ length: 10 }, async () => {
          const taskId = id();
          const metas = [success(taskId), failure(taskId)];
          const results = await Promise.all(metas.map((m) => backend.storeTerminal(m)));
          expect(results.filter(Boolean)).toHaveLength(1);
          const winner = metas[results.indexOf(true)];
          expect(await backend.get(taskId)).toEqual(winner);
        });
        await Promise.all(races);
      });

      it("lets exactly one of 20 concurrent writers win", async () => {
        const taskId = id();
        const metas = Array.from({ length: 20 }, (_, i) =>
          i % 2 === 0 ? success(taskId, i) : failure(taskId, `boom ${i}`),
        );
        const results = await Promise.all(metas.map((m) => backend.storeTerminal(m)));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await backend.get(taskId)).toEqual(metas[results.indexOf(true)]);
      });

      it("replaces a progress state", async () => {
        const taskId = id();
        await backend.storeProgress(progress(taskId, "STARTED"));
        const meta = success(taskId);
        expect(await backend.storeTerminal(meta)).toBe(true);
        expect(await backend.get(taskId)).toEqual(meta);
      });
    });

    describe("Method: storeProgress", () => {
      it("writes STARTED and then RETRY for an unfinished task", async () => {
        const taskId = id();
        expect(await backend.storeProgress(progress(taskId, "STARTED"))).toBe(true);
        expect((await backend.get(taskId))?.status).toBe("STARTED");
        const retry = progress(taskId, "RETRY");
        expect(await backend.storeProgress(retry)).toBe(true);
        expect(await backend.get(taskId)).toEqual(retry);
      });

      it.each([
        ["SUCCESS", success],
        ["FAILURE", failure],
        ["REVOKED", revoked],
      ] as const)("refuses STARTED and RETRY after %s", async (_state, terminal) => {
        const taskId = id();
        const meta = terminal(taskId);
        await backend.storeTerminal(meta);
        expect(await backend.storeProgress(progress(taskId, "STARTED"))).toBe(false);
        expect(await backend.storeProgress(progress(taskId, "RETRY"))).toBe(false);
        expect(await backend.get(taskId)).toEqual(meta);
      });
    });

    describe("Method: getMany", () => {
      it("resolves an empty map for no ids", async () => {
        expect((await backend.getMany([])).size).toBe(0);
      });

      it("returns only the ids that exist", async () => {
        const stored = [success(id()), failure(id())];
        await Promise.all(stored.map((m) => backend.storeTerminal(m)));
        const missing = id();
        const found = await backend.getMany([stored[0]!.taskId, missing, stored[1]!.taskId]);
        expect([...found.keys()].sort()).toEqual(stored.map((m) => m.taskId).sort());
        expect(found.get(stored[0]!.taskId)).toEqual(stored[0]);
        expect(found.get(stored[1]!.taskId)).toEqual(stored[1]);
        expect(found.has(missing)).toBe(false);
      });

      it("reads 250 ids in one call", async () => {
        const ids = Array.from({ length: 250 }, id);
        const stored = ids.filter((_, i) => i % 5 !== 0).map((taskId, i) => success(taskId, i));
        await Promise.all(stored.map((m) => backend.storeTerminal(m)));
        const found = await backend.getMany(ids);
        expect(found.size).toBe(200);
        for (const meta of stored) expect(found.get(meta.taskId)).toEqual(meta);
      });
    });

    describe("Method: claim", () => {
      it("gives the claim to exactly one of many concurrent owners", async () => {
        const taskId = id();
        const owners = Array.from({ length: 10 }, id);
        const results = await Promise.all(owners.map((o) => backend.claim(taskId, o, 60)));
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = owners[results.indexOf(true)]!;
        expect(await backend.claim(taskId, winner, 60)).toBe(true);
        for (const loser of owners.filter((o) => o !== winner)) {
          expect(await backend.claim(taskId, loser, 60)).toBe(false);
        }
      });

      it("lets its owner give a claim up, so that another owner takes it at once", async () => {
        const taskId = id();
        expect(await backend.claim(taskId, "first", 60)).toBe(true);
        await backend.releaseClaim(taskId, "second");
        expect(await backend.claim(taskId, "second", 60)).toBe(false);
        await backend.releaseClaim(taskId, "first");
        expect(await backend.claim(taskId, "second", 60)).toBe(true);
        expect(await backend.claim(taskId, "first", 60)).toBe(false);
        await expect(backend.releaseClaim(id(), "nobody")).resolves.toBeUndefined();
      });

      it("lets another owner take a claim whose lease ran out", async () => {
        freezeClock();
        const taskId = id();
        expect(await backend.claim(taskId, "first", 1)).toBe(true);
        expect(await backend.claim(taskId, "second", 60)).toBe(false);
        advanceClock(1_001);
        expect(await backend.claim(taskId, "second", 60)).toBe(true);
        expect(await backend.claim(taskId, "first", 60)).toBe(false);
      });
    });

    describe("Method: recordChordPart", () => {
      const part = (groupId: string, size: number, index: number) =>
        backend.recordChordPart({ groupId, size, index, memberId: `member-${index}` });

      it("completes a chord of one at its only part, which dispatches", async () => {
        const groupId = id();
        expect(await part(groupId, 1, 0)).toEqual({ complete: true, dispatcher: true });
        expect(await part(groupId, 1, 0)).toEqual({ complete: true, dispatcher: true });
      });

      it("counts a repeated index once, and elects the member that completed the chord", async () => {
        const groupId = id();
        expect(await part(groupId, 3, 0)).toEqual({ complete: false, dispatcher: false });
        expect(await part(groupId, 3, 0)).toEqual({ complete: false, dispatcher: false });
        expect(await part(groupId, 3, 1)).toEqual({ complete: false, dispatcher: false });
        expect(await part(groupId, 3, 1)).toEqual({ complete: false, dispatcher: false });
        expect(await part(groupId, 3, 2)).toEqual({ complete: true, dispatcher: true });
        expect(await part(groupId, 3, 0)).toEqual({ complete: true, dispatcher: false });
        expect(await part(groupId, 3, 2)).toEqual({ complete: true, dispatcher: true });
      });

      it(
        "completes only when all 450 distinct indexes are recorded",
        async () => {
          const groupId = id();
          const size = 450;
          const early = await inFlight(
            Array.from({ length: size - 1 }, (_, index) => index),
            (index) => part(groupId, size, index),
          );
          expect(early.every((p) => !p.complete && !p.dispatcher)).toBe(true);
          expect(await part(groupId, size, 5)).toEqual({ complete: false, dispatcher: false });
          expect(await part(groupId, size, size - 1)).toEqual({ complete: true, dispatcher: true });
        },
        HEAVY_TEST_MS,
      );

      it(
        "elects exactly one dispatcher among 450 concurrent parts, each delivered twice",
        async () => {
          const groupId = id();
          const size = 450;
          const indexes = Array.from({ length: size * 2 }, (_, i) => i % size);
          const results = await inFlight(indexes, (index) => part(groupId, size, index));
          expect(results.some((p) => p.complete)).toBe(true);
          const elected = new Set(indexes.filter((_, i) => results[i]!.dispatcher));
          expect(elected.size).toBe(1);
          const [winner] = [...elected];
          for (const index of [winner!, 77]) {
            expect(await part(groupId, size, index)).toEqual({
              complete: true,
              dispatcher: index === winner,
            });
          }
        },
        HEAVY_TEST_MS,
      );

      it("keeps chords apart", async () => {
        const [a, b] = [id(), id()];
        await part(a, 2, 0);
        expect(await part(b, 2, 1)).toEqual({ complete: false, dispatcher: false });
        expect(await part(a, 2, 1)).toEqual({ complete: true, dispatcher: true });
      });
    });

    describe("Methods: saveGroup, restoreGroup, forgetGroup", () => {
      it("restores undefined for a group never saved", async () => {
        expect(await backend.restoreGroup(id())).toBeUndefined();
      });

      it("restores the saved ids in order", async () => {
        const groupId = id();
        const ids = Array.from({ length: 7 }, id);
        await backend.saveGroup(groupId, ids);
        expect(await backend.restoreGroup(groupId)).toEqual(ids);
      });

      it("restores 2,500 ids in order", async () => {
        const groupId = id();
        const ids = Array.from({ length: 2_500 }, id);
        await backend.saveGroup(groupId, ids);
        expect(await backend.restoreGroup(groupId)).toEqual(ids);
      });

      it("restores undefined after forgetGroup", async () => {
        const [small, large] = [id(), id()];
        await backend.saveGroup(small, [id(), id()]);
        await backend.saveGroup(large, Array.from({ length: 2_500 }, id));
        await backend.forgetGroup(small);
        await backend.forgetGroup(large);
        expect(await backend.restoreGroup(small)).toBeUndefined();
        expect(await backend.restoreGroup(large)).toBeUndefined();
      });

      it("forgets a group never saved without error", async () => {
        await expect(backend.forgetGroup(id())).resolves.toBeUndefined();
      });
    });

    describe("Method: forget", () => {
      it("removes the named records and leaves the others", async () => {
        const metas = [success(id()), failure(id()), success(id())];
        await Promise.all(metas.map((m) => backend.storeTerminal(m)));
        await backend.forget([metas[0]!.taskId, metas[1]!.taskId]);
        expect(await backend.get(metas[0]!.taskId)).toBeUndefined();
        expect(await backend.get(metas[1]!.taskId)).toBeUndefined();
        expect(await backend.get(metas[2]!.taskId)).toEqual(metas[2]);
      });

      it("lets a forgotten task id be written again", async () => {
        const taskId = id();
        await backend.storeTerminal(success(taskId));
        await backend.forget([taskId]);
        const again = failure(taskId);
        expect(await backend.storeTerminal(again)).toBe(true);
        expect(await backend.get(taskId)).toEqual(again);
      });
    });

    describe("Option: resultExpires", () => {
      it("reads a record as absent once resultExpires has passed", async () => {
        const expiring = await open({ resultExpires: 1 });
        freezeClock();
        const meta = success(id());
        const groupId = id();
        await expiring.storeTerminal(meta);
        await expiring.saveGroup(groupId, [meta.taskId]);
        expect(await expiring.get(meta.taskId)).toEqual(meta);
        advanceClock(EXPIRY_MS);
        expect(await expiring.get(meta.taskId)).toBeUndefined();
        expect((await expiring.getMany([meta.taskId])).size).toBe(0);
        expect(await expiring.restoreGroup(groupId)).toBeUndefined();
      });

      it("accepts a new terminal write once the old one has expired", async () => {
        const expiring = await open({ resultExpires: 1 });
        freezeClock();
        const taskId = id();
        await expiring.storeTerminal(success(taskId));
        expect(await expiring.storeTerminal(failure(taskId))).toBe(false);
        advanceClock(EXPIRY_MS);
        expect(await expiring.get(taskId)).toBeUndefined();
        const again = failure(taskId);
        expect(await expiring.storeTerminal(again)).toBe(true);
        expect(await expiring.get(taskId)).toEqual(again);
      });
    });
  });
}
