import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { CurrentRequest } from "../canvas/canvas-app.js";
// Chain, group and chord wired into Signature: any app sends and reads every kind.
import "../canvas/kinds.js";
import { setCurrentApp } from "../canvas/current-app.js";
import { emptyCall, Plan } from "../canvas/plan.js";
import type { CallOptions } from "../canvas/options.js";
import { type AnySignature, type HandleOf, Signature } from "../canvas/signature.js";
import { type SignatureByName, signatureByName } from "../canvas/signature-function.js";
import { ConfigurationError } from "../errors/usage-errors.js";
import type { TaskRequest } from "../message/task-request.js";
import type { Broker } from "../ports/broker.js";
import type { ResultBackend } from "../ports/result-backend.js";
import { AsyncResult, type ResultHandle } from "../results/async-result.js";
import { GroupResult } from "../results/group-result.js";
import type { ErrorClass } from "../results/result-context.js";
import type { JsonParamsCheck } from "../types/json-params.js";
import { createTask, type Task, type TaskFunction } from "../task/task.js";
import { requestInfo, type TaskContext } from "../task/task-context.js";
import type { TaskOptions } from "../task/task-options.js";
import { timeAfter } from "../types/durations.js";
import type { JsonObject } from "../types/json.js";
import { registerBuiltins } from "../worker/builtins.js";
import { LocalWorker, type LocalWorkerOptions } from "../worker/local-worker.js";
import { currentTaskScope, runInTaskScope } from "../worker/task-scope.js";
import type { WorkerHost } from "../worker/worker-host.js";
import { toOutgoing } from "./outgoing.js";
import { Router, type TaskRoutes } from "./routing.js";
import { createBackend, createBroker } from "./transports.js";
import { Wire, type WireOptions } from "./wire.js";

/**
 * Options of `new Celery(name, options)`. Durations are in seconds. `protocol` and
 * `queueProtocols` (from `WireOptions`) choose Celeriac's or Celery's message format.
 */
export interface CeleryOptions extends WireOptions {
  /** `memory://` (embedded), `sqs://`, or a Broker instance. @default "memory://" */
  broker?: string | Broker;
  /** `memory://`, `dynamodb://<table>`, or a ResultBackend instance. @default "memory://" */
  backend?: string | ResultBackend;
  /** Seconds a result lives; on DynamoDB through its TTL attribute. @default forever */
  resultExpires?: number;
  /** Celery's `task_routes`. */
  taskRoutes?: TaskRoutes;
  /** The queue of tasks with no route. @default "celery" */
  defaultQueue?: string;
  /** More queues (routing keys) to provision besides the default and the routed ones. */
  queues?: string[];
  /** Error classes to rebuild task failures as (besides the built-in ones). */
  errors?: ErrorClass[];
  /** An AWS SDK v3 SQSClient, used as given (middleware included). */
  sqsClient?: SQSClient;
  /** An AWS SDK v3 DynamoDBClient, used as given (middleware included). */
  dynamoDBClient?: DynamoDBClient;
}

/**
 * A Celeriac application: the task registry, the configuration, and the way to the
 * broker and the result backend. Creating one makes it the current app.
 *
 * @example
 * const app = new Celery("proj", { broker: "memory://", backend: "memory://" });
 * const add = app.task("proj.tasks.add", (x: number, y: number) => x + y);
 */
export class Celery implements WorkerHost {
  readonly name: string;
  readonly broker: Broker;
  readonly backend: ResultBackend;
  readonly errorClasses: ReadonlyMap<string, ErrorClass>;
  readonly router: Router;
  readonly resultExpires: number | undefined;
  /** Writes each message in its queue's protocol (Celeriac's, or Celery's for Python workers). */
  readonly wire: Wire;
  private readonly registry = new Map<string, Task>();

