import { describe, expect, it, onTestFinished, vi } from "vitest";
import { MaxRetriesExceededError, type TaskContext } from "../../runtime/index.js";
import { backoffCountdown, decideRetry } from "../../runtime/task/retry-policy.js";
import { memoryApp, runningMemoryApp } from "../support/memory-app.js";

const env = await runningMemoryApp();
const { app } = env;
const T = { timeout: 10 };

describe("Retries", () => {
  it("retries with this.retry(), keeping the id and counting retries, through state RETRY", async () => {
    // The clock is the test's: each retry waits in state RETRY until the test moves the
    // time past its countdown. Timers stay real and the fake clock runs along with them.
    // It starts far enough back that it never overtakes the real time, so that going
    // back to the real time is a step forward for every wait begun meanwhile.
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(Date.now() - 5 * 61_000);
    const own = await memoryApp();
    onTestFinished(async () => {
      await own.close();
      vi.useRealTimers();
    });
    const seen: number[] = [];
    const flaky = own.app.task(
      "r.flaky",
      function (this: TaskContext) {
        seen.push(this.request.retries);
        if (this.request.retries < 2) this.retry({ countdown: 60, exc: new Error("not yet") });
        return "ok";
      },
      { bind: true },
    );
    await own.start();
    const res = await flaky.delay();
    for (const runs of [1, 2]) {
      await expect.poll(() => seen.length, T).toBe(runs);
      await expect.poll(() => res.state(), T).toBe("RETRY");
      expect(seen).toHaveLength(runs); // parked: nothing runs before the countdown is up
      vi.advanceTimersByTime(61_000);
    }
    expect(await res.get(T)).toBe("ok");
    expect(seen).toEqual([0, 1, 2]);
  });

  it("fails with MaxRetriesExceededError once maxRetries is used up", async () => {
    let runs = 0;
    const stubborn = app.task(
      "r.stubborn",
      function (this: TaskContext) {
        runs++;
        return this.retry({ countdown: 0 });
      },
      { bind: true, maxRetries: 2 },
    );
    const res = await stubborn.delay();
    const error = await res.get(T).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MaxRetriesExceededError);
    expect((error as Error).message).toBe(`Can't retry r.stubborn[${res.id}] args:[] kwargs:{}`);
    expect(runs).toBe(3);
  });

  it("raises the given exc instead when no retries are left", async () => {
    const picky = app.task(
      "r.picky",
      function (this: TaskContext) {
        return this.retry({ countdown: 0, exc: new RangeError("gave up") });
      },
      { bind: true, maxRetries: 1 },
    );
    await expect((await picky.delay()).get(T)).rejects.toThrow(RangeError);
  });

  it("retries automatically on autoretryFor errors, then fails with the task's own error", async () => {
    let runs = 0;
    const auto = app.task(
      "r.auto",
      () => {
        runs++;
        throw new TypeError(`attempt ${runs}`);
      },
      { autoretryFor: [TypeError], maxRetries: 2, defaultRetryDelay: 0 },
    );
    const error = await (await auto.delay()).get(T).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe("attempt 3");
  });

  it("does not retry errors outside autoretryFor, and runs errbacks only on the final failure", async () => {
    let runs = 0;
    const failures: string[] = [];
    const log = app.task("r.log", (id: string) => {
      failures.push(id);
    });
    const auto = app.task(
      "r.auto2",
      () => {
        runs++;
        throw runs < 2 ? new TypeError("retry me") : new SyntaxError("final");
      },
      { autoretryFor: ["TypeError"], defaultRetryDelay: 0 },
    );
    const res = await auto.applyAsync([], {}, { linkError: log.s() });
    await expect(res.get(T)).rejects.toThrow(SyntaxError);
    expect(runs).toBe(2);
    await expect.poll(() => failures).toEqual([res.id]);
  });

  it("computes Celery's backoff: min(max, factor * 2 ** retries), jittered into [0, that]", () => {
    const noJitter = { retryBackoff: true, retryJitter: false };
    expect([0, 1, 2, 3, 10].map((r) => backoffCountdown(noJitter, r))).toEqual([1, 2, 4, 8, 600]);
    expect(backoffCountdown({ retryBackoff: 3, retryJitter: false, retryBackoffMax: 20 }, 3)).toBe(
      20,
    );
    expect(backoffCountdown({ retryBackoff: true }, 3, () => 0.999)).toBe(8);
    expect(backoffCountdown({ retryBackoff: true }, 3, () => 0)).toBe(0);
  });

  it("uses defaultRetryDelay (180 s) for autoretry without backoff, as Celery's code does", () => {
    expect(decideRetry({ autoretryFor: [Error] }, 0, new Error("x"))).toMatchObject({
      retry: true,
      countdown: 180,
    });
    expect(decideRetry({ autoretryFor: [Error] }, 3, new Error("x"))).toMatchObject({
      retry: false,
    });
    expect(
      decideRetry({ autoretryFor: [Error], maxRetries: null }, 99, new Error("x")),
    ).toMatchObject({ retry: true });
    expect(decideRetry({}, 0, new Error("x"))).toBeUndefined();
  });
});
