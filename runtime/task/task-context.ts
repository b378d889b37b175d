import { Retry } from "../errors/task-errors.js";
import { timeAfter } from "../types/durations.js";
import type { JsonObject } from "../types/json.js";

/** What a bound task (`bind: true`) sees as `this.request`. */
export interface RequestInfo {
  id: string;
  task: string;
  args: unknown[];
  kwargs: JsonObject;
  retries: number;
  rootId: string;
  parentId: string | null;
  groupId: string | null;
  groupIndex: number | null;
  /** True when the task was called as a function, not from a message. */
  calledDirectly: boolean;
}

/** What a request is built from: the task and its arguments; any other field defaults. */
export type RequestFields = Pick<RequestInfo, "id" | "task" | "args"> &
  Partial<Omit<RequestInfo, "id" | "task" | "args">>;

/**
 * The one place a `RequestInfo` is made, for a message's run, an eager `apply()` and a
 * direct call alike: no kwargs, no retries, no parent, group or chord slot, and the task
 * its own root unless `fields` say otherwise.
 */
export function requestInfo(fields: RequestFields): RequestInfo {
  return {
    id: fields.id,
    task: fields.task,
    args: fields.args,
    kwargs: fields.kwargs ?? {},
    retries: fields.retries ?? 0,
    rootId: fields.rootId ?? fields.id,
    parentId: fields.parentId ?? null,
    groupId: fields.groupId ?? null,
    groupIndex: fields.groupIndex ?? null,
    calledDirectly: fields.calledDirectly ?? false,
  };
}

/** Options of `this.retry()`. */
export interface RetryOptions {
  /**
   * Seconds before the retry runs; negative runs it at once. NaN, ±Infinity and a delay
   * past the year 9999 are refused with a `CanvasError` (the task fails with it).
   * @default the task's defaultRetryDelay
   */
  countdown?: number;
  /** The error to raise when no retries are left (else `MaxRetriesExceededError`). */
  exc?: unknown;
  /** Overrides the task's `maxRetries` for this call. */
  maxRetries?: number | null;
}

/** `this` inside a task registered with `bind: true`. */
export interface TaskContext {
  readonly name: string;
  readonly request: RequestInfo;
  /**
   * Asks the worker to run the task again later (same id, `retries + 1`). Throws a
   * `Retry` that the worker catches: `throw this.retry({ countdown: 5 })` reads best.
   */
  retry(options?: RetryOptions): never;
}

/** Builds a task context around a request. */
export function makeContext(name: string, request: RequestInfo): TaskContext {
  return {
    name,
    request,
    retry(options: RetryOptions = {}): never {
      if (request.calledDirectly) {
        if (options.exc !== undefined) throw options.exc;
      }
      if (options.countdown !== undefined)
        timeAfter(options.countdown, `${name}[${request.id}] this.retry()`, "countdown");
      const retry = new Retry(
        `Retry in ${options.countdown ?? "the default delay of"} s: ${name}[${request.id}]`,
        options.countdown ?? Number.NaN,
        options.exc,
        { taskId: request.id },
      );
      if (options.maxRetries !== undefined)
        Object.assign(retry, { maxRetries: options.maxRetries });
      throw retry;
    },
  };
}
