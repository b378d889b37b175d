import { CanvasError } from "../errors/usage-errors.js";
import type { AsyncResult } from "../results/async-result.js";
import type { GroupResult } from "../results/group-result.js";
import type { JsonObject } from "../types/json.js";
import type { CanvasApp } from "./canvas-app.js";
import { Group } from "./group.js";
import type { SignatureOptions } from "./options.js";
import type { CallArgs, Plan, Position } from "./plan.js";
import { type AnySignature, Signature } from "./signature.js";

/** Builtin task names, as in Celery. */
export const BUILTIN_MAP = "celery.map";
export const BUILTIN_STARMAP = "celery.starmap";
export const BUILTIN_CHUNKS = "celery.chunks";

/** A signature that ignores a previous result, as map, starmap and chunks do. */
type Immutable<R> = Signature<[], R, AsyncResult<R>, true>;

function checkIterable(it: unknown, where: string): unknown[] {
  if (it === null || typeof it !== "object" || !(Symbol.iterator in it)) {
    throw new CanvasError(`${where}: expected an array or iterable of items, got ${typeof it}.`);
  }
  return [...(it as Iterable<unknown>)];
}

/** One task that calls `task` on each item in turn: `[task(a), task(b), …]` (Celery's `xmap`). */
export function xmap<R>(task: AnySignature, it: Iterable<unknown>): Immutable<R[]> {
  const items = checkIterable(it, `${task.task}.map()`);
  return new Signature<[], R[], AsyncResult<R[]>, true>(BUILTIN_MAP, {
    kwargs: { task: task.toJSON(), it: items } as unknown as JsonObject,
    immutable: true,
    ...appOf(task),
  });
}

/** One task that calls `task(...item)` for each item: `[task(...a), …]` (Celery's `xstarmap`). */
export function xstarmap<R>(task: AnySignature, it: Iterable<readonly unknown[]>): Immutable<R[]> {
  const items = checkIterable(it, `${task.task}.starmap()`);
  for (const [i, item] of items.entries()) {
    if (!Array.isArray(item))
      throw new CanvasError(`${task.task}.starmap(): item ${i} is not an argument list.`);
  }
  return new Signature<[], R[], AsyncResult<R[]>, true>(BUILTIN_STARMAP, {
    kwargs: { task: task.toJSON(), it: items } as unknown as JsonObject,
    immutable: true,
    ...appOf(task),
  });
}

/** The app `task` was made by, if any: an unbound one takes the current app when sent. */
function appOf(task: AnySignature): { app?: CanvasApp } {
  const app = task.definingApp;
  return app ? { app } : {};
}

/**
 * `items` split into parts of `n`, each part one starmap task: `ceil(len / n)` messages,
 * whose result is a `GroupResult` of lists (Celery's `chunks`).
 *
 * @example
 * const res = await add.chunks(pairs, 10).delay();
 * await res.get(); // [[...10 sums], [...], …]
 */
export class Chunks<R = unknown> extends Signature<[], R[][], GroupResult<R[][]>, true> {
  /** The group of starmap tasks this sends; it shares this signature's options. */
  private readonly parts: Group<R[][]>;

  constructor(
    readonly inner: AnySignature,
    readonly items: unknown[][],
    readonly n: number,
    parts?: Group<R[][]>,
  ) {
    super(BUILTIN_CHUNKS, {
      kwargs: { task: inner.toJSON(), it: items, n } as unknown as JsonObject,
      immutable: true,
      ...appOf(inner),
    });
    if (!Number.isInteger(n) || n < 1)
      throw new CanvasError(`${inner.task}.chunks(): n must be a whole number ≥ 1, got ${n}.`);
    if (parts) {
      this.parts = parts;
    } else {
      const tasks: AnySignature[] = [];
      for (let i = 0; i < items.length; i += n) tasks.push(xstarmap(inner, items.slice(i, i + n)));
      this.parts = new Group<R[][]>(tasks, appOf(inner));
    }
  }

  /** The group's options: `set()`, and the id `freeze()` fixes, are the group's. */
  override get options(): Readonly<SignatureOptions<AnySignature>> {
    return this.parts.options;
  }

  /** @internal */
  override updateOptions(change: (options: SignatureOptions<AnySignature>) => void): void {
    this.parts.updateOptions(change);
  }

  /** The group of starmap tasks this sends (the same group every time). */
  group(): Group<R[][]> {
    return this.parts;
  }

  protected override copy(): this {
    return new Chunks<R>(this.inner.clone(), this.items, this.n, this.parts.clone()) as this;
  }

  override planInto(
    plan: Plan | undefined,
    call: CallArgs,
    pos: Position,
    app: CanvasApp,
  ): GroupResult<R[][]> {
    return this.parts.planInto(plan, call, pos, app) as GroupResult<R[][]>;
  }
}

/** Splits starmap items for `chunks` (checking they are argument lists). */
export function chunkItems(task: AnySignature, it: Iterable<readonly unknown[]>): unknown[][] {
  const items = checkIterable(it, `${task.task}.chunks()`);
  for (const [i, item] of items.entries()) {
    if (!Array.isArray(item))
      throw new CanvasError(`${task.task}.chunks(): item ${i} is not an argument list.`);
  }
  return items as unknown[][];
}
