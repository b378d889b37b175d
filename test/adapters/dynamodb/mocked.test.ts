import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  InternalServerError,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  ResourceNotFoundException,
  ThrottlingException,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  DynamoDBBackend,
  DynamoDBBackendError,
  DynamoDBTableNotFoundError,
  DynamoDBThrottledError,
} from "../../../runtime/adapters/dynamodb/index.js";
import type { TerminalMeta } from "../../../runtime/ports/task-meta.js";

const ddb = mockClient(DynamoDBClient);
const tableName = "results";
const metadata = { $metadata: {} };

afterEach(() => {
  ddb.reset();
});

afterAll(() => {
  ddb.restore();
});

/** A backend on a client that never leaves the process (its `send` is mocked). */
function backend(options: { resultExpires?: number } = {}): DynamoDBBackend {
  return new DynamoDBBackend({
    tableName,
    client: new DynamoDBClient({ region: "us-east-1" }),
    batchRetry: { baseDelayMs: 1, maxDelayMs: 4 },
    ...options,
  });
}

function success(taskId: string): TerminalMeta {
  return {
    taskId,
    status: "SUCCESS",
    result: 4,
    traceback: null,
    children: [],
    dateDone: "2026-01-01T00:00:00.000Z",
  };
}

const ccf = (): ConditionalCheckFailedException =>
  new ConditionalCheckFailedException({ message: "The conditional request failed", ...metadata });

const expectedPut = (meta: TerminalMeta) => ({
  TableName: tableName,
  Item: {
    pk: { S: `task#${meta.taskId}` },
    status: { S: meta.status },
    meta: { S: JSON.stringify(meta) },
    writer: { S: expect.any(String) },
  },
  ConditionExpression:
    "attribute_not_exists(#pk) OR NOT (#s IN (:success, :failure, :revoked)) OR #ttl <= :now",
  ExpressionAttributeNames: { "#pk": "pk", "#s": "status", "#ttl": "ttl" },
  ExpressionAttributeValues: {
    ":success": { S: "SUCCESS" },
    ":failure": { S: "FAILURE" },
    ":revoked": { S: "REVOKED" },
    ":now": { N: expect.stringMatching(/^\d+$/) },
  },
});

