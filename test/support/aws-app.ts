import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { EnsureQueuesOptions, SqsBroker } from "../../runtime/adapters/sqs/index.js";
import { Celery, type CeleryOptions, type LocalWorker } from "../../runtime/index.js";
import {
  type AwsTarget,
  type EmulatorClientOptions,
  emulatorDynamoDBClient,
  emulatorSqsClient,
  eventually,
} from "./emulators.js";

/** Options of {@link awsApp}. */
export interface AwsAppOptions {
  /** Start of the app's name; a random suffix makes its queues and table unique. */
  prefix: string;
  /** Changes the SQS client before the app uses it (middleware that counts or duplicates). */
  configureSqs?: (client: SQSClient) => void;
  /** Changes the DynamoDB client before the app uses it (middleware that injects faults). */
  configureDynamoDB?: (client: DynamoDBClient) => void;
  /** Settings of both SDK clients, e.g. `{ maxAttempts: 1 }` to turn the SDK's retries off. */
  clientOptions?: EmulatorClientOptions;
  /** How the app's queues are created. @default `{ visibilityTimeout: 10 }` */
  queueOptions?: EnsureQueuesOptions;
  /** More app options (routes, queues, resultExpires). */
  app?: Omit<CeleryOptions, "broker" | "backend" | "sqsClient" | "dynamoDBClient">;
  /** Batches in flight in the local worker. @default 8 */
  concurrency?: number;
  /** Receives the worker's log lines (JSON, one per task). @default silent */
  logLine?: (line: string) => void;
}

/** An app on `sqs://` + `dynamodb://<name>-results` with explicit emulator clients. */
export interface AwsApp {
  app: Celery;
  sqsClient: SQSClient;
  dynamoDBClient: DynamoDBClient;
  worker: LocalWorker;
  /** Stops the worker, closes the app and destroys both clients. */
  close(): Promise<void>;
}

/**
 * A fresh app on SQS + DynamoDB at `target`, named `<prefix>-<random>` (so its queues and
 * its table `<name>-results` are its own), with its resources created
 * (`ensureResources()`) and a local worker (`app.worker()`) built but not started.
 * Register tasks on `app`, then `worker.start()`.
 */
export async function awsApp(target: AwsTarget, options: AwsAppOptions): Promise<AwsApp> {
  const name = `${options.prefix}-${randomUUID().slice(0, 8)}`;
  const sqsClient = emulatorSqsClient(target.sqsEndpoint, options.clientOptions);
  options.configureSqs?.(sqsClient);
  const dynamoDBClient = emulatorDynamoDBClient(target.dynamodbEndpoint, options.clientOptions);
  options.configureDynamoDB?.(dynamoDBClient);
  const app = new Celery(name, {
    broker: "sqs://",
    backend: `dynamodb://${name}-results`,
    sqsClient,
    dynamoDBClient,
    ...options.app,
  });
  // Queues hide a received message for 10 s (not the 180 s default), so a delivery that
  // failed on a loaded emulator is retried within a test's time.
  await (app.broker as SqsBroker).ensureQueues(app.queues, {
    visibilityTimeout: 10,
    ...options.queueOptions,
  });
  await app.backend.ensureResources?.();
  const worker = app.worker({
    concurrency: options.concurrency ?? 8,
    waitSeconds: 1,
    ...(options.logLine ? { logLine: options.logLine } : {}),
  });
  return {
    app,
    sqsClient,
    dynamoDBClient,
    worker,
    close: async () => {
      await worker.stop();
      await app.close();
      sqsClient.destroy();
      dynamoDBClient.destroy();
    },
  };
}

const COUNTS = [
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesNotVisible",
  "ApproximateNumberOfMessagesDelayed",
] as const;

/** Messages still on `app`'s queues (visible, in flight or delayed), by routing key. */
export async function messagesLeft(
  app: Celery,
  client: SQSClient,
): Promise<Record<string, number>> {
  const left: Record<string, number> = {};
  for (const key of app.queues) {
    const QueueName = `${app.name}-${key}`;
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName }));
    const out = await client.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: [...COUNTS] }),
    );
    left[key] = COUNTS.reduce((sum, a) => sum + Number(out.Attributes?.[a] ?? "0"), 0);
  }
  return left;
}

/** Waits until every queue of `app` is empty: each message was consumed and deleted. */
export function drained(app: Celery, client: SQSClient, timeoutMs = 20_000): Promise<unknown> {
  return eventually(
    () => messagesLeft(app, client),
    (left) => Object.values(left).every((n) => n === 0),
    { timeoutMs, intervalMs: 200, what: `queues of ${app.name} drained` },
  );
}
