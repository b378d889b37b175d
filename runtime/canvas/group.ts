import { randomUUID } from "node:crypto";
import { CanvasError } from "../errors/usage-errors.js";
import type { AsyncResult } from "../results/async-result.js";
import { GroupResult } from "../results/group-result.js";
import type { JsonObject } from "../types/json.js";
import type { CanvasApp } from "./canvas-app.js";
import type { CallArgs, Plan, Position } from "./plan.js";
import { applyGroup } from "./eager.js";
import { optionsForMembers } from "./options.js";
import type { EagerResult } from "../results/eager-result.js";
import { type AnySignature, mergeOptions, Signature, type SignatureInit } from "./signature.js";
import type { SignatureJSON } from "./signature-json.js";

/**
 * Tasks that run in parallel (Celery's `group`). Its result is a `GroupResult` whose
 * values come back in member order. Partial args given at call time are prepended to
 * every member: `group(sub.s(1), sub.s(2)).delay(10)` runs `sub(10, 1)` and `sub(10, 2)`.
 *
 * @example
 * const res = await group(add.s(2, 2), add.s(4, 4)).delay();
 * await res.get(); // [4, 8]
 */
export class Group<TResults extends unknown[] = unknown[]> extends Signature<
  unknown[],
  TResults,
  GroupResult<TResults>
> {
  override readonly subtaskType = "group" as const;
  tasks: AnySignature[];

  constructor(tasks: AnySignature[], init: SignatureInit = {}) {
    super("celery.group", init);
    for (const [i, t] of tasks.entries()) {
      if (!(t instanceof Signature))
        throw new CanvasError(`group(): member ${i} is not a signature.`);
    }
    this.tasks = tasks;
  }

  override get definingApp(): CanvasApp | undefined {
    return this.boundApp ?? this.tasks.find((t) => t.definingApp)?.definingApp;
  }

  /** The members, with nested groups spliced in. */
  flatMembers(): AnySignature[] {
    return this.tasks.flatMap((t) => (t instanceof Group ? t.flatMembers() : [t]));
  }

  protected override copy(): this {
    return new Group(
      this.tasks.map((t) => t.clone()),
      this.copyInit(),
    ) as this;
  }

  /**
   * Spreads the members out in time: member i gets `countdown = start + i * step`,
   * never more than `stop` (Celery's `skew`). Returns this group.
   */
  skew(start = 1, stop?: number, step = 1): this {
    this.tasks.forEach((t, i) => {
      const countdown = start + i * step;
      t.set({ countdown: stop === undefined ? countdown : Math.min(countdown, stop) });
    });
    return this;
  }

  /** A group has no single result to link: use a chord (`group.pipe(callback)`). */
  override link<S extends AnySignature>(_callback: S): S {
    throw new CanvasError("Cannot add link to group: use a chord (group(...).pipe(callback)).");
  }

  /** Adds the errback to every member (it may run once per failing member). */
  override onError(errback: AnySignature): this {
    for (const t of this.tasks) t.onError(errback.clone());
    return this;
  }

  override planInto(
    plan: Plan | undefined,
    call: CallArgs,
    pos: Position,
    app: CanvasApp,
  ): GroupResult<TResults> {
    if (call.options.link?.length) throw new CanvasError("Cannot add link to group: use a chord.");
    if (call.options.linkError?.length) {
      throw new CanvasError("Cannot add link to group: do that on individual tasks.");
    }
    const gid = call.options.taskId ?? this.options.taskId ?? randomUUID();
    this.updateOptions((own) => (own.taskId = gid));
    const memberOptions = optionsForMembers(mergeOptions(this.options, call.options));
    const memberCall: CallArgs = {
      args: this.immutable ? [] : [...call.args, ...this.args],
      kwargs: this.immutable ? {} : { ...this.kwargs, ...call.kwargs },
      options: memberOptions,
    };
    const results = this.flatMembers().map((member, index) =>
      member.planInto(
        plan,
        memberCall,
        { ...memberPosition(pos), groupId: gid, groupIndex: index },
        app,
      ),
    );
    return new GroupResult<TResults>(gid, results as AsyncResult[], app);
  }

  override toJSON(): SignatureJSON {
    return {
      ...super.toJSON(),
      kwargs: { tasks: this.tasks.map((t) => t.toJSON()) } as unknown as JsonObject,
    };
  }

  /** Runs every member in this process; the result holds their values in member order. */
  override async apply(...args: unknown[]): Promise<EagerResult<TResults>> {
    const callArgs = this.immutable ? [] : [...args, ...this.args];
    const id = this.options.taskId ?? randomUUID();
    return (await applyGroup(id, this.flatMembers(), callArgs, this.app)) as EagerResult<TResults>;
  }

  override toString(): string {
    return `group(${this.tasks.map(String).join(", ")})`;
  }
}

/** The parts of a position that pass down to members (not the group's own slot). */
function memberPosition(pos: Position): Position {
  return {
    ...(pos.rootId ? { rootId: pos.rootId } : {}),
    ...(pos.parentId ? { parentId: pos.parentId } : {}),
    ...(pos.chord ? { chord: pos.chord } : {}),
  };
}

/** Reads a group from Celery's dict form (`subtask_type: "group"`). */
export function groupFromJSON(json: SignatureJSON, app: CanvasApp | undefined): Group {
  const listed = (json.kwargs as { tasks?: unknown }).tasks;
  const tasks = Array.isArray(listed) ? (listed as SignatureJSON[]) : [];
  return new Group(
    tasks.map((t) => Signature.fromJSON(t, app)),
    Signature.initFromJSON(json, app),
  );
}
