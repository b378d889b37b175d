import { randomUUID } from "node:crypto";
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { ResultTooLargeError } from "../../errors/result-too-large.js";
import type { TaskMeta } from "../../ports/task-meta.js";
import { batchGet, batchWrite } from "./batch.js";
import { keys } from "./keys.js";
import { type Item, isConditionFailed, readString, type Table, TTL_ATTRIBUTE } from "./table.js";

/** DynamoDB's item size limit. */
const MAX_ITEM_BYTES = 400 * 1024;
/** Room left in an item for the key and the attributes other than `meta`. */
const ITEM_OVERHEAD_BYTES = 1024;

/**
 * The condition of every task meta write: no record yet, or a record that is not
 * terminal, or one whose TTL has passed (expired records read as absent, so they must
 * not block a write either).
 */
const NOT_TERMINAL =
  // no record for this task id yet
  "attribute_not_exists(#pk)" +
  // a STARTED or RETRY record may be overwritten
  " OR NOT (#s IN (:success, :failure, :revoked))" +
  // an expired record is as good as absent (TTL deletion lags)
  " OR #ttl <= :now";

function parseMeta(table: Table, item: Item | undefined, nowMs: number): TaskMeta | undefined {
  if (item === undefined || table.isExpired(item, nowMs)) return undefined;
  const raw = readString(item, "meta");
  return raw === undefined ? undefined : (JSON.parse(raw) as TaskMeta);
}

/** Strongly consistent read of one task's meta; `undefined` when unknown or expired. */
export async function getTask(table: Table, taskId: string): Promise<TaskMeta | undefined> {
  const out = await table.send("GetItem", () =>
    table.client.send(
      new GetItemCommand({
        TableName: table.name,
        Key: table.key(keys.task(taskId)),
        ConsistentRead: true,
      }),
    ),
  );
  return parseMeta(table, out.Item, Date.now());
}

/** Strongly consistent reads of many tasks' metas; unknown and expired ids are absent. */
export async function getTasks(
  table: Table,
  taskIds: readonly string[],
): Promise<Map<string, TaskMeta>> {
  const items = await batchGet(
    table,
    taskIds.map((id) => keys.task(id)),
  );
  const now = Date.now();
  const out = new Map<string, TaskMeta>();
  for (const id of taskIds) {
    const meta = parseMeta(table, items.get(keys.task(id)), now);
    if (meta !== undefined) out.set(id, meta);
  }
  return out;
}

/**
 * Writes a task's meta unless a terminal meta is stored. Every call writes a fresh
 * random `writer` token; when the condition fails, a consistent read tells whether the
 * stored record carries this call's token. That is the case when the SDK retried a
 * write whose first attempt succeeded but whose response was lost: the write is ours.
 * Resolves `true` when this call's meta is the one stored.
 */
export function putTask(table: Table, meta: TaskMeta): Promise<boolean> {
  const json = JSON.stringify(meta);
  return putMetaItem(table, meta, table.key(keys.task(meta.taskId)), json, () => ({
    meta: { S: json },
  }));
}

/**
 * The conditional write of one task record under `key`, whatever the layout: `json` is
 * the meta as the layout stores it (checked against the item size limit), and
 * `attributes(nowMs)` the layout's own attributes. See {@link putTask}.
 */
export async function putMetaItem(
  table: Table,
  meta: TaskMeta,
  key: Item,
  json: string,
  attributes: (nowMs: number) => Item,
): Promise<boolean> {
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
  try {
    await table.send("PutItem", () =>
      table.client.send(
        new PutItemCommand({
          TableName: table.name,
          Item: {
            ...key,
            ...attributes(now),
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

/** Deletes the meta records of these task ids. */
export function deleteTasks(table: Table, taskIds: readonly string[]): Promise<void> {
  return deleteTaskItems(table, taskIds, keys.task);
}

/** Deletes the records of these task ids, each under the partition key `pkOf(id)`. */
export async function deleteTaskItems(
  table: Table,
  taskIds: readonly string[],
  pkOf: (taskId: string) => string,
): Promise<void> {
  const unique = [...new Set(taskIds)];
  if (unique.length === 1) {
    const [only] = unique as [string];
    await table.send("DeleteItem", () =>
      table.client.send(
        new DeleteItemCommand({ TableName: table.name, Key: table.key(pkOf(only)) }),
      ),
    );
    return;
  }
  await batchWrite(
    table,
    unique.map((id) => ({ DeleteRequest: { Key: table.key(pkOf(id)) } })),
  );
}

/**
 * Claims a task id for `leaseSeconds`: succeeds when no claim exists, when `owner`
 * already holds it, or when the holder's lease ran out.
 */
export async function claimTask(
  table: Table,
  taskId: string,
  owner: string,
  leaseSeconds: number,
): Promise<boolean> {
  const now = Date.now();
  const until = now + leaseSeconds * 1000;
  const ttl = table.ttl(now, until);
  try {
    await table.send("UpdateItem", () =>
      table.client.send(
        new UpdateItemCommand({
          TableName: table.name,
          Key: table.key(keys.claim(taskId)),
          UpdateExpression:
            ttl === undefined ? "SET #o = :o, #u = :u" : "SET #o = :o, #u = :u, #ttl = :ttl",
          ConditionExpression:
            // nobody has claimed this task
            "attribute_not_exists(#pk)" +
            // this owner holds the claim already (a redelivery to the same runner)
            " OR #o = :o" +
            // the holder's lease ran out
            " OR #u < :now",
          ExpressionAttributeNames: {
            "#pk": table.keyAttribute,
            "#o": "owner",
            "#u": "until",
            ...(ttl === undefined ? {} : { "#ttl": TTL_ATTRIBUTE }),
          },
          ExpressionAttributeValues: {
            ":o": { S: owner },
            ":u": { N: String(until) },
            ":now": { N: String(now) },
            ...(ttl === undefined ? {} : { ":ttl": { N: String(ttl) } }),
          },
        }),
      ),
    );
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

/** Deletes the claim on a task id if `owner` holds it; another owner's claim stays. */
export async function releaseClaim(table: Table, taskId: string, owner: string): Promise<void> {
  try {
    await table.send("DeleteItem", () =>
      table.client.send(
        new DeleteItemCommand({
          TableName: table.name,
          Key: table.key(keys.claim(taskId)),
          // only the holder may give a claim up
          ConditionExpression: "#o = :o",
          ExpressionAttributeNames: { "#o": "owner" },
          ExpressionAttributeValues: { ":o": { S: owner } },
        }),
      ),
    );
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
  }
}
