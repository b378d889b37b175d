import { CanvasError } from "../errors/usage-errors.js";

/**
 * The checks of every duration and time option (`countdown`, `eta`, `expires`,
 * `timeout`, `interval`, retry delays), in one place. Each names where the option was
 * given, the option and the value, and throws a `CanvasError` before anything is sent.
 */

/** The latest time a message can carry: ISO-8601's four-digit years end in 9999. */
export const LATEST_TIME = "9999-12-31T23:59:59.999Z";
/** The earliest time a message can carry. */
export const EARLIEST_TIME = "0000-01-01T00:00:00.000Z";
const LATEST_MS = Date.parse(LATEST_TIME);
const EARLIEST_MS = Date.parse(EARLIEST_TIME);

/** What a number of seconds may be. */
export interface SecondsRule {
  /**
   * The least value: `"any"` (negative too), `"zero"` (0 or more) or `"above-zero"`.
   * @default "any"
   */
  min?: "any" | "zero" | "above-zero";
  /** `Infinity` is allowed (it means "never" or "forever"). @default false */
  infinite?: boolean;
}

/** A value as an error message shows it: `NaN`, `"soon"`, `Date(Invalid Date)`, `an object`. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value instanceof Date) return `Date(${value.toString()})`;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object") return Array.isArray(value) ? "an array" : "an object";
  if (typeof value === "bigint") return `${value}n`;
  return String(value);
}

/** The error for option `key` given at `where`: `<where>: option '<key>' must be <must>, got <value>.` */
export function optionError(where: string, key: string, must: string, value: unknown): CanvasError {
  return new CanvasError(`${where}: option '${key}' must be ${must}, got ${describeValue(value)}.`);
}

/**
 * Checks that `value` is a number of seconds as `rule` allows: never NaN, never a
 * string or another type, `Infinity` only where it means "forever".
 *
 * @example
 * checkSeconds(-1, "get()", "timeout", { min: "zero", infinite: true });
 * // CanvasError: get(): option 'timeout' must be a number of seconds ≥ 0 (or Infinity), got -1.
 */
export function checkSeconds(
  value: unknown,
  where: string,
  key: string,
  rule: SecondsRule = {},
): number {
  const min = rule.min ?? "any";
  const ok =
    typeof value === "number" &&
    !Number.isNaN(value) &&
    (Number.isFinite(value) || (rule.infinite === true && value > 0)) &&
    (min === "any" || (min === "zero" ? value >= 0 : value > 0));
  if (!ok) {
    const bound = min === "any" ? "" : min === "zero" ? " ≥ 0" : " > 0";
    const kind = rule.infinite ? "" : "finite ";
    const infinite = rule.infinite ? " (or Infinity)" : "";
    throw optionError(where, key, `a ${kind}number of seconds${bound}${infinite}`, value);
  }
  return value;
}

/**
 * Checks that a time (a `Date`, or an ISO-8601 string as the JSON form carries it)
 * is valid and can be written in a message, and returns it as a `Date`.
 */
export function checkTime(value: unknown, where: string, key: string): Date {
  const ms =
    value instanceof Date ? value.getTime() : typeof value === "string" ? Date.parse(value) : NaN;
  if (!(ms >= EARLIEST_MS && ms <= LATEST_MS)) {
    throw optionError(where, key, `a valid Date from ${EARLIEST_TIME} to ${LATEST_TIME}`, value);
  }
  return value instanceof Date ? value : new Date(ms);
}

/**
 * The time `seconds` after `now` (epoch ms), for `countdown` and a relative `expires`.
 * Refuses a number of seconds that is not finite or lands outside the times a message
 * can carry (a countdown of 1e14 s is some three million years).
 */
export function timeAfter(seconds: unknown, where: string, key: string, now = Date.now()): Date {
  const s = checkSeconds(seconds, where, key);
  const ms = now + s * 1000;
  if (!(ms >= EARLIEST_MS && ms <= LATEST_MS)) {
    throw optionError(
      where,
      key,
      `a number of seconds that ends from ${EARLIEST_TIME} to ${LATEST_TIME}`,
      seconds,
    );
  }
  return new Date(ms);
}
