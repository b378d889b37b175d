import { existsSync } from "node:fs";
import { Duration, RemovalPolicy, Token } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { DLQ_SUFFIX, MAX_QUEUE_NAME_LENGTH } from "../../runtime/adapters/sqs/queue-names.js";
import { appSettings, type CeleryAppInfo } from "./app-source.js";

/** Properties of {@link CeleriacService}. Durations are CDK `Duration`s unless noted. */
export interface CeleriacServiceProps {
  /**
   * The Celery app the tasks module exports: the construct takes its name, routing keys
   * (`app.queues`) and `resultExpires` from it, so they are said once. `appName`,
   * `routingKeys` and `resultExpires`, when also given, must agree with it (synth fails
   * naming each mismatch).
   * @default - none: give appName and routingKeys
   */
  readonly app?: CeleryAppInfo;
  /**
   * The Celery app's name (`new Celery(appName, …)`): queues are named
   * `${appName}-${routingKey}`, as the runtime's SQS broker names them.
   * 1 to 40 characters from `[A-Za-z0-9_-]`.
   * @default - `app.name`; required without `app`
   */
  readonly appName?: string;
  /**
   * The app's routing keys (`app.queues`): one queue, dead-letter queue and worker
   * function each. Characters from `[A-Za-z0-9_-]`, so that the queue name needs no
   * rewriting.
   * @default - `app.queues`; required without `app`
   */
  readonly routingKeys?: readonly string[];
  /**
   * A Lambda entry file that exports `handler` (like `handlers/worker.ts`), bundled with
   * esbuild. Give exactly one of `entry`, `tasksModule` and `code`.
   * @default - none
   */
  readonly entry?: string;
  /**
   * A module that exports the Celery app as `app` (importing it registers the tasks).
   * The construct writes a small entry file that imports it and exports
   * `createWorkerHandler({ app })` as `handler`, and bundles that.
   * @default - none
   */
  readonly tasksModule?: string;
  /**
   * Prebuilt worker code (handler `index.handler`) instead of bundling: for a bundle
   * built elsewhere, or `lambda.Code.fromInline(...)` in template-only tests.
   * @default - none
   */
  readonly code?: lambda.Code;
  /**
   * The module the generated entry imports `createWorkerHandler` from (only with
   * `tasksModule`).
   * @default - the `celeriac/lambda` entry of the package the construct comes from
   */
  readonly runtimeModule?: string;
  /**
   * The directory esbuild runs in; `entry` and `tasksModule` must be under it.
   * @default - the directory of the nearest lock file (NodejsFunction's default)
   */
  readonly projectRoot?: string;
  /**
   * The worker function's timeout, at most 15 minutes. Each queue's visibility timeout
   * is six times this plus `maxBatchingWindow`, as AWS recommends.
   * @default Duration.seconds(30)
   */
  readonly functionTimeout?: Duration;
  /**
   * The worker function's memory in MiB (128 to 10240).
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * Records per invocation (1 to 10, or up to 10,000 with a `maxBatchingWindow`).
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * How long Lambda gathers records before invoking (0 to 5 minutes).
   * @default - no batching window
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * The most concurrent invocations each queue's event source makes (2 to 1000).
   * @default - no limit but the account's
   */
  readonly maxConcurrency?: number;
  /**
   * Receives before a message moves to its dead-letter queue (1 to 1000).
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * Seconds a result lives, set as `CELERIAC_RESULT_EXPIRES` for apps that read it
   * (`resultExpires: Number(process.env.CELERIAC_RESULT_EXPIRES)`). The table's TTL
   * attribute `ttl` is enabled either way; the runtime sets it from the app's own
   * `resultExpires`.
   * @default - `app.resultExpires` with `app`; else not set
   */
  readonly resultExpires?: number;
  /**
   * The results table's name.
   * @default `${appName}-results`
   */
  readonly tableName?: string;
  /**
   * How results are stored: Celeriac's own layout, or `"celery"`, Celery's DynamoDB
   * backend layout (key attribute `id`), so Python `AsyncResult`s read them too. The
   * table's key and the functions' `CELERIAC_BACKEND` (`dynamodb://<table>?layout=celery`)
   * follow it.
   * @default "celeriac"
   */
  readonly resultLayout?: "celeriac" | "celery";
  /**
   * DynamoDB deletion protection on the results table.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Point-in-time recovery on the results table.
   * @default true
   */
  readonly pointInTimeRecovery?: boolean;
  /**
   * What happens to the table and the log groups when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Whether the SQS event source mappings are enabled. Set `false` on moto, which
   * cannot run Lambda code: a local worker consumes the queues instead.
   * @default true
   */
  readonly eventSourcesEnabled?: boolean;
  /**
   * The workers' runtime, Node.js 22 or newer.
   * @default - the newest fixed Node.js runtime aws-cdk-lib knows (`nodejs24.x` in 2.276),
   * which is also what cdk-nag's AwsSolutions-L1 asks for
   */
  readonly runtime?: lambda.Runtime;
  /**
   * The workers' processor architecture. arm64 costs less per GB-second on AWS; use
   * x86_64 where the functions run on an x86 host without emulation (LocalStack).
   * @default lambda.Architecture.ARM_64
   */
  readonly architecture?: lambda.Architecture;
  /**
   * How long the workers' log groups keep their events.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Extra environment variables for every worker.
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
}

/** The props with every default applied, as the construct uses them. */
export interface ResolvedProps {
  readonly appName: string;
  readonly routingKeys: readonly string[];
  readonly worker:
    | { readonly kind: "entry"; readonly entry: string }
    | { readonly kind: "tasksModule"; readonly tasksModule: string }
    | { readonly kind: "code"; readonly code: lambda.Code };
  readonly runtimeModule: string | undefined;
  readonly projectRoot: string | undefined;
  readonly functionTimeout: Duration;
  readonly memorySize: number;
  readonly batchSize: number;
  readonly maxBatchingWindow: Duration | undefined;
  readonly maxConcurrency: number | undefined;
  readonly maxReceiveCount: number;
  readonly resultExpires: number | undefined;
  readonly tableName: string;
  readonly resultLayout: "celeriac" | "celery";
  readonly deletionProtection: boolean;
  readonly pointInTimeRecovery: boolean;
  readonly removalPolicy: RemovalPolicy;
  readonly eventSourcesEnabled: boolean;
  readonly runtime: lambda.Runtime;
  readonly architecture: lambda.Architecture;
  readonly logRetention: logs.RetentionDays;
  readonly environment: Readonly<Record<string, string>>;
  /** Routing key → queue name. */
  readonly queueNames: ReadonlyMap<string, string>;
  /** The queues' visibility timeout: 6 × function timeout + batching window. */
  readonly visibilityTimeout: Duration;
}

/** Thrown by {@link CeleriacService} when its props are invalid; lists every problem. */
export class CeleriacServicePropsError extends Error {
  override name = "CeleriacServicePropsError";
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid CeleriacService props (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
}

const NAME_CHARS = /^[A-Za-z0-9_-]+$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const MAX_APP_NAME = 40;
const MIN_NODE_MAJOR = 22;

/** Seconds of `d`, or undefined when it is a token (checked by CloudFormation instead). */
function seconds(d: Duration | undefined): number | undefined {
  if (d === undefined || Token.isUnresolved(d.toString())) return undefined;
  return d.toSeconds();
}

function intIn(value: number | undefined, min: number, max: number): boolean {
  return (
    value === undefined ||
    Token.isUnresolved(value) ||
    (Number.isInteger(value) && value >= min && value <= max)
  );
}

/** The newest `nodejsNN.x` runtime in aws-cdk-lib (not the moving NODEJS_LATEST). */
export function newestNodeRuntime(): lambda.Runtime {
  const fixed = lambda.Runtime.ALL.filter((rt) => !rt.isVariable && /^nodejs\d+\.x$/.test(rt.name));
  return fixed.reduce((a, b) => ((nodeMajor(b) ?? 0) > (nodeMajor(a) ?? 0) ? b : a));
}

function nodeMajor(runtime: lambda.Runtime): number | undefined {
  const m = /^nodejs(\d+)/.exec(runtime.name);
  return m ? Number(m[1]) : undefined;
}

/**
 * Checks every prop and applies the defaults. Gathers all problems and throws one
 * {@link CeleriacServicePropsError} listing them.
 */
export function resolveProps(props: CeleriacServiceProps): ResolvedProps {
  const settings = appSettings(props);
  if (settings.problems.length > 0) throw new CeleriacServicePropsError(settings.problems);
  const problems: string[] = [];
  const { appName, resultExpires } = settings;

  if (typeof appName !== "string" || !NAME_CHARS.test(appName) || appName.length > MAX_APP_NAME) {
    problems.push(
      `appName '${appName}' must be 1 to ${MAX_APP_NAME} characters from [A-Za-z0-9_-], since it names the SQS queues`,
    );
  }

  const keys = settings.routingKeys;
  if (keys.length === 0) problems.push("routingKeys is empty; give at least one (e.g. ['celery'])");
  const seen = new Set<string>();
  const queueNames = new Map<string, string>();
  for (const key of keys) {
    if (seen.has(key)) problems.push(`routingKeys has '${key}' twice`);
    seen.add(key);
    const name = `${appName}-${key}`;
    if (!NAME_CHARS.test(key)) {
      problems.push(
        `routing key '${key}' must be characters from [A-Za-z0-9_-] (it names a queue)`,
      );
    } else if (name.length > MAX_QUEUE_NAME_LENGTH) {
      problems.push(
        `queue name '${name}' is longer than ${MAX_QUEUE_NAME_LENGTH} characters (SQS allows 80 with '${DLQ_SUFFIX}')`,
      );
    }
    queueNames.set(key, name);
  }

  const sources = (["entry", "tasksModule", "code"] as const).filter((k) => props[k] !== undefined);
  if (sources.length !== 1) {
    problems.push(
      sources.length === 0
        ? "give the worker code: entry (a file exporting handler), tasksModule (a module exporting app) or code"
        : `give only one of entry, tasksModule and code (got ${sources.join(", ")})`,
    );
  }
  for (const k of ["entry", "tasksModule", "runtimeModule"] as const) {
    const file = props[k];
    const isPath = file !== undefined && (k !== "runtimeModule" || /^[./]/.test(file));
    if (isPath && !existsSync(file)) problems.push(`${k} '${file}' does not exist`);
  }
  if (props.runtimeModule !== undefined && props.tasksModule === undefined) {
    problems.push("runtimeModule is only used with tasksModule");
  }

  const functionTimeout = props.functionTimeout ?? Duration.seconds(30);
  const timeoutS = seconds(functionTimeout);
  if (timeoutS !== undefined && !(timeoutS >= 1 && timeoutS <= 900)) {
    problems.push(`functionTimeout must be 1 to 900 seconds (Lambda's limit), got ${timeoutS} s`);
  }
  const memorySize = props.memorySize ?? 1024;
  if (!intIn(memorySize, 128, 10240)) {
    problems.push(`memorySize must be an integer from 128 to 10240 MiB, got ${memorySize}`);
  }

  const batchSize = props.batchSize ?? 10;
  const windowS = seconds(props.maxBatchingWindow);
  if (!intIn(batchSize, 1, 10000)) {
    problems.push(`batchSize must be an integer from 1 to 10000, got ${batchSize}`);
  } else if (batchSize > 10 && props.maxBatchingWindow === undefined) {
    problems.push(`batchSize ${batchSize} is over 10, which needs a maxBatchingWindow`);
  }
  if (windowS !== undefined && !(windowS >= 0 && windowS <= 300)) {
    problems.push(`maxBatchingWindow must be 0 to 300 seconds, got ${windowS} s`);
  }
  if (!intIn(props.maxConcurrency, 2, 1000)) {
    problems.push(`maxConcurrency must be an integer from 2 to 1000, got ${props.maxConcurrency}`);
  }
  const maxReceiveCount = props.maxReceiveCount ?? 5;
  if (!intIn(maxReceiveCount, 1, 1000)) {
    problems.push(`maxReceiveCount must be an integer from 1 to 1000, got ${maxReceiveCount}`);
  }
  if (resultExpires !== undefined && !(resultExpires > 0)) {
    problems.push(`resultExpires must be a number of seconds above 0, got ${resultExpires}`);
  }

  const tableName = props.tableName ?? `${appName}-results`;
  if (!Token.isUnresolved(tableName) && !TABLE_NAME.test(tableName)) {
    problems.push(`tableName '${tableName}' must be 3 to 255 characters from [A-Za-z0-9_.-]`);
  }

  const resultLayout = props.resultLayout ?? "celeriac";
  if (resultLayout !== "celeriac" && resultLayout !== "celery") {
    problems.push(
      `resultLayout must be "celeriac" or "celery", got ${JSON.stringify(resultLayout)}`,
    );
  }

  const runtime = props.runtime ?? newestNodeRuntime();
  const major = nodeMajor(runtime);
  if (major === undefined || major < MIN_NODE_MAJOR) {
    problems.push(`runtime must be Node.js ${MIN_NODE_MAJOR} or newer, got ${runtime.name}`);
  }

  if (problems.length > 0) throw new CeleriacServicePropsError(problems);

  const worker: ResolvedProps["worker"] =
    props.entry !== undefined
      ? { kind: "entry", entry: props.entry }
      : props.tasksModule !== undefined
        ? { kind: "tasksModule", tasksModule: props.tasksModule }
        : { kind: "code", code: props.code! };

  return {
    appName,
    routingKeys: [...keys],
    worker,
    runtimeModule: props.runtimeModule,
    projectRoot: props.projectRoot,
    functionTimeout,
    memorySize,
    batchSize,
    maxBatchingWindow: props.maxBatchingWindow,
    maxConcurrency: props.maxConcurrency,
    maxReceiveCount,
    resultExpires,
    tableName,
    resultLayout,
    deletionProtection: props.deletionProtection ?? true,
    pointInTimeRecovery: props.pointInTimeRecovery ?? true,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    eventSourcesEnabled: props.eventSourcesEnabled ?? true,
    runtime,
    architecture: props.architecture ?? lambda.Architecture.ARM_64,
    logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    environment: props.environment ?? {},
    queueNames,
    visibilityTimeout: Duration.seconds(
      6 * functionTimeout.toSeconds() + (props.maxBatchingWindow?.toSeconds() ?? 0),
    ),
  };
}
