import type { Plan } from "../canvas/plan.js";
import { toOutgoing } from "../app/outgoing.js";
import { MessageTooLargeError } from "../errors/usage-errors.js";
import type { TaskRequest } from "../message/task-request.js";
import { isPlainObject, type JsonValue } from "../types/json.js";
import { failureMeta } from "./terminal-meta.js";
import type { WorkerHost } from "./worker-host.js";

/** In place of a first argument: the stored result of this task id. */
export const RESULT_OF = "__celeriac_result_of__";
/** In place of a first argument: the list of the stored results of these task ids. */
export const RESULTS_OF = "__celeriac_results_of__";

/** A first argument carried by reference: `{ [RESULT_OF]: id }` or `{ [RESULTS_OF]: ids }`. */
export type ValueReference = { [RESULT_OF]: string } | { [RESULTS_OF]: string[] };

function fits(host: WorkerHost, req: TaskRequest): boolean {
  try {
    toOutgoing(req, host.broker);
    return true;
  } catch (error) {
    if (error instanceof MessageTooLargeError) return false;
    throw error;
  }
}

/**
 * Where `value` (a parent's result, or a chord's joined header results) was prepended to
 * a successor's args and makes its message too large for the queue, sends a reference to
 * the stored results instead (`resolveArgs` reads them back when the task runs). A
 * successor that is too large even then is not sent: it fails with a
 * `MessageTooLargeError`, and `onTooLarge` propagates that (later chain steps, chords),
 * so nothing waits for it forever.
 */
export async function sendLargeValuesByReference(
  host: WorkerHost,
  plan: Plan,
  value: JsonValue,
  reference: ValueReference,
  onTooLarge: (req: TaskRequest, error: MessageTooLargeError) => Promise<void>,
): Promise<void> {
  const kept: TaskRequest[] = [];
  for (const req of plan.requests) {
    if (req.args[0] !== value || fits(host, req)) {
      kept.push(req);
      continue;
    }
    req.args[0] = reference as unknown as JsonValue;
    if (fits(host, req)) {
      kept.push(req);
      continue;
    }
    const error = new MessageTooLargeError(
      `Task ${req.task}[${req.id}] could not be sent: its message is over the queue's limit even with its parent's result passed by reference.`,
      { taskId: req.id },
    );
    await host.backend.storeTerminal(failureMeta(req.id, "FAILURE", error, req.task));
    await onTooLarge(req, error);
  }
  plan.requests.splice(0, plan.requests.length, ...kept);
}

/** The args a task runs with: a first argument sent by reference is read back. */
export async function resolveArgs(host: WorkerHost, args: JsonValue[]): Promise<JsonValue[]> {
  const first = args[0];
  if (!isPlainObject(first)) return args;
  if (typeof first[RESULT_OF] === "string" && Object.keys(first).length === 1) {
    const meta = await host.backend.get(first[RESULT_OF]);
    return [(meta?.result ?? null) as JsonValue, ...args.slice(1)];
  }
  const ids = first[RESULTS_OF];
  if (Array.isArray(ids) && Object.keys(first).length === 1) {
    const metas = await host.backend.getMany(ids as string[]);
    return [
      ids.map((id) => (metas.get(id as string)?.result ?? null) as JsonValue),
      ...args.slice(1),
    ];
  }
  return args;
}
