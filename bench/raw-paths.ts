/**
 * The floors the throughput table measures Celeriac against, on the same endpoints:
 * raw SQS (send 10 / receive 10 / delete 10) and raw task (the same plus one
 * conditional `PutItem` per message, the least work a task can do).
 */
import { CreateTableCommand, PutItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";

/** Where a raw run sends, and how many consumers and senders it runs. */
export interface RawTarget {
  sqs: SQSClient;
  queueUrl: string;
  consumers: number;
  /** With a table, each message costs one conditional `PutItem` before its delete. */
  ddb?: { client: DynamoDBClient; table: string };
}

/** Runs `count` tasks through the raw path; resolves the seconds from first send to last delete. */
export async function runRaw(target: RawTarget, count: number, tag: string): Promise<number> {
  const started = performance.now();
  let done = 0;
  const sending = sendAll(target, count, tag);
  const consumers = Array.from({ length: target.consumers }, async () => {
    while (done < count) {
      const got = await consumeOnce(target);
      done += got;
    }
  });
  await Promise.all([sending, ...consumers]);
  return (performance.now() - started) / 1000;
}

/** Sends `count` bodies in batches of 10, `consumers` batches in flight at once. */
async function sendAll(target: RawTarget, count: number, tag: string): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: target.consumers }, async () => {
    while (next < count) {
      const from = next;
      next = Math.min(count, next + 10);
      const entries = [];
      for (let i = from; i < next; i++) {
        entries.push({ Id: String(i - from), MessageBody: JSON.stringify({ id: `${tag}-${i}` }) });
      }
      await target.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: target.queueUrl, Entries: entries }),
      );
    }
  });
  await Promise.all(lanes);
}

/** One receive of up to 10, the puts (if any) side by side, one batched delete. */
async function consumeOnce(target: RawTarget): Promise<number> {
  const got = await target.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: target.queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
    }),
  );
  const messages = got.Messages ?? [];
  if (messages.length === 0) return 0;
  const ddb = target.ddb;
  if (ddb) {
    await Promise.all(
      messages.map((m) => {
        const { id } = JSON.parse(m.Body ?? "{}") as { id: string };
        return ddb.client
          .send(
            new PutItemCommand({
              TableName: ddb.table,
              Item: { pk: { S: id }, status: { S: "SUCCESS" }, result: { S: "4" } },
              ConditionExpression: "attribute_not_exists(pk)",
            }),
          )
          .catch((error: Error) => {
            if (error.name !== "ConditionalCheckFailedException") throw error;
          });
      }),
    );
  }
  await target.sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: target.queueUrl,
      Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
    }),
  );
  return messages.length;
}

/** Creates the table a raw path writes to: partition key `pk` (S), on demand. */
export async function createRawTable(ddb: DynamoDBClient, tableName: string): Promise<void> {
  await ddb.send(
    new CreateTableCommand({
      TableName: tableName,
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
}
