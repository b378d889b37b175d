import { randomUUID } from "node:crypto";
import type { CanvasApp } from "../canvas/canvas-app.js";
import type { CallOptions } from "../canvas/options.js";
import { type AnySignature, Signature } from "../canvas/signature.js";
import type { Prefix, Suffixes } from "../canvas/types.js";
import { Chunks, chunkItems, xmap, xstarmap } from "../canvas/xmap.js";
import type { AsyncResult } from "../results/async-result.js";
import type { EagerResult } from "../results/eager-result.js";
import type { JsonObject } from "../types/json.js";
import { makeContext, type RequestInfo, requestInfo, type TaskContext } from "./task-context.js";
import type { TaskOptions } from "./task-options.js";

/** The methods every task has, typed by its parameters `P` and return type `R`. */
export interface TaskMethods<P extends unknown[], R> {
  readonly name: string;
  readonly options: Readonly<TaskOptions>;
  /** Sends the task: `add.delay(2, 2)` = `add.applyAsync([2, 2])`. */
  delay(...args: P): Promise<AsyncResult<R>>;
  /** Sends the task with kwargs and options (`countdown`, `queue`, `link`, …). */
  applyAsync(
    args?: P,
    kwargs?: JsonObject,
    options?: CallOptions<AnySignature>,
  ): Promise<AsyncResult<R>>;
  /**
   * A signature, possibly partial. Partial args are prepended at call time, so
   * `sub.s(2)` binds the LAST parameter and `.delay(10)` supplies the first: `sub(10, 2)`.
   */
  s<B extends Suffixes<P>>(...args: B): Signature<Prefix<P, B>, R>;
  /** An immutable signature: it ignores a parent's result and partial args. */
  si(...args: P): Signature<[], R, AsyncResult<R>, true>;
  /** A signature with kwargs and options: `add.signature([2, 2], {}, { countdown: 10 })`. */
  signature(
    args?: unknown[],
    kwargs?: JsonObject,
    options?: CallOptions<AnySignature> & { immutable?: boolean },
  ): Signature<unknown[], R>;
  /** One task that runs this task on each item: `[f(a), f(b), …]`. */
  map(items: Iterable<P[0]>): Signature<[], R[], AsyncResult<R[]>, true>;
  /** One task that runs this task on each argument list: `[f(...a), f(...b), …]`. */
  starmap(items: Iterable<P>): Signature<[], R[], AsyncResult<R[]>, true>;
  /** `items` in parts of `n`, one starmap task each; resolves a GroupResult of lists. */
  chunks(items: Iterable<P>, n: number): Chunks<R>;
  /** Runs the task in this process and resolves an EagerResult. Sends nothing. */
  apply(...args: P): Promise<EagerResult<R>>;
  /**
   * Runs the function for a worker: `args` and non-empty `kwargs` (as one extra, last
   * argument), with `this` bound to the context when `bind` is set.
   * @internal
   */
  invoke(args: unknown[], kwargs: JsonObject, request: RequestInfo): Promise<unknown>;
}

/**
 * A registered task: callable in this process (`add(2, 2)` returns exactly what the
 * function returns: a number for a sync task, a Promise for an async one), and sendable.
 * `R` is the result a worker stores (the function's return value, awaited); `Direct` is
 * what a direct call returns.
 */
export type Task<P extends unknown[] = unknown[], R = unknown, Direct = R | Promise<R>> = ((
  ...args: P
) => Direct) &
  TaskMethods<P, R>;

/** A task function, optionally using `this` as its context. */
// A task function may take any parameters; they are inferred per task.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TaskFunction = (this: TaskContext, ...args: any[]) => unknown;

/** Builds the callable task object for `app.task()`. */
export function createTask<F extends TaskFunction>(
  app: CanvasApp,
  name: string,
  fn: F,
  options: TaskOptions,
): Task<Parameters<F>, Awaited<ReturnType<F>>, ReturnType<F>> {
  type P = Parameters<F>;
  type R = Awaited<ReturnType<F>>;

  const invoke = async (
    args: unknown[],
    kwargs: JsonObject,
    request: RequestInfo,
  ): Promise<unknown> => {
    const callArgs = Object.keys(kwargs).length > 0 ? [...args, kwargs] : args;
    const self = options.bind ? makeContext(name, request) : undefined;
    return await fn.apply(self as TaskContext, callArgs);
  };

  const direct = (...args: P): unknown => {
    const request = requestInfo({ id: randomUUID(), task: name, args, calledDirectly: true });
    return fn.apply((options.bind ? makeContext(name, request) : undefined) as TaskContext, args);
  };

  const sig = (
    args: unknown[],
    init: { kwargs?: JsonObject; options?: CallOptions<AnySignature>; immutable?: boolean } = {},
  ) =>
    new Signature<unknown[], R>(name, {
      args,
      ...(init.kwargs ? { kwargs: init.kwargs } : {}),
      ...(init.options ? { options: init.options as never } : {}),
      immutable: init.immutable ?? false,
      app,
    });

  const methods: TaskMethods<P, R> = {
    name,
    options: Object.freeze({ ...options }),
    delay: (...args: P) => sig([]).applyAsync(args),
    applyAsync: (args?: P, kwargs?: JsonObject, callOptions?: CallOptions<AnySignature>) =>
      sig([]).applyAsync(args ?? [], kwargs ?? {}, callOptions ?? {}),
    s: (...args) => sig(args) as never,
    si: (...args: P) => sig(args, { immutable: true }) as never,
    signature: (args = [], kwargs, callOptions) => {
      const { immutable, ...rest } = callOptions ?? {};
      return sig(args, {
        ...(kwargs ? { kwargs } : {}),
        options: rest,
        immutable: immutable ?? false,
      });
    },
    map: (items) => xmap<R>(sig([]), items as Iterable<unknown>),
    starmap: (items) => xstarmap<R>(sig([]), items as Iterable<unknown[]>),
    chunks: (items, n) =>
      new Chunks<R>(sig([]), chunkItems(sig([]), items as Iterable<unknown[]>), n),
    apply: (...args: P) => sig([]).apply(...args) as Promise<EagerResult<R>>,
    invoke,
  };
  Object.defineProperty(direct, "name", { value: name });
  const { name: _n, ...rest } = methods;
  return Object.assign(direct, rest) as unknown as Task<P, R, ReturnType<F>>;
}
