import { errorRepr, type StoredError } from "../errors/error-codec.js";
import type { TaskRequest } from "../message/task-request.js";
import type { Outcome } from "./execute.js";
import type { RunReport } from "./run-report.js";
import type { WorkerLogEntry } from "./worker-host.js";

/** Characters of a return value a log line shows; the rest is cut with an ellipsis. */
const MAX_RESULT_CHARS = 200;

/**
 * The worker's one log line for a task message, worded as Celery's worker words it:
 * `Task proj.tasks.add[id] succeeded in 0.004s: 4` at INFO, `… raised unexpected:
 * TypeError('…')` at ERROR with the traceback, `… retry: Retry in 5s: …` at WARN.
 */
export function taskLogEntry(
  req: TaskRequest,
  outcome: Outcome,
  report: RunReport,
  durationMs: number,
): WorkerLogEntry {
  const task = `${req.task}[${req.id}]`;
  const base = { task: req.task, id: req.id, state: outcome, durationMs };
  const { record, retry } = report;
  if (outcome === "RETRY" && retry) {
    return {
      ...base,
      level: "warn",
      message: `Task ${task} retry: Retry in ${retry.countdown}s: ${errorRepr(retry.error)}`,
      error: errorRepr(retry.error),
      ...(retry.traceback ? { traceback: retry.traceback } : {}),
    };
  }
  if (outcome === "REPARKED") {
    const why = report.reparked === "claimed" ? "claimed by another run" : "not due yet";
    return { ...base, level: "info", message: `Task ${task} ${why}: sent on until ${report.eta}` };
  }
  if (outcome === "DUPLICATE") {
    return { ...base, level: "info", message: `Task ${task} finished already: copy ignored` };
  }
  if (outcome === "SUCCESS") {
    const seconds = (durationMs / 1000).toFixed(3);
    return {
      ...base,
      level: "info",
      message: `Task ${task} succeeded in ${seconds}s: ${resultRepr(record?.result)}`,
    };
  }
  const stored = record?.result as StoredError | undefined;
  const error = stored?.exc_type ? errorRepr(stored) : undefined;
  if (outcome === "REVOKED") {
    return {
      ...base,
      level: "warn",
      message: `Discarding revoked task: ${task}${error ? `: ${error}` : ""}`,
    };
  }
  return {
    ...base,
    level: "error",
    message: `Task ${task} raised unexpected: ${error ?? "an error"}`,
    ...(error ? { error } : {}),
    ...(record?.traceback ? { traceback: record.traceback } : {}),
  };
}

function resultRepr(value: unknown): string {
  const text = JSON.stringify(value) ?? "null";
  return text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}…` : text;
}
