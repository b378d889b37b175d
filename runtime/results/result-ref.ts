import type { ResultRef } from "../ports/task-meta.js";
import { isPlainObject, type JsonValue } from "../types/json.js";

/** The marker key under which a returned result handle is stored. */
export const RESULT_MARKER = "__celeriac_result__";

/** A result handle as it appears inside a stored value. */
export interface StoredResultRef {
  [RESULT_MARKER]: ResultRef;
}

/** Something that can be stored as a reference (AsyncResult or GroupResult). */
export interface Referable {
  toRef(): ResultRef;
}

function isReferable(value: unknown): value is Referable {
  return (
    typeof value === "object" && value !== null && typeof (value as Referable).toRef === "function"
  );
}

/**
 * Replaces result handles in a task's return value by references, as Celery stores a
 * returned AsyncResult as its tuple. Other values are returned unchanged.
 */
export function encodeResultValue(value: unknown): unknown {
  if (isReferable(value)) return { [RESULT_MARKER]: value.toRef() };
  if (Array.isArray(value) && value.some(isReferable)) return value.map(encodeResultValue);
  return value;
}

/** Rebuilds references in a stored value with `build`. */
export function decodeResultValue<R>(value: JsonValue, build: (ref: ResultRef) => R): unknown {
  if (isPlainObject(value) && RESULT_MARKER in value && Object.keys(value).length === 1) {
    return build(value[RESULT_MARKER] as ResultRef);
  }
  if (Array.isArray(value)) return value.map((v) => decodeResultValue(v, build));
  return value;
}
