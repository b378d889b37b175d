/**
 * `npx tsx bench/recovery.ts`: what one transient failure of a record costs, with default
 * settings (queues made by `ensureResources()`, a local worker `app.worker()`) and the
 * SDK's retries off (`maxAttempts: 1`), on the in-process fauxqs + dynalite.
 *
 * - baseline: `add.delay()` → `get()` resolves, nothing injected;
 * - (a) throttled once: the task's terminal PutItem is throttled once (the handler's own
 *   retry with jittered backoff writes it);
 * - (b) released and redelivered: the task's terminal PutItem fails on every in-handler
 *   retry of the first delivery (until the worker logs that the message will be delivered
 *   again), so the record is released to come back in 1 s and the redelivery stores it.
 *
 * Each latency is the median of RUNS runs, from `delay()` to `get()` resolving (polling
 * every 20 ms). The target is under 10 s added by one transient failure.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { Celery } from "../runtime/index.js";
import { startLocalAws } from "../runtime/local/local-aws.js";
import { table } from "./report.js";
import { median } from "./stats.js";

const RUNS = 5;
const TARGET_MS = 10_000;
const WATCHDOG_MS = 240_000;

type Mode = "none" | "once" | "until-released";

/** What the injector does to the next task's terminal write. */
const fault = { mode: "none" as Mode, failed: 0 };

function throttling(): Error {
  return Object.assign(new Error("Rate of requests exceeds the allowed throughput."), {
    name: "ThrottlingException",
    $fault: "client",
    $metadata: { httpStatusCode: 400, attempts: 1 },
    $retryable: { throttling: true },
  });
}

function isTerminalPut(command: string | undefined, input: unknown): boolean {
  if (command !== "PutItemCommand") return false;
  const item = (input as { Item?: Record<string, { S?: string }> }).Item;
  return (
    (item?.pk?.S ?? "").startsWith("task#") &&
    ["SUCCESS", "FAILURE"].includes(item?.status?.S ?? "")
  );
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.error(`bench/recovery.ts: still running after ${WATCHDOG_MS} ms; stopped.`);
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();
  const aws = await startLocalAws();
  const common = {
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  };
  const sqsClient = new SQSClient({
    ...common,
    endpoint: aws.sqsEndpoint,
    useQueueUrlAsEndpoint: false,
  });
  const dynamoDBClient = new DynamoDBClient({ ...common, endpoint: aws.dynamodbEndpoint });
  dynamoDBClient.middlewareStack.add(
    (next, context) => async (args) => {
      if (fault.mode !== "none" && isTerminalPut(context.commandName, args.input)) {
        fault.failed++;
        if (fault.mode === "once") fault.mode = "none";
        throw throttling();
      }
      return next(args);
    },
    { step: "initialize", name: "benchRecoveryFault" },
  );
  const app = new Celery("bench-recovery", {
    broker: "sqs://",
    backend: "dynamodb://bench-recovery-results",
    sqsClient,
    dynamoDBClient,
  });
  const add = app.task("bench.add", (x: number, y: number) => x + y);
  await app.ensureResources();
  const worker = app.worker({
    logLine: (line) => {
      // the first delivery gave up: let the redelivery's write through
      if (fault.mode === "until-released" && line.includes("will be delivered again"))
        fault.mode = "none";
    },
  });
  await worker.start();

  const measure = async (mode: Mode): Promise<{ ms: number[]; failed: number }> => {
    const ms: number[] = [];
    let failed = 0;
    for (let i = 0; i < RUNS; i++) {
      fault.failed = 0;
      fault.mode = mode;
      const t0 = performance.now();
      const res = await add.delay(i, 1);
      const value = await res.get({ timeout: 60, interval: 0.02 });
      if (value !== i + 1) throw new Error(`bench.add(${i}, 1) gave ${value}`);
      ms.push(performance.now() - t0);
      failed += fault.failed;
      fault.mode = "none";
    }
    return { ms, failed };
  };

  await measure("none"); // warm-up: connections, queue URLs
  const baseline = await measure("none");
  const once = await measure("once");
  const released = await measure("until-released");
  await worker.stop();
  await app.close();
  sqsClient.destroy();
  dynamoDBClient.destroy();
  await aws.close();

  const base = median(baseline.ms);
  const row = (name: string, m: { ms: number[]; failed: number }): string[] => {
    const med = median(m.ms);
    return [
      name,
      String(m.failed / RUNS),
      med.toFixed(0),
      Math.max(...m.ms).toFixed(0),
      (med - base).toFixed(0),
      name === "baseline" ? "" : med - base < TARGET_MS ? "yes" : "NO",
    ];
  };
  console.log(
    `One transient failure of a record (fauxqs + dynalite, default queues, SDK retries off; median of ${RUNS} runs)\n`,
  );
  console.log(
    table(
      [
        "scenario",
        "writes failed/run",
        "median ms",
        "max ms",
        "added ms",
        `< ${TARGET_MS / 1000} s`,
      ],
      [
        row("baseline", baseline),
        row("(a) write throttled once", once),
        row("(b) released and redelivered", released),
      ],
    ),
  );
}

await main();
