import type { ResultRef, TaskMeta } from "../ports/task-meta.js";
import type { AsyncResult, GetOptions, ResultHandle } from "./async-result.js";
import { GROUP_FIRST_PAUSE_MS, pollUntil } from "./poll.js";
import type { ResultContext } from "./result-context.js";
import { isPropagating, isTerminal } from "./states.js";

/**
 * The results of a group, in the order the members were given, as Celery's
 * `GroupResult`. Questions about all members are answered with batched reads.
 *
 * @example
 * const res = await group(add.s(2, 2), add.s(4, 4)).delay();
 * await res.get({ timeout: 10 }); // [4, 8]
 */
export class GroupResult<T extends unknown[] = unknown[]> {
  parent: ResultHandle | undefined;

  constructor(
    readonly id: string,
    readonly results: AsyncResult[],
    private readonly app: ResultContext,
    parent?: ResultHandle,
  ) {
    this.parent = parent;
  }

  get length(): number {
    return this.results.length;
  }

  /**
   * Reads the members' records in batches; absent while PENDING. Records in `known`
   * (finished members, which cannot change) are not read again.
   */
  private async metas(known?: Map<string, TaskMeta>): Promise<(TaskMeta | undefined)[]> {
    if (this.results.length === 0) return [];
    const pending = this.results.map((r) => r.id).filter((id) => !known?.has(id));
    const found = pending.length > 0 ? await this.app.backend.getMany(pending) : new Map();
    if (known) for (const [id, m] of found) if (isTerminal(m.status)) known.set(id, m);
    return this.results.map((r) => known?.get(r.id) ?? found.get(r.id));
  }

  /** Every member finished. */
  async ready(): Promise<boolean> {
    return (await this.metas()).every((m) => m !== undefined && isTerminal(m.status));
  }

  /** Every member succeeded. */
  async successful(): Promise<boolean> {
    return (await this.metas()).every((m) => m?.status === "SUCCESS");
  }

  /** Some member failed. */
  async failed(): Promise<boolean> {
    return (await this.metas()).some((m) => m?.status === "FAILURE");
  }

  /** Some member has not finished. */
  async waiting(): Promise<boolean> {
    return !(await this.ready());
  }

  /** How many members succeeded (Celery counts only successes). */
  async completedCount(): Promise<number> {
    return (await this.metas()).filter((m) => m?.status === "SUCCESS").length;
  }

  /**
   * Waits for the members in order and resolves their values in member order. With
   * `propagate` (the default) it rejects with the first failed member's error as soon as
   * every member before it has finished; otherwise failed slots hold their errors.
   * Wait options are checked as `AsyncResult.get()` checks them.
   */
  join(options: GetOptions & { propagate: false }): Promise<{ [K in keyof T]: T[K] | Error }>;
  join(options?: GetOptions): Promise<T>;
  async join(options: GetOptions = {}): Promise<T> {
    return this.wait(options, "join()");
  }

  /** `join()` under the name it was called by, for errors about its options. */
  private async wait(options: GetOptions, where: string): Promise<T> {
    const finished = new Map<string, TaskMeta>();
    const metas = await pollUntil(
      async () => {
        const ms = await this.metas(finished);
        for (const m of ms) {
          if (!m || !isTerminal(m.status)) return undefined;
          if (isPropagating(m.status) && options.propagate !== false) return ms;
        }
        return ms;
      },
      options,
      async () =>
        `group ${this.id} has ${await this.completedCount()} of ${this.results.length} results`,
      where,
      GROUP_FIRST_PAUSE_MS,
    );
    const values: unknown[] = [];
    for (let i = 0; i < this.results.length; i++) {
      const meta = metas[i]!;
      const value = this.results[i]!.valueOf(meta);
      if (isPropagating(meta.status) && options.propagate !== false) throw value;
      values.push(value);
    }
    return values as T;
  }

  /** Same as `join()`. */
  get(options: GetOptions & { propagate: false }): Promise<{ [K in keyof T]: T[K] | Error }>;
  get(options?: GetOptions): Promise<T>;
  async get(options: GetOptions = {}): Promise<T> {
    return this.wait(options, "get()");
  }

  /** The member results (Celery's `children` of a group). */
  async children(): Promise<ResultHandle[]> {
    return [...this.results];
  }

  /** Revokes every member. */
  async revoke(): Promise<void> {
    await Promise.all(this.results.map((r) => r.revoke()));
  }

  /** Stores the member ids so that `app.groupResult(id)` can restore this group. */
  async save(): Promise<void> {
    await this.app.backend.saveGroup(
      this.id,
      this.results.map((r) => r.id),
    );
  }

  /** Deletes the saved group and the members' results. */
  async forget(): Promise<void> {
    await this.app.backend.forgetGroup(this.id);
    await this.app.backend.forget(this.results.map((r) => r.id));
  }

  toRef(): ResultRef {
    return { groupId: this.id, ids: this.results.map((r) => r.id) };
  }

  toString(): string {
    return `<GroupResult: ${this.id} [${this.results.map((r) => r.id).join(", ")}]>`;
  }
}
