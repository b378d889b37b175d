import type { Signature } from "./signature.js";

/**
 * Compile-time checks that a canvas fits together: each chain step (and a chord's body)
 * must take the result of what runs before it as its first free parameter, as Celery
 * passes it at run time. Signatures built by name (`signature("proj.tasks.add")`, whose
 * free parameters are `unknown[]`) and immutable ones (`task.si(...)`) accept anything; a
 * mutable step with every argument bound (`add.s(1, 1)`) accepts nothing.
 */

/** Why a step cannot follow what runs before it: the compiler's error message shows it. */
export interface StepMismatch<Previous, Step> {
  readonly "this step cannot take the previous result as its first argument": {
    previousResult: Previous;
    step: Step;
  };
}

/**
 * Why a fully bound step (`add.s(1, 1)`) cannot follow another: at run time the previous
 * result would be prepended as one argument too many. `add.si(1, 1)` ignores it.
 */
export interface StepFullyBound<Step> {
  readonly "this step has all its arguments bound, so the previous result would be one too many: use .si(...)": {
    step: Step;
  };
}

type ArgsOfStep<S> = S extends Signature<infer A, infer _R, infer _H, infer _I> ? A : never;
type IsImmutable<S> = S extends Signature<infer _A, infer _R, infer _H, infer I> ? I : false;

/** How `S` takes `Previous` prepended to its arguments: "ok", or why it cannot. */
type Verdict<S, Previous> =
  IsImmutable<S> extends true
    ? "ok"
    : ArgsOfStep<S> extends infer A extends unknown[]
      ? number extends A["length"]
        ? "ok" // untyped: a signature by name, a group, a chord
        : A extends []
          ? "fully bound"
          : A extends [infer First, ...infer Rest]
            ? [Previous] extends [First]
              ? [] extends Rest
                ? "ok" // nothing else is needed
                : "mismatch" // it needs more arguments than the previous result
              : "mismatch"
            : "ok" // only optional parameters: the previous result fills the first
      : "mismatch";

/** `true` when `S` can run with `Previous` prepended to its arguments. */
export type Accepts<S, Previous> = Verdict<S, Previous> extends "ok" ? true : false;

/** `unknown` (no constraint) when `S` accepts `Previous`, else why it does not. */
export type StepCheck<S, Previous> =
  Verdict<S, Previous> extends "ok"
    ? unknown
    : Verdict<S, Previous> extends "fully bound"
      ? StepFullyBound<S>
      : StepMismatch<Previous, S>;

/** What a step gives the next one; a group of one is unrolled inside a chain, as in Celery. */
type ResultOfStep<S> =
  S extends Signature<infer _A, infer R, infer _H, infer _I>
    ? R extends readonly [infer Only]
      ? S extends { readonly subtaskType: "group" }
        ? Only
        : R
      : R
    : unknown;

/**
 * The constraint on chain steps `T`: the first step is free, each later one must accept
 * the result of the one before it. Intersected with `T` at the call site.
 */
export type ChainCheck<
  T extends readonly unknown[],
  Previous = never,
  First = true,
> = T extends readonly [infer S, ...infer Rest]
  ? [
      First extends true ? unknown : StepCheck<S, Previous>,
      ...ChainCheck<Rest, ResultOfStep<S>, false>,
    ]
  : T extends readonly []
    ? []
    : unknown[]; // an array of unknown length: nothing to check step by step
