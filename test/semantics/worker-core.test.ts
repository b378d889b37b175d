import { describe, expect, it, onTestFinished } from "vitest";
import { NotRegistered, type TaskContext, TaskRevokedError } from "../../runtime/index.js";
import { encodeRequest } from "../../runtime/message/envelope.js";
import type { TaskRequest } from "../../runtime/message/task-request.js";
import { executeRequest } from "../../runtime/worker/execute.js";
import { eventually } from "../support/emulators.js";
import { memoryApp, runningMemoryApp } from "../support/memory-app.js";
import { taskRequest } from "../support/task-request.js";

const env = await runningMemoryApp();
const { app, backend, broker } = env;
const add = app.task("w.add", (x: number, y: number) => x + y);
const T = { timeout: 10 };

/** A request for `w.add(1, 2)` unless `overrides` say otherwise. */
function request(overrides: Partial<TaskRequest>): TaskRequest {
  return taskRequest({ task: "w.add", args: [1, 2], rootId: "root", ...overrides });
}

describe("Worker core: terminal states", () => {
  it("ends a message for an unknown task as FAILURE with NotRegistered naming the task", async () => {
    const res = app.asyncResult(crypto.randomUUID());
    await broker.publish([
      {
        queue: "celery",
        body: encodeRequest(request({ id: res.id, task: "w.nope" })),
        delaySeconds: 0,
        taskId: res.id,
        taskName: "w.nope",
      },
    ]);
    const error = await res.get(T).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotRegistered);
    expect((error as Error).message).toContain("'w.nope' is not registered");
  });

  it("writes the terminal state once: a second run of the same id does not overwrite it", async () => {
    const req = request({ args: [1, 1] });
    expect(await executeRequest(app, req, { receiveCount: 1 })).toBe("SUCCESS");
    expect(await executeRequest(app, { ...req, args: [5, 5] }, { receiveCount: 1 })).toBe(
      "DUPLICATE",
    );
    expect(await app.asyncResult(req.id).get(T)).toBe(2);
  });

  it("stores nothing for ignoreResult", async () => {
    const quiet = app.task("w.quiet", () => 1, { ignoreResult: true });
    const writes = backend.calls.writes;
    const req = request({ task: "w.quiet", args: [] });
    expect(await executeRequest(app, req, { receiveCount: 1 })).toBe("SUCCESS");
    expect(backend.calls.writes).toBe(writes);
    expect(await app.asyncResult(req.id).state()).toBe("PENDING");
    expect(quiet.options.ignoreResult).toBe(true);
  });

  it("makes one read and one write for a plain task", async () => {
    const { reads, writes } = backend.calls;
    await executeRequest(app, request({}), { receiveCount: 1 });
    expect(backend.calls.reads - reads).toBe(1);
    expect(backend.calls.writes - writes).toBe(1);
  });

  it("stores STARTED while a trackStarted task runs", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slow = app.task(
      "w.slow",
      async () => {
        await gate;
        return "done";
      },
      { trackStarted: true },
    );
    const res = await slow.delay();
    await expect.poll(() => res.state(), T).toBe("STARTED");
    release();
    expect(await res.get(T)).toBe("done");
  });

  it("revokes a task sent with a countdown, so it never runs", async () => {
    let ran = false;
    const later = app.task("w.later", () => {
      ran = true;
    });
    const res = await later.applyAsync([], {}, { countdown: 1 });
    await res.revoke();
    const error = await res.get({ ...T, propagate: false });
    expect(error).toBeInstanceOf(TaskRevokedError);
    await new Promise((r) => setTimeout(r, 1500));
    expect(ran).toBe(false);
    expect(await res.state()).toBe("REVOKED");
  });

  it("turns a task that arrives after it expires into REVOKED without running it", async () => {
    let ran = false;
    const expiring = app.task("w.expiring", () => {
      ran = true;
    });
    const res = await expiring.applyAsync([], {}, { countdown: 1, expires: 0.5 });
    expect(await res.get({ ...T, propagate: false })).toBeInstanceOf(TaskRevokedError);
    expect(((await res.result()) as Error).message).toBe("expired");
    expect(ran).toBe(false);
  });

  it("re-parks a message whose ETA is past SQS's 900 s limit with the longest delay", async () => {
    const sent: number[] = [];
    const original = broker.publish.bind(broker);
    broker.publish = async (messages) => {
      for (const m of messages) sent.push(m.delaySeconds);
      return original(messages);
    };
    try {
      const eta = new Date(Date.now() + 3600_000).toISOString();
      expect(await executeRequest(app, request({ eta }), { receiveCount: 1 })).toBe("REPARKED");
      const near = new Date(Date.now() + 120_000).toISOString();
      expect(await executeRequest(app, request({ eta: near }), { receiveCount: 1 })).toBe(
        "REPARKED",
      );
    } finally {
      broker.publish = original;
    }
    expect(sent[0]).toBe(900);
    expect(sent[1]).toBeGreaterThanOrEqual(119);
    expect(sent[1]).toBeLessThanOrEqual(120);
  });

  it("sends a countdown beyond 900 s with the longest delay and the exact ETA", async () => {
    const res = await add.applyAsync([1, 1], {}, { countdown: 2000 });
    expect(await res.state()).toBe("PENDING");
    expect(broker.depth("celery")).toBeGreaterThan(0);
    await res.revoke();
  });
});

