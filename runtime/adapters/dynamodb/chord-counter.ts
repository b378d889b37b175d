import { GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import type { ChordPart, ChordProgress } from "../../ports/result-backend.js";
import { batchGet } from "./batch.js";
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
 * One strongly consistent batch read of every shard and of the chord's top-level item:
 * whether every shard is full, and who was elected already, if anybody.
 */
async function readChord(
  table: Table,
  groupId: string,
  size: number,
  shards: number,
): Promise<{ allFull: boolean; dispatcher: string | undefined }> {
  const pks = Array.from({ length: shards }, (_, k) => keys.chordShard(groupId, k));
  const items = await batchGet(table, [...pks, keys.chord(groupId)]);
  return {
    allFull: pks.every(
      (pk, k) => readNumberSet(items.get(pk), "done").length >= shardOf(size, k).members,
    ),
    dispatcher: readString(items.get(keys.chord(groupId)), "dispatcher"),
  };
}

/**
 * Elects the dispatcher of a complete chord of several shards: the first member to ask
 * is stored, and only it is answered `true`, every time it asks.
 */
async function elect(table: Table, groupId: string, memberId: string): Promise<boolean> {
  const ttl = table.ttl();
  try {
    await table.send("UpdateItem", () =>
      table.client.send(
        new UpdateItemCommand({
          TableName: table.name,
          Key: table.key(keys.chord(groupId)),
          UpdateExpression: `SET #d = :m${ttl === undefined ? "" : ", #ttl = :ttl"}`,
          // nobody was elected yet, or this member was (it asks again after a redelivery)
          ConditionExpression: "attribute_not_exists(#d) OR #d = :m",
          ExpressionAttributeNames: {
            "#d": "dispatcher",
            ...(ttl === undefined ? {} : { "#ttl": TTL_ATTRIBUTE }),
          },
          ExpressionAttributeValues: {
            ":m": { S: memberId },
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

/**
 * Records chord member `index` on its counter shard, once, naming the member as the
 * shard's last writer. With one shard, the write that fills it completes the chord and
 * names the dispatcher: the election costs no write. With several, the member whose
 * shard is full reads every shard (and the election, if held) in one consistent batch;
 * whoever then sees them all full and nobody elected holds the chord's one election (a
 * conditional write). The last shard to fill
 * always sees the others full, so a complete chord always elects; a repeat
 * (redelivery) answers the same from consistent reads.
 */
export async function recordChordPart(table: Table, part: ChordPart): Promise<ChordProgress> {
  checkPart(table, part);
  const { groupId, size, index, memberId } = part;
  const shards = shardCount(size);
  const { shard, members } = shardOf(size, index);
  const own = await addOrRead(table, keys.chordShard(groupId, shard), "done", index, memberId);
  if (own.size < members) return { complete: false, dispatcher: false };
  if (shards === 1) return { complete: true, dispatcher: own.by === memberId };
  const chord = await readChord(table, groupId, size, shards);
  if (!chord.allFull) return { complete: false, dispatcher: false };
  // Elected already: no write. Else hold the election (several may race; one wins).
  if (chord.dispatcher !== undefined) {
    return { complete: true, dispatcher: chord.dispatcher === memberId };
  }
  return { complete: true, dispatcher: await elect(table, groupId, memberId) };
}
