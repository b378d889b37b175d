import { randomUUID } from "node:crypto";
import { DeleteTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe } from "vitest";
import { DynamoDBBackend } from "../../runtime/adapters/dynamodb/index.js";
import { describeResultBackend } from "../conformance/result-backend.suite.js";
import { emulatorDynamoDBClient, motoAvailable, motoTarget } from "../support/emulators.js";

describe.skipIf(!motoAvailable("the result-backend conformance suite on moto"))(
  "On moto_server",
  () => {
    const tableName = `results-${randomUUID()}`;
    let client: DynamoDBClient;
    beforeAll(async () => {
      client = emulatorDynamoDBClient(motoTarget()!.dynamodbEndpoint);
      await new DynamoDBBackend({ tableName, client }).ensureTable();
    });
    afterAll(async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
    });

    // moto is one Python process shared with the other moto suites, and startMotoServer
    // serialises its DynamoDB requests (moto-atomic-dynamodb.ts): the 450-part chord tests
    // send 25 parts at a time here (dynalite and memory take them all at once).
    describeResultBackend(
      "DynamoDBBackend on moto",
      (options) => new DynamoDBBackend({ tableName, client, ...options }),
      { concurrency: 25 },
    );
  },
);
