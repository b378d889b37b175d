/**
 * SDK v3 clients pointed at the local emulators (127.0.0.1 only), each instrumented with
 * the counting middlewares of `counter.ts`.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { instrument, type Path, type Tally } from "./counter.js";

const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };
const REGION = "us-east-1";

/** SQS client for `endpoint`; queue URLs are not used as endpoints (fauxqs hands out its own host). */
export function countedSqsClient(endpoint: string, tally: Tally, path?: Path): SQSClient {
  assertLoopback(endpoint);
  const client = new SQSClient({
    endpoint,
    region: REGION,
    credentials: CREDENTIALS,
    useQueueUrlAsEndpoint: false,
  });
  instrument(client, "SQS", tally, path);
  return client;
}

/** DynamoDB client for `endpoint`. */
export function countedDynamoDBClient(endpoint: string, tally: Tally, path?: Path): DynamoDBClient {
  assertLoopback(endpoint);
  const client = new DynamoDBClient({ endpoint, region: REGION, credentials: CREDENTIALS });
  instrument(client, "DynamoDB", tally, path);
  return client;
}

function assertLoopback(endpoint: string): void {
  if (new URL(endpoint).hostname !== "127.0.0.1") {
    throw new Error(`bench: refusing endpoint ${endpoint}; only 127.0.0.1 is allowed.`);
  }
}
