import { GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import type { ChordPart, ChordProgress } from "../../ports/result-backend.js";
import { DynamoDBBackendError } from "./errors.js";
import { keys } from "./keys.js";
import { type Item, isConditionFailed, readNumberSet, type Table, TTL_ATTRIBUTE } from "./table.js";

/**
 * Chord members per counter shard, at most. A chord of `size` members has
 * `ceil(size / SHARD_SIZE)` shards, so no counter item is hot or large.
 */
export const SHARD_SIZE = 50;

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

/**
 * Adds `member` to the number set `attribute` of item `pk` unless it is there already.
 * Resolves the set's new size, or `undefined` when the member was already in it.
 */
async function addToSet(
  table: Table,
  pk: string,
  attribute: string,
  member: number,
): Promise<number | undefined> {
  const ttl = table.ttl();
  try {
    const out = await table.send("UpdateItem", () =>
      table.client.send(
        new UpdateItemCommand({
          TableName: table.name,
          Key: table.key(pk),
          UpdateExpression: ttl === undefined ? "ADD #set :m" : "ADD #set :m SET #ttl = :ttl",
          // a member recorded once is never counted again (redelivery, SDK retry)
          ConditionExpression: "NOT contains(#set, :n)",
          ExpressionAttributeNames: {
            "#set": attribute,
            ...(ttl === undefined ? {} : { "#ttl": TTL_ATTRIBUTE }),
          },
          ExpressionAttributeValues: {
            ":m": { NS: [String(member)] },
            ":n": { N: String(member) },
            ...(ttl === undefined ? {} : { ":ttl": { N: String(ttl) } }),
          },
          ReturnValues: "UPDATED_NEW",
        }),
      ),
    );
    return readNumberSet(out.Attributes, attribute).length;
  } catch (error) {
    if (isConditionFailed(error)) return undefined;
    throw error;
  }
}

async function readConsistent(
  table: Table,
  pk: string,
  attribute: string,
): Promise<Item | undefined> {
  const out = await table.send("GetItem", () =>
    table.client.send(
      new GetItemCommand({
        TableName: table.name,
        Key: table.key(pk),
        ConsistentRead: true,
        ProjectionExpression: "#a",
        ExpressionAttributeNames: { "#a": attribute },
      }),
    ),
  );
  return out.Item;
}

/**
 * Records shard `shard` as full on the chord's top-level item. Resolves whether every
 * shard is full now. Idempotent: when the shard was recorded before, a consistent read
 * answers.
 */
async function markShardFull(
  table: Table,
  groupId: string,
  shard: number,
  shards: number,
): Promise<boolean> {
  const full = await addToSet(table, keys.chord(groupId), "shards", shard);
  if (full !== undefined) return full >= shards;
  const item = await readConsistent(table, keys.chord(groupId), "shards");
  return readNumberSet(item, "shards").length >= shards;
}

/**
 * Records chord member `index` on its counter shard, once. The call that fills a shard
 * records the shard on the chord's top-level item; the chord is complete when every
 * shard is full. A duplicate (the member was recorded before) reads the shard
 * consistently to answer, and records a full shard on the top level again in case a
 * crash cut that write off.
 */
export async function recordChordPart(table: Table, part: ChordPart): Promise<ChordProgress> {
  checkPart(table, part);
  const { groupId, size, index } = part;
  const shards = shardCount(size);
  const { shard, members } = shardOf(size, index);
  const shardKey = keys.chordShard(groupId, shard);
  let recorded = await addToSet(table, shardKey, "done", index);
  if (recorded === undefined) {
    recorded = readNumberSet(await readConsistent(table, shardKey, "done"), "done").length;
  }
  if (recorded < members) return { complete: false };
  if (shards === 1) return { complete: true };
  return { complete: await markShardFull(table, groupId, shard, shards) };
}

/**
 * Elects the chord's body dispatcher: the first candidate to ask is stored on the
 * chord's top-level item; it, and only it, is answered `true` from then on.
 */
export async function electDispatcher(
  table: Table,
  groupId: string,
  candidateId: string,
): Promise<boolean> {
  const ttl = table.ttl();
  try {
    await table.send("UpdateItem", () =>
      table.client.send(
        new UpdateItemCommand({
          TableName: table.name,
          Key: table.key(keys.chord(groupId)),
          UpdateExpression: ttl === undefined ? "SET #d = :c" : "SET #d = :c, #ttl = :ttl",
          // nobody was elected yet, or this candidate was (it asks again after a redelivery)
          ConditionExpression: "attribute_not_exists(#d) OR #d = :c",
          ExpressionAttributeNames: {
            "#d": "dispatcher",
            ...(ttl === undefined ? {} : { "#ttl": TTL_ATTRIBUTE }),
          },
          ExpressionAttributeValues: {
            ":c": { S: candidateId },
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
