import { describe, expect, it } from "vitest";
import {
  CanvasError,
  chain,
  group,
  Signature,
  type SignatureJSON,
  states,
} from "../../runtime/index.js";
import { runningMemoryApp } from "../support/memory-app.js";

const env = await runningMemoryApp();
const { app, broker } = env;
const echo = app.task("bt.echo", (x: unknown) => x);
const delays: Record<string, number> = { NaN: Number.NaN, Infinity, "1e14": 1e14 };
// Keys, since NaN and Infinity are not JSON arguments.
const retrying = app.task(
  "bt.retrying",
  function (delay: string) {
    throw this.retry({ countdown: delays[delay] ?? 0 });
  },
  { bind: true },
);

/** The error `fn` throws or rejects with. */
async function caught(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

describe("Wait options of get(), join() and collect()", () => {
  const res = app.asyncResult("bt-never-sent");

  it.each([
    [
      "NaN",
      { timeout: Number.NaN },
      "option 'timeout' must be a number of seconds ≥ 0 (or Infinity), got NaN.",
    ],
    [
      "a negative timeout",
      { timeout: -1 },
      "option 'timeout' must be a number of seconds ≥ 0 (or Infinity), got -1.",
    ],
    ["-Infinity", { timeout: -Infinity }, "got -Infinity."],
    [
      "a string",
      { timeout: "10" },
      "option 'timeout' must be a number of seconds ≥ 0 (or Infinity), got \"10\".",
    ],
    [
      "a zero interval",
      { interval: 0 },
      "option 'interval' must be a finite number of seconds > 0, got 0.",
    ],
    [
      "an infinite interval",
      { interval: Infinity },
      "option 'interval' must be a finite number of seconds > 0, got Infinity.",
    ],
    [
      "a NaN interval",
      { interval: Number.NaN },
      "option 'interval' must be a finite number of seconds > 0, got NaN.",
    ],
  ])(
    "get() refuses %s with a CanvasError naming the option and the value",
    async (_, options, text) => {
      const error = await caught(() => res.get(options as never));
      expect(error).toBeInstanceOf(CanvasError);
      expect(error.message).toMatch(/^get\(\): /);
      expect(error.message).toContain(text);
    },
  );

  it("refuses a number passed instead of an options object", async () => {
    const error = await caught(() => res.get(5 as never));
    expect(error).toBeInstanceOf(CanvasError);
    expect(error.message).toBe("get(): options must be an object such as { timeout: 10 }, got 5.");
  });

  it("names join() and get() on a group, and collect() when it is called", async () => {
    const gres = await group(echo.s(1), echo.s(2)).delay();
    expect((await caught(() => gres.join({ timeout: Number.NaN }))).message).toMatch(
      /^join\(\): option 'timeout' .* got NaN\.$/,
    );
    expect((await caught(() => gres.get({ timeout: -5 }))).message).toMatch(
      /^get\(\): option 'timeout' .* got -5\.$/,
    );
    const error = await caught(() => res.collect({ interval: -1 }));
    expect(error).toBeInstanceOf(CanvasError);
    expect(error.message).toMatch(/^collect\(\): option 'interval' .* got -1\.$/);
    expect(await gres.get({ timeout: 10 })).toEqual([1, 2]);
  });

  it("takes timeout: Infinity as no timeout, and timeout: 0 as one look", async () => {
    const r = await echo.delay(4);
    expect(await r.get({ timeout: Infinity })).toBe(4);
    await expect(res.get({ timeout: 0 })).rejects.toThrow(/timed out after 0 s/);
  });
});

describe("Times of a call: countdown, eta, expires", () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      "a NaN countdown",
      { countdown: Number.NaN },
      /option 'countdown' must be a finite number of seconds, got NaN\./,
    ],
    [
      "an infinite countdown",
      { countdown: Infinity },
      /option 'countdown' must be a finite number of seconds, got Infinity\./,
    ],
    [
      "a countdown as a string",
      { countdown: "10" },
      /option 'countdown' must be a finite number of seconds, got "10"\./,
    ],
    [
      "a countdown of 1e14 s",
      { countdown: 1e14 },
      /option 'countdown' must be a number of seconds that ends from 0000-01-01T00:00:00\.000Z to 9999-12-31T23:59:59\.999Z, got 100000000000000\./,
    ],
    [
      "an invalid eta",
      { eta: new Date("soon") },
      /option 'eta' must be a valid Date from .* got Date\(Invalid Date\)\./,
    ],
    [
      "an eta string that does not parse",
      { eta: "tomorrow" },
      /option 'eta' must be a valid Date .* got "tomorrow"\./,
    ],
    [
      "an eta past the year 9999",
      { eta: new Date(8.64e15) },
      /option 'eta' must be a valid Date from 0000-01-01T00:00:00\.000Z to 9999-12-31T23:59:59\.999Z, got Date\(/,
    ],
    [
      "a NaN expires",
      { expires: Number.NaN },
      /option 'expires' must be a finite number of seconds, got NaN\./,
    ],
    [
      "an infinite expires",
      { expires: -Infinity },
      /option 'expires' must be a finite number of seconds, got -Infinity\./,
    ],
    [
      "an expires of 1e14 s",
      { expires: 1e14 },
      /option 'expires' must be a number of seconds that ends from .* got 100000000000000\./,
    ],
    [
      "an invalid expires Date",
      { expires: new Date(Number.NaN) },
      /option 'expires' must be a valid Date .* got Date\(Invalid Date\)\./,
    ],
    [
      "an expires of another type",
      { expires: true },
      /option 'expires' must be a number of seconds or a Date, got true\./,
    ],
  ];

  it.each(cases)(
    "applyAsync refuses %s, naming it, and sends nothing",
    async (_, options, text) => {
      const before = broker.publishedCount;
      const error = await caught(() => echo.applyAsync([1], {}, options as never));
      expect(error).toBeInstanceOf(CanvasError);
      expect(error.message).toMatch(/^bt\.echo\.applyAsync\(\): /);
      expect(error.message).toMatch(text);
      expect(broker.publishedCount).toBe(before);
    },
  );

  it.each(cases)("signature options and set() refuse %s", (_, options, text) => {
    expect(() => echo.signature([1], {}, options as never)).toThrow(text);
    expect(() => echo.s(1).set(options as never)).toThrow(CanvasError);
    expect(() => echo.s(1).set(options as never)).toThrow(/^Signature bt\.echo: /);
  });

  it("sends no member of a group or step of a chain when the call's countdown is bad", async () => {
    const before = broker.publishedCount;
    await expect(
      group(echo.s(1), echo.s(2)).applyAsync([], {}, { countdown: 1e14 }),
    ).rejects.toThrow(CanvasError);
    await expect(
      chain(echo.s(1), echo.s()).applyAsync([], {}, { eta: new Date(NaN) }),
    ).rejects.toThrow(/option 'eta'/);
    expect(() => group(echo.s(1), echo.s(2)).skew(0, undefined, Infinity)).toThrow(
      /option 'countdown'/,
    );
    expect(broker.publishedCount).toBe(before);
  });

  it("refuses an option changed in place (options are frozen), and set() checks the time", () => {
    const sig = echo.s(2);
    expect(() => {
      (sig.options as { countdown?: number }).countdown = 1e14;
    }).toThrow(TypeError);
    expect(sig.options.countdown).toBeUndefined();
    expect(() => sig.set({ countdown: 1e14 })).toThrow(
      /^Signature bt\.echo: option 'countdown' must be a number of seconds that ends/,
    );
  });

  it("reads an eta that does not parse in Celery's JSON form as a CanvasError naming it", () => {
    const json: SignatureJSON = {
      task: "bt.echo",
      args: [1],
      kwargs: {},
      options: { eta: "not-a-date" },
      subtask_type: null,
      immutable: false,
    };
    expect(() => Signature.fromJSON(json, app)).toThrow(
      /^Signature bt\.echo: option 'eta' must be a valid Date .* got "not-a-date"\.$/,
    );
    const ok = Signature.fromJSON({ ...json, options: { eta: "2030-01-01T00:00:00.000Z" } }, app);
    expect(ok.options.eta).toEqual(new Date("2030-01-01T00:00:00.000Z"));
  });

  it("runs a task with a negative countdown at once, as Celery does (its ETA is in the past)", async () => {
    const res = await echo.applyAsync([7], {}, { countdown: -30 });
    expect(await res.get({ timeout: 10 })).toBe(7);
  });

  it("revokes a task whose expires is already past when it arrives, as Celery does", async () => {
    const res = await echo.applyAsync([8], {}, { expires: -1 });
    await expect(res.get({ timeout: 10 })).rejects.toThrow();
    expect(await res.state()).toBe(states.REVOKED);
  });
});

