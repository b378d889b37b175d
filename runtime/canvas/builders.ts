import { CanvasError } from "../errors/usage-errors.js";
import { Chain } from "./chain.js";
import { Chord } from "./chord.js";
import { Group } from "./group.js";
import {
  type AnySignature,
  type ArgsOf,
  type HandleOf,
  type ResultOf,
  Signature,
} from "./signature.js";
import type { ChainCheck, StepCheck } from "./step-types.js";
import type { Last } from "./types.js";

type GroupResults<T extends readonly AnySignature[]> = {
  -readonly [K in keyof T]: ResultOf<T[K]>;
};

/** What a chord's body receives: the header's results, in header order. */
type HeaderResults<H> =
  H extends Group<infer R>
    ? R
    : H extends readonly AnySignature[]
      ? GroupResults<H>
      : H extends Iterable<infer S>
        ? ResultOf<S>[]
        : unknown[];

function toList(args: unknown[], where: string): AnySignature[] {
  const only = args[0];
  const list =
    args.length === 1 &&
    only !== null &&
    typeof only === "object" &&
    !(only instanceof Signature) &&
    Symbol.iterator in only
      ? [...(only as Iterable<unknown>)]
      : args;
  for (const [i, s] of list.entries()) {
    if (!(s instanceof Signature)) {
      throw new CanvasError(
        `${where}: item ${i} is not a signature (use task.s(...) to make one), got ${typeof s}.`,
      );
    }
  }
  return list as AnySignature[];
}

/**
 * Tasks that run one after another: `chain(a, b, c)`, `chain([a, b, c])`, or
 * `a.pipe(b).pipe(c)`. Each step gets the previous result prepended.
 */
export function chain<T extends AnySignature[]>(
  ...tasks: T & ChainCheck<T>
): Chain<ArgsOf<T[0]>, ResultOf<Last<T>>, HandleOf<Last<T>>>;
export function chain<const T extends AnySignature[]>(
  tasks: T & ChainCheck<T>,
): Chain<ArgsOf<T[0]>, ResultOf<Last<T>>, HandleOf<Last<T>>>;
export function chain(...args: unknown[]): AnySignature {
  return new Chain(toList(args, "chain()"));
}

/** Tasks that run in parallel: `group(a, b)`, `group([a, b])` or `group(iterable)`. */
export function group<T extends AnySignature[]>(...tasks: T): Group<GroupResults<T>>;
export function group<S extends AnySignature>(tasks: Iterable<S>): Group<ResultOf<S>[]>;
export function group(...args: unknown[]): Group {
  return new Group(toList(args, "group()"));
}

/**
 * A header of parallel tasks and a body that receives their results, in header order,
 * once all have finished: `chord([a, b], body)`.
 */
export function chord<
  H extends AnySignature[] | Iterable<AnySignature> | Group,
  B extends AnySignature,
>(
  header: H extends AnySignature[] ? [...H] : H,
  body: B & StepCheck<B, HeaderResults<H>>,
): Chord<ResultOf<B>, HandleOf<B>>;
export function chord(header: AnySignature[] | Iterable<AnySignature> | Group): Chord;
export function chord(header: unknown, body?: AnySignature): Chord {
  const g = header instanceof Group ? header : new Group(toList([header], "chord() header"));
  if (body !== undefined && !(body instanceof Signature)) {
    throw new CanvasError("chord(): the body is not a signature (use task.s() to make one).");
  }
  return new Chord(g, body);
}
