import { GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import type { ChordPart, ChordProgress } from "../../ports/result-backend.js";
import { DynamoDBBackendError } from "./errors.js";
import { keys } from "./keys.js";
import {
  type Item,
  isConditionFailed,
  readNumberSet,
  readString,
  type Table,
  TTL_ATTRIBUTE,
} from "./table.js";

/**
 * Chord members per counter shard, at most. A chord of `size` members has
 * `ceil(size / SHARD_SIZE)` shards. 200 indexes of up to 6 digits keep a shard under
 * 1 KB, so every update costs one write unit and no item is hot.
 */
export const SHARD_SIZE = 200;

/** How many counter shards a chord of `size` members has. */
export function shardCount(size: number): number {
  return Math.ceil(size / SHARD_SIZE);
}

/** The shard that records member `index`, and how many members that shard expects. */
export function shardOf(size: number, index: number): { shard: number; members: number } {
  const shards = shardCount(size);
  const shard = index % shards;
  return { shard, members: Math.floor((size - 1 - shard) / shards) + 1 };
}

function checkPart(table: Table, part: ChordPart): void {
  const { size, index, groupId } = part;
  if (
    !Number.isInteger(size) ||
    size < 1 ||
    !Number.isInteger(index) ||
    index < 0 ||
    index >= size
  ) {
    throw new DynamoDBBackendError(
      `Chord ${groupId} part has index ${index} and size ${size}; the index must be a whole number from 0 to size - 1.`,
      { tableName: table.name, operation: "UpdateItem" },
    );
  }
}

/** A number set and who made its last successful addition. */
interface CounterState {
  size: number;
  by: string | undefined;
}

/**
 * Adds `member` to the number set `attribute` of item `pk` unless it is there already,
 * and records `author` as the last to add. Resolves the new state, or `undefined` when
 * the member was there already (a redelivery or an SDK retry).
 */
async function addToSet(
  table: Table,
  pk: string,
  attribute: string,
  member: number,
  author: string,
): Promise<CounterState | undefined> {
  const ttl = table.ttl();
  try {
    const out = await table.send("UpdateItem", () =>
      table.client.send(
        new UpdateItemCommand({
          TableName: table.name,
          Key: table.key(pk),
          UpdateExpression: `ADD #set :m SET #by = :by${ttl === undefined ? "" : ", #ttl = :ttl"}`,
          // a member recorded once is never counted again (redelivery, SDK retry)
          ConditionExpression: "NOT contains(#set, :n)",
          ExpressionAttributeNames: {
            "#set": attribute,
            "#by": "by",
            ...(ttl === undefined ? {} : { "#ttl": TTL_ATTRIBUTE }),
          },
          ExpressionAttributeValues: {
            ":m": { NS: [String(member)] },
            ":n": { N: String(member) },
            ":by": { S: author },
            ...(ttl === undefined ? {} : { ":ttl": { N: String(ttl) } }),
          },
          ReturnValues: "UPDATED_NEW",
        }),
      ),
    );
    return { size: readNumberSet(out.Attributes, attribute).length, by: author };
  } catch (error) {
    if (isConditionFailed(error)) return undefined;
    throw error;
  }
}

async function readState(table: Table, pk: string, attribute: string): Promise<CounterState> {
  const out = await table.send("GetItem", () =>
    table.client.send(
      new GetItemCommand({
        TableName: table.name,
        Key: table.key(pk),
        ConsistentRead: true,
        ProjectionExpression: "#a, #by",
        ExpressionAttributeNames: { "#a": attribute, "#by": "by" },
      }),
    ),
  );
  const item: Item | undefined = out.Item;
  return { size: readNumberSet(item, attribute).length, by: readString(item, "by") };
}

/** Adds once, or reads what is there when the member was added before. */
async function addOrRead(
  table: Table,
  pk: string,
  attribute: string,
  member: number,
  author: string,
) {
  return (await addToSet(table, pk, attribute, member, author)) ?? readState(table, pk, attribute);
}

/**
 * Records chord member `index` on its counter shard, once, naming the member as the
 * shard's last writer. The write that fills a shard records the shard on the chord's
 * top-level item the same way; the write that completes the chord (its shard's, or the
 * top level's) names its member the dispatcher, so the election costs no extra write.
 * With one shard there is no top-level item. A repeat (redelivery) reads consistently
 * to answer the same, and records a full shard on the top level again, in case a crash
 * cut that write off.
 */
export async function recordChordPart(table: Table, part: ChordPart): Promise<ChordProgress> {
  checkPart(table, part);
  const { groupId, size, index, memberId } = part;
  const shards = shardCount(size);
  const { shard, members } = shardOf(size, index);
  const own = await addOrRead(table, keys.chordShard(groupId, shard), "done", index, memberId);
  if (own.size < members) return { complete: false, dispatcher: false };
  if (shards === 1) return { complete: true, dispatcher: own.by === memberId };
  const top = await addOrRead(table, keys.chord(groupId), "shards", shard, memberId);
  const complete = top.size >= shards;
  return { complete, dispatcher: complete && top.by === memberId };
}
