import { randomUUID } from "node:crypto";
import { CanvasError } from "../errors/usage-errors.js";
import type { ResultHandle } from "../results/async-result.js";
import type { JsonObject } from "../types/json.js";
import type { CanvasApp } from "./canvas-app.js";
import { normaliseSteps } from "./chain-steps.js";
import { applyChain } from "./eager.js";
import type { EagerResult } from "../results/eager-result.js";
import { optionsForMembers } from "./options.js";
import { type CallArgs, emptyCall, type Plan, type Position } from "./plan.js";
import { type AnySignature, mergeOptions, Signature, type SignatureInit } from "./signature.js";
import type { SignatureJSON, SubtaskType } from "./signature-json.js";

/**
 * Tasks that run one after another, each receiving the previous one's result prepended
 * to its args (Celery's `chain`). Only the first message is sent; the rest travel with
 * it, with their ids fixed in advance. The result is the last task's, and `.parent`
 * walks back to the first. When a step fails, the later steps fail with the same error.
 *
 * @example
 * const res = await chain(add.s(4, 4), mul.s(8), mul.s(10)).delay();
 * await res.get(); // 640
 */
export class Chain<
  TArgs extends unknown[] = unknown[],
  TResult = unknown,
  THandle = unknown,
> extends Signature<TArgs, TResult, THandle> {
  override readonly subtaskType: SubtaskType = "chain";
  tasks: AnySignature[];

  constructor(tasks: AnySignature[], init: SignatureInit = {}) {
    super("celery.chain", init);
    for (const [i, t] of tasks.entries()) {
      if (!(t instanceof Signature))
        throw new CanvasError(`chain(): step ${i} is not a signature.`);
    }
    this.tasks = tasks;
  }

  protected override copy(): this {
    return new Chain(
      this.tasks.map((t) => t.clone()),
      this.copyInit(),
    ) as this;
  }

  override get definingApp(): CanvasApp | undefined {
    return this.boundApp ?? this.tasks.find((t) => t.definingApp)?.definingApp;
  }

  /** The steps after Celery's composition rules (see `normaliseSteps`). */
  steps(): AnySignature[] {
    return normaliseSteps(
      this.tasks,
      isChain,
      (steps) => new Chain(steps, this.boundApp ? { app: this.boundApp } : {}),
    );
  }

  override planInto(
    plan: Plan | undefined,
    call: CallArgs,
    pos: Position,
    app: CanvasApp,
  ): ResultHandle {
    const steps = this.steps();
    const first = steps[0];
    if (!first) throw new CanvasError("chain() has no tasks: nothing to send.");
    const o = mergeOptions(this.options, call.options);
    const firstCall: CallArgs = {
      args: this.immutable ? [] : [...call.args, ...this.args],
      kwargs: this.immutable ? {} : { ...this.kwargs, ...call.kwargs },
      options: {},
    };
    if (steps.length === 1) return first.planInto(plan, { ...firstCall, options: o }, pos, app);

    const { taskId, link, linkError } = o;
    const firstOptions = optionsForMembers(o);
    // The chain's own links move to its steps, once: a chain planned again (freeze() then
    // delay(), or read back from JSON) does not add them a second time.
    this.updateOptions((own) => {
      delete own.link;
      delete own.linkError;
    });
    for (const step of steps) for (const e of linkError ?? []) step.onError(e.clone());
    const last = steps.at(-1)!;
    for (const l of link ?? []) last.link(l);

    if (!first.options.taskId) first.updateOptions((f) => (f.taskId = randomUUID()));
    const rootId = pos.rootId ?? o.rootId ?? app.currentRequest()?.rootId ?? first.options.taskId!;
    const results: ResultHandle[] = [];
    for (let i = steps.length - 1; i >= 0; i--) {
      const step = steps[i]!;
      const isLast = i === steps.length - 1;
      const prev = steps[i - 1];
      if (prev && !prev.options.taskId) prev.updateOptions((p) => (p.taskId = randomUUID()));
      const stepPos: Position = {
        rootId,
        ...(prev
          ? { parentId: prev.options.taskId! }
          : pos.parentId
            ? { parentId: pos.parentId }
            : {}),
        ...(isLast && pos.groupId ? { groupId: pos.groupId } : {}),
        ...(isLast && pos.groupIndex !== undefined ? { groupIndex: pos.groupIndex } : {}),
        ...(isLast && pos.chord ? { chord: pos.chord } : {}),
      };
      const stepCall = isLast && taskId ? { ...emptyCall(), options: { taskId } } : emptyCall();
      results[i] = step.planInto(undefined, stepCall, stepPos, app);
    }
    // Each step's result hangs below the one before it; a chord step's body result keeps
    // its header as parent, and the header gets the previous step (Celery's
    // `prepare_steps`: the root of each step's parent chain is linked).
    for (let i = 1; i < results.length; i++) rootOf(results[i]!).parent = results[i - 1];
    if (plan) {
      first.planInto(
        plan,
        { ...firstCall, options: firstOptions },
        { rootId, ...(pos.parentId ? { parentId: pos.parentId } : {}), chainRest: steps.slice(1) },
        app,
      );
    }
    return results.at(-1)!;
  }

  override toJSON(): SignatureJSON {
    return {
      ...super.toJSON(),
      kwargs: { tasks: this.tasks.map((t) => t.toJSON()) } as unknown as JsonObject,
    };
  }

  /** Runs the steps in this process, each with the previous result prepended. */
  override async apply(...args: TArgs): Promise<EagerResult<TResult>> {
    const callArgs = this.immutable ? [] : [...args, ...this.args];
    return (await applyChain(this.steps(), callArgs)) as EagerResult<TResult>;
  }

  override toString(): string {
    return this.tasks.map(String).join(" | ");
  }
}

/** The first result of a handle's parent chain: itself when it has no parent. */
function rootOf(handle: ResultHandle): ResultHandle {
  let root = handle;
  while (root.parent) root = root.parent;
  return root;
}

function isChain(s: AnySignature): s is Chain {
  return s instanceof Chain;
}

/** Reads a chain from Celery's dict form (`subtask_type: "chain"`). */
export function chainFromJSON(json: SignatureJSON, app: CanvasApp | undefined): Chain {
  const tasks = (json.kwargs as { tasks?: SignatureJSON[] }).tasks ?? [];
  return new Chain(
    tasks.map((t) => Signature.fromJSON(t, app)),
    Signature.initFromJSON(json, app),
  );
}
