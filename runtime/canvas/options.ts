import { CanvasError } from "../errors/usage-errors.js";
import { isPlainObject, type JsonObject, type JsonValue } from "../types/json.js";
import { checkTime, optionError, timeAfter } from "../types/durations.js";
import { assertJson } from "../types/json-check.js";
import type { SignatureJSON } from "./signature-json.js";

/** A signature as options see it: anything with a JSON form. */
export interface SignatureLike {
  toJSON(): SignatureJSON;
}

/**
 * Execution options of a signature or a call. Durations are in seconds, as in Celery
 * and SQS. Options given at call time override the signature's own.
 */
export interface CallOptions<S extends SignatureLike = SignatureLike> {
  /**
   * Seconds to wait before the task may run. Longer than SQS's 900 s works too; a
   * negative countdown is due at once (as in Celery). NaN, ±Infinity and a countdown
   * past the year 9999 are refused with a `CanvasError`.
   */
  countdown?: number;
  /** The earliest time the task may run (instead of `countdown`); a valid Date up to the year 9999. */
  eta?: Date;
  /**
   * Seconds from now, or a time, after which the task is revoked instead of run. One
   * already past (a negative number) revokes the task when it arrives, as in Celery.
   */
  expires?: number | Date;
  /** The routing key (queue) to send to. */
  queue?: string;
  /** Use this task id instead of a new one. */
  taskId?: string;
  /** Callbacks run after success with the result prepended to their args. */
  link?: S | S[];
  /** Errbacks run after final failure with the failed task's id prepended. */
  linkError?: S | S[];
  /** The retry count the task starts at. */
  retries?: number;
  /** Store no result for this call. */
  ignoreResult?: boolean;
  /** Celery's priority; accepted for compatibility, SQS has no priorities. */
  priority?: number;
}

/** Options a signature carries: call options plus the ids that `freeze()` fixes. */
export interface SignatureOptions<S extends SignatureLike = SignatureLike> extends CallOptions<S> {
  link?: S[];
  linkError?: S[];
  groupId?: string;
  groupIndex?: number;
  rootId?: string;
  parentId?: string;
  /** The chord body this task is a header member of (set by `chord`). */
  chord?: S;
  /** Claim the task before running it (chord bodies and `once` tasks). */
  claim?: boolean;
}

const SIMPLE_KEYS: Record<string, string> = {
  countdown: "countdown",
  queue: "queue",
  taskId: "task_id",
  retries: "retries",
  ignoreResult: "ignore_result",
  priority: "priority",
  groupId: "group_id",
  groupIndex: "group_index",
  rootId: "root_id",
  parentId: "parent_id",
  claim: "claim",
};
const FROM_JSON_KEYS = Object.fromEntries(Object.entries(SIMPLE_KEYS).map(([k, v]) => [v, k]));

/** Writes options in Celery's snake_case JSON form. */
export function optionsToJSON(options: SignatureOptions, extra: JsonObject): JsonObject {
  const out: JsonObject = { ...extra };
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const simple = SIMPLE_KEYS[key];
    if (simple) out[simple] = value as JsonValue;
    else if (key === "eta") out.eta = (value as Date).toISOString();
    else if (key === "expires")
      out.expires = value instanceof Date ? value.toISOString() : (value as number);
    else if (key === "link" || key === "linkError") {
      const list = (Array.isArray(value) ? value : [value]) as SignatureLike[];
      out[key === "link" ? "link" : "link_error"] = list.map(
        (s) => s.toJSON() as unknown as JsonValue,
      );
    } else if (key === "chord")
      out.chord = (value as SignatureLike).toJSON() as unknown as JsonValue;
  }
  return out;
}

/**
 * Reads Celery-form options. Signatures inside (link, link_error, chord) are rebuilt
 * with `toSignature`; keys Celeriac does not know are kept in `extra` for the round trip.
 */
export function optionsFromJSON<S extends SignatureLike>(
  json: JsonObject,
  toSignature: (value: unknown) => S,
): { options: SignatureOptions<S>; extra: JsonObject } {
  const options: SignatureOptions<S> = {};
  const extra: JsonObject = {};
  const target = options as Record<string, unknown>;
  for (const [key, value] of Object.entries(json)) {
    if (value === null || value === undefined) continue;
    const simple = FROM_JSON_KEYS[key];
    if (simple) target[simple] = value;
    // Times stay as written (ISO strings); normaliseOptions checks and converts them.
    else if (key === "eta" || key === "expires") target[key] = value;
    else if (key === "link" || key === "link_error") {
      const list = Array.isArray(value) ? value : [value];
      target[key === "link" ? "link" : "linkError"] = list.map((v) => toSignature(v));
    } else if (key === "chord") target.chord = toSignature(value);
    else extra[key] = value;
  }
  return { options, extra };
}

