import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll } from "vitest";
import { DynamoDBBackend } from "../../../runtime/adapters/dynamodb/index.js";
import { describeResultBackend } from "../../conformance/result-backend.suite.js";
import {
  type DynaliteServer,
  dynaliteClientConfig,
  startDynalite,
} from "../../support/dynalite.js";

let server: DynaliteServer;
let client: DynamoDBClient;
const tableName = `results-${randomUUID()}`;

beforeAll(async () => {
  server = await startDynalite();
  client = new DynamoDBClient({ endpoint: server.endpoint, ...dynaliteClientConfig });
  await new DynamoDBBackend({ tableName, client }).ensureTable({ logger: { warn: () => {} } });
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

describeResultBackend(
  "DynamoDB on dynalite",
  (options) => new DynamoDBBackend({ tableName, client, ...options }),
);
