import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type KeysAndAttributes,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { type Item, readString, sleep, type Table } from "./table.js";

/** BatchGetItem's limit of keys per call. */
export const BATCH_GET_LIMIT = 100;
/** BatchWriteItem's limit of requests per call. */
export const BATCH_WRITE_LIMIT = 25;
/** Batch calls in flight at once for one large read or write. */
const BATCH_CONCURRENCY = 4;

/** Splits `items` into arrays of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function backoffMs(table: Table, retry: number): number {
  const { baseDelayMs, maxDelayMs } = table.batchRetry;
  const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
  return cap / 2 + Math.random() * (cap / 2);
}

/**
 * Strongly consistent reads of many items by partition key: 100 keys per
 * `BatchGetItem`, `UnprocessedKeys` retried with exponential backoff. Repeated keys are
 * read once. Resolves the items found, by partition key (expired ones included: the
 * caller filters). Rejects with a `DynamoDBBackendError` when keys stay unprocessed
 * after `batchRetry.maxAttempts` calls.
 */
export async function batchGet(table: Table, pks: readonly string[]): Promise<Map<string, Item>> {
  const found = new Map<string, Item>();
  const unique = [...new Set(pks)];
  await forEachLimited(chunk(unique, BATCH_GET_LIMIT), BATCH_CONCURRENCY, async (part) => {
    let request: KeysAndAttributes | undefined = {
      Keys: part.map((pk) => table.key(pk)),
      ConsistentRead: true,
    };
    for (let attempt = 1; request?.Keys && request.Keys.length > 0; attempt++) {
      if (attempt > table.batchRetry.maxAttempts) {
        throw table.error(
          `BatchGetItem left ${request.Keys.length} of ${part.length} keys unprocessed on table '${table.name}' ` +
            `after ${table.batchRetry.maxAttempts} attempts; the table is throttled, retry later.`,
          "BatchGetItem",
        );
      }
      if (attempt > 1) await sleep(backoffMs(table, attempt - 1));
      const items: KeysAndAttributes = request;
      const out = await table.send("BatchGetItem", () =>
        table.client.send(new BatchGetItemCommand({ RequestItems: { [table.name]: items } })),
      );
      for (const item of out.Responses?.[table.name] ?? []) {
        const pk = readString(item, table.keyAttribute);
        if (pk !== undefined) found.set(pk, item);
      }
      request = out.UnprocessedKeys?.[table.name];
    }
  });
  return found;
}

/**
 * Writes (puts or deletes) many items: 25 per `BatchWriteItem`, `UnprocessedItems`
 * retried with exponential backoff. Requests must name distinct keys. Rejects with a
 * `DynamoDBBackendError` when items stay unprocessed after `batchRetry.maxAttempts`
 * calls.
 */
export async function batchWrite(table: Table, requests: readonly WriteRequest[]): Promise<void> {
  await forEachLimited(chunk(requests, BATCH_WRITE_LIMIT), BATCH_CONCURRENCY, async (part) => {
    let pending: WriteRequest[] | undefined = part;
    for (let attempt = 1; pending && pending.length > 0; attempt++) {
      if (attempt > table.batchRetry.maxAttempts) {
        throw table.error(
          `BatchWriteItem left ${pending.length} of ${part.length} items unprocessed on table '${table.name}' ` +
            `after ${table.batchRetry.maxAttempts} attempts; the table is throttled, retry later.`,
          "BatchWriteItem",
        );
      }
      if (attempt > 1) await sleep(backoffMs(table, attempt - 1));
      const items: WriteRequest[] = pending;
      const out = await table.send("BatchWriteItem", () =>
        table.client.send(new BatchWriteItemCommand({ RequestItems: { [table.name]: items } })),
      );
      pending = out.UnprocessedItems?.[table.name];
    }
  });
}
