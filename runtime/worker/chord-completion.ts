import { derivedMemberIds } from "../canvas/chord-ids.js";
import { emptyCall, type Plan } from "../canvas/plan.js";
import { Signature } from "../canvas/signature.js";
import type { SignatureJSON } from "../canvas/signature-json.js";
import { errorRepr, type StoredError } from "../errors/error-codec.js";
import { ChordError } from "../errors/task-errors.js";
import { MessageFormatError, type MessageTooLargeError } from "../errors/usage-errors.js";
import type { TaskRequest } from "../message/task-request.js";
import { RESULTS_OF, sendLargeValuesByReference } from "./by-reference.js";
import { isPropagating } from "../results/states.js";
import type { JsonValue } from "../types/json.js";
import { errbacksOf, resultIdsOf } from "./result-ids.js";
import { failureMeta } from "./terminal-meta.js";
import type { WorkerHost } from "./worker-host.js";

/** A chord header member that reached a terminal state. */
export interface FinishedMember {
  groupId: string;
  index: number;
  memberId: string;
  rootId: string;
  /** The chord body (with `chord_size`), as the member's message carried it. */
  body: SignatureJSON;
}

/**
 * Records a header member's completion and, when it completes the chord and this member
 * wins the election, adds the body to `plan`: with the header results in header order,
 * or failed with a `ChordError` naming the first failed member. Safe to repeat.
 */
export async function completeChordMember(
  host: WorkerHost,
  member: FinishedMember,
  plan: Plan,
  onTooLarge: (req: TaskRequest, error: MessageTooLargeError) => Promise<void> = async () => {},
): Promise<void> {
  const size = member.body.chord_size;
  if (typeof size !== "number" || !Number.isInteger(size) || size < 1) {
    throw new MessageFormatError(
      `Chord ${member.groupId}: member ${member.memberId} carries a body without a chord size (${String(size)}).`,
      { taskId: member.memberId },
    );
  }
  const { dispatcher } = await host.backend.recordChordPart({
    groupId: member.groupId,
    size,
    index: member.index,
    memberId: member.memberId,
  });
  if (!dispatcher) return;
  const ids =
    member.body.chord_ids === "derived"
      ? derivedMemberIds(member.groupId, size)
      : await host.backend.restoreGroup(member.groupId);
  if (!ids) {
    await failSignature(
      host,
      member.body,
      new ChordError(`GroupResult ${member.groupId} no longer exists`),
      member.rootId,
      plan,
    );
    return;
  }
  const metas = await host.backend.getMany(ids);
  for (const id of ids) {
    const meta = metas.get(id);
    if (meta && isPropagating(meta.status)) {
      const reason = `Dependency ${id} raised ${errorRepr(meta.result as StoredError)}`;
      await failSignature(host, member.body, new ChordError(reason), member.rootId, plan);
      return;
    }
  }
  const values = ids.map((id) => (metas.get(id)?.result ?? null) as JsonValue);
  Signature.fromJSON(member.body, host).planInto(
    plan,
    { ...emptyCall(), args: [values] },
    { rootId: member.rootId, parentId: member.memberId },
    host,
  );
  // Header results too large for one message reach the body by reference.
  await sendLargeValuesByReference(host, plan, values, { [RESULTS_OF]: ids }, onTooLarge);
}

/**
 * Fails every result a frozen signature would have produced with `error`, and adds its
 * errbacks (each with the failed task's id prepended) to `plan`.
 */
export async function failSignature(
  host: WorkerHost,
  sig: SignatureJSON,
  error: unknown,
  rootId: string,
  plan: Plan,
): Promise<void> {
  for (const id of resultIdsOf(sig))
    await host.backend.storeTerminal(failureMeta(id, "FAILURE", error));
  for (const { taskId, errback } of errbacksOf(sig)) {
    Signature.fromJSON(errback, host).planInto(
      plan,
      { ...emptyCall(), args: [taskId] },
      { rootId, parentId: taskId },
      host,
    );
  }
}
