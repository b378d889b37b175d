import { randomUUID } from "node:crypto";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDBBackend } from "../../../runtime/adapters/dynamodb/index.js";
import { describeResultBackend } from "../../conformance/result-backend.suite.js";
import {
  type DynaliteServer,
  dynaliteClientConfig,
  startDynalite,
} from "../../support/dynalite.js";

// The same contract as Celeriac's own layout, on items that Celery 5.2's DynamoDB
// backend reads: key `id` = b'celery-task-meta-<id>', the meta JSON as binary `result`.

let server: DynaliteServer;
let client: DynamoDBClient;
const tableName = `celery-results-${randomUUID()}`;

beforeAll(async () => {
  server = await startDynalite();
  client = new DynamoDBClient({ endpoint: server.endpoint, ...dynaliteClientConfig });
  await new DynamoDBBackend({ tableName, client, layout: "celery" }).ensureTable({
    logger: { warn: () => {} },
  });
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

describeResultBackend(
  "DynamoDB in Celery's layout on dynalite",
  (options) => new DynamoDBBackend({ tableName, client, layout: "celery", ...options }),
);

describe("Class: DynamoDBBackend (layout celery)", () => {
  it("writes the item Celery's DynamoDB backend reads", async () => {
    const backend = new DynamoDBBackend({ tableName, client, layout: "celery" });
    const taskId = randomUUID();
    await backend.storeTerminal({
      taskId,
      status: "FAILURE",
      result: { exc_type: "RangeError", exc_message: "too far", exc_module: "builtins" },
      traceback: "RangeError: too far",
      children: [{ id: "c-1" }, { groupId: "g-1", ids: ["m-1", "m-2"] }],
      dateDone: "2026-12-01T10:00:00.123Z",
      parentId: "p-1",
    });
    const out = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { id: { S: `b'celery-task-meta-${taskId}'` } },
      }),
    );
    expect(out.Item?.timestamp?.N).toMatch(/^\d+(\.\d+)?$/);
    const meta = JSON.parse(Buffer.from(out.Item!.result!.B!).toString("utf8")) as unknown;
    expect(meta).toEqual({
      status: "FAILURE",
      result: { exc_type: "RangeError", exc_message: ["too far"], exc_module: "builtins" },
      traceback: "RangeError: too far",
      children: [
        [["c-1", null], null],
        [
          ["g-1", null],
          [
            [["m-1", null], null],
            [["m-2", null], null],
          ],
        ],
      ],
      date_done: "2026-12-01T10:00:00.123",
      task_id: taskId,
      parent_id: "p-1",
    });
    expect(backend.description).toBe(`dynamodb://${tableName}?layout=celery`);
  });
});
