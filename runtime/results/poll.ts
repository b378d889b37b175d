import { CanvasError } from "../errors/usage-errors.js";
import { TimeoutError } from "../errors/task-errors.js";
import { checkSeconds, describeValue } from "../types/durations.js";

/** How `get()`, `join()` and `collect()` wait. Every duration is in seconds. */
export interface WaitOptions {
  /**
   * Give up after this many seconds with a `TimeoutError`; `0` looks once. `Infinity`
   * waits forever, as leaving it out does. NaN, negative numbers and non-numbers are
   * refused with a `CanvasError`. @default wait forever
   */
  timeout?: number;
  /** Longest pause between two reads of the backend; a finite number above 0. @default 0.5 */
  interval?: number;
}

/** The longest pause a timer takes (Node runs longer ones at once). */
const MAX_PAUSE_MS = 2 ** 31 - 1;

/**
 * Refuses wait options that cannot mean anything (a NaN or negative `timeout`, an
 * `interval` of 0, a number passed instead of `{ timeout }`), naming `where` (`get()`).
 * @throws CanvasError naming the option and the value.
 */
export function checkWaitOptions(options: unknown, where: string): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new CanvasError(
      `${where}: options must be an object such as { timeout: 10 }, got ${describeValue(options)}.`,
    );
  }
  const { timeout, interval } = options as WaitOptions;
  if (timeout !== undefined)
    checkSeconds(timeout, where, "timeout", { min: "zero", infinite: true });
  if (interval !== undefined) checkSeconds(interval, where, "interval", { min: "above-zero" });
}

/**
 * The first pause of a wait, in milliseconds, for one task's result (`AsyncResult.get()`):
 * about one backend round trip. A task sent just before `get()` is seldom stored within
 * the first read, and often is within a few round trips (receive, read, write), so the
 * reads start close together and spread out from there.
 */
export const FIRST_PAUSE_MS = 2;

/**
 * The first pause of a group's wait (`GroupResult.join()`), in milliseconds: each of its
 * reads covers every member still pending (a `BatchGetItem` per 100), and the group is
 * only as fast as its slowest member, so it starts wider.
 */
export const GROUP_FIRST_PAUSE_MS = 10;

/**
 * Calls `check` until it returns a value: the first call at once, then after pauses of
 * `firstPauseMs` (default {@link FIRST_PAUSE_MS}), doubling up to `interval`, so a fast
 * task is seen a round trip or two after it is stored and a slow one costs few reads
 * (about log2(wait / firstPauseMs) reads, then one per `interval`). The options are
 * checked first (see {@link checkWaitOptions}), naming `where`.
 */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  options: WaitOptions,
  describe: () => Promise<string>,
  where: string,
  firstPauseMs: number = FIRST_PAUSE_MS,
): Promise<T> {
  checkWaitOptions(options, where);
  const interval = Math.min((options.interval ?? 0.5) * 1000, MAX_PAUSE_MS);
  const deadline =
    options.timeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeout * 1000;
  let pause = Math.min(firstPauseMs, interval);
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new TimeoutError(
        `The operation timed out after ${options.timeout} s: ${await describe()}.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
    pause = Math.min(pause * 2, interval);
  }
}
