/**
 * `npm run bench:latency`: one `add.delay(2, 2)` → `get()` round trip on fauxqs +
 * dynalite (in a child process), p50 and p99 over 200 calls, beside a raw SQS
 * send-then-receive round trip on the same endpoint, and the backend reads each `get()`
 * cost (its polling schedule). Target: Celeriac's p50 within 2x of the raw one. A third
 * row is the floor of any result round trip on this endpoint: the raw SQS trip plus one
 * conditional `PutItem` and one `GetItem` in series, with no engine at all. Then
 * where the time goes: each leg of the round trip (send, the worker's receive, its read,
 * the run, its write and delete, the caller's reads), as the median ms after `delay()`
 * was called (see `latency-legs.ts`). Prints the tables and, as its last line, one JSON
 * object.
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { Celery } from "../runtime/index.js";
import { startEmulatorProcess } from "./emulator-process.js";
import { createRawTable } from "./raw-paths.js";
import { LEGS, legsOf, medianLeg, type RoundTrip } from "./latency-legs.js";
import { table } from "./report.js";
import { Timeline } from "./timeline.js";

const CALLS = 200;
const TARGET = 2;
const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };
const REGION = "us-east-1";

/** The p-th percentile (0..100) of `ms`, nearest rank. */
function percentile(ms: readonly number[], p: number): number {
  const sorted = [...ms].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Times `CALLS` raw send → receive → delete round trips on one queue. */
async function rawRoundTrips(sqs: SQSClient): Promise<number[]> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "latency-raw" }));
  const out: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const started = performance.now();
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: String(i) }));
    for (;;) {
      const got = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }),
      );
      const m = got.Messages?.[0];
      if (!m) continue;
      out.push(performance.now() - started);
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
      break;
    }
  }
  return out;
}

/**
 * Times `CALLS` raw result round trips: send → receive → conditional `PutItem` of the
 * result → `GetItem` that sees it (the caller's one read), then the delete, untimed.
 * The least any engine that stores results in the table can do.
 */
async function rawResultRoundTrips(sqs: SQSClient, ddb: DynamoDBClient): Promise<number[]> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "latency-raw-result" }));
  await createRawTable(ddb, "latency-raw-result");
  const out: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const started = performance.now();
    const pk = `raw-${i}`;
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: pk }));
    for (;;) {
      const got = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }),
      );
      const m = got.Messages?.[0];
      if (!m) continue;
      await ddb.send(
        new PutItemCommand({
          TableName: "latency-raw-result",
          Item: { pk: { S: m.Body ?? pk }, status: { S: "SUCCESS" }, result: { S: "4" } },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      const read = await ddb.send(
        new GetItemCommand({
          TableName: "latency-raw-result",
          Key: { pk: { S: pk } },
          ConsistentRead: true,
        }),
      );
      if (!read.Item)
        throw new Error(`raw result round trip ${i}: the item just written is missing`);
      out.push(performance.now() - started);
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
      break;
    }
  }
  return out;
}

/**
 * Times `CALLS` `add.delay(2, 2)` → `get()` round trips; counts the caller's reads and
 * records every request of the three clients on a timeline.
 */
async function celeriacRoundTrips(sqsClient: SQSClient, endpoint: string) {
  const timeline = new Timeline();
  const callerDdb = new DynamoDBClient({ endpoint, region: REGION, credentials: CREDENTIALS });
  const workerDdb = new DynamoDBClient({ endpoint, region: REGION, credentials: CREDENTIALS });
  timeline.attach(sqsClient, "sqs");
  timeline.attach(workerDdb, "worker-ddb");
  timeline.attach(callerDdb, "caller-ddb");
  let reads = 0;
  callerDdb.middlewareStack.add(
    (next) => (args) => {
      reads++;
      return next(args);
    },
    { step: "initialize" },
  );
  const app = new Celery("lat", {
    broker: "sqs://",
    backend: "dynamodb://lat-results",
    sqsClient,
    dynamoDBClient: workerDdb,
    queues: ["celery"],
    resultExpires: 3600,
  });
  const caller = new Celery("lat-caller", {
    broker: "memory://",
    backend: "dynamodb://lat-results",
    dynamoDBClient: callerDdb,
  });
  await app.ensureResources();
  let ran = NaN;
  const add = app.task("lat.add", (x: number, y: number) => {
    ran = performance.now();
    return x + y;
  });
  const worker = app.worker({ concurrency: 4 });
  await worker.start();
  const trips: RoundTrip[] = [];
  timeline.on = true;
  for (let i = 0; i < CALLS; i++) {
    const started = performance.now();
    const res = await add.delay(2, 2);
    const sent = performance.now();
    await caller.asyncResult<number>(res.id).get({ timeout: 30 });
    trips.push({ started, sent, got: performance.now(), ran });
  }
  await worker.stop();
  timeline.on = false;
  callerDdb.destroy();
  workerDdb.destroy();
  return {
    ms: trips.map((t) => t.got - t.started),
    readsPerCall: reads / CALLS,
    legs: legsOf(trips, timeline.events),
  };
}

