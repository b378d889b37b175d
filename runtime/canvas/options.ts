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
  link?: S | readonly S[];
  /** Errbacks run after final failure with the failed task's id prepended. */
  linkError?: S | readonly S[];
  /** The retry count the task starts at. */
  retries?: number;
  /** Store no result for this call. */
  ignoreResult?: boolean;
  /** Celery's priority; accepted for compatibility, SQS has no priorities. */
  priority?: number;
}

/** Options a signature carries: call options plus the ids that `freeze()` fixes. */
export interface SignatureOptions<S extends SignatureLike = SignatureLike> extends CallOptions<S> {
  link?: readonly S[];
  linkError?: readonly S[];
  groupId?: string;
  groupIndex?: number;
  rootId?: string;
  parentId?: string;
  /** The chord body this task is a header member of (set by `chord`). */
  chord?: S;
  /** Claim the task before running it (chord bodies and `once` tasks). */
  claim?: boolean;
}

/** How an option's value is checked and written in Celery's dict form. */
type OptionKind =
  "string" | "count" | "flag" | "countdown" | "eta" | "expires" | "links" | "signature";

/** One option: its name in Celery's dict form, its kind, and who sets it. */
interface OptionSpec {
  /** The snake_case key of Celery's dict form. */
  readonly wire: string;
  readonly kind: OptionKind;
  /** Passed on by a group or chord to its members, and by a chain to its first step. */
  readonly members: boolean;
  /** Set by Celeriac while planning (ids, positions, the chord): not by `set()` or a call. */
  readonly internal: boolean;
}

/**
 * Every option, in one place: what it is called on the wire, how it is checked, whether
 * members inherit it, and whether callers may set it.
 */
const OPTIONS = {
  countdown: { wire: "countdown", kind: "countdown", members: true, internal: false },
  eta: { wire: "eta", kind: "eta", members: true, internal: false },
  expires: { wire: "expires", kind: "expires", members: true, internal: false },
  queue: { wire: "queue", kind: "string", members: true, internal: false },
  taskId: { wire: "task_id", kind: "string", members: false, internal: false },
  link: { wire: "link", kind: "links", members: false, internal: false },
  linkError: { wire: "link_error", kind: "links", members: false, internal: false },
  retries: { wire: "retries", kind: "count", members: true, internal: false },
  ignoreResult: { wire: "ignore_result", kind: "flag", members: true, internal: false },
  priority: { wire: "priority", kind: "count", members: true, internal: false },
  groupId: { wire: "group_id", kind: "string", members: false, internal: true },
  groupIndex: { wire: "group_index", kind: "count", members: false, internal: true },
  rootId: { wire: "root_id", kind: "string", members: false, internal: true },
  parentId: { wire: "parent_id", kind: "string", members: false, internal: true },
  chord: { wire: "chord", kind: "signature", members: false, internal: true },
  claim: { wire: "claim", kind: "flag", members: true, internal: true },
} as const satisfies Record<keyof SignatureOptions, OptionSpec>;

type OptionKey = keyof typeof OPTIONS;

const SPECS: ReadonlyMap<string, OptionSpec> = new Map(Object.entries(OPTIONS));
const BY_WIRE: ReadonlyMap<string, OptionKey> = new Map(
  Object.entries(OPTIONS).map(([key, spec]) => [spec.wire, key as OptionKey]),
);
const PUBLIC_KEYS = Object.entries(OPTIONS)
  .filter(([, spec]) => !spec.internal)
  .map(([key]) => key);

/** Writes options in Celery's snake_case JSON form. */
export function optionsToJSON(options: SignatureOptions, extra: JsonObject): JsonObject {
  const out: JsonObject = { ...extra };
  for (const [key, value] of Object.entries(options)) {
    const spec = SPECS.get(key);
    if (value === undefined || spec === undefined) continue;
    out[spec.wire] = toWire(spec.kind, value);
  }
  return out;
}

function toWire(kind: OptionKind, value: unknown): JsonValue {
  switch (kind) {
    case "eta":
      return (value as Date).toISOString();
    case "expires":
      return value instanceof Date ? value.toISOString() : (value as number);
    case "links":
      return (Array.isArray(value) ? value : [value]).map(
        (s) => (s as SignatureLike).toJSON() as unknown as JsonValue,
      );
    case "signature":
      return (value as SignatureLike).toJSON() as unknown as JsonValue;
    default:
      return value as JsonValue;
  }
}

/**
 * Reads Celery-form options. Signatures inside (link, link_error, chord) are rebuilt
 * with `toSignature`; keys Celeriac does not know are kept in `extra` for the round trip.
 * Times stay as written (ISO strings): `normaliseOptions` checks and converts them.
 */
export function optionsFromJSON<S extends SignatureLike>(
  json: JsonObject,
  toSignature: (value: unknown) => S,
): { options: SignatureOptions<S>; extra: JsonObject } {
  const options: Record<string, unknown> = {};
  const extra: JsonObject = {};
  for (const [wire, value] of Object.entries(json)) {
    if (value === null || value === undefined) continue;
    const key = BY_WIRE.get(wire);
    if (key === undefined) {
      extra[wire] = value;
      continue;
    }
    const kind = OPTIONS[key].kind;
    options[key] =
      kind === "links"
        ? (Array.isArray(value) ? value : [value]).map((v) => toSignature(v))
        : kind === "signature"
          ? toSignature(value)
          : value;
  }
  return { options: options as SignatureOptions<S>, extra };
}

/**
 * Refuses the options Celeriac sets itself (ids, positions, the chord, claims) where a
 * caller gives options: `set()` and a call's options.
 */
export function refuseInternalOptions(options: unknown, where: string): void {
  if (!isPlainObject(options)) return; // normaliseOptions names that mistake
  const internal = Object.keys(options).filter((key) => SPECS.get(key)?.internal === true);
  if (internal.length > 0) {
    throw new CanvasError(
      `${where}: ${internal.map((k) => `'${k}'`).join(", ")} ${internal.length === 1 ? "is" : "are"} set by Celeriac while it plans a canvas, not by callers. Options you can set: ${PUBLIC_KEYS.join(", ")}.`,
    );
  }
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
  const spec = SPECS.get(key);
  if (spec === undefined) {
    throw new CanvasError(
      `${where}: unknown option '${key}'. Known options: ${PUBLIC_KEYS.join(", ")}.`,
    );
  }
  const bad = (what: string) => optionError(where, key, what, value);
  switch (spec.kind) {
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
    case "string":
      if (typeof value !== "string" || value.length === 0) throw bad("a non-empty string");
      return value;
    case "count":
      if (!Number.isInteger(value) || (value as number) < 0) throw bad("a whole number, 0 or more");
      return value;
    case "flag":
      if (typeof value !== "boolean") throw bad("true or false");
      return value;
    case "links": {
      const list = Array.isArray(value) ? value : [value];
      for (const s of list) {
        if (typeof (s as SignatureLike | undefined)?.toJSON !== "function")
          throw bad("a signature (e.g. task.s()) or a list of them");
      }
      return [...list];
    }
    case "signature":
      if (typeof (value as SignatureLike | undefined)?.toJSON !== "function")
        throw bad("a signature");
      return value;
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
  const passed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(o)) if (SPECS.get(key)?.members) passed[key] = value;
  return passed as SignatureOptions<S>;
}

/** Checks call args and kwargs are JSON, naming the task. */
export function assertArgsJson(task: string, args: readonly unknown[], kwargs: object): void {
  assertJson(args, `The arguments of ${task}`);
  assertJson(kwargs, `The keyword arguments of ${task}`);
}