describe("Worker core: redelivery", () => {
  it("publishes the successors again when a redelivered message finds its task finished", async () => {
    const cb = add.s(100);
    const cbRes = cb.freeze();
    const req = request({ args: [1, 1], callbacks: [cb.toJSON()] });
    await backend.storeTerminal({
      taskId: req.id,
      status: "SUCCESS",
      result: 2,
      traceback: null,
      children: [],
      dateDone: null,
    });
    expect(await executeRequest(app, req, { receiveCount: 1 })).toBe("DUPLICATE");
    expect(await cbRes.state()).toBe("PENDING");
    expect(await executeRequest(app, req, { receiveCount: 2 })).toBe("DUPLICATE");
    expect(await cbRes.get(T)).toBe(102);
  });

  it("runs a `once` task one time when two copies arrive together", async () => {
    // an app of its own, so that its queue holds only what this test sends
    const own = await memoryApp();
    onTestFinished(() => own.close());
    await own.start();
    let runs = 0;
    const once = own.app.task(
      "w.once",
      async () => {
        runs++;
        await new Promise((r) => setTimeout(r, 100));
        return runs;
      },
      { once: true },
    );
    const req = request({ task: "w.once", args: [] });
    const outcomes = await Promise.all([
      executeRequest(own.app, req, { receiveCount: 1, messageId: "m-1", leaseSeconds: 1 }),
      executeRequest(own.app, req, { receiveCount: 1, messageId: "m-2", leaseSeconds: 1 }),
    ]);
    // the copy refused by the claim comes back once the lease has passed, and finds it done
    expect(outcomes.sort()).toEqual(["REPARKED", "SUCCESS"]);
    await eventually(
      async () => own.broker.depth("celery"),
      (depth) => depth === 0,
      { what: "the re-parked copy consumed", timeoutMs: 10_000 },
    );
    expect(runs).toBe(1);
    expect(once.options.once).toBe(true);
  });

  it("sends a copy refused by another message's claim on, to run once the lease has passed", async () => {
    app.task("w.held", () => 1, { once: true });
    const req = request({ task: "w.held", args: [] });
    // a run that died while holding the claim, and whose message is gone (in a DLQ, say)
    await backend.claim(req.id, "someone-else", 1);
    expect(
      await executeRequest(app, req, { receiveCount: 1, messageId: "m-1", leaseSeconds: 1 }),
    ).toBe("REPARKED");
    expect(await app.asyncResult(req.id).get(T)).toBe(1);
  });

  it("lets a crashed run's own message take its claim back at once", async () => {
    let runs = 0;
    app.task("w.retaken", () => ++runs, { once: true });
    const req = request({ task: "w.retaken", args: [] });
    // the first delivery of message m-1 claimed the task and died
    await backend.claim(req.id, "m-1", 600);
    expect(await executeRequest(app, req, { receiveCount: 2, messageId: "m-1" })).toBe("SUCCESS");
    expect(runs).toBe(1);
  });
});

describe("Worker core: bound tasks", () => {
  it("gives a bound task its request", async () => {
    const who = app.task(
      "w.who",
      function (this: TaskContext, x: number) {
        return { x, id: this.request.id, retries: this.request.retries, root: this.request.rootId };
      },
      { bind: true },
    );
    const res = await who.delay(7);
    expect(await res.get(T)).toEqual({ x: 7, id: res.id, retries: 0, root: res.id });
  });

  it("sets parent and root ids, and records children, for tasks sent from a task", async () => {
    const inner = app.task(
      "w.inner",
      function (this: TaskContext) {
        return { parent: this.request.parentId, root: this.request.rootId };
      },
      { bind: true },
    );
    const outer = app.task("w.outer", async () => {
      const r = await inner.delay();
      return r.id;
    });
    const res = await outer.delay();
    const innerId = await res.get(T);
    const [child] = await res.children();
    expect(child!.id).toBe(innerId);
    expect(await child!.get(T)).toEqual({ parent: res.id, root: res.id });
  });

  it("stores a returned result handle as a reference that get() rebuilds", async () => {
    const spawner = app.task("w.spawner", () => add.delay(2, 3));
    const res = await spawner.delay();
    const handle = (await res.get(T)) as { get: (o: object) => Promise<number> };
    expect(await handle.get(T)).toBe(5);
  });
});

describe("Local worker", () => {
  it("drains messages in flight when stopped", async () => {
    const local = await memoryApp();
    let finished = 0;
    const slow = local.app.task("w.drain", async () => {
      await new Promise((r) => setTimeout(r, 200));
      finished++;
    });
    await local.start();
    await Promise.all([slow.delay(), slow.delay(), slow.delay()]);
    await expect.poll(() => local.broker.depth("celery") > 0 && finished === 0).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    await local.worker.stop();
    expect(finished).toBe(3);
    await local.close();
  });

  it("moves an unreadable message to the dead-letter queue after maxReceiveCount, never dropping it", async () => {
    const local = await memoryApp({ broker: { visibilityTimeout: 0.1, maxReceiveCount: 2 } });
    await local.start();
    await local.broker.publish([
      { queue: "celery", body: "{not json", delaySeconds: 0, taskId: "?", taskName: "?" },
    ]);
    await expect
      .poll(() => local.broker.deadLetters("celery"), { timeout: 5000 })
      .toEqual(["{not json"]);
    await local.close();
  });
});
