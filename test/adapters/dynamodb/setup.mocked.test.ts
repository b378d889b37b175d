import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import {
  DynamoDBBackend,
  DynamoDBBackendError,
  dynamodbBackendFromUrl,
  parseDynamoDBUrl,
} from "../../../runtime/adapters/dynamodb/index.js";
import { ConfigurationError } from "../../../runtime/errors/usage-errors.js";

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
function backend(): DynamoDBBackend {
  return new DynamoDBBackend({ tableName, client: new DynamoDBClient({ region: "us-east-1" }) });
}

describe("Class: DynamoDBBackend (mocked client), setup", () => {
  describe("Method: ensureTable", () => {
    const active = {
      Table: {
        TableName: tableName,
        TableStatus: "ACTIVE" as const,
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" as const }],
      },
    };

    it("goes on quietly where the endpoint has no UpdateTimeToLive (dynalite)", async () => {
      ddb.on(DescribeTableCommand).resolves(active);
      ddb
        .on(DescribeTimeToLiveCommand)
        .resolves({ TimeToLiveDescription: { TimeToLiveStatus: "DISABLED" } });
      ddb.on(UpdateTimeToLiveCommand).rejects(
        new DynamoDBServiceException({
          name: "UnknownOperationException",
          $fault: "client",
          message: "UnknownError",
          ...metadata,
        }),
      );
      const warn = vi.fn();

      await expect(backend().ensureTable({ logger: { warn } })).resolves.toBeUndefined();

      // dynalite, a supported emulator, has no TTL: no warning on every start.
      expect(warn).not.toHaveBeenCalled();
      expect(ddb.commandCalls(UpdateTimeToLiveCommand).map((c) => c.args[0].input)).toEqual([
        { TableName: tableName, TimeToLiveSpecification: { AttributeName: "ttl", Enabled: true } },
      ]);
      expect(ddb.commandCalls(CreateTableCommand)).toHaveLength(0);
    });

    it("creates a missing table, waits until it is ACTIVE, and enables TTL", async () => {
      ddb
        .on(DescribeTableCommand)
        .rejectsOnce(
          new ResourceNotFoundException({ message: "Requested resource not found", ...metadata }),
        )
        .resolvesOnce({ Table: { ...active.Table, TableStatus: "CREATING" } })
        .resolves(active);
      ddb.on(CreateTableCommand).resolves({});
      ddb
        .on(DescribeTimeToLiveCommand)
        .resolves({ TimeToLiveDescription: { TimeToLiveStatus: "DISABLED" } });
      ddb.on(UpdateTimeToLiveCommand).resolves({});
      const warn = vi.fn();

      await backend().ensureTable({ logger: { warn } });

      expect(ddb.commandCalls(CreateTableCommand).map((c) => c.args[0].input)).toEqual([
        {
          TableName: tableName,
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
          KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        },
      ]);
      expect(ddb.commandCalls(DescribeTableCommand)).toHaveLength(3);
      expect(ddb.commandCalls(UpdateTimeToLiveCommand)).toHaveLength(1);
      expect(warn).not.toHaveBeenCalled();
    });

    it("leaves TTL alone when it is already enabled on ttl", async () => {
      ddb.on(DescribeTableCommand).resolves(active);
      ddb
        .on(DescribeTimeToLiveCommand)
        .resolves({ TimeToLiveDescription: { TimeToLiveStatus: "ENABLED", AttributeName: "ttl" } });

      await backend().ensureTable({ logger: { warn: vi.fn() } });

      expect(ddb.commandCalls(UpdateTimeToLiveCommand)).toHaveLength(0);
    });

    it("refuses a table with another key schema", async () => {
      ddb.on(DescribeTableCommand).resolves({
        Table: { ...active.Table, KeySchema: [{ AttributeName: "id", KeyType: "HASH" }] },
      });

      await expect(backend().ensureTable()).rejects.toThrow(ConfigurationError);
    });
  });

  describe("Method: close", () => {
    it("leaves a client that was passed in open", async () => {
      const client = new DynamoDBClient({ region: "us-east-1" });
      const destroy = vi.spyOn(client, "destroy");
      await new DynamoDBBackend({ tableName, client }).close();
      expect(destroy).not.toHaveBeenCalled();
    });

    it("destroys the client it built from the SDK's standard chain", async () => {
      const b = new DynamoDBBackend({ tableName });
      const destroy = vi.spyOn(b.client, "destroy");
      await b.close();
      expect(destroy).toHaveBeenCalledTimes(1);
    });
  });
});

describe("Function: dynamodbBackendFromUrl", () => {
  it("reads the table name from dynamodb://<table>", () => {
    expect(parseDynamoDBUrl("dynamodb://celeriac-results")).toBe("celeriac-results");
    const client = new DynamoDBClient({ region: "us-east-1" });
    const b = dynamodbBackendFromUrl("dynamodb://my.table_1", { client, resultExpires: 60 });
    expect(b.tableName).toBe("my.table_1");
    expect(b.client).toBe(client);
  });

  it.each([
    ["sqs://results", /is not a DynamoDB URL; expected dynamodb:\/\/<table>/],
    ["dynamodb://", /names table ''; a DynamoDB table name is 3 to 255 characters/],
    ["dynamodb://ab", /names table 'ab'/],
    ["dynamodb://results/extra", /is not a DynamoDB URL/],
    ["dynamodb://results?region=x", /is not a DynamoDB URL/],
    ["dynamodb://bad name", /names table 'bad name'/],
  ])("rejects %s with a ConfigurationError", (url, message) => {
    expect(() => dynamodbBackendFromUrl(url)).toThrow(ConfigurationError);
    expect(() => parseDynamoDBUrl(url)).toThrow(message);
  });

  it("rejects a resultExpires that is not a positive number", () => {
    expect(() => dynamodbBackendFromUrl("dynamodb://results", { resultExpires: 0 })).toThrow(
      DynamoDBBackendError,
    );
  });
});