  constructor(name: string, options: CeleryOptions = {}) {
    if (typeof name !== "string" || name.length === 0)
      throw new ConfigurationError("new Celery(name): name must be a non-empty string.");
    this.name = name;
    this.resultExpires = options.resultExpires;
    if (options.resultExpires !== undefined && !(options.resultExpires > 0)) {
      throw new ConfigurationError(
        `resultExpires must be a number of seconds above 0, got ${options.resultExpires}.`,
      );
    }
    const transport = {
      appName: name,
      resultExpires: options.resultExpires,
      sqsClient: options.sqsClient,
      dynamoDBClient: options.dynamoDBClient,
    };
    const broker = options.broker ?? "memory://";
    const backend = options.backend ?? "memory://";
    this.broker = typeof broker === "string" ? createBroker(broker, transport) : broker;
    this.backend = typeof backend === "string" ? createBackend(backend, transport) : backend;
    this.router = new Router(
      options.taskRoutes,
      options.defaultQueue ?? "celery",
      options.queues ?? [],
    );
    this.wire = new Wire(options, this.broker);
    this.errorClasses = new Map((options.errors ?? []).map((cls) => [cls.name, cls]));
    registerBuiltins(this);
    setCurrentApp(this);
  }

  /** Makes this the app that bare `signature()` uses. */
  setAsCurrent(): this {
    setCurrentApp(this);
    return this;
  }

  /**
   * Registers a task. Its parameter and return types are inferred from `fn`:
   * `add.delay(2, "2")` does not compile when `add` takes numbers.
   */
  task<F extends TaskFunction>(
    name: string,
    fn: F & JsonParamsCheck<F>,
    options: TaskOptions = {},
  ): Task<Parameters<F>, Awaited<ReturnType<F>>, ReturnType<F>> {
    if (typeof name !== "string" || name.length === 0)
      throw new ConfigurationError("app.task(name, fn): name must be a non-empty string.");
    if (typeof fn !== "function")
      throw new ConfigurationError(`app.task('${name}', fn): fn must be a function.`);
    if (options.queue) this.router.declare(options.queue);
    for (const key of ["defaultRetryDelay", "retryBackoffMax"] as const)
      if (options[key] !== undefined) timeAfter(options[key], `app.task('${name}')`, key);
    if (this.registry.has(name)) {
      throw new ConfigurationError(
        `app.task('${name}'): a task named '${name}' is registered in app '${this.name}' already. ` +
          "Register each name once; a second function under the same name would run in some workers and not others.",
      );
    }
    const task = createTask(this, name, fn, options);
    this.registry.set(name, task as unknown as Task);
    return task;
  }

  /** Registered tasks by name (builtins included). */
  get tasks(): ReadonlyMap<string, Task> {
    return this.registry;
  }

  getTask(name: string): Task | undefined {
    return this.registry.get(name);
  }

  ignoresResult(taskName: string): boolean {
    const options = this.registry.get(taskName)?.options;
    return options?.ignoreResult === true && (options.once === undefined || options.once === false);
  }

  /** The queues (routing keys) this app sends to. */
  get queues(): string[] {
    return this.router.queues;
  }

  /** A signature of task `name` bound to this app (the task need not be registered here). */
  signature(name: string, init: SignatureByName = {}): Signature {
    return signatureByName(name, init, this);
  }

  /**
   * Sends task `name` by name, as Celery's `send_task`: for a task that only another
   * worker (a Python Celery worker, with `queueProtocols: { <queue>: "celery" }`) knows.
   * Routed by `taskRoutes` or `options.queue`.
   *
   * @example
   * const res = await app.sendTask<number>("proj.tasks.add", [2, 2], {}, { queue: "py" });
   */
  sendTask<T = unknown>(
    name: string,
    args: unknown[] = [],
    kwargs: JsonObject = {},
    options: CallOptions<AnySignature> = {},
  ): Promise<AsyncResult<T>> {
    return this.signature(name, { args, kwargs }).applyAsync([], {}, options) as Promise<
      AsyncResult<T>
    >;
  }

