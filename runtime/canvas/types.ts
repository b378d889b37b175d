/**
 * Type helpers for typed partials. Partial arguments are prepended at call time, so a
 * signature made with `task.s(...bound)` binds the task's LAST parameters, and its
 * `delay(...rest)` supplies the first ones.
 */

/** Every suffix of a parameter tuple: the argument lists `task.s(...)` accepts. */
export type Suffixes<P extends unknown[]> = P extends [unknown, ...infer Rest]
  ? P | Suffixes<Rest>
  : P | [];

/** `P` with as many trailing elements removed as `B` has: what `delay()` still needs. */
export type Prefix<P extends unknown[], B extends unknown[]> = B extends []
  ? P
  : P extends [...infer Init, unknown]
    ? B extends [...infer BInit, unknown]
      ? Prefix<Init, BInit>
      : P
    : P;

/** The last element of a tuple. */
export type Last<T extends readonly unknown[]> = number extends T["length"]
  ? T[number]
  : T extends readonly [...unknown[], infer L]
    ? L
    : never;
