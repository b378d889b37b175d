import type { ErrorClass } from "../results/result-context.js";

/** Options of `app.task(name, fn, options)`. Durations are in seconds. */
export interface TaskOptions {
  /** The queue (routing key) this task's messages go to unless a call or route says otherwise. */
  queue?: string;
  /** How many times the task may be retried; `null` retries forever. @default 3 */
  maxRetries?: number | null;
  /** Countdown of a retry that names none. @default 180 */
  defaultRetryDelay?: number;
  /** Errors (classes or names) that retry the task automatically. @default [] */
  autoretryFor?: readonly (ErrorClass | string)[];
  /** Exponential backoff for automatic retries: `true` (factor 1) or the factor. @default false */
  retryBackoff?: boolean | number;
  /** The longest backoff. @default 600 */
  retryBackoffMax?: number;
  /** Randomise backoff between 0 and its value. @default true */
  retryJitter?: boolean;
  /** Store no result (and write nothing to the result backend). @default false */
  ignoreResult?: boolean;
  /** Store STARTED when the task starts (one more write). @default false */
  trackStarted?: boolean;
  /** Call the function with `this` as the task context (`this.request`, `this.retry()`). @default false */
  bind?: boolean;
  /**
   * Claim the task before it runs (one more write), so that a copy of the message
   * delivered while it runs does not run it twice. `leaseSeconds` frees the claim after
   * a crash. @default false
   */
  once?: boolean | { leaseSeconds: number };
}

/**
 * The lease of a claim when the delivery names none (a local worker): a crashed run's
 * claim is free again after it. In Lambda the lease is the invocation's remaining time
 * plus a margin, so a redelivery after the visibility timeout (six times the function
 * timeout) always finds it free, long before the message could reach the DLQ.
 */
export const DEFAULT_CLAIM_LEASE_SECONDS = 60;

/** Celery's defaults. */
export const TASK_DEFAULTS = {
  maxRetries: 3,
  defaultRetryDelay: 180,
  retryBackoffMax: 600,
  retryJitter: true,
} as const;
