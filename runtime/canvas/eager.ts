import { EagerResult } from "../results/eager-result.js";
import type { CanvasApp } from "./canvas-app.js";
import type { AnySignature } from "./signature.js";

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
