/**
 * Compile-time JSON checks for task parameters: arguments travel as JSON, so a parameter
 * typed as a `Date`, a `Map`, a `Set`, a function, a `bigint`, a class instance with
 * methods, or `undefined` alone would arrive as something else (or be refused at call time
 * with a `SerializationError`). `app.task()` names the first such parameter.
 */

/** Types that JSON turns into something else, or refuses. */
type NotJson =
  | Date
  | Map<unknown, unknown>
  | Set<unknown>
  | WeakMap<object, unknown>
  | WeakSet<object>
  | RegExp
  | Promise<unknown>
  | bigint
  | symbol
  | ((...args: never[]) => unknown);

/** `true` when values of `T` survive a JSON round trip (as far as the type can tell). */
export type IsJsonType<T, Depth extends unknown[] = []> = Depth["length"] extends 6
  ? true // deep enough: stop looking
  : unknown extends T
    ? true // unknown and any: checked at call time
    : [T] extends [string | number | boolean | null | undefined]
      ? true
      : [T] extends [NotJson]
        ? false
        : T extends readonly (infer E)[]
          ? IsJsonType<E, [...Depth, unknown]>
          : T extends object
            ? false extends { [K in keyof T]-?: IsJsonType<T[K], [...Depth, unknown]> }[keyof T]
              ? false
              : true
            : true;

/** The index (as a string) of the first parameter of `P` that is not JSON, or `never`. */
type FirstNonJson<P extends unknown[]> = {
  [K in keyof P]-?: IsJsonType<P[K]> extends true ? never : K;
}[number];

/** What `app.task()` shows when a parameter cannot travel as JSON. */
export interface NotJsonParameter<Index, Type> {
  readonly "task parameters travel as JSON: this parameter cannot": {
    parameter: Index;
    type: Type;
  };
}

/** `unknown` (no constraint) when every parameter of `F` is JSON, else the first that is not. */
export type JsonParamsCheck<F extends (...args: never[]) => unknown> =
  FirstNonJsonOf<Parameters<F>> extends infer K
    ? [K] extends [never]
      ? unknown
      : NotJsonParameter<K, Parameters<F>[K & keyof Parameters<F>]>
    : unknown;

type FirstNonJsonOf<P extends unknown[]> = FirstNonJson<P>;
