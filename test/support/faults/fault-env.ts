import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { EnsureQueuesOptions } from "../../../runtime/adapters/sqs/index.js";
import { Celery } from "../../../runtime/index.js";
import { type AwsApp, awsApp } from "../aws-app.js";
import { type AwsTarget, emulatorDynamoDBClient, emulatorSqsClient } from "../emulators.js";
import { type DynamoDBFaultRates, injectDynamoDBFaults } from "./dynamodb-faults.js";
import { FaultLog } from "./fault-log.js";
import { faultSeed, seededRandom } from "./random.js";
import { injectSqsFaults, type SqsFaultRates } from "./sqs-faults.js";

/** What a fault suite runs under. */
export interface FaultEnvOptions {
  /** For the seed line and the figures. */
  suite: string;
  sqs?: SqsFaultRates;
  dynamodb?: DynamoDBFaultRates;
  queueOptions?: EnsureQueuesOptions;
  /** Receives the worker's log lines. @default silent */
  logLine?: (line: string) => void;
  /** Draws for the injectors. @default a generator seeded with the printed seed */
  random?: () => number;
  /** More app options (both apps). */
  app?: { queues?: string[] };
}

/**
 * A worker whose SDK clients inject faults, and a producer that sends and reads results
 * on clean clients. Both are apps of the same name (so the same queues and table); the
 * faults hit only the worker (the engine under test), whose SDK clients make one attempt
 * per request (`maxAttempts: 1`), so every fault reaches the engine's own recovery.
 */
export interface FaultEnv {
  seed: number;
  log: FaultLog;
  worker: AwsApp;
  producer: Celery;
  /** The producer's SQS client (no faults), for queue counts and test sends. */
  producerSqs: SQSClient;
  close(): Promise<void>;
}

export async function faultEnv(target: AwsTarget, options: FaultEnvOptions): Promise<FaultEnv> {
  const seed = faultSeed(options.suite);
  const random = options.random ?? seededRandom(seed);
  const log = new FaultLog();
  const worker = await awsApp(target, {
    prefix: "faults",
    clientOptions: { maxAttempts: 1 },
    configureSqs: (client) => {
      if (options.sqs) injectSqsFaults(client, options.sqs, random, log);
    },
    // installed even with no DynamoDB faults: it notes when terminal records land
    configureDynamoDB: (client) =>
      injectDynamoDBFaults(client, options.dynamodb ?? {}, random, log),
    ...(options.queueOptions ? { queueOptions: options.queueOptions } : {}),
    ...(options.app ? { app: options.app } : {}),
    ...(options.logLine ? { logLine: options.logLine } : {}),
  });
  const producerSqs = emulatorSqsClient(target.sqsEndpoint);
  const producerDynamoDB = emulatorDynamoDBClient(target.dynamodbEndpoint);
  const producer = new Celery(worker.app.name, {
    broker: "sqs://",
    backend: `dynamodb://${worker.app.name}-results`,
    sqsClient: producerSqs,
    dynamoDBClient: producerDynamoDB,
    ...options.app,
  });
  return {
    seed,
    log,
    worker,
    producer,
    producerSqs,
    close: async () => {
      await worker.close();
      await producer.close();
      producerSqs.destroy();
      producerDynamoDB.destroy();
    },
  };
}

/** Messages in the dead-letter queue of each of `app`'s routing keys. */
export async function deadLetters(app: Celery, client: SQSClient): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const key of app.queues) {
    const QueueName = `${app.name}-${key}-dlq`;
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName }));
    const out = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    counts[key] =
      Number(out.Attributes?.ApproximateNumberOfMessages ?? "0") +
      Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? "0");
  }
  return counts;
}

/** The figures of one suite, as one table line. */
export interface Figures {
  suite: string;
  seed: number;
  log: FaultLog;
  tasksRun: number;
  wrong: number;
  lost: number;
  bodiesTwice: number;
}

/**
 * One line: faults injected by kind, tasks run (task function calls), wrong and lost
 * results, chord bodies (and `once` tasks) run more than once, and the recovery time per
 * faulted record (see `FaultLog.recovery()`: first fault naming a task id → its terminal
 * write landing), p50 and max.
 */
export function figuresLine(f: Figures): string {
  const r = f.log.recovery();
  const ms = (v: number | undefined) => (v === undefined ? "-" : `${v} ms`);
  return [
    `[faults] ${f.suite.padEnd(22)}`,
    `seed ${f.seed}`,
    `faults ${f.log.total()} (${f.log.describeCounts()})`,
    `tasks run ${f.tasksRun}`,
    `wrong ${f.wrong}`,
    `lost ${f.lost}`,
    `bodies run twice ${f.bodiesTwice}`,
    `recovery p50 ${ms(r.p50Ms)} max ${ms(r.maxMs)} (${r.samples} records)`,
  ].join(" | ");
}
