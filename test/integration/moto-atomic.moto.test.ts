import { randomUUID } from "node:crypto";
import {
  CreateTableCommand,
  DeleteTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorDynamoDBClient, motoAvailable, motoTarget } from "../support/emulators.js";

// moto answers each request on a thread of its own and, left alone, loses about one of 25
// rounds of ten concurrent ADDs to one new item. startMotoServer makes its DynamoDB
// atomic (runtime/local/moto-atomic-dynamodb.ts); this is the evidence that it does.
describe.skipIf(!motoAvailable("the moto atomicity check"))(
  "moto_server as started by startMotoServer",
  { timeout: 60_000 },
  () => {
    const TableName = `atomic-${randomUUID()}`;
    let client: DynamoDBClient;
    beforeAll(async () => {
      client = emulatorDynamoDBClient(motoTarget()!.dynamodbEndpoint);
      await client.send(
        new CreateTableCommand({
          TableName,
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
          KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        }),
      );
    });
    afterAll(async () => {
      await client.send(new DeleteTableCommand({ TableName }));
      client.destroy();
    });

    const addMember = (pk: string, member: number) =>
      client.send(
        new UpdateItemCommand({
          TableName,
          Key: { pk: { S: pk } },
          UpdateExpression: "ADD #s :m",
          ConditionExpression: "NOT contains(#s, :n)",
          ExpressionAttributeNames: { "#s": "members" },
          ExpressionAttributeValues: {
            ":m": { NS: [String(member)] },
            ":n": { N: String(member) },
          },
        }),
      );

    it("keeps every one of 10 concurrent conditional ADDs to a new item, in 60 rounds", async () => {
      const short: string[] = [];
      for (let round = 0; round < 60; round++) {
        const pk = `round-${round}`;
        await Promise.all(Array.from({ length: 10 }, (_, member) => addMember(pk, member)));
        const out = await client.send(
          new GetItemCommand({ TableName, Key: { pk: { S: pk } }, ConsistentRead: true }),
        );
        const members = out.Item?.members?.NS?.length ?? 0;
        if (members !== 10) short.push(`${pk}: ${members} of 10`);
      }
      expect(short).toEqual([]);
    });
  },
);
