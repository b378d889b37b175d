import { randomUUID } from "node:crypto";
import { DeleteQueueCommand } from "@aws-sdk/client-sqs";
import { beforeAll } from "vitest";
import { LazyDynamoDBBackend } from "../../runtime/adapters/dynamodb/lazy-dynamodb-backend.js";
import { LazySqsBroker } from "../../runtime/adapters/sqs/lazy-sqs-broker.js";
import { describeBroker } from "../conformance/broker.suite.js";
import { describeResultBackend } from "../conformance/result-backend.suite.js";
import { emulatorDynamoDBClient, emulatorSqsClient, localAwsTarget } from "../support/emulators.js";

// The ports an app makes from sqs:// and dynamodb:// where Node runs the installed package
// (runtime/adapters/aws-transports-on-demand.ts): each loads the SDK at its first request
// and must then keep the whole contract, as SqsBroker and DynamoDBBackend do.
const target = localAwsTarget();

describeBroker("LazySqsBroker (sqs:// on demand) on fauxqs", ({ visibilityTimeout }) => {
  const client = emulatorSqsClient(target.sqsEndpoint);
  const broker = new LazySqsBroker({ appName: `l${randomUUID().slice(0, 8)}`, client });
  const urls: string[] = [];
  return {
    broker,
    createQueue: async (name) => {
      const url = (await broker.ensureQueues([name], { visibilityTimeout }))[name];
      if (url !== undefined) urls.push(url, `${url}-dlq`);
    },
    dispose: async () => {
      await Promise.all(
        urls.map((QueueUrl) => client.send(new DeleteQueueCommand({ QueueUrl })).catch(() => {})),
      );
      client.destroy();
    },
  };
});

const tableName = `lazy-results-${randomUUID()}`;
const dynamodb = emulatorDynamoDBClient(target.dynamodbEndpoint);

beforeAll(async () => {
  const backend = new LazyDynamoDBBackend({ tableName, layout: "celeriac", client: dynamodb });
  await backend.ensureTable({ logger: { warn: () => {} } });
});

describeResultBackend(
  "LazyDynamoDBBackend (dynamodb:// on demand) on dynalite",
  (options) =>
    new LazyDynamoDBBackend({ tableName, layout: "celeriac", client: dynamodb, ...options }),
);
