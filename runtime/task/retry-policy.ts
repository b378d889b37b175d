import { Retry } from "../errors/task-errors.js";
import { TASK_DEFAULTS, type TaskOptions } from "./task-options.js";

/** The decision for a task that threw: retry later, or fail for good. */
export type RetryDecision =
  { retry: true; countdown: number; exc: unknown } | { retry: false; error: unknown };

/** True when `error` is one of the task's `autoretryFor` errors. */
export function isAutoretry(options: TaskOptions, error: unknown): boolean {
  const list = options.autoretryFor ?? [];
  if (!(error instanceof Error)) return false;
  return list.some((cls) => (typeof cls === "string" ? error.name === cls : error instanceof cls));
}

/**
 * Celery's exponential backoff: `min(max, factor * 2 ** retries)`, and with jitter a
 * random whole number of seconds from 0 to that.
 */
export function backoffCountdown(
  options: TaskOptions,
  retries: number,
  random = Math.random,
): number {
  const factor = options.retryBackoff === true ? 1 : Math.max(1, Number(options.retryBackoff));
  const max = options.retryBackoffMax ?? TASK_DEFAULTS.retryBackoffMax;
  const countdown = Math.min(max, factor * 2 ** retries);
  return (options.retryJitter ?? TASK_DEFAULTS.retryJitter)
    ? Math.floor(random() * (countdown + 1))
    : countdown;
}

/** Whether a failure retries, with what countdown, or fails (with which error). */
export function decideRetry(
  options: TaskOptions,
  retries: number,
  error: unknown,
): RetryDecision | undefined {
  const explicit = error instanceof Retry;
  if (!explicit && !isAutoretry(options, error)) return undefined;
  const override = explicit
    ? (error as Retry & { maxRetries?: number | null }).maxRetries
    : undefined;
  // `null` means "retry forever", so only `undefined` falls back to the default.
  const ownMax = options.maxRetries === undefined ? TASK_DEFAULTS.maxRetries : options.maxRetries;
  const maxRetries = override !== undefined ? override : ownMax;
  const exc = explicit ? (error as Retry).exc : error;
  if (maxRetries !== null && retries >= maxRetries) return { retry: false, error: exc };
  let countdown: number;
  if (explicit && Number.isFinite((error as Retry).countdown))
    countdown = (error as Retry).countdown;
  else if (!explicit && options.retryBackoff) countdown = backoffCountdown(options, retries);
  else countdown = options.defaultRetryDelay ?? TASK_DEFAULTS.defaultRetryDelay;
  return { retry: true, countdown, exc: exc ?? error };
}
