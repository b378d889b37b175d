import type { SignatureJSON } from "../canvas/signature-json.js";
import { encodeError } from "../errors/error-codec.js";
import type { TaskRequest } from "../message/task-request.js";
import type { ResultRef, TerminalMeta } from "../ports/task-meta.js";
import type { TerminalState } from "../results/states.js";
import type { JsonValue } from "../types/json.js";
import { resultIdsOf } from "./result-ids.js";

/** The results a request's successors will have: its callbacks and its next chain step. */
export function successorRefs(req: TaskRequest): ResultRef[] {
  const refs: ResultRef[] = [];
  for (const cb of req.callbacks) for (const id of resultIdsOf(cb)) refs.push({ id });
  const next: SignatureJSON | undefined = req.chain[0];
  const nextId = next?.options.task_id;
  if (next && typeof nextId === "string") {
    refs.push(
      next.subtask_type === "group" ? { groupId: nextId, ids: resultIdsOf(next) } : { id: nextId },
    );
  }
  return refs;
}

/** A terminal record for `req`. */
export function terminalMeta(
  req: TaskRequest,
  status: TerminalState,
  result: JsonValue,
  traceback: string | null,
  spawned: ResultRef[],
): TerminalMeta {
  return {
    taskId: req.id,
    status,
    result,
    traceback,
    children: [...successorRefs(req), ...spawned],
    dateDone: new Date().toISOString(),
    name: req.task,
    retries: req.retries,
    ...(req.parentId ? { parentId: req.parentId } : {}),
    ...(req.groupId ? { groupId: req.groupId } : {}),
  };
}

/**
 * The terminal record of a request that ended without running (expired, not
 * registered): `error` stored as a FAILURE or REVOKED, and no children.
 */
export function endedWithoutRunning(
  req: TaskRequest,
  status: "FAILURE" | "REVOKED",
  error: unknown,
): TerminalMeta {
  const { stored, traceback } = encodeError(error);
  return { ...terminalMeta(req, status, stored, traceback, []), children: [] };
}

/** A FAILURE or REVOKED record for `taskId` carrying `error`. */
export function failureMeta(
  taskId: string,
  status: "FAILURE" | "REVOKED",
  error: unknown,
  name?: string,
): TerminalMeta {
  const { stored, traceback } = encodeError(error);
  return {
    taskId,
    status,
    result: stored,
    traceback,
    children: [],
    dateDone: new Date().toISOString(),
    ...(name ? { name } : {}),
  };
}
