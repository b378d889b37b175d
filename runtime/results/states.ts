/** Task states, as in Celery's `celery.states`. */
export type TaskState =
  "PENDING" | "RECEIVED" | "STARTED" | "SUCCESS" | "FAILURE" | "RETRY" | "REVOKED";

/** The states in which a task is finished: its result will not change again. */
export type TerminalState = "SUCCESS" | "FAILURE" | "REVOKED";

const READY: ReadonlySet<TaskState> = new Set(["SUCCESS", "FAILURE", "REVOKED"]);
const PROPAGATE: ReadonlySet<TaskState> = new Set(["FAILURE", "REVOKED"]);
const EXCEPTION: ReadonlySet<TaskState> = new Set(["RETRY", "FAILURE", "REVOKED"]);

/** State names and sets, mirroring `celery.states`. */
export const states = {
  PENDING: "PENDING",
  RECEIVED: "RECEIVED",
  STARTED: "STARTED",
  SUCCESS: "SUCCESS",
  FAILURE: "FAILURE",
  RETRY: "RETRY",
  REVOKED: "REVOKED",
  READY_STATES: READY,
  UNREADY_STATES: new Set<TaskState>([
    "PENDING",
    "RECEIVED",
    "STARTED",
    "RETRY",
  ]) as ReadonlySet<TaskState>,
  EXCEPTION_STATES: EXCEPTION,
  PROPAGATE_STATES: PROPAGATE,
} as const;

export function isTerminal(state: TaskState): state is TerminalState {
  return READY.has(state);
}

export function isPropagating(state: TaskState): boolean {
  return PROPAGATE.has(state);
}
