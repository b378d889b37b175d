import type { CanvasApp } from "../canvas/canvas-app.js";
import type { TaskRequest } from "../message/task-request.js";
import type { Broker } from "../ports/broker.js";
import type { Task } from "../task/task.js";

/** A line the worker logs: one per task it finishes, and one per problem. */
export interface WorkerLogEntry {
  level: "info" | "warn" | "error";
  message: string;
  task?: string;
  id?: string;
  state?: string;
  durationMs?: number;
  /** The error, as Celery writes it: `TypeError('…')`. */
  error?: string;
  /** Where the error was raised (its stack), for failures and retries. */
  traceback?: string;
}

/** What the worker core needs from an app. */
export interface WorkerHost extends CanvasApp {
  readonly broker: Broker;
  /** The app's queues (for workers that consume all of them). */
  readonly router: { readonly queues: string[] };
  /** The registered task, builtins included. */
  getTask(name: string): Task | undefined;
  /** Encodes, checks and publishes requests as they are (retries, re-parks). */
  sendRequests(requests: readonly TaskRequest[]): Promise<void>;
}
