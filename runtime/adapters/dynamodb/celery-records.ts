import { randomUUID } from "node:crypto";
import { DeleteItemCommand, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { ResultTooLargeError } from "../../errors/result-too-large.js";
import type { TaskMeta } from "../../ports/task-meta.js";
import type { JsonValue } from "../../types/json.js";
import { batchGet, batchWrite } from "./batch.js";
import { CELERY_TASK_KEY_PREFIX, fromCeleryMeta, toCeleryMeta } from "./celery-meta.js";
import { type Item, isConditionFailed, readString, type Table, TTL_ATTRIBUTE } from "./table.js";

/**
 * Task metas in Celery's DynamoDB backend layout (`celery/backends/dynamodb.py`): key
 * attribute `id` = `b'celery-task-meta-<task id>'` (see `celeryTaskKey`), the meta's JSON as the binary
 * attribute `result`, `timestamp` (epoch seconds) and `ttl`. Celery reads only those;
 * the extra `status` and `writer` attributes give Celeriac its first-wins terminal write.
 */
const MAX_ITEM_BYTES = 400 * 1024;
const ITEM_OVERHEAD_BYTES = 1024;

/** The same condition as Celeriac's own layout (see task-records.ts). */
const NOT_TERMINAL =
  // no record for this task id yet
  "attribute_not_exists(#pk)" +
  // a STARTED or RETRY record, or one written by Celery itself (it writes no `status`)
  " OR NOT (#s IN (:success, :failure, :revoked))" +
  // an expired record is as good as absent (TTL deletion lags)
  " OR #ttl <= :now";

/**
 * The item key of task `taskId`'s meta, exactly as Celery's DynamoDB backend writes it:
 * it builds the key as bytes (`b"celery-task-meta-" + id`) and stores `str(key)`, the
 * bytes' Python repr: `b'celery-task-meta-<id>'`, quotes and all (Celery 5.2 to 5.5).
 */
export const celeryTaskKey = (taskId: string): string => `b'${CELERY_TASK_KEY_PREFIX}${taskId}'`;

function parse(table: Table, item: Item | undefined, taskId: string): TaskMeta | undefined {
  if (item === undefined || table.isExpired(item, Date.now())) return undefined;
  const bytes = item.result?.B;
  const text = bytes !== undefined ? Buffer.from(bytes).toString("utf8") : item.result?.S;
  if (text === undefined) return undefined;
  return fromCeleryMeta(JSON.parse(text) as JsonValue, taskId);
}

/** Strongly consistent read of one task's meta; `undefined` when unknown, expired or PENDING. */
export async function getCeleryTask(table: Table, taskId: string): Promise<TaskMeta | undefined> {
  const out = await table.send("GetItem", () =>
    table.client.send(
      new GetItemCommand({
        TableName: table.name,
        Key: table.key(celeryTaskKey(taskId)),
        ConsistentRead: true,
      }),
    ),
  );
  return parse(table, out.Item, taskId);
}

/** Strongly consistent reads of many tasks' metas; unknown and expired ids are absent. */
export async function getCeleryTasks(
  table: Table,
  taskIds: readonly string[],
): Promise<Map<string, TaskMeta>> {
  const items = await batchGet(table, taskIds.map(celeryTaskKey));
  const out = new Map<string, TaskMeta>();
  for (const id of taskIds) {
    const meta = parse(table, items.get(celeryTaskKey(id)), id);
    if (meta !== undefined) out.set(id, meta);
  }
  return out;
}

/**
 * Writes a task's meta in Celery's layout unless a terminal meta is stored; resolves
 * `true` when this call's meta is the one stored (see `putTask` for the writer token).
 */
export async function putCeleryTask(table: Table, meta: TaskMeta): Promise<boolean> {
  const json = JSON.stringify(toCeleryMeta(meta));
  const size = Buffer.byteLength(json, "utf8");
  if (size > MAX_ITEM_BYTES - ITEM_OVERHEAD_BYTES) {
    throw new ResultTooLargeError(
      `The ${meta.status} record of task ${meta.taskId} is ${size} bytes; a DynamoDB item holds at most ` +
        `${MAX_ITEM_BYTES - ITEM_OVERHEAD_BYTES} bytes of meta (table '${table.name}'). Return a smaller result (or a reference to it).`,
      { taskId: meta.taskId },
    );
  }
  const writer = randomUUID();
  const now = Date.now();
  const key = table.key(celeryTaskKey(meta.taskId));
  try {
    await table.send("PutItem", () =>
      table.client.send(
        new PutItemCommand({
          TableName: table.name,
          Item: {
            ...key,
            result: { B: Buffer.from(json, "utf8") },
            timestamp: { N: String(now / 1000) },
            status: { S: meta.status },
            writer: { S: writer },
            ...table.ttlAttribute(now),
          },
          ConditionExpression: NOT_TERMINAL,
          ExpressionAttributeNames: {
            "#pk": table.keyAttribute,
            "#s": "status",
            "#ttl": TTL_ATTRIBUTE,
          },
          ExpressionAttributeValues: {
            ":success": { S: "SUCCESS" },
            ":failure": { S: "FAILURE" },
            ":revoked": { S: "REVOKED" },
            ":now": { N: String(Math.floor(now / 1000)) },
          },
        }),
      ),
    );
    return true;
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
  }
  const stored = await table.send("GetItem", () =>
    table.client.send(
      new GetItemCommand({
        TableName: table.name,
        Key: key,
        ConsistentRead: true,
        ProjectionExpression: "writer",
      }),
    ),
  );
  return readString(stored.Item, "writer") === writer;
}

/** Deletes the metas of these task ids (Celery's `forget`). */
export async function deleteCeleryTasks(table: Table, taskIds: readonly string[]): Promise<void> {
  const unique = [...new Set(taskIds)];
  if (unique.length === 1) {
    await table.send("DeleteItem", () =>
      table.client.send(
        new DeleteItemCommand({ TableName: table.name, Key: table.key(celeryTaskKey(unique[0]!)) }),
      ),
    );
    return;
  }
  await batchWrite(
    table,
    unique.map((id) => ({ DeleteRequest: { Key: table.key(celeryTaskKey(id)) } })),
  );
}
