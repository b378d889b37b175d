import { Stack } from "aws-cdk-lib";
import type * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { QUEUE_URLS_ENV } from "../../runtime/adapters/sqs/queue-urls-env.js";
import { defaultProjectRoot, defaultRuntimeModule, writeWorkerEntry } from "./entry.js";
import { CeleriacFunction, type FunctionSource } from "./functions.js";
import { type CeleriacGrant, type CeleriacGrantee, grantTo } from "./grantee.js";
import {
  consumeStatement,
  sendStatement,
  TABLE_GROUP_SAVE_ACTIONS,
  TABLE_READ_ACTIONS,
  TABLE_WORKER_ACTIONS,
  tableStatement,
} from "./grants.js";
import { type CeleriacServiceProps, type ResolvedProps, resolveProps } from "./props.js";
import { RoutingKeyQueuesConstruct } from "./queues.js";
import { createResultsTable } from "./table.js";

/** Options of {@link CeleriacService.grantSend}. */
export interface GrantSendOptions {
  /**
   * Also allow saving a group's member ids (`dynamodb:PutItem`, `BatchWriteItem`): needed
   * by `GroupResult.save()` and by chords whose header ids were frozen beforehand.
   * @default false
   */
  readonly saveGroups?: boolean;
}

/**
 * Celery's tasks on SQS + Lambda + DynamoDB: per routing key a queue (with its
 * dead-letter queue and an alarm on it) feeding a worker function through an SQS event
 * source with partial batch responses, and one results table. Every worker may consume
 * only its own queue, send to the app's queues (chains and chords cross them) and use
 * the results table item by item.
 *
 * @example
 * const service = new CeleriacService(this, "Proj", {
 *   appName: "proj",
 *   routingKeys: ["celery", "lopri"],
 *   entry: "handlers/worker.ts",
 * });
 * service.grantSend(producerFn);        // env + sqs:SendMessage on the app's queues
 * service.grantResultRead(producerFn);  // env + dynamodb:GetItem/BatchGetItem
 */
export class CeleriacService extends Construct {
  /** Routing key → its queue. */
  readonly queues: Readonly<Record<string, sqs.Queue>>;
  /** Routing key → its dead-letter queue. */
  readonly deadLetterQueues: Readonly<Record<string, sqs.Queue>>;
  /** Routing key → the alarm raised when its dead-letter queue holds a message. */
  readonly deadLetterAlarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** Routing key → its worker function. */
  readonly workers: Readonly<Record<string, lambda.Function>>;
  /** The results table. */
  readonly table: dynamodb.Table;
  /** The props with their defaults applied. */
  readonly config: ResolvedProps;

  constructor(scope: Construct, id: string, props: CeleriacServiceProps) {
    super(scope, id);
    const config = resolveProps(props);
    this.config = config;

    this.table = createResultsTable(this, config);

    const queues: Record<string, sqs.Queue> = {};
    const deadLetterQueues: Record<string, sqs.Queue> = {};
    const deadLetterAlarms: Record<string, cloudwatch.Alarm> = {};
    for (const key of config.routingKeys) {
      const q = new RoutingKeyQueuesConstruct(this, `Queues-${key}`, key, config);
      queues[key] = q.queue;
      deadLetterQueues[key] = q.deadLetterQueue;
      deadLetterAlarms[key] = q.alarm;
    }
    this.queues = queues;
    this.deadLetterQueues = deadLetterQueues;
    this.deadLetterAlarms = deadLetterAlarms;

    const source = workerSource(config);
    const workers: Record<string, lambda.Function> = {};
    for (const key of config.routingKeys) {
      const queue = queues[key]!;
      const worker = new CeleriacFunction(this, `Worker-${key}`, {
        source,
        runtime: config.runtime,
        architecture: config.architecture,
        timeout: config.functionTimeout,
        memorySize: config.memorySize,
        description: `Celeriac worker of app '${config.appName}', routing key '${key}'`,
        logRetention: config.logRetention,
        removalPolicy: config.removalPolicy,
        environment: {
          ...this.producerEnvironment(),
          ...(config.resultExpires !== undefined
            ? { CELERIAC_RESULT_EXPIRES: String(config.resultExpires) }
            : {}),
          ...config.environment,
        },
      });
      const role = worker.role;
      role.addToPrincipalPolicy(consumeStatement(queue));
      role.addToPrincipalPolicy(sendStatement(Object.values(queues)));
      role.addToPrincipalPolicy(
        tableStatement("UseResultsTable", this.table, TABLE_WORKER_ACTIONS),
      );
      // The mapping is written out rather than through SqsEventSource, whose bind() also
      // grants sqs:GetQueueUrl; the CloudFormation resource is the same. It is a child of
      // the function, which depends on its role and policy, so the poller has its
      // permissions before the mapping is created.
      worker.fn.addEventSourceMapping("SqsEventSource", {
        eventSourceArn: queue.queueArn,
        batchSize: config.batchSize,
        reportBatchItemFailures: true,
        enabled: config.eventSourcesEnabled,
        ...(config.maxBatchingWindow ? { maxBatchingWindow: config.maxBatchingWindow } : {}),
        ...(config.maxConcurrency !== undefined ? { maxConcurrency: config.maxConcurrency } : {}),
      });
      workers[key] = worker.fn;
    }
    this.workers = workers;
  }

