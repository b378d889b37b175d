import type { ResultRef, TaskMeta } from "../../ports/task-meta.js";
import { states, type TaskState } from "../../results/states.js";
import { isPlainObject, type JsonObject, type JsonValue } from "../../types/json.js";

/** Celery's key prefix for a task's meta in key-value backends (`celery-task-meta-<id>`). */
export const CELERY_TASK_KEY_PREFIX = "celery-task-meta-";

/**
 * Celery's meta of one task, as `BaseBackend._get_result_meta` builds it and its JSON
 * serializer writes it: `status`, `result`, `traceback`, `children` (results in
 * `as_tuple()` form), `date_done` (naive UTC ISO), `task_id`, and `group_id` /
 * `parent_id` when set (`name` and `retries` with `result_extended`).
 */
export interface CeleryMeta extends JsonObject {
  status: string;
  result: JsonValue;
  traceback: string | null;
  children: JsonValue[];
  date_done: string | null;
  task_id: string;
}

/** Celery's `as_tuple()` of a result: `[[id, parent], null]`, or `[[gid, parent], [members]]` for a group. */
function refToTuple(ref: ResultRef): JsonValue {
  if ("id" in ref) return [[ref.id, null], null];
  return [[ref.groupId, null], ref.ids.map((id) => [[id, null], null])];
}

function tupleToRef(value: JsonValue): ResultRef | undefined {
  if (!Array.isArray(value) || !Array.isArray(value[0])) return undefined;
  const [[id], nodes] = value as [JsonValue[], JsonValue];
  if (typeof id !== "string") return undefined;
  if (!Array.isArray(nodes)) return { id };
  const ids = nodes
    .map((n) => (Array.isArray(n) && Array.isArray(n[0]) ? n[0][0] : undefined))
    .filter((x): x is string => typeof x === "string");
  return { groupId: id, ids };
}

/** `2026-12-01T10:00:00.123Z` as Python's `datetime.utcnow().isoformat()` writes it: no zone. */
function toNaiveUtc(iso: string | null): string | null {
  return iso === null ? null : iso.replace(/Z$/, "");
}

/** A Celery time (naive means UTC, microseconds allowed) as `toISOString()`. */
function fromCeleryTime(value: JsonValue | undefined): string | null {
  if (typeof value !== "string" || value === "") return null;
  const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(value) ? value : `${value}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

/**
 * Celery stores an exception as `exc_type`, `exc_module` and `exc_message`, the
 * exception's args (a list). Celeriac's form has one message string: Python's
 * `str(exc)` for one argument, the list's JSON for several.
 */
function fromCeleryError(result: JsonValue): JsonValue {
  if (!isPlainObject(result) || typeof result.exc_type !== "string") return result;
  const args = result.exc_message;
  const message = !Array.isArray(args)
    ? String(args ?? "")
    : args.length === 0
      ? ""
      : args.length === 1
        ? typeof args[0] === "string"
          ? args[0]
          : JSON.stringify(args[0])
        : JSON.stringify(args);
  return {
    exc_type: result.exc_type,
    exc_message: message,
    exc_module: typeof result.exc_module === "string" ? result.exc_module : "builtins",
  };
}

function toCeleryError(result: JsonValue): JsonValue {
  if (!isPlainObject(result) || typeof result.exc_type !== "string") return result;
  const message = result.exc_message;
  return { ...result, exc_message: Array.isArray(message) ? message : [message ?? ""] };
}

/** Celeriac's task meta in Celery's layout, for a Python `AsyncResult` to read. */
export function toCeleryMeta(meta: TaskMeta): CeleryMeta {
  const exception = states.EXCEPTION_STATES.has(meta.status);
  const out: CeleryMeta = {
    status: meta.status,
    result: exception ? toCeleryError(meta.result) : meta.result,
    traceback: meta.traceback,
    children: meta.children.map(refToTuple),
    date_done: toNaiveUtc(meta.dateDone),
    task_id: meta.taskId,
  };
  if (meta.groupId !== undefined) out.group_id = meta.groupId;
  if (meta.parentId !== undefined) out.parent_id = meta.parentId;
  if (meta.name !== undefined) out.name = meta.name;
  if (meta.retries !== undefined) out.retries = meta.retries;
  return out;
}

const KNOWN_STATES: ReadonlySet<string> = new Set([
  "RECEIVED",
  "STARTED",
  "SUCCESS",
  "FAILURE",
  "RETRY",
  "REVOKED",
] satisfies TaskState[]);

/**
 * A meta written by Celery (or by `toCeleryMeta`) as Celeriac's task meta; `undefined`
 * for PENDING or a state Celeriac does not know (a custom state reads as PENDING).
 */
export function fromCeleryMeta(raw: JsonValue, taskId: string): TaskMeta | undefined {
  if (!isPlainObject(raw) || typeof raw.status !== "string" || !KNOWN_STATES.has(raw.status))
    return undefined;
  const status = raw.status as TaskMeta["status"];
  const children = Array.isArray(raw.children) ? raw.children : [];
  const meta: TaskMeta = {
    taskId: typeof raw.task_id === "string" ? raw.task_id : taskId,
    status,
    result: states.EXCEPTION_STATES.has(status)
      ? fromCeleryError(raw.result ?? null)
      : (raw.result ?? null),
    traceback: typeof raw.traceback === "string" ? raw.traceback : null,
    children: children.map(tupleToRef).filter((r): r is ResultRef => r !== undefined),
    dateDone: fromCeleryTime(raw.date_done),
  };
  if (typeof raw.group_id === "string") meta.groupId = raw.group_id;
  if (typeof raw.parent_id === "string") meta.parentId = raw.parent_id;
  if (typeof raw.name === "string") meta.name = raw.name;
  if (typeof raw.retries === "number") meta.retries = raw.retries;
  return meta;
}
