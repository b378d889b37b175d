import { randomUUID } from "node:crypto";
import { encodeError } from "../errors/error-codec.js";
import { SerializationError } from "../errors/serialization-error.js";
import { MaxRetriesExceededError, NotRegistered, TaskRevokedError } from "../errors/task-errors.js";
import type { TaskRequest } from "../message/task-request.js";
import type { ResultRef, TaskMeta, TerminalMeta } from "../ports/task-meta.js";
import { encodeResultValue } from "../results/result-ref.js";
import { isTerminal } from "../results/states.js";
import { decideRetry } from "../task/retry-policy.js";
import type { Task } from "../task/task.js";
import { DEFAULT_CLAIM_LEASE_SECONDS } from "../task/task-options.js";
import type { JsonValue } from "../types/json.js";
import { assertJson } from "../types/json-check.js";
import { resolveArgs } from "./by-reference.js";
import { ClaimHeldError } from "./claim-held-error.js";
import { publishSuccessors } from "./successors.js";
import { runInTaskScope } from "./task-scope.js";
import { endedWithoutRunning, terminalMeta } from "./terminal-meta.js";
import type { WorkerHost } from "./worker-host.js";

/** How a message was delivered. */
export interface Delivery {
  /** 1 on first delivery; more means SQS delivered it again (a crash or a timeout before it was deleted). */
  receiveCount: number;
  /** How long a claim made for this delivery lasts: the run cannot outlive it (Lambda's remaining time). */
  leaseSeconds?: number;
}

/** What became of one message. */
export type Outcome =
  | "SUCCESS"
  | "FAILURE"
  | "REVOKED"
  | "RETRY"
  /** Not due yet: sent on again with the remaining delay. */
  | "REPARKED"
  /** A copy of a message whose task already finished or is running elsewhere. */
  | "DUPLICATE";

/** An ETA less than this far ahead runs now rather than being re-parked. */
const ETA_TOLERANCE_MS = 1000;

/**
 * Runs one task message to its terminal state, then publishes its successors. Throws
 * only when the message must be delivered again (an unreachable backend, a claim held
 * by a run that may have crashed); the caller then leaves it to the visibility timeout.
 */
export async function executeRequest(
  host: WorkerHost,
  req: TaskRequest,
  delivery: Delivery,
): Promise<Outcome> {
  const now = Date.now();
  if (req.eta && Date.parse(req.eta) - now > ETA_TOLERANCE_MS) {
    await host.sendRequests([req]);
    return "REPARKED";
  }
  const existing = await host.backend.get(req.id);
  if (existing && isTerminal(existing.status)) {
    // Only a redelivery (the first run may have died before publishing) or a revoke
    // (nobody has propagated it yet) needs the successors; a copy does not.
    if (existing.status === "REVOKED" || delivery.receiveCount > 1)
      await publishSuccessors(host, req, existing);
    return existing.status === "REVOKED" ? "REVOKED" : "DUPLICATE";
  }
  if (req.expires && Date.parse(req.expires) < now) {
    return finish(
      host,
      req,
      delivery,
      endedWithoutRunning(req, "REVOKED", new TaskRevokedError("expired", { taskId: req.id })),
      false,
    );
  }
  const task = host.getTask(req.task);
  if (!task) {
    const error = new NotRegistered(
      `Task '${req.task}' is not registered in app '${host.name}': the worker must import the module that defines it.`,
      { taskId: req.id },
    );
    return finish(host, req, delivery, endedWithoutRunning(req, "FAILURE", error), false);
  }
  const claimed = req.claim || (task.options.once !== undefined && task.options.once !== false);
  // A claimed task stores its terminal state even with ignoreResult: only that record
  // stops a redelivery after the lease has run out from running it again.
  const ignoreResult = (req.ignoreResult || task.options.ignoreResult === true) && !claimed;
  if (claimed) {
    const lease =
      typeof task.options.once === "object"
        ? task.options.once.leaseSeconds
        : (delivery.leaseSeconds ?? DEFAULT_CLAIM_LEASE_SECONDS);
    // Each retry claims afresh: the run that asked to retry may still hold its claim.
    const claimKey = req.retries === 0 ? req.id : `${req.id}:retry-${req.retries}`;
    if (!(await host.backend.claim(claimKey, randomUUID(), lease))) {
      if (delivery.receiveCount > 1) throw new ClaimHeldError(req.id);
      return "DUPLICATE";
    }
  }
  if (task.options.trackStarted && !ignoreResult) {
    await host.backend.storeProgress(progressMeta(req, "STARTED", { pid: process.pid }, null));
  }
  const spawned: ResultRef[] = [];
  let value: unknown;
  try {
    const args = await resolveArgs(host, req.args);
    value = await runInTaskScope({ id: req.id, rootId: req.rootId, spawned }, () =>
      task.invoke(args, req.kwargs, {
        id: req.id,
        task: req.task,
        args,
        kwargs: req.kwargs,
        retries: req.retries,
        rootId: req.rootId,
        parentId: req.parentId,
        groupId: req.groupId,
        groupIndex: req.groupIndex,
        calledDirectly: false,
      }),
    );
  } catch (error) {
    return failOrRetry(host, req, delivery, task, error, spawned, ignoreResult);
  }
  let stored: JsonValue;
  try {
    stored = toStoredValue(req, value);
  } catch (error) {
    const { stored: failure, traceback } = encodeError(error);
    return finish(
      host,
      req,
      delivery,
      terminalMeta(req, "FAILURE", failure, traceback, spawned),
      ignoreResult,
    );
  }
  return finish(
    host,
    req,
    delivery,
    terminalMeta(req, "SUCCESS", stored, null, spawned),
    ignoreResult,
  );
}

