import { randomUUID } from "node:crypto";
import { DeleteTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe } from "vitest";
import { DynamoDBBackend } from "../../runtime/adapters/dynamodb/index.js";
import { describeBroker } from "../conformance/broker.suite.js";
import { describeResultBackend } from "../conformance/result-backend.suite.js";
import { emulatorDynamoDBClient, motoAvailable, motoTarget } from "../support/emulators.js";
import { sqsBrokerFactory } from "../support/sqs-harness.js";

const moto = motoTarget();

describe.skipIf(!motoAvailable("the broker and result-backend conformance suites on moto"))(
  "Conformance on moto_server",
  () => {
    const endpoint = moto?.sqsEndpoint ?? "";
    describeBroker("SqsBroker on moto", sqsBrokerFactory(endpoint));

    const tableName = `results-${randomUUID()}`;
    let client: DynamoDBClient;
    beforeAll(async () => {
      client = emulatorDynamoDBClient(endpoint);
      await new DynamoDBBackend({ tableName, client }).ensureTable();
    });
    afterAll(async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
    });
    describeResultBackend(
      "DynamoDBBackend on moto",
      (options) => new DynamoDBBackend({ tableName, client, ...options }),
    );
  },
);
