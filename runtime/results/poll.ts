import { TimeoutError } from "../errors/task-errors.js";

/** How `get()` and `join()` wait. Every duration is in seconds. */
export interface WaitOptions {
  /** Give up after this many seconds with a `TimeoutError`. @default wait forever */
  timeout?: number;
  /** Longest pause between two reads of the backend. @default 0.5 */
  interval?: number;
}

/**
 * Calls `check` until it returns a value, pausing between calls: first 10 ms, doubling up
 * to `interval`, so a fast task is seen quickly and a slow one costs few reads.
 */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  options: WaitOptions,
  describe: () => Promise<string>,
): Promise<T> {
  const interval = (options.interval ?? 0.5) * 1000;
  const deadline =
    options.timeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeout * 1000;
  let pause = Math.min(10, interval);
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
