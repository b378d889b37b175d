import type { StoredError } from "../errors/error-codec.js";
import type { TaskState, TerminalState } from "../results/states.js";
import type { JsonValue } from "../types/json.js";

/** A reference to a result that a task spawned: a task, or a group of tasks. */
export type ResultRef = { id: string } | { groupId: string; ids: string[] };

/**
 * What the result backend stores about one task id. PENDING is never stored: an id
 * with no record reads as PENDING.
 */
export interface TaskMeta {
  taskId: string;
  status: Exclude<TaskState, "PENDING">;
  /** The return value on SUCCESS; the error on FAILURE, RETRY and REVOKED. */
  result: JsonValue | StoredError;
  traceback: string | null;
  /** Tasks this task spawned: link callbacks, the next chain step, tasks sent from its body. */
  children: ResultRef[];
  /** ISO 8601, set for terminal states. */
  dateDone: string | null;
  name?: string;
  parentId?: string;
  groupId?: string;
  retries?: number;
}

/** A task meta whose state is final. */
export type TerminalMeta = TaskMeta & { status: TerminalState };
