import { describeEndpoint } from "../endpoint.js";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { ChordPart, ChordProgress, ResultBackend } from "../../ports/result-backend.js";
import type { TaskMeta, TerminalMeta } from "../../ports/task-meta.js";
import { isTerminal } from "../../results/states.js";
import { recordChordPart } from "./chord-counter.js";
import { type EnsureTableOptions, ensureTable } from "./ensure-table.js";
import { checkBackendOptions } from "./backend-options.js";
import { DynamoDBBackendError } from "./errors.js";
import { forgetGroup, restoreGroup, saveGroup } from "./group-records.js";
import {
  deleteCeleryTasks,
  getCeleryTask,
  getCeleryTasks,
  putCeleryTask,
} from "./celery-records.js";
import { type BatchRetryOptions, DEFAULT_BATCH_RETRY, PARTITION_KEY, Table } from "./table.js";
import {
  claimTask,
  deleteTasks,
  getTask,
  getTasks,
  putTask,
  releaseClaim,
} from "./task-records.js";

/**
 * How task metas are stored: `"celeriac"` (partition key `pk`, `task#<id>`, the meta as
 * a string) or `"celery"` (Celery's DynamoDB backend layout: key `id`,
 * `celery-task-meta-<id>`, the meta's JSON in Celery's field names as the binary
 * `result`), so that Python Celery and Celeriac read each other's results.
 */
export type ResultLayout = "celeriac" | "celery";

/** The task-meta operations of one layout. */
interface MetaRecords {
  get: typeof getTask;
  getMany: typeof getTasks;
  put: typeof putTask;
  forget: typeof deleteTasks;
}

const RECORDS: Record<ResultLayout, MetaRecords> = {
  celeriac: { get: getTask, getMany: getTasks, put: putTask, forget: deleteTasks },
  celery: {
    get: getCeleryTask,
    getMany: getCeleryTasks,
    put: putCeleryTask,
    forget: deleteCeleryTasks,
  },
};

/** Options of `DynamoDBBackend`. */
export interface DynamoDBBackendOptions {
  /** The results table (partition key `pk`, type S). */
  tableName: string;
  /**
   * The client to use, as given (endpoint, region, credentials, retries). When absent, one
   * is built from the SDK's standard chain (`AWS_ENDPOINT_URL_DYNAMODB`,
   * `AWS_ENDPOINT_URL`, `AWS_REGION`, credentials) and destroyed by `close()`.
   */
  client?: DynamoDBClient;
  /** Seconds a stored record lives (the `ttl` attribute); reads ignore expired records. @default never */
  resultExpires?: number;
  /**
   * Celery's item layout for task metas (and key attribute `id` for the whole table), to
   * share results with Python Celery. Claims, chord counters and saved groups keep
   * Celeriac's records in the same table. @default "celeriac"
   */
  layout?: ResultLayout;
  /** How BatchGetItem/BatchWriteItem retry unprocessed keys. @default 8 attempts from 50 ms, doubling, at most 2 s */
  batchRetry?: Partial<BatchRetryOptions>;
}

/**
 * The result backend on one DynamoDB table. Terminal states are written once with
 * conditional `PutItem`s, decisions read with `ConsistentRead`, chord members counted
 * idempotently on sharded counters, and expiry honoured on every read. No transactions
 * and no `ReturnValuesOnConditionCheckFailure`, so it runs on dynalite as on AWS. The
 * table layout is described in `ARCHITECTURE.md` beside this file.
 *
 * @example
 * const backend = new DynamoDBBackend({ tableName: "celeriac-results", resultExpires: 86_400 });
 * await backend.ensureTable();
 * await backend.storeTerminal({ taskId, status: "SUCCESS", result: 3, traceback: null, children: [], dateDone });
 * const meta = await backend.get(taskId);
 */
export class DynamoDBBackend implements ResultBackend {
  readonly description: string;
  private readonly table: Table;
  private readonly ownsClient: boolean;
  private readonly records: MetaRecords;

  constructor(options: DynamoDBBackendOptions) {
    const { tableName, resultExpires } = options;
    const layout = checkBackendOptions(options);
    this.ownsClient = options.client === undefined;
    const client = options.client ?? new DynamoDBClient({});
    this.records = RECORDS[layout];
    this.table = new Table(
      client,
      tableName,
      resultExpires,
      { ...DEFAULT_BATCH_RETRY, ...options.batchRetry },
      layout === "celery" ? "id" : PARTITION_KEY,
    );
    this.description = `dynamodb://${tableName}${layout === "celery" ? "?layout=celery" : ""}`;
  }

  /** The table's name. */
  get tableName(): string {
    return this.table.name;
  }

  /** Where this backend's client sends requests: an endpoint URL or `AWS (<region>)`. */
  endpoint(): Promise<string> {
    return describeEndpoint(this.table.client.config, "DYNAMODB");
  }

  /** The client this backend sends with. */
  get client(): DynamoDBClient {
    return this.table.client;
  }

  /**
   * Creates the table if missing, waits for it, and enables TTL on `ttl` (warning once
   * where the endpoint cannot). Idempotent.
   */
  ensureTable(options: EnsureTableOptions = {}): Promise<void> {
    return ensureTable(this.table, options);
  }

  /** The port's name for `ensureTable()`. */
  ensureResources(): Promise<void> {
    return this.ensureTable();
  }

  get(taskId: string): Promise<TaskMeta | undefined> {
    return this.records.get(this.table, taskId);
  }

  getMany(taskIds: readonly string[]): Promise<Map<string, TaskMeta>> {
    return this.records.getMany(this.table, taskIds);
  }

  storeTerminal(meta: TerminalMeta): Promise<boolean> {
    if (!isTerminal(meta.status)) {
      return Promise.reject(
        new DynamoDBBackendError(
          `storeTerminal got state ${meta.status}; use storeProgress for it.`,
          {
            taskId: meta.taskId,
            tableName: this.table.name,
          },
        ),
      );
    }
    return this.records.put(this.table, meta);
  }

  storeProgress(meta: TaskMeta): Promise<boolean> {
    if (isTerminal(meta.status)) {
      return Promise.reject(
        new DynamoDBBackendError(
          `storeProgress got terminal state ${meta.status}; use storeTerminal for it.`,
          {
            taskId: meta.taskId,
            tableName: this.table.name,
          },
        ),
      );
    }
    return this.records.put(this.table, meta);
  }

  claim(taskId: string, owner: string, leaseSeconds: number): Promise<boolean> {
    return claimTask(this.table, taskId, owner, leaseSeconds);
  }

  releaseClaim(taskId: string, owner: string): Promise<void> {
    return releaseClaim(this.table, taskId, owner);
  }

  recordChordPart(part: ChordPart): Promise<ChordProgress> {
    return recordChordPart(this.table, part);
  }

  saveGroup(groupId: string, taskIds: readonly string[]): Promise<void> {
    return saveGroup(this.table, groupId, taskIds);
  }

  restoreGroup(groupId: string): Promise<string[] | undefined> {
    return restoreGroup(this.table, groupId);
  }

  async forget(taskIds: readonly string[]): Promise<void> {
    if (taskIds.length > 0) await this.records.forget(this.table, taskIds);
  }

  forgetGroup(groupId: string): Promise<void> {
    return forgetGroup(this.table, groupId);
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.table.client.destroy();
  }
}
