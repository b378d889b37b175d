import { ConfigurationError, UnknownQueueError } from "../errors/usage-errors.js";

/** Where a route sends a task: a queue name, or `{ queue }`. */
export type RouteTarget = string | { queue: string };

/** A router function: the target for a task name, or undefined to try the next router. */
export type RouterFunction = (taskName: string) => RouteTarget | undefined;

/**
 * Celery's `task_routes`: a map from task names (exact, or globs like `proj.tasks.*`)
 * to queues, a router function, or a list of these tried in order.
 */
export type TaskRoutes =
  Record<string, RouteTarget> | RouterFunction | (Record<string, RouteTarget> | RouterFunction)[];

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*");
  return new RegExp(`^${escaped}$`);
}

function targetQueue(target: RouteTarget | undefined, where: string): string | undefined {
  if (target === undefined) return undefined;
  const queue = typeof target === "string" ? target : target?.queue;
  if (typeof queue !== "string" || queue.length === 0) {
    throw new ConfigurationError(
      `taskRoutes: ${where} must give a queue name or { queue }, got ${JSON.stringify(target)}.`,
    );
  }
  return queue;
}

/** Resolves task names to queues and checks that every queue is one the app declares. */
export class Router {
  private readonly routers: RouterFunction[];
  private readonly staticQueues = new Set<string>();

  constructor(
    routes: TaskRoutes | undefined,
    readonly defaultQueue: string,
    declared: readonly string[],
  ) {
    this.staticQueues.add(defaultQueue);
    for (const q of declared) this.staticQueues.add(q);
    const list = routes === undefined ? [] : Array.isArray(routes) ? routes : [routes];
    this.routers = list.map((r) => (typeof r === "function" ? r : this.fromMap(r)));
  }

  private fromMap(map: Record<string, RouteTarget>): RouterFunction {
    const entries = Object.entries(map).map(([pattern, target]) => {
      const queue = targetQueue(target, `'${pattern}'`)!;
      this.staticQueues.add(queue);
      return { match: pattern.includes("*") ? globToRegExp(pattern) : undefined, pattern, queue };
    });
    return (name) =>
      entries.find((e) => (e.match ? e.match.test(name) : e.pattern === name))?.queue;
  }

  /** Declares a queue (a task's own `queue` option). */
  declare(queue: string): void {
    this.staticQueues.add(queue);
  }

  /** Every queue the app declares: the default, routes, task options and `queues`. */
  get queues(): string[] {
    return [...this.staticQueues];
  }

  /** The queue for `taskName`: `explicit`, else the task's own, else the first matching route, else the default. */
  route(taskName: string, explicit: string | undefined, taskQueue: string | undefined): string {
    let queue = explicit ?? taskQueue;
    if (queue === undefined) {
      for (const router of this.routers) {
        queue = targetQueue(router(taskName), `the router for ${taskName}`);
        if (queue !== undefined) break;
      }
    }
    queue ??= this.defaultQueue;
    if (!this.staticQueues.has(queue)) {
      throw new UnknownQueueError(
        `Unknown queue '${queue}' for task ${taskName}: this app declares ${this.queues.map((q) => `'${q}'`).join(", ")}. ` +
          "Add it to the app's `queues` (or route a task to it in `taskRoutes`) so that it is provisioned.",
      );
    }
    return queue;
  }
}
