import type { Signature } from "./signature.js";

/** Any signature, whatever its argument, result and handle types. */
// The widest signature type must accept every TArgs (parameters are contravariant).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySignature = Signature<any, unknown, unknown, boolean>;

/** The result type of a signature. */
export type ResultOf<S> = S extends Signature<infer _A, infer R, infer _H> ? R : unknown;

/** The result handle type a signature's `delay()` resolves to. */
export type HandleOf<S> = S extends Signature<infer _A, infer _R, infer H> ? H : unknown;

/** The arguments a signature's `delay()` takes. */
export type ArgsOf<S> = S extends Signature<infer A, infer _R, infer _H> ? A : unknown[];

/**
 * What makes a signature a chord body: how many header members it waits for, and whether
 * their ids are derived from the group id (no saved list).
 */
export interface ChordBodyMark {
  readonly size: number | undefined;
  readonly idsDerived: boolean;
}
