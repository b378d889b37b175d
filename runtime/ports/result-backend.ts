import type { TaskMeta, TerminalMeta } from "./task-meta.js";

/** One chord header member that reached a terminal state. */
export interface ChordPart {
  /** The chord's group id (the header's id). */
  groupId: string;
  /** How many members the header has. */
  size: number;
  /** This member's position in the header (its group index). */
  index: number;
  /** This member's task id. */
  memberId: string;
}

/** What the backend knows about a chord after recording a part. */
export interface ChordProgress {
  /** Every member of the header has been recorded. */
  complete: boolean;
  /**
   * This member is the chord's body dispatcher: the one whose record completed the
   * chord. True for exactly one member of each chord, every time it records again.
   */
  dispatcher: boolean;
}

/**
 * The result backend port: storage primitives in domain terms. The worker core, the
 * canvas and the results speak only to this interface; adapters (memory, DynamoDB)
 * implement it with no workflow logic of their own.
 *
 * Every method is safe to call again with the same arguments (at-least-once delivery
 * means it will be): terminal writes are first-wins, chord parts are recorded once per
 * member, and the dispatcher election answers the same way for the same candidate.
 */
export interface ResultBackend {
  /** A short description for banners and logs, e.g. `memory://` or `dynamodb://table`. */
  readonly description: string;

  /**
   * Where it sends its requests, for the worker's banner: an endpoint URL (an emulator)
   * or `AWS (<region>)`. Absent for in-process transports.
   */
  endpoint?(): Promise<string>;

  /** Strongly consistent read of one task; `undefined` when unknown or expired (PENDING). */
  get(taskId: string): Promise<TaskMeta | undefined>;

  /** Strongly consistent reads of many tasks; missing and expired ids are absent from the map. */
  getMany(taskIds: readonly string[]): Promise<Map<string, TaskMeta>>;

  /**
   * Writes a terminal state (SUCCESS, FAILURE, REVOKED) unless one is already stored.
   * Resolves `true` when this call wrote it, `false` when an earlier terminal write won.
   */
  storeTerminal(meta: TerminalMeta): Promise<boolean>;

  /**
   * Writes a non-terminal state (STARTED, RETRY) unless a terminal state is stored.
   * Resolves `true` when written.
   */
  storeProgress(meta: TaskMeta): Promise<boolean>;

  /**
   * Claims a task id for `leaseSeconds` so that only one copy of its message runs it.
   * Resolves `true` when `owner` holds the claim now (a fresh claim, a claim this owner
   * already held, or one whose lease ran out), `false` when another owner holds it.
   */
  claim(taskId: string, owner: string, leaseSeconds: number): Promise<boolean>;

  /**
   * Gives up `owner`'s claim on a task id (a run that failed before its terminal state was
   * stored), so that the next delivery need not wait out the lease. Does nothing when
   * another owner holds the claim, or nobody does.
   */
  releaseClaim(taskId: string, owner: string): Promise<void>;

  /**
   * Records that a chord member finished (in any terminal state). Recording the same
   * member twice counts it once. `complete` is true once all `size` members are in;
   * `dispatcher` elects, in the same write, the one member that sends the body. Every
   * part of a chord must give the same `size`.
   */
  recordChordPart(part: ChordPart): Promise<ChordProgress>;

  /** Saves a group's member ids, in order (GroupResult.save()). */
  saveGroup(groupId: string, taskIds: readonly string[]): Promise<void>;

  /** The saved member ids of a group, in order; `undefined` when not saved or expired. */
  restoreGroup(groupId: string): Promise<string[] | undefined>;

  /** Deletes the records of these task ids (AsyncResult.forget()). */
  forget(taskIds: readonly string[]): Promise<void>;

  /** Deletes a saved group (GroupResult.forget()). */
  forgetGroup(groupId: string): Promise<void>;

  /** Releases connections and timers. */
  close(): Promise<void>;

  /**
   * Loads what requests need (an SDK) ahead of the first one. A Lambda worker calls it
   * while its container starts, so that the first event does not wait for the load.
   */
  prepare?(): Promise<void>;

  /** Creates the storage (a table with its TTL) where that is the app's job. Idempotent. */
  ensureResources?(): Promise<void>;
}