  /**
   * The environment the runtime reads to reach this app: `CELERIAC_BROKER=sqs://`,
   * `CELERIAC_BACKEND=dynamodb://<table>` and `CELERIAC_QUEUE_URLS` (routing key → URL).
   */
  producerEnvironment(): Record<string, string> {
    const urls = Object.fromEntries(Object.entries(this.queues).map(([k, q]) => [k, q.queueUrl]));
    return {
      CELERIAC_BROKER: "sqs://",
      CELERIAC_BACKEND: `dynamodb://${this.table.tableName}${this.config.resultLayout === "celery" ? "?layout=celery" : ""}`,
      [QUEUE_URLS_ENV]: Stack.of(this).toJsonString(urls),
    };
  }

  /**
   * Lets `grantee` send this app's tasks (`add.delay(...)`, chains, chords): allows
   * `sqs:SendMessage` (which also authorises `SendMessageBatch`) on every queue of the
   * app, and sets the environment of {@link producerEnvironment} on a Lambda function.
   * Any other `IGrantable` (a role of an ECS task, an EC2 instance, a Step Functions
   * state machine) gets the permissions; give its code the returned `environment`.
   *
   * @example
   * service.grantSend(producerFn);
   * const { environment } = service.grantSend(taskRole); // set it on the container
   */
  grantSend(grantee: CeleriacGrantee, options: GrantSendOptions = {}): CeleriacGrant {
    const statements = [sendStatement(Object.values(this.queues))];
    if (options.saveGroups) {
      statements.push(tableStatement("SaveGroups", this.table, TABLE_GROUP_SAVE_ACTIONS));
    }
    return grantTo(grantee, statements, this.producerEnvironment());
  }

  /**
   * Lets `grantee` read results (`AsyncResult.get`, `state`, `GroupResult.join`): allows
   * `dynamodb:GetItem` and `dynamodb:BatchGetItem` on the results table, and sets the
   * environment of {@link producerEnvironment} on a Lambda function (any other
   * `IGrantable` gets the permissions and the returned `environment`).
   *
   * @example
   * service.grantResultRead(producerFn);
   */
  grantResultRead(grantee: CeleriacGrantee): CeleriacGrant {
    const statements = [tableStatement("ReadResults", this.table, TABLE_READ_ACTIONS)];
    return grantTo(grantee, statements, this.producerEnvironment());
  }
}

/** The worker code, with a generated entry for `tasksModule`. */
function workerSource(config: ResolvedProps): FunctionSource {
  const w = config.worker;
  if (w.kind === "code") return { kind: "code", code: w.code };
  const projectRoot = config.projectRoot ?? defaultProjectRoot();
  if (w.kind === "entry") return { kind: "entry", entry: w.entry, projectRoot };
  const entry = writeWorkerEntry({
    tasksModule: w.tasksModule,
    runtimeModule: config.runtimeModule ?? defaultRuntimeModule(),
    projectRoot,
  });
  return { kind: "entry", entry, projectRoot };
}