describe("Retry delays", () => {
  it.each([
    ["NaN", /option 'countdown' must be a finite number of seconds, got NaN\./],
    ["Infinity", /option 'countdown' must be a finite number of seconds, got Infinity\./],
    ["1e14", /option 'countdown' must be a number of seconds that ends .* got 100000000000000\./],
  ])(
    "this.retry({ countdown: %s }) fails the task with a CanvasError, not a retry",
    async (countdown, text) => {
      const res = await retrying.delay(countdown);
      const error = await res.get({ timeout: 10, propagate: false });
      expect((error as Error).name).toBe("CanvasError");
      expect((error as Error).message).toMatch(/^bt\.retrying\[[0-9a-f-]+\] this\.retry\(\): /);
      expect((error as Error).message).toMatch(text);
      expect(await res.state()).toBe(states.FAILURE);
    },
  );

  it("refuses a task whose defaultRetryDelay or retryBackoffMax is not a usable delay", () => {
    expect(() => app.task("bt.bad1", () => 1, { defaultRetryDelay: Number.NaN })).toThrow(
      "app.task('bt.bad1'): option 'defaultRetryDelay' must be a finite number of seconds, got NaN.",
    );
    expect(() => app.task("bt.bad2", () => 1, { retryBackoffMax: 1e14 })).toThrow(CanvasError);
    expect(app.getTask("bt.bad1")).toBeUndefined();
  });
});
