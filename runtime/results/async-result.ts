import { decodeError, encodeError, type StoredError } from "../errors/error-codec.js";
import { TaskRevokedError } from "../errors/task-errors.js";
import type { ResultRef, TaskMeta } from "../ports/task-meta.js";
import type { JsonValue } from "../types/json.js";
import { DependencyGraph } from "./graph.js";
import { GroupResult } from "./group-result.js";
import { checkWaitOptions, pollUntil, type WaitOptions } from "./poll.js";
import type { ResultContext } from "./result-context.js";
import { decodeResultValue } from "./result-ref.js";
import { isPropagating, isTerminal, type TaskState } from "./states.js";

/** Options of `get()`. Durations in seconds. */
export interface GetOptions extends WaitOptions {
  /** Reject with the task's error when it failed. @default true */
  propagate?: boolean;
}

/** A task result, or a group of them. */
export type ResultHandle = AsyncResult | GroupResult;

/**
 * A handle on one task's result, as Celery's `AsyncResult`: ask its state, wait for its
 * value, walk to its parent and children. Holding one costs nothing; each question is
 * one read of the result backend.
 *
 * @example
 * const res = await add.delay(2, 2);
 * await res.get({ timeout: 10 }); // 4
 */
export class AsyncResult<T = unknown> {
  /** The result of the task before this one in a chain, when known. */
  parent: ResultHandle | undefined;
  /**
   * The task was sent with `ignoreResult` (or is declared with it): no state will ever be
   * stored, so `get()` resolves `null` at once instead of waiting, as Celery's does.
   */
  ignored = false;

  constructor(
    readonly id: string,
    protected readonly app: ResultContext,
    parent?: ResultHandle,
  ) {
    if (!id) throw new TypeError("AsyncResult needs a task id.");
    this.parent = parent;
  }

  /** The stored record, or undefined while PENDING. */
  protected async meta(): Promise<TaskMeta | undefined> {
    return this.app.backend.get(this.id);
  }

  /** PENDING for unknown ids, else the stored state. */
  async state(): Promise<TaskState> {
    return (await this.meta())?.status ?? "PENDING";
  }

  /** Alias of `state()`, as Celery's `status`. */
  async status(): Promise<TaskState> {
    return this.state();
  }

  /** The task finished: SUCCESS, FAILURE or REVOKED. */
  async ready(): Promise<boolean> {
    return isTerminal(await this.state());
  }

  async successful(): Promise<boolean> {
    return (await this.state()) === "SUCCESS";
  }

  async failed(): Promise<boolean> {
    return (await this.state()) === "FAILURE";
  }

  /** The worker's stack trace of a failed task, else null. */
  async traceback(): Promise<string | null> {
    return (await this.meta())?.traceback ?? null;
  }

  /** The value now: the return value, the error of a failed task, or undefined while PENDING. */
  async result(): Promise<unknown> {
    const meta = await this.meta();
    return meta ? this.valueOf(meta) : undefined;
  }

  /** The ISO time the task finished, or null. */
  async dateDone(): Promise<string | null> {
    return (await this.meta())?.dateDone ?? null;
  }

  /**
   * Waits for the task to finish and resolves its return value. Rejects with the task's
   * own error (same `name` and `message`, the worker's stack) when it failed, unless
   * `propagate` is false, in which case the error is the resolved value. Rejects with
   * `TimeoutError` after `timeout` seconds (`Infinity`, like no timeout, waits forever).
   * An `ignored` result (a task sent with `ignoreResult`) resolves `null` at once.
   * @throws CanvasError, before any read, for a `timeout` or `interval` that is NaN,
   * negative or not a number.
   */
  get(options: GetOptions & { propagate: false }): Promise<T | Error>;
  get(options?: GetOptions): Promise<T>;
  async get(options: GetOptions = {}): Promise<T | Error> {
    if (this.ignored) {
      checkWaitOptions(options, "get()");
      return null as T;
    }
    const meta = await pollUntil(
      async () => {
        const m = await this.meta();
        return m && isTerminal(m.status) ? m : undefined;
      },
      options,
      async () => `task ${this.id} is still ${await this.state()}`,
      "get()",
    );
    const value = this.valueOf(meta);
    if (isPropagating(meta.status) && options.propagate !== false) throw value;
    return value as T;
  }

  /** The results of tasks this task spawned: link callbacks, the next chain step, tasks it sent. */
  async children(): Promise<ResultHandle[]> {
    const meta = await this.meta();
    return (meta?.children ?? []).map((ref) => buildResult(ref, this.app));
  }

  /**
   * Walks this result and its children breadth first, waiting for each, and yields
   * `[result, value]` pairs, as Celery's `collect()`. Bad wait options are refused
   * when it is called, not at the first step.
   */
  collect(options: GetOptions = {}): AsyncGenerator<[ResultHandle, unknown]> {
    checkWaitOptions(options, "collect()");
    return this.walk(options);
  }

  private async *walk(options: GetOptions): AsyncGenerator<[ResultHandle, unknown]> {
    const queue: ResultHandle[] = [this];
    while (queue.length > 0) {
      const node = queue.shift()!;
      const value = await node.get(options);
      yield [node, value];
      queue.push(...(await node.children()));
    }
  }

  /** The dependency graph of this result and everything it spawned; `.toDot()` writes DOT. */
  async graph(): Promise<DependencyGraph> {
    return DependencyGraph.build(this);
  }

  /**
   * Revokes the task: it is stored as REVOKED now (unless it already finished), and a
   * worker that receives it later does not run it. A task already running is not stopped,
   * but its result and successors are discarded.
   */
  async revoke(): Promise<void> {
    const { stored, traceback } = encodeError(new TaskRevokedError("revoked", { taskId: this.id }));
    await this.app.backend.storeTerminal({
      taskId: this.id,
      status: "REVOKED",
      result: stored,
      traceback,
      children: [],
      dateDone: new Date().toISOString(),
    });
  }

  /** Deletes the stored result of this task and of its parents. */
  async forget(): Promise<void> {
    const ids = [this.id];
    for (let r = this.parent; r; r = r.parent) {
      if (r instanceof AsyncResult) ids.push(r.id);
      else await r.forget();
    }
    await this.app.backend.forget(ids);
  }

  /** The form stored inside another task's value or children. */
  toRef(): ResultRef {
    return { id: this.id };
  }

  toString(): string {
    return `<AsyncResult: ${this.id}>`;
  }

  /**
   * The value a stored record stands for: the return value, or the rebuilt error.
   * @internal used by GroupResult to read many members with one batched read.
   */
  valueOf(meta: TaskMeta): unknown {
    if (meta.status === "SUCCESS") {
      return decodeResultValue(meta.result as JsonValue, (ref) => buildResult(ref, this.app));
    }
    if (meta.status === "STARTED") return meta.result;
    return decodeError(meta.result as StoredError, meta.traceback, this.id, this.app.errorClasses);
  }
}

/** Builds a result handle from its stored reference. */
export function buildResult(ref: ResultRef, app: ResultContext): ResultHandle {
  if ("groupId" in ref) {
    return new GroupResult(
      ref.groupId,
      ref.ids.map((id) => new AsyncResult(id, app)),
      app,
    );
  }
  return new AsyncResult(ref.id, app);
}
