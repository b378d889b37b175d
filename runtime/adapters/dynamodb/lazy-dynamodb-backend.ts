import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { ChordPart, ChordProgress, ResultBackend } from "../../ports/result-backend.js";
import type { TaskMeta, TerminalMeta } from "../../ports/task-meta.js";
import { checkBackendOptions } from "./backend-options.js";
import type { DynamoDBBackend, ResultLayout } from "./dynamodb-backend.js";
import type { EnsureTableOptions } from "./ensure-table.js";

/** What an app's `dynamodb://<table>[?layout=celery]` URL gives the backend. */
export interface LazyDynamoDBBackendOptions {
  tableName: string;
  layout: ResultLayout;
  /** Seconds a stored record lives. @default never */
  resultExpires?: number;
  /** The app's own client (`dynamoDBClient`), used as given. */
  client?: DynamoDBClient;
}

/**
 * The result backend an app makes from `dynamodb://` where Node loads the package itself
 * (aws-transports-on-demand.ts; a bundle gets {@link DynamoDBBackend} directly). Its
 * options are checked when the app is made; the AWS SDK (and the {@link DynamoDBBackend}
 * that does the work) is loaded by the first request, or by `prepare()`, so a process
 * that never reads or writes a result in DynamoDB never loads it.
 *
 * @example
 * const backend = new LazyDynamoDBBackend({ tableName: "results", layout: "celeriac" });
 * await backend.get(taskId); // loads the SDK, then reads
 */
export class LazyDynamoDBBackend implements ResultBackend {
  readonly description: string;
  private readonly options: LazyDynamoDBBackendOptions;
  private backend: Promise<DynamoDBBackend> | undefined;
  private closed = false;

  /** @throws DynamoDBBackendError for a `resultExpires` that is not a positive number. */
  constructor(options: LazyDynamoDBBackendOptions) {
    checkBackendOptions(options);
    this.options = options;
    this.description = `dynamodb://${options.tableName}${options.layout === "celery" ? "?layout=celery" : ""}`;
  }

  /** The table's name. */
  get tableName(): string {
    return this.options.tableName;
  }

  /**
   * The backend doing the work, made (and the SDK loaded) on the first call. Made after
   * `close()`, it is closed at once, so it answers as a closed DynamoDBBackend does.
   */
  loaded(): Promise<DynamoDBBackend> {
    this.backend ??= import("./dynamodb-backend.js").then(async ({ DynamoDBBackend }) => {
      const backend = new DynamoDBBackend(this.options);
      if (this.closed) await backend.close();
      return backend;
    });
    return this.backend;
  }

  /** Loads the SDK now, before the first request (a Lambda worker does so while it starts). */
  async prepare(): Promise<void> {
    await this.loaded();
  }

  async endpoint(): Promise<string> {
    return (await this.loaded()).endpoint();
  }

  /** See {@link DynamoDBBackend.ensureTable}. */
  async ensureTable(options?: EnsureTableOptions): Promise<void> {
    await (await this.loaded()).ensureTable(options);
  }

  async ensureResources(): Promise<void> {
    await (await this.loaded()).ensureResources();
  }

  async get(taskId: string): Promise<TaskMeta | undefined> {
    return (await this.loaded()).get(taskId);
  }

  async getMany(taskIds: readonly string[]): Promise<Map<string, TaskMeta>> {
    return (await this.loaded()).getMany(taskIds);
  }

  async storeTerminal(meta: TerminalMeta): Promise<boolean> {
    return (await this.loaded()).storeTerminal(meta);
  }

  async storeProgress(meta: TaskMeta): Promise<boolean> {
    return (await this.loaded()).storeProgress(meta);
  }

  async claim(taskId: string, owner: string, leaseSeconds: number): Promise<boolean> {
    return (await this.loaded()).claim(taskId, owner, leaseSeconds);
  }

  async releaseClaim(taskId: string, owner: string): Promise<void> {
    await (await this.loaded()).releaseClaim(taskId, owner);
  }

  async recordChordPart(part: ChordPart): Promise<ChordProgress> {
    return (await this.loaded()).recordChordPart(part);
  }

  async saveGroup(groupId: string, taskIds: readonly string[]): Promise<void> {
    await (await this.loaded()).saveGroup(groupId, taskIds);
  }

  async restoreGroup(groupId: string): Promise<string[] | undefined> {
    return (await this.loaded()).restoreGroup(groupId);
  }

  async forget(taskIds: readonly string[]): Promise<void> {
    await (await this.loaded()).forget(taskIds);
  }

  async forgetGroup(groupId: string): Promise<void> {
    await (await this.loaded()).forgetGroup(groupId);
  }

  /**
   * Closes the backend doing the work, if it was made (a load that failed left nothing to
   * close); one made later is closed as it is made.
   */
  async close(): Promise<void> {
    this.closed = true;
    const backend = await this.backend?.catch(() => undefined);
    await backend?.close();
  }
}
