import { randomUUID } from "node:crypto";
import { CanvasError } from "../errors/usage-errors.js";
import type { AsyncResult, ResultHandle } from "../results/async-result.js";
import { GroupResult } from "../results/group-result.js";
import type { JsonObject } from "../types/json.js";
import type { CanvasApp } from "./canvas-app.js";
import { chordMemberId } from "./chord-ids.js";
import { applyGroup } from "./eager.js";
import type { EagerResult } from "../results/eager-result.js";
import { Group } from "./group.js";
import { Chunks } from "./xmap.js";
import { optionsForMembers } from "./options.js";
import { type CallArgs, emptyCall, type Plan, type Position } from "./plan.js";
import {
  type AnySignature,
  type HandleOf,
  mergeOptions,
  type ResultOf,
  Signature,
  type SignatureInit,
} from "./signature.js";
import type { SignatureJSON, SubtaskType } from "./signature-json.js";

/**
 * A group whose results, in header order, go to a body task once every member has
 * finished (Celery's `chord`). The body runs once, even when messages are delivered
 * twice. A failed member fails the body with a `ChordError` naming it.
 *
 * @example
 * const res = await chord([add.s(1, 1), add.s(2, 2)], xsum.s()).delay();
 * await res.get(); // 6
 */
export class Chord<TResult = unknown, THandle = AsyncResult<TResult>> extends Signature<
  unknown[],
  TResult,
  THandle
> {
  override readonly subtaskType: SubtaskType = "chord";
  header: Group;
  body: AnySignature | undefined;

  constructor(header: Group, body: AnySignature | undefined, init: SignatureInit = {}) {
    super("celery.chord", init);
    this.header = header;
    this.body = body;
  }

  protected override copy(): this {
    return new Chord(this.header.clone(), this.body?.clone(), this.copyInit()) as this;
  }

  override get definingApp(): CanvasApp | undefined {
    return this.boundApp ?? this.header.definingApp ?? this.body?.definingApp;
  }

  /** A copy whose body is `body`. */
  withBody<B extends AnySignature>(body: B): Chord<ResultOf<B>, HandleOf<B>> {
    const copy = this.clone() as unknown as Chord<ResultOf<B>, HandleOf<B>>;
    copy.body = body;
    return copy;
  }

  /**
   * This chord with another body, sharing this chord's header (not a copy): how a chain
   * chains a later step onto its chord step, so ids that `freeze()` fixes on the header
   * are the ones sent.
   */
  sharingHeader<B extends AnySignature>(body: B): Chord<ResultOf<B>, HandleOf<B>> {
    return new Chord(this.header, body, this.copyInit()) as Chord<ResultOf<B>, HandleOf<B>>;
  }

  /** Links go to the body, as in Celery. */
  override link<S extends AnySignature>(callback: S): S {
    return this.requireBody().link(callback);
  }

  /** Errbacks go to the body: they run once when the chord fails. */
  override onError(errback: AnySignature): this {
    this.requireBody().onError(errback);
    return this;
  }

  private requireBody(): AnySignature {
    if (!this.body) throw new CanvasError("chord() needs a body: chord(header, body).");
    return this.body;
  }

  override planInto(
    plan: Plan | undefined,
    call: CallArgs,
    pos: Position,
    app: CanvasApp,
  ): ResultHandle {
    const body = this.requireBody();
    const o = mergeOptions(this.options, call.options);
    const { taskId, link, linkError } = o;
    const memberOptions = optionsForMembers(o);
    const gid = this.header.options.taskId ?? randomUUID();
    this.header.updateOptions((h) => (h.taskId = gid));
    if (link) for (const l of link) body.link(l);
    if (linkError) for (const e of linkError) body.onError(e);
    const rootId = pos.rootId ?? o.rootId;
    const members = headerMembers(this.header);
    const bodyPos: Position = {
      ...(rootId ? { rootId } : {}),
      ...(pos.groupId ? { groupId: pos.groupId } : {}),
      ...(pos.groupIndex !== undefined ? { groupIndex: pos.groupIndex } : {}),
      ...(pos.chord ? { chord: pos.chord } : {}),
    };
    body.updateOptions((b) => (b.claim = true));
    // Plain members with no id of their own get ids derived from the group id, so the
    // body's dispatcher can name them without a stored list (one write saved per chord).
    body.markChordBody({
      size: members.length,
      idsDerived: members.every(
        (m) => Object.getPrototypeOf(m) === Signature.prototype && !m.options.taskId,
      ),
    });
    if (body.chordBody.idsDerived) {
      for (const [i, m] of members.entries()) m.set({ taskId: chordMemberId(gid, i) });
    }
    const bodyCall = { ...emptyCall(), options: taskId ? { taskId } : {} };
    const bodyResult = body.planInto(undefined, bodyCall, bodyPos, app);
    const headerResults = members.map((member, index) =>
      member.planInto(
        plan,
        {
          args: this.immutable ? [] : [...call.args, ...this.args],
          kwargs: call.kwargs,
          options: memberOptions,
        },
        {
          ...(rootId ? { rootId } : {}),
          ...(pos.parentId ? { parentId: pos.parentId } : {}),
          groupId: gid,
          groupIndex: index,
          chord: body,
        },
        app,
      ),
    );
    if (members.length === 0 && plan) {
      body.planInto(plan, { args: [[]], kwargs: {}, options: {} }, bodyPos, app);
    }
    if (members.length > 0 && plan && !body.chordBody.idsDerived) {
      plan.groups.push({ groupId: gid, ids: headerResults.map((r) => r.id) });
    }
    // The header is the parent of the body's first task (a body chain keeps its own links).
    let first: ResultHandle = bodyResult;
    while (first.parent) first = first.parent;
    first.parent = new GroupResult(gid, headerResults as AsyncResult[], app);
    return bodyResult;
  }

  override toJSON(): SignatureJSON {
    return {
      ...super.toJSON(),
      kwargs: {
        kwargs: {},
        // The header as a group dict (Celery reads a list or a group), so a frozen
        // header keeps its group id when the chord travels inside a chain.
        header: this.header.toJSON(),
        body: this.body ? this.body.toJSON() : null,
      } as unknown as JsonObject,
    };
  }

  /** Runs the header in this process, then the body with the header's values. */
  override async apply(...args: unknown[]): Promise<EagerResult<TResult>> {
    const body = this.requireBody();
    const callArgs = this.immutable ? [] : [...args, ...this.args];
    const gid = this.header.options.taskId ?? randomUUID();
    const header = await applyGroup(gid, headerMembers(this.header), callArgs, this.app);
    if (await header.failed()) return header as EagerResult<TResult>;
    return (await body.apply(await header.get())) as EagerResult<TResult>;
  }

  override toString(): string {
    return `chord(${this.header}, ${this.body ?? "<no body>"})`;
  }
}

