import { randomUUID } from "node:crypto";
import { CanvasError } from "../errors/usage-errors.js";
import { AsyncResult, type ResultHandle } from "../results/async-result.js";
import type { EagerResult } from "../results/eager-result.js";
import { applyTask } from "./eager.js";
import { isPlainObject, type JsonObject, type JsonValue } from "../types/json.js";
import type { CanvasApp } from "./canvas-app.js";
import { currentApp } from "./current-app.js";
import {
  type CallOptions,
  normaliseOptions,
  optionsFromJSON,
  optionsToJSON,
  refuseInternalOptions,
  type SignatureOptions,
} from "./options.js";
import { type CallArgs, emptyCall, Plan, type Position } from "./plan.js";
import { kinds } from "./registry.js";
import type { SignatureJSON, SubtaskType } from "./signature-json.js";
import { frozenOptions, mergeOptions, ownCopies } from "./merge-options.js";
import { messageOf } from "./message-of.js";
import type { AnySignature, ChordBodyMark, HandleOf, ResultOf } from "./signature-types.js";
import type { StepCheck } from "./step-types.js";

export type { AnySignature, ArgsOf, HandleOf, ResultOf } from "./signature-types.js";

export { mergeOptions } from "./merge-options.js";

/** What a signature is built from, besides its task name. */
export interface SignatureInit {
  args?: readonly unknown[];
  kwargs?: JsonObject;
  options?: SignatureOptions<AnySignature>;
  immutable?: boolean;
  app?: CanvasApp;
  /** Options Celeriac does not know, kept for the JSON round trip. */
  extra?: JsonObject;
}

/** What `clone()` changes: args are prepended, kwargs merged, options overridden. */
export interface CloneChanges {
  args?: unknown[];
  kwargs?: JsonObject;
  options?: SignatureOptions<AnySignature>;
}

/**
 * A task invocation as data (Celery's signature): the task name, partial args and
 * kwargs, and execution options. It can be called, composed, stored and sent.
 *
 * `TArgs` are the arguments `delay()` still takes; `TResult` is what the task returns.
 *
 * @example
 * const partial = add.s(2);          // add(?, 2)
 * await (await partial.delay(8)).get(); // add(8, 2) = 10
 */
export class Signature<
  TArgs extends unknown[] = unknown[],
  TResult = unknown,
  THandle = AsyncResult<TResult>,
  TImmutable extends boolean = boolean,
