/**
 * `npm run bench:throughput`: tasks per second on fauxqs + dynalite (started in a child
 * process, see `emulator-process.ts`) for raw SQS, raw task (`raw-paths.ts`) and Celeriac
 * (`app.sendMany` + `app.worker({ concurrency: 4 })` until every result is stored), run
 * side by side in one process after a warm-up of each. Prints the table with ratios
 * against raw task (target: Celeriac within 0.85 of it) and, as its last line, one JSON
 * object with the figures.
 */
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { Celery } from "../runtime/index.js";
import { startEmulatorProcess } from "./emulator-process.js";
import { runRaw } from "./raw-paths.js";
import { num, table } from "./report.js";

/** Tasks per measured run (`THROUGHPUT_TASKS`). */
const TASKS = Number(process.env.THROUGHPUT_TASKS ?? 4000);
const WARM_UP = 400;
const CONSUMERS = 4;
/** Target for Celeriac / raw task. */
const TARGET = 0.85;
const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };
const REGION = "us-east-1";

/** One measured path: its name and tasks per second. */
export interface ThroughputRow {
  path: string;
  tasksPerSecond: number;
}

/** Celeriac's run: sends `count` adds with `sendMany`; resolves seconds until all are stored. */
async function runCeleriac(sqsClient: SQSClient, ddb: DynamoDBClient, count: number) {
  const app = new Celery("tp", {
    broker: "sqs://",
    backend: "dynamodb://tp-results",
    sqsClient,
    dynamoDBClient: ddb,
    queues: ["celery"],
    resultExpires: 3600,
  });
  await app.ensureResources();
  const add = app.task("tp.add", (x: number, y: number) => x + y);
  let stored = 0;
  let allStored: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    allStored = resolve;
  });
  // One log line per task, written after its terminal state was stored.
  const worker = app.worker({
    concurrency: CONSUMERS,
    logLine: (line) => {
      if (line.includes('"SUCCESS"') && ++stored >= count) allStored();
    },
  });
  await worker.start();
  const started = performance.now();
  await app.sendMany(Array.from({ length: count }, (_, i) => add.s(i, i)));
  await done;
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  return seconds;
}

/** Runs the three paths on one pair of emulators; prints the table; resolves the rows. */
export async function runThroughput(): Promise<ThroughputRow[]> {
  const emulators = await startEmulatorProcess();
  console.error(`emulators: ${emulators.sqsEndpoint} ${emulators.dynamodbEndpoint}`);
  const sqs = new SQSClient({
    endpoint: emulators.sqsEndpoint,
    region: REGION,
    credentials: CREDENTIALS,
    useQueueUrlAsEndpoint: false,
  });
  const ddb = new DynamoDBClient({
    endpoint: emulators.dynamodbEndpoint,
    region: REGION,
    credentials: CREDENTIALS,
  });
  try {
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: "raw-bench" }));
    const queueUrl = queue.QueueUrl as string;
    await ddb.send(
      new CreateTableCommand({
        TableName: "raw-task",
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    const rawSqs = { sqs, queueUrl, consumers: CONSUMERS };
    const rawTask = { ...rawSqs, ddb: { client: ddb, table: "raw-task" } };
    const paths: [string, (n: number, tag: string) => Promise<number>][] = [
      ["raw SQS: send 10 / receive 10 / delete 10", (n, tag) => runRaw(rawSqs, n, tag)],
      [
        "raw task: the same + 1 conditional PutItem per message",
        (n, tag) => runRaw(rawTask, n, tag),
      ],
      [
        "Celeriac: sendMany + app.worker({ concurrency: 4 }) until every result is stored",
        (n) => runCeleriac(sqs, ddb, n),
      ],
    ];
    for (const [path, run] of paths) {
      await run(WARM_UP, "warm");
      console.error(`warmed up: ${path}`);
    }
    const rows: ThroughputRow[] = [];
    for (const [path, run] of paths) {
      const seconds = await run(TASKS, "run");
      rows.push({ path, tasksPerSecond: TASKS / seconds });
    }
    console.log(throughputTable(rows));
    return rows;
  } catch (error) {
    console.error(error);
    throw error;
  } finally {
    sqs.destroy();
    ddb.destroy();
    await emulators.stop();
  }
}

/** The throughput table as text, with ratios against raw SQS and raw task. */
export function throughputTable(rows: readonly ThroughputRow[]): string {
  const rawSqs = rows[0]?.tasksPerSecond ?? Number.NaN;
  const rawTask = rows[1]?.tasksPerSecond ?? Number.NaN;
  const body = rows.map((r) => [
    r.path,
    num(r.tasksPerSecond, 0),
    (r.tasksPerSecond / rawSqs).toFixed(2),
    (r.tasksPerSecond / rawTask).toFixed(2),
  ]);
  const celeriac = rows[2] ? rows[2].tasksPerSecond / rawTask : Number.NaN;
  return [
    `${num(TASKS)} tasks, ${CONSUMERS} consumers, emulators in a child process`,
    table(["path", "tasks/s", "vs raw SQS", "vs raw task"], body),
    `target: Celeriac ≥ ${TARGET} of raw task: ${celeriac >= TARGET ? "met" : "NOT met"} (${celeriac.toFixed(2)})`,
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await runThroughput();
  console.log(JSON.stringify({ throughput: rows }));
}