describe("Class: DynamoDBBackend (mocked client)", () => {
  describe("Throttling", () => {
    it("surfaces ProvisionedThroughputExceededException on a terminal write as DynamoDBThrottledError", async () => {
      const cause = new ProvisionedThroughputExceededException({
        message: "slow down",
        ...metadata,
      });
      ddb.on(PutItemCommand).rejects(cause);
      const meta = success("t-1");

      const error = await backend()
        .storeTerminal(meta)
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DynamoDBThrottledError);
      expect(error).toMatchObject({ operation: "PutItem", tableName, cause });
      expect((error as Error).message).toMatch(/throttled PutItem on table 'results'/);
      // the SDK's retry middleware already retried; the adapter sends once and reports
      expect(ddb.commandCalls(PutItemCommand)).toHaveLength(1);
      expect(ddb.commandCalls(PutItemCommand)[0]?.args[0].input).toEqual(expectedPut(meta));
    });

    it("surfaces ThrottlingException on a consistent read as DynamoDBThrottledError", async () => {
      ddb
        .on(GetItemCommand)
        .rejects(new ThrottlingException({ message: "rate exceeded", ...metadata }));

      await expect(backend().get("t-2")).rejects.toThrow(DynamoDBThrottledError);
      expect(ddb.commandCalls(GetItemCommand).map((c) => c.args[0].input)).toEqual([
        { TableName: tableName, Key: { pk: { S: "task#t-2" } }, ConsistentRead: true },
      ]);
    });

    it("says how many attempts were made when the SDK tells, and claims no retries when it does not", async () => {
      ddb
        .on(PutItemCommand)
        .rejectsOnce(
          new ThrottlingException({ message: "rate exceeded", $metadata: { attempts: 1 } }),
        )
        .rejectsOnce(
          new ThrottlingException({ message: "rate exceeded", $metadata: { attempts: 3 } }),
        )
        .rejects(new ThrottlingException({ message: "rate exceeded", ...metadata }));
      const messages: string[] = [];
      for (let i = 0; i < 3; i++) {
        const error = await backend()
          .storeTerminal(success(`t-a${i}`))
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DynamoDBThrottledError);
        messages.push((error as Error).message);
      }
      const rest =
        "Nothing was written by this request; retry later, or raise the table's capacity.";
      expect(messages).toEqual([
        `DynamoDB throttled PutItem on table 'results' (ThrottlingException) after 1 attempt. ${rest}`,
        `DynamoDB throttled PutItem on table 'results' (ThrottlingException) after 3 attempts. ${rest}`,
        `DynamoDB throttled PutItem on table 'results' (ThrottlingException). ${rest}`,
      ]);
    });

    it("maps ResourceNotFoundException to DynamoDBTableNotFoundError, keeping the cause", async () => {
      const cause = new ResourceNotFoundException({
        message: "Requested resource not found",
        ...metadata,
      });
      ddb.on(GetItemCommand).rejects(cause);

      const error = await backend()
        .get("t-3")
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DynamoDBTableNotFoundError);
      expect(error).toMatchObject({ cause, tableName, operation: "GetItem" });
    });

    it("passes other errors through unchanged", async () => {
      const cause = new InternalServerError({ message: "boom", ...metadata });
      ddb.on(GetItemCommand).rejects(cause);

      await expect(backend().get("t-3")).rejects.toBe(cause);
    });
  });

  describe("Method: storeTerminal, when the response to a successful write was lost", () => {
    it("resolves true when the stored record carries this call's writer token", async () => {
      let token: string | undefined;
      ddb.on(PutItemCommand).callsFake((input: { Item: { writer: { S: string } } }) => {
        token = input.Item.writer.S;
        throw ccf();
      });
      ddb.on(GetItemCommand).callsFake(() => ({ Item: { writer: { S: token } } }));

      expect(await backend().storeTerminal(success("t-4"))).toBe(true);
      expect(ddb.commandCalls(GetItemCommand).map((c) => c.args[0].input)).toEqual([
        {
          TableName: tableName,
          Key: { pk: { S: "task#t-4" } },
          ConsistentRead: true,
          ProjectionExpression: "writer",
        },
      ]);
    });

    it("resolves false when another writer's record is stored", async () => {
      ddb.on(PutItemCommand).rejects(ccf());
      ddb.on(GetItemCommand).resolves({ Item: { writer: { S: "someone-else" } } });

      expect(await backend().storeTerminal(success("t-5"))).toBe(false);
    });

    it("writes a fresh token on every call", async () => {
      ddb.on(PutItemCommand).resolves({});
      const b = backend();
      await b.storeTerminal(success("t-6"));
      await b.storeTerminal(success("t-7"));
      const tokens = ddb.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item?.writer?.S);
      expect(new Set(tokens).size).toBe(2);
    });
  });

  describe("Method: getMany", () => {
    it("asks again for UnprocessedKeys until none are left", async () => {
      const item = (id: string) => ({
        pk: { S: `task#${id}` },
        meta: { S: JSON.stringify(success(id)) },
      });
      ddb
        .on(BatchGetItemCommand)
        .resolvesOnce({
          Responses: { [tableName]: [item("a")] },
          UnprocessedKeys: {
            [tableName]: {
              Keys: [{ pk: { S: "task#b" } }, { pk: { S: "task#c" } }],
              ConsistentRead: true,
            },
          },
        })
        .resolvesOnce({
          Responses: { [tableName]: [item("b")] },
          UnprocessedKeys: {
            [tableName]: { Keys: [{ pk: { S: "task#c" } }], ConsistentRead: true },
          },
        })
        .resolvesOnce({ Responses: { [tableName]: [item("c")] }, UnprocessedKeys: {} });

      const found = await backend().getMany(["a", "b", "c"]);

      expect([...found.keys()].sort()).toEqual(["a", "b", "c"]);
      expect(ddb.commandCalls(BatchGetItemCommand).map((c) => c.args[0].input)).toEqual([
        {
          RequestItems: {
            [tableName]: {
              Keys: [{ pk: { S: "task#a" } }, { pk: { S: "task#b" } }, { pk: { S: "task#c" } }],
              ConsistentRead: true,
            },
          },
        },
        {
          RequestItems: {
            [tableName]: {
              Keys: [{ pk: { S: "task#b" } }, { pk: { S: "task#c" } }],
              ConsistentRead: true,
            },
          },
        },
        {
          RequestItems: { [tableName]: { Keys: [{ pk: { S: "task#c" } }], ConsistentRead: true } },
        },
      ]);
    });

    it("rejects with a clear error when keys stay unprocessed", async () => {
      ddb.on(BatchGetItemCommand).resolves({
        Responses: { [tableName]: [] },
        UnprocessedKeys: { [tableName]: { Keys: [{ pk: { S: "task#a" } }], ConsistentRead: true } },
      });
      const b = new DynamoDBBackend({
        tableName,
        client: new DynamoDBClient({ region: "us-east-1" }),
        batchRetry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
      });

      const error = await b.getMany(["a"]).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DynamoDBBackendError);
      expect((error as Error).message).toBe(
        "BatchGetItem left 1 of 1 keys unprocessed on table 'results' after 3 attempts; the table is throttled, retry later.",
      );
      expect(ddb.commandCalls(BatchGetItemCommand)).toHaveLength(3);
    });

    it("reads 250 ids in calls of 100, 100 and 50 keys", async () => {
      ddb.on(BatchGetItemCommand).resolves({ Responses: { [tableName]: [] } });
      const ids = Array.from({ length: 250 }, (_, i) => `t${i}`);

      await backend().getMany(ids);

      const sizes = ddb
        .commandCalls(BatchGetItemCommand)
        .map((c) => c.args[0].input.RequestItems?.[tableName]?.Keys?.length);
      expect(sizes.sort()).toEqual([100, 100, 50].sort());
    });
  });

  describe("Method: forget", () => {
    it("deletes in BatchWriteItem calls of 25 and retries UnprocessedItems", async () => {
      const ids = Array.from({ length: 30 }, (_, i) => `t${i}`);
      const leftOver = [{ DeleteRequest: { Key: { pk: { S: "task#t0" } } } }];
      ddb
        .on(BatchWriteItemCommand)
        .resolvesOnce({ UnprocessedItems: { [tableName]: leftOver } })
        .resolves({ UnprocessedItems: {} });

      await backend().forget(ids);

      const calls = ddb
        .commandCalls(BatchWriteItemCommand)
        .map((c) => c.args[0].input.RequestItems?.[tableName]);
      expect(calls.map((c) => c?.length).sort()).toEqual([1, 25, 5].sort());
      expect(calls).toContainEqual(leftOver);
    });
  });

  describe("Method: recordChordPart", () => {
    // size 600 → 3 shards of 200 (index mod 3); index 7 → shard 1
    const fullShard = (k: number) => ({
      pk: { S: `chord#g#${k}` },
      done: { NS: Array.from({ length: 200 }, (_, i) => String(i * 3 + k)) },
    });
    const part = () =>
      backend().recordChordPart({ groupId: "g", size: 600, index: 7, memberId: "m7" });

    it("adds the index to its shard and, once the shard is full, reads every shard in one batch", async () => {
      ddb.on(UpdateItemCommand).resolves({ Attributes: { done: fullShard(1).done } });
      ddb
        .on(BatchGetItemCommand)
        .resolves({ Responses: { [tableName]: [fullShard(0), fullShard(1)] } });

      expect(await part()).toEqual({ complete: false, dispatcher: false });
      expect(ddb.commandCalls(UpdateItemCommand).map((c) => c.args[0].input)).toEqual([
        {
          TableName: tableName,
          Key: { pk: { S: "chord#g#1" } },
          UpdateExpression: "ADD #set :m SET #by = :by",
          ConditionExpression: "NOT contains(#set, :n)",
          ExpressionAttributeNames: { "#set": "done", "#by": "by" },
          ExpressionAttributeValues: { ":m": { NS: ["7"] }, ":n": { N: "7" }, ":by": { S: "m7" } },
          ReturnValues: "UPDATED_NEW",
        },
      ]);
      expect(ddb.commandCalls(BatchGetItemCommand).map((c) => c.args[0].input)).toEqual([
        {
          RequestItems: {
            [tableName]: {
              Keys: [
                ...[0, 1, 2].map((k) => ({ pk: { S: `chord#g#${k}` } })),
                { pk: { S: "chord#g" } },
              ],
              ConsistentRead: true,
            },
          },
        },
      ]);
    });

    it("makes no batch read while its shard is not full", async () => {
      ddb.on(UpdateItemCommand).resolves({ Attributes: { done: { NS: ["7", "10"] } } });
      expect(await part()).toEqual({ complete: false, dispatcher: false });
      expect(ddb.commandCalls(BatchGetItemCommand)).toHaveLength(0);
    });

    it("holds the chord's one election when it sees every shard full", async () => {
      ddb
        .on(UpdateItemCommand)
        .resolvesOnce({ Attributes: { done: fullShard(1).done } })
        .resolvesOnce({});
      ddb
        .on(BatchGetItemCommand)
        .resolves({ Responses: { [tableName]: [0, 1, 2].map(fullShard) } });

      expect(await part()).toEqual({ complete: true, dispatcher: true });
      expect(ddb.commandCalls(UpdateItemCommand)[1]?.args[0].input).toEqual({
        TableName: tableName,
        Key: { pk: { S: "chord#g" } },
        UpdateExpression: "SET #d = :m",
        ConditionExpression: "attribute_not_exists(#d) OR #d = :m",
        ExpressionAttributeNames: { "#d": "dispatcher" },
        ExpressionAttributeValues: { ":m": { S: "m7" } },
      });
    });

    it("makes no election write when the batch read shows a dispatcher elected already", async () => {
      ddb.on(UpdateItemCommand).resolves({ Attributes: { done: fullShard(1).done } });
      ddb.on(BatchGetItemCommand).resolves({
        Responses: {
          [tableName]: [
            ...[0, 1, 2].map(fullShard),
            { pk: { S: "chord#g" }, dispatcher: { S: "m4" } },
          ],
        },
      });
      expect(await part()).toEqual({ complete: true, dispatcher: false });
      expect(ddb.commandCalls(UpdateItemCommand)).toHaveLength(1);
    });

    it("answers a duplicate from consistent reads, and loses an election held meanwhile", async () => {
      ddb.on(UpdateItemCommand).rejects(ccf());
      ddb.on(GetItemCommand).resolves({ Item: { done: fullShard(1).done, by: { S: "m4" } } });
      ddb
        .on(BatchGetItemCommand)
        .resolves({ Responses: { [tableName]: [0, 1, 2].map(fullShard) } });

      expect(await part()).toEqual({ complete: true, dispatcher: false });
      expect(ddb.commandCalls(GetItemCommand).map((c) => c.args[0].input)).toEqual([
        {
          TableName: tableName,
          Key: { pk: { S: "chord#g#1" } },
          ConsistentRead: true,
          ProjectionExpression: "#a, #by",
          ExpressionAttributeNames: { "#a": "done", "#by": "by" },
        },
      ]);
      expect(ddb.commandCalls(UpdateItemCommand).map((c) => c.args[0].input.Key)).toEqual([
        { pk: { S: "chord#g#1" } },
        { pk: { S: "chord#g" } },
      ]);
    });
  });
});
