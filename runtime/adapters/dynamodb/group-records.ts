import { DeleteItemCommand, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { batchGet, batchWrite } from "./batch.js";
import { keys } from "./keys.js";
import { type Item, readNumber, readString, type Table } from "./table.js";

/** Member ids per group page: lists longer than this are split across page items. */
export const GROUP_PAGE_IDS = 1000;
/** Largest JSON of one page, well under DynamoDB's 400 KB item limit (long custom ids). */
const GROUP_PAGE_BYTES = 300 * 1024;

/** Splits ids into pages of at most GROUP_PAGE_IDS ids and GROUP_PAGE_BYTES bytes of JSON. */
function paginate(ids: readonly string[]): string[][] {
  const pages: string[][] = [];
  let page: string[] = [];
  let bytes = 2;
  for (const id of ids) {
    const size = Buffer.byteLength(JSON.stringify(id), "utf8") + 1;
    if (page.length > 0 && (page.length >= GROUP_PAGE_IDS || bytes + size > GROUP_PAGE_BYTES)) {
      pages.push(page);
      page = [];
      bytes = 2;
    }
    page.push(id);
    bytes += size;
  }
  pages.push(page);
  return pages;
}

function parseIds(item: Item | undefined): string[] | undefined {
  const raw = readString(item, "ids");
  return raw === undefined ? undefined : (JSON.parse(raw) as string[]);
}

/**
 * Saves a group's member ids in order. A list that fits one page lives in the head item
 * `group#<gid>`; a longer one is written first as page items `group#<gid>#<p>`
 * (BatchWriteItem) and then the head, holding the page count, so that a reader never
 * sees a head whose pages are missing.
 */
export async function saveGroup(
  table: Table,
  groupId: string,
  taskIds: readonly string[],
): Promise<void> {
  const ttl = table.ttlAttribute();
  const pages = paginate(taskIds);
  let head: Item;
  if (pages.length === 1) {
    head = { ids: { S: JSON.stringify(taskIds) } };
  } else {
    await batchWrite(
      table,
      pages.map((ids, p) => ({
        PutRequest: {
          Item: {
            ...table.key(keys.groupPage(groupId, p)),
            ids: { S: JSON.stringify(ids) },
            ...ttl,
          },
        },
      })),
    );
    head = { pages: { N: String(pages.length) } };
  }
  await table.send("PutItem", () =>
    table.client.send(
      new PutItemCommand({
        TableName: table.name,
        Item: {
          ...table.key(keys.group(groupId)),
          ...head,
          count: { N: String(taskIds.length) },
          ...ttl,
        },
      }),
    ),
  );
}

async function readHead(table: Table, groupId: string): Promise<Item | undefined> {
  const out = await table.send("GetItem", () =>
    table.client.send(
      new GetItemCommand({
        TableName: table.name,
        Key: table.key(keys.group(groupId)),
        ConsistentRead: true,
      }),
    ),
  );
  return out.Item;
}

/**
 * A saved group's member ids in order, read consistently; `undefined` when the group
 * was not saved, was forgotten, or has expired.
 */
export async function restoreGroup(table: Table, groupId: string): Promise<string[] | undefined> {
  const head = await readHead(table, groupId);
  if (head === undefined || table.isExpired(head)) return undefined;
  const inline = parseIds(head);
  if (inline !== undefined) return inline;
  const pageCount = readNumber(head, "pages") ?? 0;
  const pageKeys = Array.from({ length: pageCount }, (_, p) => keys.groupPage(groupId, p));
  const items = await batchGet(table, pageKeys);
  const ids: string[] = [];
  for (const pk of pageKeys) {
    const page = parseIds(items.get(pk));
    // Pages share the head's TTL; one can only be missing when the group was forgotten
    // or expired while it was being read.
    if (page === undefined) return undefined;
    ids.push(...page);
  }
  return ids;
}

/** Deletes a saved group: its head first (so it reads as absent at once), then its pages. */
export async function forgetGroup(table: Table, groupId: string): Promise<void> {
  const head = await readHead(table, groupId);
  if (head === undefined) return;
  await table.send("DeleteItem", () =>
    table.client.send(
      new DeleteItemCommand({ TableName: table.name, Key: table.key(keys.group(groupId)) }),
    ),
  );
  const pageCount = readNumber(head, "pages") ?? 0;
  await batchWrite(
    table,
    Array.from({ length: pageCount }, (_, p) => ({
      DeleteRequest: { Key: table.key(keys.groupPage(groupId, p)) },
    })),
  );
}
