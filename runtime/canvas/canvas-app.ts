import type { ResultRef } from "../ports/task-meta.js";
import type { ResultHandle } from "../results/async-result.js";
import type { ResultContext } from "../results/result-context.js";
import type { Plan } from "./plan.js";

/** The running task a call is made from, for parent and root ids. */
export interface CurrentRequest {
  id: string;
  rootId: string;
  /** Results of tasks sent from the running task's body: its children. */
  spawned: ResultRef[];
}

/** What signatures need from an app: routing, dispatch, and results. */
export interface CanvasApp extends ResultContext {
  readonly name: string;
  /** The queue for a task: call-time `queue`, else the task's own, else its route, else the default. */
  routeFor(taskName: string, queue: string | undefined): string;
  /** Sends what a plan holds: saved groups first, then every message in batches. */
  dispatch(plan: Plan, spawned?: ResultHandle): Promise<void>;
  /** The task running in this async context, if any. */
  currentRequest(): CurrentRequest | undefined;
  /**
   * The task stores no result (`ignoreResult`, and not claimed by `once`): results of
   * its calls are `ignored`, as in Celery.
   */
  ignoresResult?(taskName: string): boolean;
  /** Runs a registered task's function in this process (for `apply()`). */
  runEager(
    taskName: string,
    args: unknown[],
    kwargs: Record<string, unknown>,
    taskId: string,
  ): Promise<unknown>;
}
