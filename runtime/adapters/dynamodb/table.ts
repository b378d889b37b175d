import type { AttributeValue, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DynamoDBBackendError,
  DynamoDBTableNotFoundError,
  DynamoDBThrottledError,
} from "./errors.js";

/** A DynamoDB item in the low-level attribute-value form. */
export type Item = Record<string, AttributeValue>;

/** The partition key attribute, the table's only key. */
export const PARTITION_KEY = "pk";
/** The attribute DynamoDB's TTL is enabled on: epoch seconds after which an item is dead. */
export const TTL_ATTRIBUTE = "ttl";

/** How batch calls retry what DynamoDB left unprocessed. */
export interface BatchRetryOptions {
  /** Calls per batch before giving up, the first included. @default 8 */
  maxAttempts: number;
  /** First backoff, doubled on each further attempt. @default 50 */
  baseDelayMs: number;
  /** Longest backoff. @default 2000 */
  maxDelayMs: number;
}

/** The batch retry policy used unless `batchRetry` overrides part of it. */
export const DEFAULT_BATCH_RETRY: BatchRetryOptions = {
  maxAttempts: 8,
  baseDelayMs: 50,
  maxDelayMs: 2000,
};

const THROTTLING_ERRORS: ReadonlySet<string> = new Set([
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
]);

/** ` after N attempts` from the SDK's metadata on `error`, or nothing when it does not say. */
function attemptsMade(error: unknown): string {
  const attempts = (error as { $metadata?: { attempts?: unknown } }).$metadata?.attempts;
  if (typeof attempts !== "number") return "";
  return ` after ${attempts} attempt${attempts === 1 ? "" : "s"}`;
}

/** The name of an SDK error (its exception type), or `undefined` for anything else. */
export function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** True when a conditional write was refused because its condition did not hold. */
export function isConditionFailed(error: unknown): boolean {
  return errorName(error) === "ConditionalCheckFailedException";
}

/** The string attribute `S` of an item, if present. */
export function readString(item: Item | undefined, name: string): string | undefined {
  return item?.[name]?.S;
}

/** The number attribute `N` of an item, if present. */
export function readNumber(item: Item | undefined, name: string): number | undefined {
  const raw = item?.[name]?.N;
  return raw === undefined ? undefined : Number(raw);
}

/** The number-set attribute `NS` of an item, as numbers (empty when absent). */
export function readNumberSet(item: Item | undefined, name: string): number[] {
  return (item?.[name]?.NS ?? []).map(Number);
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * One results table and how to talk to it: the client, the expiry policy, and the
 * error mapping every request goes through. Shared by the backend's parts.
 */
export class Table {
  constructor(
    readonly client: DynamoDBClient,
    readonly name: string,
    /** Seconds records live; `undefined` keeps them. */
    readonly resultExpires: number | undefined,
    readonly batchRetry: BatchRetryOptions = DEFAULT_BATCH_RETRY,
    /** The partition key attribute: `pk`, or `id` in Celery's layout. */
    readonly keyAttribute: string = PARTITION_KEY,
  ) {}

  /** The key of the item whose partition key is `pk`. */
  key(pk: string): Item {
    return { [this.keyAttribute]: { S: pk } };
  }

  /**
   * The TTL value for an item written now (epoch seconds, rounded up so an item lives at
   * least `resultExpires`), or `undefined` when results do not expire. `atLeastMs` keeps
   * the item until that epoch millisecond at least (a claim's lease).
   */
  ttl(nowMs: number = Date.now(), atLeastMs = 0): number | undefined {
    if (this.resultExpires === undefined) return undefined;
    return Math.ceil(Math.max(nowMs + this.resultExpires * 1000, atLeastMs) / 1000);
  }

  /** The TTL attribute for an item written now, ready to spread into an item. */
  ttlAttribute(nowMs: number = Date.now(), atLeastMs = 0): Item {
    const ttl = this.ttl(nowMs, atLeastMs);
    return ttl === undefined ? {} : { [TTL_ATTRIBUTE]: { N: String(ttl) } };
  }

  /**
   * True when the item's TTL has passed. DynamoDB deletes expired items lazily (up to
   * two days late), so every read filters them itself.
   */
  isExpired(item: Item, nowMs: number = Date.now()): boolean {
    const ttl = readNumber(item, TTL_ATTRIBUTE);
    return ttl !== undefined && ttl * 1000 <= nowMs;
  }

  /**
   * Runs one SDK request. Throttling that outlasted the SDK's attempts becomes a
   * `DynamoDBThrottledError`, and a missing table a `DynamoDBTableNotFoundError`, each
   * naming the operation and the table, with the SDK error as `cause`; every other error
   * passes through unchanged.
   */
  async send<T>(operation: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      const name = errorName(error);
      if (name !== undefined && THROTTLING_ERRORS.has(name)) {
        throw new DynamoDBThrottledError(
          `DynamoDB throttled ${operation} on table '${this.name}' (${name})${attemptsMade(error)}. ` +
            "Nothing was written by this request; retry later, or raise the table's capacity.",
          { cause: error, tableName: this.name, operation },
        );
      }
      if (name === "ResourceNotFoundException") {
        throw new DynamoDBTableNotFoundError(
          `DynamoDB table '${this.name}' does not exist (${operation}). Create it with ` +
            "'celeriac local up -A <module>' on an emulator, or deploy the CDK stack in AWS.",
          { cause: error, tableName: this.name, operation },
        );
      }
      throw error;
    }
  }

  /** A `DynamoDBBackendError` about this table. */
  error(message: string, operation: string, cause?: unknown): DynamoDBBackendError {
    return new DynamoDBBackendError(message, { tableName: this.name, operation, cause });
  }
}
