import { describe, expect, it } from "vitest";
import {
  AsyncResult,
  CanvasError,
  GroupResult,
  group,
  TaskError,
  TimeoutError,
} from "../../runtime/index.js";
import { memoryApp, runningMemoryApp } from "../support/memory-app.js";

const env = await runningMemoryApp();
const { app } = env;
class ValidationError extends Error {
  override name = "ValidationError";
}
const add = app.task("r.add", (x: number, y: number) => x + y);
const invalid = app.task("r.invalid", (): number => {
  throw new ValidationError("field 'x' is required");
});

describe("Results: waiting", () => {
  it("rejects get() with TimeoutError naming the task and its state", async () => {
    const res = app.asyncResult("never-sent");
    const started = Date.now();
    const error = await res.get({ timeout: 0.3, interval: 0.05 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe(
      "The operation timed out after 0.3 s: task never-sent is still PENDING.",
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it("rejects join() with TimeoutError saying how many results came", async () => {
    const res = await group(add.s(1, 1), add.s(2, 2)).delay();
    await res.get({ timeout: 10 });
    const partial = new GroupResult(res.id, [...res.results, app.asyncResult("missing")], app);
    await expect(partial.join({ timeout: 0.2 })).rejects.toThrow(
      `The operation timed out after 0.2 s: group ${res.id} has 2 of 3 results.`,
    );
  });
});

describe("Results: errors", () => {
  it("rebuilds an error class it does not know as a TaskError with the task's own name", async () => {
    const res = await invalid.delay();
    const error = await res.get({ timeout: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskError);
    expect((error as Error).name).toBe("ValidationError");
    expect((error as Error).message).toBe("field 'x' is required");
    expect((error as TaskError).remoteStack).toContain("ValidationError: field 'x' is required");
    expect((error as TaskError).taskId).toBe(res.id);
  });

  it("rebuilds Celeriac's own errors, raised inside a task, as their classes", async () => {
    const bad = app.task("r.badCanvas", (): number => {
      throw new CanvasError("a canvas that cannot work");
    });
    const error = await (await bad.delay()).get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CanvasError);
    expect((error as Error).message).toBe("a canvas that cannot work");
  });

  it("rebuilds a registered error class as that class", async () => {
    const typed = await memoryApp({ app: { errors: [ValidationError] } });
    const fails = typed.app.task("r.fails", (): number => {
      throw new ValidationError("bad");
    });
    await typed.start();
    const error = await (await fails.delay()).get({ timeout: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe("bad");
    await typed.close();
    app.setAsCurrent();
  });

  it("forgets a result, which then reads as PENDING", async () => {
    const res = await add.delay(1, 2);
    expect(await res.get({ timeout: 10 })).toBe(3);
    await res.forget();
    expect(await res.state()).toBe("PENDING");
  });

  it("exposes the result and its finishing time", async () => {
    const res = await add.delay(3, 4);
    await res.get({ timeout: 10 });
    expect(await res.result()).toBe(7);
    expect(Date.parse((await res.dateDone())!)).toBeGreaterThan(0);
    expect(String(res)).toBe(`<AsyncResult: ${res.id}>`);
    expect(new AsyncResult(res.id, app).id).toBe(res.id);
  });
});