const emulators = await startEmulatorProcess();
const sqs = new SQSClient({
  endpoint: emulators.sqsEndpoint,
  region: REGION,
  credentials: CREDENTIALS,
  useQueueUrlAsEndpoint: false,
});
try {
  const raw = await rawRoundTrips(sqs);
  const floorDdb = new DynamoDBClient({
    endpoint: emulators.dynamodbEndpoint,
    region: REGION,
    credentials: CREDENTIALS,
  });
  const rawResult = await rawResultRoundTrips(sqs, floorDdb);
  floorDdb.destroy();
  const celeriac = await celeriacRoundTrips(sqs, emulators.dynamodbEndpoint);
  const rawP50 = percentile(raw, 50);
  const rows = [
    ["raw SQS: SendMessage → ReceiveMessage", raw, "-"],
    ["raw result: the same → PutItem → GetItem", rawResult, "1.00"],
    ["Celeriac: add.delay(2, 2) → get()", celeriac.ms, celeriac.readsPerCall.toFixed(2)],
  ] as const;
  console.log(`${CALLS} round trips each, one at a time, emulators in a child process`);
  console.log(
    table(
      ["round trip", "p50 (ms)", "p99 (ms)", "p50 vs raw", "get() reads per call"],
      rows.map(([name, ms, reads]) => [
        name,
        percentile(ms, 50).toFixed(1),
        percentile(ms, 99).toFixed(1),
        (percentile(ms, 50) / rawP50).toFixed(2),
        reads,
      ]),
    ),
  );
  const ratio = percentile(celeriac.ms, 50) / rawP50;
  const floor = percentile(rawResult, 50) / rawP50;
  console.log(
    `target: Celeriac p50 ≤ ${TARGET}x raw: ${ratio <= TARGET ? "met" : "NOT met"} (${ratio.toFixed(2)}x; ` +
      `the raw result floor alone is ${floor.toFixed(2)}x, Celeriac is ${(percentile(celeriac.ms, 50) / percentile(rawResult, 50)).toFixed(2)}x of it)`,
  );
  const legs = celeriac.legs;
  console.log(
    `\nWhere the time goes: median ms after delay() was called, over ${CALLS} round trips`,
  );
  console.log(
    table(
      ["leg", "ms", "what"],
      LEGS.map(([name, what]) => [name, medianLeg(legs, name).toFixed(2), what]),
      [0, 2],
    ),
  );
  const stored = medianLeg(legs, "worker: write ends (result stored)");
  const seen = medianLeg(legs, "get() resolves");
  console.log(
    `result stored → get() resolves: ${(seen - stored).toFixed(2)} ms (the polling's share); ` +
      `caller reads per call: median ${medianLeg(legs, "caller reads")}, mean ${celeriac.readsPerCall.toFixed(2)}`,
  );
  console.log(
    JSON.stringify({
      latency: {
        rawP50: rawP50,
        rawP99: percentile(raw, 99),
        rawResultP50: percentile(rawResult, 50),
        p50: percentile(celeriac.ms, 50),
        p99: percentile(celeriac.ms, 99),
        readsPerCall: celeriac.readsPerCall,
        storedP50: stored,
      },
    }),
  );
} finally {
  sqs.destroy();
  await emulators.stop();
}
