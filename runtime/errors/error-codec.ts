import type { JsonObject } from "../types/json.js";
import { CeleriacError } from "./celeriac-error.js";
import { ResultTooLargeError } from "./result-too-large.js";
import { SerializationError } from "./serialization-error.js";
import {
  ChordError,
  MaxRetriesExceededError,
  NotRegistered,
  TaskError,
  TaskRevokedError,
  TimeoutError,
} from "./task-errors.js";
import { CanvasError, ConfigurationError, MessageTooLargeError } from "./usage-errors.js";

/** A task failure as stored in the result backend (Celery's field names). */
export interface StoredError extends JsonObject {
  exc_type: string;
  exc_message: string;
  exc_module: string;
}

type ErrorClass = abstract new (...args: never[]) => Error;

const builtinErrors: Record<string, ErrorClass> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

const celeriacErrors: Record<string, ErrorClass> = {
  ChordError,
  TimeoutError,
  NotRegistered,
  MaxRetriesExceededError,
  TaskRevokedError,
  ResultTooLargeError,
  SerializationError,
  CanvasError,
  ConfigurationError,
  MessageTooLargeError,
};

/** Turns anything a task threw into the stored form, with the stack as the traceback. */
export function encodeError(error: unknown): { stored: StoredError; traceback: string | null } {
  if (error instanceof Error) {
    const module =
      error.name in builtinErrors
        ? "builtins"
        : error instanceof CeleriacError
          ? "celeriac"
          : "user";
    return {
      stored: { exc_type: error.name, exc_message: error.message, exc_module: module },
      traceback: error.stack ?? null,
    };
  }
  return {
    stored: { exc_type: "Error", exc_message: String(error), exc_module: "builtins" },
    traceback: null,
  };
}

/**
 * Rebuilds a stored failure as an error of the same class where this process knows it
 * (the built-in errors, Celeriac's own, and any passed in `known`), else as a
 * `TaskError` that carries the original `name`. The worker's stack becomes `stack`.
 */
export function decodeError(
  stored: StoredError,
  traceback: string | null,
  taskId: string,
  known: ReadonlyMap<string, ErrorClass> = new Map(),
): Error {
  const cls =
    known.get(stored.exc_type) ?? builtinErrors[stored.exc_type] ?? celeriacErrors[stored.exc_type];
  let error: Error;
  if (cls) {
    error = Object.create(cls.prototype) as Error;
    Object.defineProperty(error, "message", {
      value: stored.exc_message,
      writable: true,
      configurable: true,
    });
    if (error.name !== stored.exc_type) {
      Object.defineProperty(error, "name", {
        value: stored.exc_type,
        writable: true,
        configurable: true,
      });
    }
    if (error instanceof CeleriacError) {
      Object.defineProperty(error, "taskId", { value: taskId, writable: true, configurable: true });
    }
  } else {
    error = new TaskError(stored.exc_type, stored.exc_message, {
      taskId,
      ...(traceback ? { remoteStack: traceback } : {}),
    });
  }
  Object.defineProperty(error, "stack", {
    value: traceback ?? `${stored.exc_type}: ${stored.exc_message}`,
    writable: true,
    configurable: true,
  });
  return error;
}

/** Python-style repr used in chord errors: `TypeError('message')`. */
export function errorRepr(stored: StoredError): string {
  return `${stored.exc_type}('${stored.exc_message.replaceAll("'", "\\'")}')`;
}