/**
 * The header's members, each giving the body one result: nested groups and `chunks`
 * (a group of starmaps) join the header. A chain ending in a group would give a list of
 * results for one slot, which Celeriac refuses rather than count wrongly.
 */
function headerMembers(header: Group): AnySignature[] {
  const members = header
    .flatMembers()
    .flatMap((m) => (m instanceof Chunks ? m.group().flatMembers() : [m]));
  for (const [i, m] of members.entries()) {
    const last =
      m.subtaskType === "chain"
        ? (m as AnySignature & { steps(): AnySignature[] }).steps().at(-1)
        : undefined;
    if (last?.subtaskType === "group" || last instanceof Chunks) {
      throw new CanvasError(
        `chord(): header member ${i} is a chain that ends in a group, which has no single result to give the body. ` +
          "Put the group's tasks in the header themselves, or end the chain with a task that combines them.",
      );
    }
  }
  return members;
}

/** Reads a chord from Celery's dict form (`subtask_type: "chord"`); the header may be a list or a group. */
export function chordFromJSON(json: SignatureJSON, app: CanvasApp | undefined): Chord {
  const kw = json.kwargs as { header?: unknown; body?: unknown };
  const headerJson = kw.header;
  const header = Array.isArray(headerJson)
    ? new Group(
        headerJson.map((t) => Signature.fromJSON(t as SignatureJSON, app)),
        app ? { app } : {},
      )
    : headerJson
      ? (Signature.fromJSON(headerJson as SignatureJSON, app) as Group)
      : new Group([], app ? { app } : {});
  const body = kw.body ? Signature.fromJSON(kw.body as SignatureJSON, app) : undefined;
  return new Chord(header, body, Signature.initFromJSON(json, app));
}
