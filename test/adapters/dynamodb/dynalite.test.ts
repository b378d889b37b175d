import { randomUUID } from "node:crypto";
import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  type GetItemCommandOutput,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import {
  DynamoDBBackend,
  DynamoDBBackendError,
  DynamoDBTableNotFoundError,
  dynamodbBackendFromUrl,
} from "../../../runtime/adapters/dynamodb/index.js";
import { ResultTooLargeError } from "../../../runtime/errors/index.js";
import type { TerminalMeta } from "../../../runtime/ports/task-meta.js";
import {
  type DynaliteServer,
  dynaliteClientConfig,
  startDynalite,
} from "../../support/dynalite.js";

let server: DynaliteServer;
let client: DynamoDBClient;
const tableName = `results-${randomUUID()}`;
const quiet = { warn: () => {} };

function success(taskId: string, result: TerminalMeta["result"] = 1): TerminalMeta {
  return {
    taskId,
    status: "SUCCESS",
    result,
    traceback: null,
    children: [],
    dateDone: new Date().toISOString(),
  };
}

async function rawItem(pk: string): Promise<GetItemCommandOutput["Item"]> {
  const out = await client.send(
    new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk } }, ConsistentRead: true }),
  );
  return out.Item;
}

beforeAll(async () => {
  server = await startDynalite();
  client = new DynamoDBClient({ endpoint: server.endpoint, ...dynaliteClientConfig });
  await new DynamoDBBackend({ tableName, client }).ensureTable({ logger: quiet });
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

describe("Class: DynamoDBBackend on dynalite", () => {
  describe("Method: ensureTable", () => {
    it("creates an on-demand table keyed by pk, with no warning that dynalite has no TTL", async () => {
      const name = `results-${randomUUID()}`;
      const warn = vi.fn();
      await new DynamoDBBackend({ tableName: name, client }).ensureTable({ logger: { warn } });
      const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
      expect(Table?.TableStatus).toBe("ACTIVE");
      expect(Table?.KeySchema).toEqual([{ AttributeName: "pk", KeyType: "HASH" }]);
      expect(Table?.BillingModeSummary?.BillingMode).toBe("PAY_PER_REQUEST");
      expect(warn).not.toHaveBeenCalled();
    });

    it("succeeds again on an existing table", async () => {
      const backend = new DynamoDBBackend({ tableName, client });
      await expect(backend.ensureTable({ logger: quiet })).resolves.toBeUndefined();
    });
  });

  describe("Option: resultExpires", () => {
    it("writes the ttl attribute, in epoch seconds, on every kind of item", async () => {
      const backend = new DynamoDBBackend({ tableName, client, resultExpires: 3600 });
      const [taskId, groupId, bigGroup] = [randomUUID(), randomUUID(), randomUUID()];
      // The clock stands still (Date only), so every item's TTL is the same number.
      const now = Date.now();
      vi.useFakeTimers({ toFake: ["Date"], now });
      onTestFinished(() => {
        vi.useRealTimers();
      });
      await backend.storeTerminal(success(taskId));
      await backend.claim(taskId, "worker-1", 60);
      // a complete chord of two shards, so its top-level item (the election) exists too
      await Promise.all(
        Array.from({ length: 201 }, (_, index) =>
          backend.recordChordPart({ groupId, size: 201, index, memberId: `m${index}` }),
        ),
      );
      await backend.saveGroup(groupId, [taskId]);
      await backend.saveGroup(
        bigGroup,
        Array.from({ length: 1_500 }, () => randomUUID()),
      );
      const pks = [
        `task#${taskId}`,
        `claim#${taskId}`,
        `chord#${groupId}#0`,
        `chord#${groupId}`,
        `group#${groupId}`,
        `group#${bigGroup}`,
        `group#${bigGroup}#0`,
        `group#${bigGroup}#1`,
      ];
      for (const pk of pks) {
        expect(Number((await rawItem(pk))?.ttl?.N), pk).toBe(Math.ceil(now / 1000) + 3600);
      }
    });

    it("writes no ttl attribute when results do not expire", async () => {
      const backend = new DynamoDBBackend({ tableName, client });
      const taskId = randomUUID();
      await backend.storeTerminal(success(taskId));
      expect((await rawItem(`task#${taskId}`))?.ttl).toBeUndefined();
    });

    it("ignores a stored item whose ttl has passed, and lets it be written over", async () => {
      const backend = new DynamoDBBackend({ tableName, client });
      const taskId = randomUUID();
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            pk: { S: `task#${taskId}` },
            status: { S: "SUCCESS" },
            meta: { S: JSON.stringify(success(taskId)) },
            writer: { S: "old" },
            ttl: { N: String(Math.floor(Date.now() / 1000) - 10) },
          },
        }),
      );
      expect(await backend.get(taskId)).toBeUndefined();
      expect((await backend.getMany([taskId])).size).toBe(0);
      const fresh = success(taskId, 2);
      expect(await backend.storeTerminal(fresh)).toBe(true);
      expect(await backend.get(taskId)).toEqual(fresh);
    });
  });

  describe("Method: storeTerminal", () => {
    it("reports a write whose response was lost, and that the SDK retried, as its own", async () => {
      const retrying = new DynamoDBClient({ endpoint: server.endpoint, ...dynaliteClientConfig });
      // Sends every PutItem twice and answers with the second response: the first one
      // succeeded on the server, but its caller only sees the retry's answer.
      retrying.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName !== "PutItemCommand") return next(args);
          await next(args);
          return next(args);
        },
        { step: "build", name: "loseFirstResponse" },
      );
      try {
        const backend = new DynamoDBBackend({ tableName, client: retrying });
        const meta = success(randomUUID());
        expect(await backend.storeTerminal(meta)).toBe(true);
        expect(await backend.storeTerminal(success(meta.taskId, 2))).toBe(false);
        expect(await backend.get(meta.taskId)).toEqual(meta);
      } finally {
        retrying.destroy();
      }
    });

    it("rejects a record larger than an item holds, naming the task id", async () => {
      const backend = new DynamoDBBackend({ tableName, client });
      const meta = success(randomUUID(), "x".repeat(400 * 1024));
      const error = await backend.storeTerminal(meta).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResultTooLargeError);
      expect((error as Error).message).toContain(meta.taskId);
      expect((error as Error).message).toContain(tableName);
      expect(await backend.get(meta.taskId)).toBeUndefined();
    });
  });

  describe("Method: getMany", () => {
    it("reads repeated ids once", async () => {
      const backend = new DynamoDBBackend({ tableName, client });
      const meta = success(randomUUID());
      await backend.storeTerminal(meta);
      const found = await backend.getMany([meta.taskId, meta.taskId, randomUUID()]);
      expect([...found.entries()]).toEqual([[meta.taskId, meta]]);
    });
  });

  describe("Method: recordChordPart", () => {
    it("spreads a chord of 600 over 3 shards of 200 and stores its one dispatcher at the top", async () => {
      const backend = new DynamoDBBackend({ tableName, client });
      const groupId = randomUUID();
      const results = await Promise.all(
        Array.from({ length: 600 }, (_, index) =>
          backend.recordChordPart({ groupId, size: 600, index, memberId: `m${index}` }),
        ),
      );
      const elected = results.findIndex((r) => r.dispatcher);
      expect(results.filter((r) => r.dispatcher)).toHaveLength(1);
      for (const shard of [0, 1, 2]) {
        const done = (await rawItem(`chord#${groupId}#${shard}`))?.done?.NS ?? [];
        expect(done.map(Number).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 200 }, (_, i) => i * 3 + shard),
        );
      }
      expect((await rawItem(`chord#${groupId}`))?.dispatcher?.S).toBe(`m${elected}`);
    });

    it("uses one shard and no top-level item for a chord of 200", async () => {
      const backend = new DynamoDBBackend({ tableName, client });
      const groupId = randomUUID();
      for (let index = 0; index < 200; index++) {
        await backend.recordChordPart({ groupId, size: 200, index, memberId: `m${index}` });
      }
      expect((await rawItem(`chord#${groupId}#0`))?.done?.NS).toHaveLength(200);
      expect(await rawItem(`chord#${groupId}`)).toBeUndefined();
    });

    it("elects a dispatcher on a redelivered part when a crash cut off the election", async () => {
      const backend = new DynamoDBBackend({ tableName, client });
      const groupId = randomUUID();
      const size = 400; // two shards: even and odd indexes
      for (let index = 1; index < size; index += 2) {
        await backend.recordChordPart({ groupId, size, index, memberId: `m${index}` });
      }
      // Every even member reached its shard, but the one that filled it died before it
      // read the other shard and held the election.
      const evens = Array.from({ length: 200 }, (_, i) => String(i * 2));
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { pk: { S: `chord#${groupId}#0` } },
          UpdateExpression: "ADD done :all",
          ExpressionAttributeValues: { ":all": { NS: evens } },
        }),
      );
      expect(await rawItem(`chord#${groupId}`)).toBeUndefined();
      const part = (index: number) =>
        backend.recordChordPart({ groupId, size, index, memberId: `m${index}` });
      expect(await part(398)).toEqual({ complete: true, dispatcher: true });
      expect(await part(398)).toEqual({ complete: true, dispatcher: true });
      expect(await part(7)).toEqual({ complete: true, dispatcher: false });
      expect((await rawItem(`chord#${groupId}`))?.dispatcher?.S).toBe("m398");
    });

    it("rejects an index outside the chord", async () => {
      const backend = new DynamoDBBackend({ tableName, client });
      await expect(
        backend.recordChordPart({ groupId: randomUUID(), size: 3, index: 3, memberId: "m3" }),
      ).rejects.toThrow(DynamoDBBackendError);
    });
  });

  describe("Method: saveGroup", () => {
    it("splits 2,500 ids over 3 page items and a head that counts them", async () => {
      const backend = new DynamoDBBackend({ tableName, client });
      const groupId = randomUUID();
      const ids = Array.from({ length: 2_500 }, () => randomUUID());
      await backend.saveGroup(groupId, ids);
      const head = await rawItem(`group#${groupId}`);
      expect(head?.pages?.N).toBe("3");
      expect(head?.ids).toBeUndefined();
      const pages = await Promise.all([0, 1, 2].map((p) => rawItem(`group#${groupId}#${p}`)));
      expect(pages.map((p) => (JSON.parse(p?.ids?.S ?? "[]") as string[]).length)).toEqual([
        1000, 1000, 500,
      ]);
      await backend.forgetGroup(groupId);
      expect(await rawItem(`group#${groupId}#0`)).toBeUndefined();
    });
  });

  describe("A missing table", () => {
    const missing = `missing-${randomUUID()}`;
    const remedy =
      "Create it with 'celeriac local up -A <module>' on an emulator, or deploy the CDK stack in AWS.";

    it.each([
      ["GetItem", (b: DynamoDBBackend) => b.get("t-missing")],
      ["PutItem", (b: DynamoDBBackend) => b.storeTerminal(success("t-missing"))],
      ["BatchGetItem", (b: DynamoDBBackend) => b.getMany(["t-a", "t-b"])],
    ])("names the table, the operation (%s) and the command that creates it", async (op, call) => {
      const error = await call(new DynamoDBBackend({ tableName: missing, client })).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DynamoDBTableNotFoundError);
      expect(error).toBeInstanceOf(DynamoDBBackendError);
      expect((error as Error).message).toBe(
        `DynamoDB table '${missing}' does not exist (${op}). ${remedy}`,
      );
      expect(error).toMatchObject({ tableName: missing, operation: op });
      expect(((error as Error).cause as Error).name).toBe("ResourceNotFoundException");
      await expect(
        client.send(new DescribeTableCommand({ TableName: missing })),
      ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    });

    it("still lets ensureTable create it", async () => {
      const name = `results-${randomUUID()}`;
      const backend = new DynamoDBBackend({ tableName: name, client });
      await backend.ensureTable({ logger: quiet });
      expect(await backend.get("t-none")).toBeUndefined();
    });
  });

  describe("Function: dynamodbBackendFromUrl", () => {
    it("builds a backend on the named table", async () => {
      const backend = dynamodbBackendFromUrl(`dynamodb://${tableName}`, { client });
      expect(backend.description).toBe(`dynamodb://${tableName}`);
      const meta = success(randomUUID());
      await backend.storeTerminal(meta);
      expect(await backend.get(meta.taskId)).toEqual(meta);
    });
  });
});
