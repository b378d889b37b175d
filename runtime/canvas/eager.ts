import { randomUUID } from "node:crypto";
import { EagerResult } from "../results/eager-result.js";
import type { CanvasApp } from "./canvas-app.js";
import type { AnySignature } from "./signature.js";

/**
 * `apply()` of a task's signature: the task runs in this process, then its callbacks (on
 * success, with the value prepended) or its errbacks (with its id prepended).
 */
export async function applyTask(sig: AnySignature, args: unknown[]): Promise<EagerResult> {
  const app = sig.app;
  const id = sig.options.taskId ?? randomUUID();
  const callArgs = sig.immutable ? [...sig.args] : [...args, ...sig.args];
  try {
    const value = await app.runEager(sig.task, callArgs, sig.kwargs, id);
    for (const cb of sig.options.link ?? []) await cb.apply(...(cb.immutable ? [] : [value]));
    return EagerResult.success(id, value, app);
  } catch (error) {
    for (const eb of sig.options.linkError ?? []) await eb.apply(...(eb.immutable ? [] : [id]));
    return EagerResult.failure(id, error, app);
  }
}

/**
 * `apply()` of the composites, in this process (Celery's eager mode): each step or member
 * runs through its own `apply()`. A failure ends the run and is the result, as
 * `get()` on the sent canvas would reject with it.
 */
export async function applyChain(steps: AnySignature[], args: unknown[]): Promise<EagerResult> {
  let result: EagerResult | undefined;
  for (const [i, step] of steps.entries()) {
    const stepArgs = i === 0 ? args : [await result!.get()];
    result = (await step.apply(...stepArgs)) as EagerResult;
    if (await result.failed()) return result;
  }
  if (!result) throw new TypeError("chain() has no tasks: nothing to run.");
  return result;
}

/** Runs every member with `args`; the values in member order, or the first failure. */
export async function applyGroup(
  id: string,
  members: AnySignature[],
  args: unknown[],
  app: CanvasApp,
): Promise<EagerResult> {
  const values: unknown[] = [];
  for (const member of members) {
    const result = (await member.apply(...args)) as EagerResult;
    if (await result.failed())
      return EagerResult.failure(id, await result.get({ propagate: false }), app);
    values.push(await result.get());
  }
  return EagerResult.success(id, values, app);
}