> {
  readonly task: string;
  #args: readonly unknown[];
  #kwargs: Readonly<JsonObject>;
  #options: Readonly<SignatureOptions<AnySignature>>;
  #immutable: boolean;
  #chordBody: ChordBodyMark = Object.freeze({ size: undefined, idsDerived: false });
  readonly subtaskType: SubtaskType | null = null;
  /** Options Celeriac does not know, kept for the JSON round trip. */
  protected extra: JsonObject;
  protected boundApp: CanvasApp | undefined;
  /** Phantom field carrying the argument and result types; never set. */
  declare readonly __types?: {
    args: TArgs;
    result: TResult;
    handle: THandle;
    /** `true` for `task.si(...)`: a chain step that ignores the previous result. */
    immutable: TImmutable;
  };

  constructor(task: string, init: SignatureInit = {}) {
    if (typeof task !== "string" || task.length === 0) {
      throw new CanvasError(`A signature needs a task name, got ${JSON.stringify(task)}.`);
    }
    if (init.args !== undefined && !Array.isArray(init.args)) {
      throw new CanvasError(`Signature ${task}: args must be an array, got ${typeof init.args}.`);
    }
    if (init.kwargs !== undefined && !isPlainObject(init.kwargs)) {
      throw new CanvasError(`Signature ${task}: kwargs must be a plain object.`);
    }
    this.task = task;
    this.#args = Object.freeze([...(init.args ?? [])]);
    this.#kwargs = Object.freeze({ ...(init.kwargs ?? {}) });
    this.#options = frozenOptions(normaliseOptions(init.options ?? {}, `Signature ${task}`));
    this.#immutable = init.immutable ?? false;
    this.boundApp = init.app;
    this.extra = { ...(init.extra ?? {}) };
  }

  /** On a chord body, its header's size and how its member ids are known. */
  get chordBody(): ChordBodyMark {
    return this.#chordBody;
  }

  /** Marks this signature as a chord body (chord planning, `fromJSON`). @internal */
  markChordBody(mark: ChordBodyMark): void {
    this.#chordBody = Object.freeze({ ...mark });
  }

  /** The partial args, prepended to a call's own (frozen: `clone()` makes changed copies). */
  get args(): readonly unknown[] {
    return this.#args;
  }

  /** The partial kwargs, merged under a call's own (frozen). */
  get kwargs(): Readonly<JsonObject> {
    return this.#kwargs;
  }

  /** The execution options (frozen: `set()` changes them, and sending never does). */
  get options(): Readonly<SignatureOptions<AnySignature>> {
    return this.#options;
  }

  /** `true` for `task.si(...)`: it ignores a previous result and partial args. */
  get immutable(): boolean {
    return this.#immutable;
  }

  /**
   * Changes the options in planning (the ids `freeze()` fixes, a chord body's claim) and
   * in `set()`, `link()` and `onError()`: `change` edits a copy, which is frozen again.
   * @internal
   */
  updateOptions(change: (options: SignatureOptions<AnySignature>) => void): void {
    const options = { ...this.options };
    change(options);
    this.#options = frozenOptions(options);
  }

  /**
   * The app this signature sends through: its own (a task's signature has its task's
   * app; a chain, group or chord has the app of its first task that has one, as in
   * Celery), else the current app.
   */
  get app(): CanvasApp {
    return this.definingApp ?? currentApp();
  }

  /**
   * The app this signature was made by, if any; composites look at their tasks.
   * @internal
   */
  get definingApp(): CanvasApp | undefined {
    return this.boundApp;
  }

  /** The task id, once frozen or set. */
  get id(): string | undefined {
    return this.options.taskId;
  }

  /** The task name that routing uses: map, starmap and chunks route by their inner task. */
  protected get routeName(): string {
    const inner = this.kwargs.task;
    if (this.task.startsWith("celery.") && isPlainObject(inner) && typeof inner.task === "string")
      return inner.task;
    return this.task;
  }

  /**
   * A copy with `changes` merged in: args prepended (unless immutable), kwargs merged
   * (new keys win), options overridden. Linked signatures are copied too.
   */
  clone(changes: CloneChanges = {}): this {
    const copy = this.copy();
    if (!this.immutable) {
      copy.#args = Object.freeze([...(changes.args ?? []), ...copy.#args]);
      copy.#kwargs = Object.freeze({ ...copy.#kwargs, ...(changes.kwargs ?? {}) });
    }
    if (changes.options) {
      const options = normaliseOptions(changes.options, `Signature ${this.task}`);
      copy.updateOptions((o) => Object.assign(o, options));
    }
    return copy;
  }

  /** A deep copy of the same kind; subclasses copy their children. */
  protected copy(): this {
    const json = structuredClone(this.toJSON());
    return Signature.fromJSON(json, this.boundApp) as this;
  }

  /**
   * Sets options on this signature and returns it, for chaining (`sig.set({ countdown: 1 }).delay()`).
   * @throws CanvasError for a bad value, or an option Celeriac sets itself (`groupId`, `rootId`, `chord`, …).
   */
  set(options: CallOptions<AnySignature> & { immutable?: boolean }): this {
    const { immutable, ...rest } = options;
    const where = `Signature ${this.task}`;
    refuseInternalOptions(rest, where);
    const changes = normaliseOptions(rest, where);
    if (immutable !== undefined) this.#immutable = immutable;
    this.updateOptions((o) => Object.assign(o, changes));
    return this;
  }

  /** Adds a callback run with this task's result prepended; returns the callback (as Celery). */
  link<S extends AnySignature>(callback: S): S {
    const links = this.options.link ?? [];
    if (!links.includes(callback)) this.updateOptions((o) => (o.link = [...links, callback]));
    return callback;
  }

  /** Adds an errback run with this task's id prepended when it fails; returns this signature. */
  onError(errback: AnySignature): this {
    const links = this.options.linkError ?? [];
    if (!links.includes(errback)) this.updateOptions((o) => (o.linkError = [...links, errback]));
    return this;
  }

  /** Celery's `|`: a chain, or a chord when this is a group. */
  pipe<S extends AnySignature>(
    next: S & StepCheck<S, TResult>,
  ): Signature<TArgs, ResultOf<S>, HandleOf<S>> {
    if (!kinds.pipe)
      throw new CanvasError(
        "Canvas kinds are not loaded: import from 'celeriac' (or runtime/canvas/kinds.js).",
      );
    return kinds.pipe(this as AnySignature, next) as unknown as Signature<
      TArgs,
      ResultOf<S>,
      HandleOf<S>
    >;
  }

  /**
   * Fixes the task ids of this signature (and everything inside it) now, and returns the
   * result handle it will have. Send it at most once after freezing.
   */
  freeze(): THandle {
    return this.planInto(undefined, emptyCall(), {}, this.app) as unknown as THandle;
  }

  /** Sends the task with `args` prepended to the partial args. */
  delay(...args: TArgs): Promise<THandle> {
    return this.applyAsync(args);
  }

  /**
   * Sends the task. `args` are prepended to the signature's own, `kwargs` merged, and
   * `options` override the signature's options. Resolves once the message is sent.
   */
  async applyAsync(
    args: Partial<TArgs> | unknown[] = [],
    kwargs: JsonObject = {},
    options: CallOptions<AnySignature> = {},
  ): Promise<THandle> {
    const app = this.app;
    const plan = new Plan();
    const where = `${this.task}.applyAsync()`;
    refuseInternalOptions(options, where);
    const call: CallArgs = {
      args: [...(args as unknown[])],
      kwargs,
      options: normaliseOptions(options, where),
    };
    const result = this.clone().planInto(plan, call, {}, app);
    await app.dispatch(plan, result);
    return result as unknown as THandle;
  }

  /**
   * Runs the task in this process and resolves an `EagerResult` (AsyncResult's API),
   * as Celery's `apply()`. Callbacks run too; nothing is sent.
   */
  async apply(...args: TArgs): Promise<EagerResult<TResult>> {
    return (await applyTask(this as AnySignature, args)) as EagerResult<TResult>;
  }

  /**
   * Freezes this signature at `pos` and, when `plan` is given, adds the messages that
   * sending it takes. Returns the result handle. Subclasses plan their children.
   * @internal
   */
  planInto(plan: Plan | undefined, call: CallArgs, pos: Position, app: CanvasApp): ResultHandle {
    const id = call.options.taskId ?? this.options.taskId ?? randomUUID();
    this.updateOptions((own) => {
      own.taskId = id;
      own.groupId ??= pos.groupId;
      own.groupIndex ??= pos.groupIndex;
      own.rootId ??= pos.rootId;
      own.parentId ??= pos.parentId;
      if (pos.chord) own.chord = pos.chord as AnySignature;
      // Callbacks and errbacks are copied for each call, so one signature can be linked
      // to many calls; a copy of one the caller froze keeps its id (the caller asked for it).
      if (own.link) own.link = ownCopies(own.link);
      if (own.linkError) own.linkError = ownCopies(own.linkError);
    });
    const callOptions = { ...call.options };
    if (callOptions.link) callOptions.link = ownCopies(callOptions.link);
    if (callOptions.linkError) callOptions.linkError = ownCopies(callOptions.linkError);
    const o = mergeOptions(this.options, callOptions);
    for (const s of [...(o.link ?? []), ...(o.linkError ?? [])] as AnySignature[]) {
      s.planInto(undefined, emptyCall(), { rootId: this.options.rootId ?? id, parentId: id }, app);
    }
    if (plan)
      plan.requests.push(messageOf(this, this.routeName, { id, options: o, call, pos }, app));
    const result = new AsyncResult(id, app);
    // Nothing will be stored for it (a claimed task, such as a chord body, stores anyway).
    result.ignored =
      o.claim !== true && (o.ignoreResult === true || app.ignoresResult?.(this.task) === true);
    return result;
  }

  /** Celery's dict form. */
  toJSON(): SignatureJSON {
    const json: SignatureJSON = {
      task: this.task,
      args: [...this.args] as JsonValue[],
      kwargs: { ...this.kwargs },
      options: optionsToJSON(this.options, this.extra),
      subtask_type: this.subtaskType,
      immutable: this.immutable,
    };
    if (this.#chordBody.size !== undefined) json.chord_size = this.#chordBody.size;
    if (this.#chordBody.idsDerived) json.chord_ids = "derived";
    return json;
  }

  /** Reads any kind of signature from Celery's dict form (plain, chain, group, chord, map, starmap, chunks). */
  static fromJSON(json: SignatureJSON | Record<string, unknown>, app?: CanvasApp): AnySignature {
    if (!isPlainObject(json) || typeof json.task !== "string") {
      throw new CanvasError(
        `Not a signature: expected an object with a 'task' name, got ${JSON.stringify(json)}.`,
      );
    }
    const j = json as unknown as SignatureJSON;
    const kind = j.subtask_type;
    let sig: AnySignature;
    if (kind) {
      const read = kinds.fromJSON[kind];
      if (!read)
        throw new CanvasError(`Unknown subtask_type '${String(kind)}' in signature of ${j.task}.`);
      sig = read(j, app);
    } else {
      sig = new Signature(j.task, { ...Signature.initFromJSON(j, app), kwargs: j.kwargs ?? {} });
    }
    // Any kind can be a chord body, and its chord fields travel with it.
    const size = typeof j.chord_size === "number" ? j.chord_size : undefined;
    sig.markChordBody({ size, idsDerived: j.chord_ids === "derived" });
    return sig;
  }

  /**
   * The fields every kind reads the same way from Celery's dict form: partial args,
   * options (signatures inside them rebuilt), immutability, unknown options kept.
   * @internal
   */
  static initFromJSON(json: SignatureJSON, app?: CanvasApp): SignatureInit {
    const { options, extra } = optionsFromJSON(json.options ?? {}, (v) =>
      Signature.fromJSON(v as SignatureJSON, app),
    );
    return {
      args: json.args ?? [],
      options,
      immutable: json.immutable === true,
      extra,
      ...(app ? { app } : {}),
    };
  }

  /** What a copy of this signature starts from: its own fields, with the options copied. */
  protected copyInit(): SignatureInit {
    return {
      args: this.args,
      kwargs: this.kwargs,
      options: {
        ...this.options,
        ...(this.options.link ? { link: [...this.options.link] } : {}),
        ...(this.options.linkError ? { linkError: [...this.options.linkError] } : {}),
      },
      immutable: this.immutable,
      extra: this.extra,
      ...(this.boundApp ? { app: this.boundApp } : {}),
    };
  }

  toString(): string {
    const parts = [...this.args.map((a) => JSON.stringify(a))];
    for (const [k, v] of Object.entries(this.kwargs)) parts.push(`${k}=${JSON.stringify(v)}`);
    return `${this.task}(${parts.join(", ")})`;
  }
}