/** Normalises `link`/`linkError` to arrays and validates values, naming the bad option. */
export function normaliseOptions<S extends SignatureLike>(
  options: CallOptions<S> & Omit<SignatureOptions<S>, "link" | "linkError">,
  where: string,
): SignatureOptions<S> {
  if (!isPlainObject(options)) throw new CanvasError(`${where}: options must be a plain object.`);
  const out: SignatureOptions<S> = {};
  for (const [key, value] of Object.entries(options) as [keyof SignatureOptions<S>, unknown][]) {
    if (value === undefined) continue;
    (out as Record<string, unknown>)[key] = checkOption(key, value, where);
  }
  return out;
}

/** Checks one option's value, naming it when it is wrong; returns the value to keep. */
function checkOption(key: string, value: unknown, where: string): unknown {
  const bad = (what: string) => optionError(where, key, what, value);
  switch (key) {
    case "countdown":
      timeAfter(value, where, key);
      return value;
    case "eta":
      return checkTime(value, where, key);
    case "expires":
      if (typeof value === "number") {
        timeAfter(value, where, key);
        return value;
      }
      if (value instanceof Date || typeof value === "string") return checkTime(value, where, key);
      throw bad("a number of seconds or a Date");
    case "queue":
    case "taskId":
    case "groupId":
    case "rootId":
    case "parentId":
      if (typeof value !== "string" || value.length === 0) throw bad("a non-empty string");
      return value;
    case "retries":
    case "groupIndex":
    case "priority":
      if (!Number.isInteger(value) || (value as number) < 0) throw bad("a whole number, 0 or more");
      return value;
    case "ignoreResult":
    case "claim":
      if (typeof value !== "boolean") throw bad("true or false");
      return value;
    case "link":
    case "linkError": {
      const list = Array.isArray(value) ? value : [value];
      for (const s of list) {
        if (typeof (s as SignatureLike | undefined)?.toJSON !== "function")
          throw bad("a signature (e.g. task.s()) or a list of them");
      }
      return [...list];
    }
    case "chord":
      if (typeof (value as SignatureLike | undefined)?.toJSON !== "function")
        throw bad("a signature");
      return value;
    default:
      throw new CanvasError(
        `${where}: unknown option '${key}'. Known options: countdown, eta, expires, queue, taskId, link, linkError, retries, ignoreResult, priority.`,
      );
  }
}

/**
 * The `eta` and `expires` of a message sent `now` (epoch ms), as ISO strings. Checked
 * again here, where a countdown becomes a time, so options changed in place are caught.
 */
export function messageTimes(
  o: Pick<CallOptions, "countdown" | "eta" | "expires">,
  where: string,
  now: number,
): { eta: string | null; expires: string | null } {
  const eta =
    o.eta !== undefined
      ? checkTime(o.eta, where, "eta")
      : o.countdown
        ? timeAfter(o.countdown, where, "countdown", now)
        : undefined;
  const expires =
    o.expires === undefined
      ? undefined
      : typeof o.expires === "number"
        ? timeAfter(o.expires, where, "expires", now)
        : checkTime(o.expires, where, "expires");
  return { eta: eta?.toISOString() ?? null, expires: expires?.toISOString() ?? null };
}

/**
 * The options a composite passes on to its members (a group's, a chord header's) or a
 * chain to its first step: all but the ids, links and chord that belong to the composite
 * itself (countdown, queue, expires, ...).
 */
export function optionsForMembers<S extends SignatureLike>(
  o: SignatureOptions<S>,
): SignatureOptions<S> {
  const {
    taskId: _taskId,
    link: _link,
    linkError: _linkError,
    groupId: _groupId,
    groupIndex: _groupIndex,
    rootId: _rootId,
    parentId: _parentId,
    chord: _chord,
    ...passed
  } = o;
  return passed;
}

/** Checks call args and kwargs are JSON, naming the task. */
export function assertArgsJson(task: string, args: readonly unknown[], kwargs: object): void {
  assertJson(args, `The arguments of ${task}`);
  assertJson(kwargs, `The keyword arguments of ${task}`);
}
