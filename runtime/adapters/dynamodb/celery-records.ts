import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import type { TaskMeta } from "../../ports/task-meta.js";
import type { JsonValue } from "../../types/json.js";
import { batchGet } from "./batch.js";
import { CELERY_TASK_KEY_PREFIX, fromCeleryMeta, toCeleryMeta } from "./celery-meta.js";
import type { Item, Table } from "./table.js";
import { deleteTaskItems, putMetaItem } from "./task-records.js";

/**
 * Task metas in Celery's DynamoDB backend layout (`celery/backends/dynamodb.py`): key
 * attribute `id` = `b'celery-task-meta-<task id>'` (see `celeryTaskKey`), the meta's JSON as the binary
 * attribute `result`, `timestamp` (epoch seconds) and `ttl`. Celery reads only those;
 * the extra `status` and `writer` attributes give Celeriac its first-wins terminal write
 * (the same conditional write as Celeriac's own layout, whose condition also lets a record
 * Celery wrote, which has no `status`, be written over).
 */
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
export function putCeleryTask(table: Table, meta: TaskMeta): Promise<boolean> {
  const json = JSON.stringify(toCeleryMeta(meta));
  return putMetaItem(table, meta, table.key(celeryTaskKey(meta.taskId)), json, (now) => ({
    result: { B: Buffer.from(json, "utf8") },
    timestamp: { N: String(now / 1000) },
  }));
}

/** Deletes the metas of these task ids (Celery's `forget`). */
export function deleteCeleryTasks(table: Table, taskIds: readonly string[]): Promise<void> {
  return deleteTaskItems(table, taskIds, celeryTaskKey);
}
