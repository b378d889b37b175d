import { emptyCall, Plan } from "../canvas/plan.js";
import { Signature } from "../canvas/signature.js";
import type { SignatureJSON } from "../canvas/signature-json.js";
import type { StoredError } from "../errors/error-codec.js";
import type { TaskRequest } from "../message/task-request.js";
import type { TaskMeta } from "../ports/task-meta.js";
import { isPlainObject, type JsonValue } from "../types/json.js";
import { completeChordMember, type FinishedMember } from "./chord-completion.js";
import { RESULT_OF, sendLargeValuesByReference } from "./by-reference.js";
import { resultIdsOf } from "./result-ids.js";
import { failureMeta } from "./terminal-meta.js";
import type { WorkerHost } from "./worker-host.js";

/**
 * Everything that follows a task's terminal state, published after it is stored and
 * safe to repeat (ids were fixed in advance, chord parts count once):
 * - on SUCCESS: link callbacks and the next chain step, with the result prepended;
 * - on FAILURE or REVOKED: the later chain steps fail with the same error, and (on
 *   FAILURE) errbacks run with the failed task's id prepended;
 * - for a chord header member: its part is recorded, and the body dispatched once.
 */
export async function publishSuccessors(
  host: WorkerHost,
  req: TaskRequest,
  meta: TaskMeta,
): Promise<void> {
  const plan = new Plan();
  const pos = { rootId: req.rootId, parentId: req.id };
  if (meta.status === "SUCCESS") {
    const value = meta.result as JsonValue;
    for (const cb of req.callbacks) {
      Signature.fromJSON(cb, host).planInto(plan, { ...emptyCall(), args: [value] }, pos, host);
    }
    const [next, ...rest] = req.chain;
    if (next) {
      Signature.fromJSON(next, host).planInto(
        plan,
        { ...emptyCall(), args: [value] },
        { ...pos, chainRest: rest.map((s) => Signature.fromJSON(s, host)) },
        host,
      );
    }
    await sendLargeValuesByReference(
      host,
      plan,
      value,
      { [RESULT_OF]: req.id },
      failUnsendable(host),
    );
  } else {
    await failChainRest(host, req, meta, plan);
    if (meta.status === "FAILURE") {
      for (const eb of req.errbacks) {
        Signature.fromJSON(eb, host).planInto(plan, { ...emptyCall(), args: [req.id] }, pos, host);
      }
    }
  }
  const member = chordMemberOf(req, req.rootId);
  if (member) await completeChordMember(host, member, plan, failUnsendable(host));
  await host.dispatch(plan);
}

/** A successor that could not be sent fails, and so does what waits for it. */
function failUnsendable(host: WorkerHost) {
  return async (req: TaskRequest, error: Error): Promise<void> => {
    await publishSuccessors(host, req, failureMeta(req.id, "FAILURE", error, req.task));
  };
}

/**
 * Stores the failure of a chain step on every later step, so `get()` on the chain
 * rejects instead of waiting; a later step that is a chord header member is counted.
 */
async function failChainRest(
  host: WorkerHost,
  req: TaskRequest,
  meta: TaskMeta,
  plan: Plan,
): Promise<void> {
  for (const step of req.chain) {
    for (const id of resultIdsOf(step)) {
      await host.backend.storeTerminal({
        taskId: id,
        status: meta.status === "REVOKED" ? "REVOKED" : "FAILURE",
        result: meta.result as StoredError,
        traceback: meta.traceback,
        children: [],
        dateDone: new Date().toISOString(),
      });
    }
    const member = chordMemberOf(stepSlot(step), req.rootId);
    if (member) await completeChordMember(host, member, plan);
  }
}

/** Where a task sits in a chord header, as a request or a frozen signature carries it. */
interface ChordSlot {
  id: string | null;
  groupId: string | null;
  groupIndex: number | null;
  /** The chord body (with `chord_size`) when the task is a header member. */
  chord: SignatureJSON | null;
}

/** The header member `slot` is, or undefined when it is not in a chord header. */
function chordMemberOf(slot: ChordSlot, rootId: string): FinishedMember | undefined {
  const { id, groupId, groupIndex, chord } = slot;
  if (!chord || !id || !groupId || groupIndex === null) return undefined;
  return { groupId, index: groupIndex, memberId: id, rootId, body: chord };
}

/** The chord slot of a frozen chain step, from its options in Celery's dict form. */
function stepSlot(step: SignatureJSON): ChordSlot {
  const { task_id: id, group_id: groupId, group_index: groupIndex, chord } = step.options;
  return {
    id: typeof id === "string" ? id : null,
    groupId: typeof groupId === "string" ? groupId : null,
    groupIndex: typeof groupIndex === "number" ? groupIndex : null,
    chord: isPlainObject(chord) ? (chord as unknown as SignatureJSON) : null,
  };
}
