import { SerializationError } from "../errors/serialization-error.js";
import { isPlainObject } from "./json.js";

/**
 * Checks that `value` is plain JSON data and names the first path that is not.
 * Celeriac sends JSON only, so a Date, a Map, a class instance, a function, NaN or a
 * cycle is refused before anything is sent.
 */
export function assertJson(value: unknown, what: string): void {
  const problem = findNonJson(value, "", new Set());
  if (problem) {
    throw new SerializationError(
      `${what} is not JSON-serialisable: ${problem.path || "the value"} is ${problem.reason}. ` +
        "Celeriac sends JSON only: pass numbers, strings, booleans, null, arrays and plain objects.",
    );
  }
}

interface Problem {
  path: string;
  reason: string;
}

function findNonJson(value: unknown, path: string, seen: Set<object>): Problem | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : { path, reason: String(value) };
    case "undefined":
      return { path, reason: "undefined" };
    case "function":
      return { path, reason: "a function" };
    case "bigint":
      return { path, reason: "a bigint" };
    case "symbol":
      return { path, reason: "a symbol" };
  }
  if (value === null) return undefined;
  const obj = value as object;
  if (seen.has(obj)) return { path, reason: "a circular reference" };
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      for (let i = 0; i < obj.length; i++) {
        const p = findNonJson(obj[i], `${path}[${i}]`, seen);
        if (p) return p;
      }
      return undefined;
    }
    if (!isPlainObject(obj)) {
      const name = (obj as { constructor?: { name?: string } }).constructor?.name ?? "object";
      return { path, reason: `a ${name} (not a plain object)` };
    }
    for (const [key, v] of Object.entries(obj)) {
      const p = findNonJson(v, path ? `${path}.${key}` : key, seen);
      if (p) return p;
    }
    return undefined;
  } finally {
    seen.delete(obj);
  }
}
