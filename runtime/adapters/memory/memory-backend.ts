import type { ChordPart, ChordProgress, ResultBackend } from "../../ports/result-backend.js";
import type { TaskMeta, TerminalMeta } from "../../ports/task-meta.js";
import { isTerminal } from "../../results/states.js";

export interface MemoryBackendOptions {
  /** Seconds a stored result lives; reads ignore expired records. @default never */
  resultExpires?: number;
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/**
 * An in-process result backend with DynamoDB's guarantees where the engine needs them:
 * first-wins terminal writes, idempotent chord parts, one elected dispatcher, leased
 * claims, and expiry. Values are stored as JSON copies, never shared with callers.
 */
export class MemoryBackend implements ResultBackend {
  readonly description = "memory://";
  private readonly metas = new Map<string, Entry<string>>();
  private readonly groups = new Map<string, Entry<string[]>>();
  private readonly chords = new Map<string, { done: Set<number>; completedBy?: string }>();
  private readonly claims = new Map<string, { owner: string; until: number }>();
  private readonly ttlMs: number;
  /** Counts of primitive operations, for tests and benchmarks. */
  readonly calls = { reads: 0, writes: 0 };

  constructor(options: MemoryBackendOptions = {}) {
    this.ttlMs =
      options.resultExpires === undefined ? Number.POSITIVE_INFINITY : options.resultExpires * 1000;
  }

  async get(taskId: string): Promise<TaskMeta | undefined> {
    this.calls.reads++;
    return this.read(taskId);
  }

  async getMany(taskIds: readonly string[]): Promise<Map<string, TaskMeta>> {
    this.calls.reads++;
    const out = new Map<string, TaskMeta>();
    for (const id of taskIds) {
      const meta = this.read(id);
      if (meta) out.set(id, meta);
    }
    return out;
  }

  async storeTerminal(meta: TerminalMeta): Promise<boolean> {
    this.calls.writes++;
    const existing = this.read(meta.taskId);
    if (existing && isTerminal(existing.status)) return false;
    this.write(meta);
    return true;
  }

  async storeProgress(meta: TaskMeta): Promise<boolean> {
    this.calls.writes++;
    const existing = this.read(meta.taskId);
    if (existing && isTerminal(existing.status)) return false;
    this.write(meta);
    return true;
  }

  async claim(taskId: string, owner: string, leaseSeconds: number): Promise<boolean> {
    this.calls.writes++;
    const now = Date.now();
    const held = this.claims.get(taskId);
    if (held && held.owner !== owner && held.until > now) return false;
    this.claims.set(taskId, { owner, until: now + leaseSeconds * 1000 });
    return true;
  }

  async releaseClaim(taskId: string, owner: string): Promise<void> {
    this.calls.writes++;
    if (this.claims.get(taskId)?.owner === owner) this.claims.delete(taskId);
  }

  async recordChordPart(part: ChordPart): Promise<ChordProgress> {
    this.calls.writes++;
    let chord = this.chords.get(part.groupId);
    if (!chord) {
      chord = { done: new Set() };
      this.chords.set(part.groupId, chord);
    }
    if (!chord.done.has(part.index)) {
      chord.done.add(part.index);
      if (chord.done.size >= part.size) chord.completedBy = part.memberId;
    }
    const complete = chord.done.size >= part.size;
    return { complete, dispatcher: complete && chord.completedBy === part.memberId };
  }

  async saveGroup(groupId: string, taskIds: readonly string[]): Promise<void> {
    this.calls.writes++;
    this.groups.set(groupId, { value: [...taskIds], expiresAt: Date.now() + this.ttlMs });
  }

  async restoreGroup(groupId: string): Promise<string[] | undefined> {
    this.calls.reads++;
    const entry = this.groups.get(groupId);
    if (!entry || entry.expiresAt <= Date.now()) return undefined;
    return [...entry.value];
  }

  async forget(taskIds: readonly string[]): Promise<void> {
    this.calls.writes++;
    for (const id of taskIds) this.metas.delete(id);
  }

  async forgetGroup(groupId: string): Promise<void> {
    this.calls.writes++;
    this.groups.delete(groupId);
  }

  async close(): Promise<void> {}

  private read(taskId: string): TaskMeta | undefined {
    const entry = this.metas.get(taskId);
    if (!entry || entry.expiresAt <= Date.now()) return undefined;
    return JSON.parse(entry.value) as TaskMeta;
  }

  private write(meta: TaskMeta): void {
    this.metas.set(meta.taskId, {
      value: JSON.stringify(meta),
      expiresAt: Date.now() + this.ttlMs,
    });
  }
}