async function failOrRetry(
  host: WorkerHost,
  req: TaskRequest,
  delivery: Delivery,
  task: Task,
  error: unknown,
  spawned: ResultRef[],
  ignoreResult: boolean,
): Promise<Outcome> {
  const decision = decideRetry(task.options, req.retries, error);
  if (decision?.retry) {
    if (!ignoreResult) {
      const { stored, traceback } = encodeError(decision.exc);
      await host.backend.storeProgress(progressMeta(req, "RETRY", stored, traceback));
    }
    const eta = new Date(Date.now() + decision.countdown * 1000).toISOString();
    await host.sendRequests([{ ...req, retries: req.retries + 1, eta }]);
    return "RETRY";
  }
  const final =
    decision && !decision.retry
      ? (decision.error ??
        new MaxRetriesExceededError(
          `Can't retry ${req.task}[${req.id}] args:${JSON.stringify(req.args)} kwargs:${JSON.stringify(req.kwargs)}`,
          { taskId: req.id },
        ))
      : error;
  const { stored, traceback } = encodeError(final);
  return finish(
    host,
    req,
    delivery,
    terminalMeta(req, "FAILURE", stored, traceback, spawned),
    ignoreResult,
  );
}

/**
 * Stores the terminal state (first write wins) and publishes successors when this run
 * won the write, or when this is a redelivery that may finish a crashed run's work.
 */
async function finish(
  host: WorkerHost,
  req: TaskRequest,
  delivery: Delivery,
  full: TerminalMeta,
  ignoreResult: boolean,
): Promise<Outcome> {
  if (ignoreResult && hasSuccessors(req)) {
    // Nothing is stored, so a revoke that came while it ran is seen only by reading.
    const revoked = await host.backend.get(req.id);
    if (revoked?.status === "REVOKED") {
      await publishSuccessors(host, req, revoked);
      return "REVOKED";
    }
  }
  const won = ignoreResult ? true : await host.backend.storeTerminal(full);
  if (won) {
    await publishSuccessors(host, req, full);
    return full.status;
  }
  const stored = await host.backend.get(req.id);
  if (stored && (stored.status === "REVOKED" || delivery.receiveCount > 1))
    await publishSuccessors(host, req, stored);
  return stored?.status === "REVOKED" ? "REVOKED" : "DUPLICATE";
}

function hasSuccessors(req: TaskRequest): boolean {
  return req.callbacks.length > 0 || req.chain.length > 0 || req.chord !== null;
}

function progressMeta(
  req: TaskRequest,
  status: "STARTED" | "RETRY",
  result: TaskMeta["result"],
  traceback: string | null,
): TaskMeta {
  return {
    taskId: req.id,
    status,
    result,
    traceback,
    children: [],
    dateDone: null,
    name: req.task,
    retries: req.retries,
    ...(req.parentId ? { parentId: req.parentId } : {}),
    ...(req.groupId ? { groupId: req.groupId } : {}),
  };
}

function toStoredValue(req: TaskRequest, value: unknown): JsonValue {
  const encoded = encodeResultValue(value);
  if (encoded === undefined) return null;
  try {
    assertJson(encoded, `The return value of ${req.task}[${req.id}]`);
  } catch (e) {
    throw new SerializationError((e as Error).message, { taskId: req.id });
  }
  return encoded as JsonValue;
}
