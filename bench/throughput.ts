/**
 * `npm run bench:throughput`: tasks per second on fauxqs + dynalite (started in a child
 * process, see `emulator-process.ts`) for raw SQS, raw task (`raw-paths.ts`) and Celeriac
 * (`app.sendMany` + `app.worker({ concurrency: 4 })` until every result is stored), run
 * side by side in one process after a warm-up of each. The paths are measured in
 * alternating rounds (each round in another order), and each path's figure is the median
 * of its rounds: a machine shared with other work changes speed from one run to the next,
 * and this way every path sees the same changes. Prints the table with ratios against
 * raw task (target: Celeriac within 0.85 of it) and, as its last line, one JSON object
 * with the figures.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { Celery } from "../runtime/index.js";
import { startEmulatorProcess } from "./emulator-process.js";
import { createRawTable, runRaw } from "./raw-paths.js";
import { num, table } from "./report.js";
import { median } from "./stats.js";

/** Tasks per measured run (`THROUGHPUT_TASKS`). */
const TASKS = Number(process.env.THROUGHPUT_TASKS ?? 4000);
/** Measured runs of each path, in alternating rounds (`THROUGHPUT_ROUNDS`). */
const ROUNDS = Math.max(1, Number(process.env.THROUGHPUT_ROUNDS ?? 3));
const WARM_UP = 400;
const CONSUMERS = 4;
/** Target for Celeriac / raw task. */
const TARGET = 0.85;
const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };
const REGION = "us-east-1";

/** One measured path: its name and tasks per second (the median of its rounds). */
export interface ThroughputRow {
  path: string;
  tasksPerSecond: number;
  /** Tasks per second of each round. */
  rounds: number[];
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
    await createRawTable(ddb, "raw-task");
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
    const rounds: number[][] = paths.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      // round r starts with path r (mod the number of paths): none is always first or last
      for (let k = 0; k < paths.length; k++) {
        const i = (round + k) % paths.length;
        const [, run] = paths[i] as (typeof paths)[number];
        const seconds = await run(TASKS, `run${round}`);
        rounds[i]?.push(TASKS / seconds);
      }
    }
    const rows: ThroughputRow[] = paths.map(([path], i) => ({
      path,
      tasksPerSecond: median(rounds[i] ?? []),
      rounds: rounds[i] ?? [],
    }));
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
    r.rounds.map((t) => t.toFixed(0)).join(" "),
    (r.tasksPerSecond / rawSqs).toFixed(2),
    (r.tasksPerSecond / rawTask).toFixed(2),
  ]);
  const celeriac = rows[2] ? rows[2].tasksPerSecond / rawTask : Number.NaN;
  return [
    `${num(TASKS)} tasks a run, ${ROUNDS} alternating rounds (median), ${CONSUMERS} consumers, emulators in a child process`,
    table(["path", "tasks/s", "rounds", "vs raw SQS", "vs raw task"], body),
    `target: Celeriac ≥ ${TARGET} of raw task: ${celeriac >= TARGET ? "met" : "NOT met"} (${celeriac.toFixed(2)})`,
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await runThroughput();
  console.log(JSON.stringify({ throughput: rows }));
}