  /**
   * Sends many independent signatures in one go: every message is checked first, then
   * they are published in batches (10 per SQS request), which is the cheapest way to
   * send plain tasks in bulk. Resolves their result handles in the same order.
   *
   * @example
   * const results = await app.sendMany(pairs.map(([x, y]) => add.s(x, y)));
   */
  async sendMany<S extends AnySignature[]>(
    signatures: [...S],
  ): Promise<{ [K in keyof S]: HandleOf<S[K]> }> {
    const plan = new Plan();
    const results = signatures.map((sig, i) => {
      if (!(sig instanceof Signature))
        throw new ConfigurationError(`sendMany(): item ${i} is not a signature.`);
      return sig.clone().planInto(plan, emptyCall(), {}, this);
    });
    await this.dispatch(plan);
    const current = currentTaskScope();
    if (current) for (const r of results) current.spawned.push(r.toRef());
    return results as { [K in keyof S]: HandleOf<S[K]> };
  }

  /** A handle on task `id`'s result; an unknown id reads as PENDING. */
  asyncResult<T = unknown>(id: string): AsyncResult<T> {
    return new AsyncResult<T>(id, this);
  }

  /** Restores a group saved with `GroupResult.save()`; undefined when none was saved. */
  async groupResult<T extends unknown[] = unknown[]>(
    id: string,
  ): Promise<GroupResult<T> | undefined> {
    const ids = await this.backend.restoreGroup(id);
    return ids
      ? new GroupResult<T>(
          id,
          ids.map((i) => new AsyncResult(i, this)),
          this,
        )
      : undefined;
  }

  /**
   * Creates the app's queues (each with a dead-letter queue and a redrive policy) and
   * its results table at the configured endpoint (LocalStack, moto, the emulators).
   * Idempotent. In AWS the CDK app owns these resources.
   */
  async ensureResources(): Promise<void> {
    await this.broker.ensureResources?.(this.queues);
    await this.backend.ensureResources?.();
  }

  /** A worker that consumes this app's queues in this process. */
  worker(options: LocalWorkerOptions = {}): LocalWorker {
    return new LocalWorker(this, options);
  }

  /** Closes the broker and the backend. */
  async close(): Promise<void> {
    await this.broker.close();
    await this.backend.close();
  }

  routeFor(taskName: string, queue: string | undefined): string {
    return this.router.route(taskName, queue, this.registry.get(taskName)?.options.queue);
  }

  async dispatch(plan: Plan, spawned?: ResultHandle): Promise<void> {
    const messages = plan.requests.map((r) => toOutgoing(r, this.broker, Date.now(), this.wire));
    for (const g of plan.groups) await this.backend.saveGroup(g.groupId, g.ids);
    if (messages.length > 0) await this.broker.publish(messages);
    const current = currentTaskScope();
    if (spawned && current) current.spawned.push(spawned.toRef());
  }

  async sendRequests(requests: readonly TaskRequest[]): Promise<void> {
    const messages = requests.map((r) => toOutgoing(r, this.broker, Date.now(), this.wire));
    if (messages.length > 0) await this.broker.publish(messages);
  }

  currentRequest(): CurrentRequest | undefined {
    return currentTaskScope();
  }

  async runEager(
    taskName: string,
    args: unknown[],
    kwargs: Record<string, unknown>,
    taskId: string,
  ): Promise<unknown> {
    const task = this.registry.get(taskName);
    if (!task)
      throw new ConfigurationError(
        `Task '${taskName}' is not registered in app '${this.name}', so it cannot run eagerly.`,
      );
    const current = currentTaskScope();
    const scope: CurrentRequest = { id: taskId, rootId: current?.rootId ?? taskId, spawned: [] };
    return runInTaskScope(scope, () =>
      task.invoke(
        args,
        kwargs as JsonObject,
        requestInfo({
          id: taskId,
          task: taskName,
          args,
          kwargs: kwargs as JsonObject,
          rootId: scope.rootId,
          parentId: current?.id ?? null,
        }),
      ),
    );
  }
}

export type { TaskContext };
