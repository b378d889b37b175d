import { encodeError } from "../errors/error-codec.js";
import { ResultTooLargeError } from "../errors/result-too-large.js";
import { SerializationError } from "../errors/serialization-error.js";
import { MaxRetriesExceededError, NotRegistered, TaskRevokedError } from "../errors/task-errors.js";
import type { TaskRequest } from "../message/task-request.js";
import type { ResultRef, TaskMeta, TerminalMeta } from "../ports/task-meta.js";
import { encodeResultValue } from "../results/result-ref.js";
import { isTerminal } from "../results/states.js";
import { decideRetry } from "../task/retry-policy.js";
import type { Task } from "../task/task.js";
import { requestInfo } from "../task/task-context.js";
import { DEFAULT_CLAIM_LEASE_SECONDS } from "../task/task-options.js";
import type { JsonValue } from "../types/json.js";
import { assertJson } from "../types/json-check.js";
import { resolveArgs } from "./by-reference.js";
import { claimRequest } from "./claims.js";
import type { RunReport } from "./run-report.js";
import { publishSuccessors } from "./successors.js";
import { runInTaskScope } from "./task-scope.js";
import { endedWithoutRunning, terminalMeta } from "./terminal-meta.js";
import type { WorkerHost } from "./worker-host.js";

/** How a message was delivered. */
export interface Delivery {
  /** 1 on first delivery; more means SQS delivered it again (a crash or a timeout before it was deleted). */
  receiveCount: number;
  /**
   * The transport's id of the message, the same on every redelivery of it: claims are
   * held in its name, so a crashed run's own message takes its claim back at once.
   */
  messageId?: string;
  /** How long a claim made for this delivery lasts; it is renewed while the task runs. */
  leaseSeconds?: number;
  /**
   * Terminal records whose write failed after the task ran, by claim key, kept for this
   * process: a redelivery stores the record instead of running the task again.
   */
  unsaved?: Map<string, TerminalMeta>;
  /** Told what the run came to, for the worker's log line. */
  report?: (report: RunReport) => void;
  /**
   * The task's record as read for the whole batch just before this run (`meta` absent:
   * unknown, PENDING); when this field is absent the run reads the record itself.
   */
  known?: { meta: TaskMeta | undefined };
}

/** What became of one message. */
export type Outcome =
  | "SUCCESS"
  | "FAILURE"
  | "REVOKED"
  | "RETRY"
  /** Not due yet, or claimed by another run: sent on again with a delay. */
  | "REPARKED"
  /** A copy of a message whose task already finished. */
  | "DUPLICATE";

/** An ETA less than this far ahead runs now rather than being re-parked. */
export const ETA_TOLERANCE_MS = 1000;

/** A request whose ETA is ahead: it is sent on with the remaining delay, unread. */
export function notDue(req: TaskRequest, now: number): req is TaskRequest & { eta: string } {
  return (
    typeof req.eta === "string" && req.eta !== "" && Date.parse(req.eta) - now > ETA_TOLERANCE_MS
  );
}

/** A message that may finish the work of a run that died: its successors may be owed. */
function isRedelivery(req: TaskRequest, delivery: Delivery): boolean {
  return delivery.receiveCount > 1 || req.redelivered === true;
}

/**
 * The one rule for a run that finds a terminal state it did not store: it publishes the
 * successors again when they may be owed, that is when the task was revoked (its later
 * steps and its chord must still hear of it) or when this message may be the redelivery
 * of a run that died between storing and publishing. Publishing is safe to repeat.
 */
function mayOweSuccessors(stored: TaskMeta, req: TaskRequest, delivery: Delivery): boolean {
  return stored.status === "REVOKED" || isRedelivery(req, delivery);
}

/** A request past its `expires`: revoked instead of run. */
function hasExpired(req: TaskRequest, now: number): boolean {
  return req.expires !== null && req.expires !== "" && Date.parse(req.expires) < now;
}

/** A task that must be claimed before it runs: a chord body, or a `once` task. */
function needsClaim(req: TaskRequest, task: Task): boolean {
  return req.claim || (task.options.once !== undefined && task.options.once !== false);
}

/**
 * Runs one task message to its terminal state, then publishes its successors. The steps,
 * in an order that matters:
 *
 * 1. not due yet: send it on with the remaining delay (no backend read);
 * 2. finished already: a duplicate, which re-publishes the successors only when it may
 *    be the redelivery of a run that died before publishing them, or the task was revoked;
 * 3. expired, or not registered here: stored as REVOKED or FAILURE without running;
 * 4. claimed (`once`, chord bodies): a copy whose claim another message holds is sent on
 *    to come back when the lease has passed, which uses up none of its receives;
 * 5. run, then store the terminal state (first write wins) and publish the successors.
 *
 * Each step needs only what the ones before it established: the ETA is read from the
 * message alone, so a parked message costs no read; the duplicate check comes before
 * expiry and the registry so that a finished task keeps its state, whatever this worker
 * knows; claiming comes last, as it is a write, and only for a task that will run.
 *
 * Throws only when the message must be delivered again (the backend stayed unreachable).
 */
export async function executeRequest(
  host: WorkerHost,
  req: TaskRequest,
  delivery: Delivery,
): Promise<Outcome> {
  const now = Date.now();
  // 1. Not due yet.
  if (notDue(req, now)) {
    await host.sendRequests([req]);
    delivery.report?.({ reparked: "not due", eta: req.eta });
    return "REPARKED";
  }
  // 2. Finished already.
  const existing = delivery.known ? delivery.known.meta : await host.backend.get(req.id);
  if (existing && isTerminal(existing.status)) {
    if (mayOweSuccessors(existing, req, delivery)) await publishSuccessors(host, req, existing);
    return existing.status === "REVOKED" ? "REVOKED" : "DUPLICATE";
  }
  // 3. Expired, or not registered here.
  if (hasExpired(req, now)) {
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
  // 4. Claimed: only the holder of the claim runs it.
  const claimed = needsClaim(req, task);
  // A claimed task stores its terminal state even with ignoreResult: only that record
  // stops a redelivery after the lease has run out from running it again.
  const ignoreResult = (req.ignoreResult || task.options.ignoreResult === true) && !claimed;
  if (!claimed) return runAndFinish(host, req, delivery, task, ignoreResult);

  const lease =
    typeof task.options.once === "object"
      ? task.options.once.leaseSeconds
      : (delivery.leaseSeconds ?? DEFAULT_CLAIM_LEASE_SECONDS);
  const claim = await claimRequest(host.backend, req, delivery.messageId, lease);
  if (!claim) {
    // Another message's run holds the claim. It may die, so this copy is not dropped: it
    // comes back as a fresh message once the lease has passed.
    const eta = new Date(Date.now() + Math.ceil(lease) * 1000).toISOString();
    await host.sendRequests([{ ...req, eta, redelivered: true }]);
    delivery.report?.({ reparked: "claimed", eta });
    return "REPARKED";
  }
  const ran = { value: false };
  try {
    const unsaved = delivery.unsaved?.get(claim.key);
    if (unsaved) {
      const outcome = await finish(host, req, delivery, unsaved, ignoreResult);
      delivery.unsaved?.delete(claim.key);
      return outcome;
    }
    return await runAndFinish(host, req, delivery, task, ignoreResult, claim.key, ran);
  } catch (error) {
    // Nothing ran yet: let the next delivery, of any copy, claim it at once. Once the
    // task has run, the claim stays: only this message may store what it computed.
    if (!ran.value) await claim.release().catch(() => {});
    throw error;
  } finally {
    claim.stopRenewing();
  }
}

/**
 * Runs the task and stores what it came to. When the store fails after the task ran, the
 * record is kept in `delivery.unsaved` under `claimKey` (claimed tasks only), so that a
 * redelivery of the message to this process stores it rather than running the task again.
 */
async function runAndFinish(
  host: WorkerHost,
  req: TaskRequest,
  delivery: Delivery,
  task: Task,
  ignoreResult: boolean,
  claimKey?: string,
  ran: { value: boolean } = { value: false },
): Promise<Outcome> {
  if (task.options.trackStarted && !ignoreResult) {
    await host.backend.storeProgress(progressMeta(req, "STARTED", { pid: process.pid }, null));
  }
  const spawned: ResultRef[] = [];
  let value: unknown;
  try {
    const args = await resolveArgs(host, req.args);
    ran.value = true;
    value = await runInTaskScope({ id: req.id, rootId: req.rootId, spawned }, () =>
      task.invoke(args, req.kwargs, requestInfo({ ...req, args })),
    );
  } catch (error) {
    if (!ran.value) throw error;
    return failOrRetry(host, req, delivery, task, error, spawned, ignoreResult);
  }
  let record: TerminalMeta;
  try {
    record = terminalMeta(req, "SUCCESS", toStoredValue(req, value), null, spawned);
  } catch (error) {
    record = failureRecord(req, error, spawned);
  }
  try {
    return await finish(host, req, delivery, record, ignoreResult);
  } catch (error) {
    if (claimKey !== undefined) delivery.unsaved?.set(claimKey, record);
    throw error;
  }
}

function failureRecord(req: TaskRequest, error: unknown, spawned: ResultRef[]): TerminalMeta {
  const { stored, traceback } = encodeError(error);
  return terminalMeta(req, "FAILURE", stored, traceback, spawned);
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
    const { stored, traceback } = encodeError(decision.exc);
    if (!ignoreResult) {
      await host.backend.storeProgress(progressMeta(req, "RETRY", stored, traceback));
    }
    const eta = new Date(Date.now() + decision.countdown * 1000).toISOString();
    await host.sendRequests([{ ...req, retries: req.retries + 1, eta }]);
    delivery.report?.({ retry: { error: stored, traceback, countdown: decision.countdown } });
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
  return finish(host, req, delivery, failureRecord(req, final, spawned), ignoreResult);
}

/**
 * Stores the terminal state (first write wins) and publishes successors when this run
 * won the write, or when this is a redelivery that may finish a crashed run's work. A
 * SUCCESS too large to store is stored as a FAILURE saying so: it would never fit.
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
  let record = full;
  let won = true;
  if (!ignoreResult) {
    try {
      won = await host.backend.storeTerminal(record);
    } catch (error) {
      if (!(error instanceof ResultTooLargeError) || record.status !== "SUCCESS") throw error;
      record = failureRecord(req, error, []);
      won = await host.backend.storeTerminal(record);
    }
  }
  if (won) {
    await publishSuccessors(host, req, record);
    delivery.report?.({ record });
    return record.status;
  }
  const stored = await host.backend.get(req.id);
  // A write retried after it had landed is refused by itself: it won all the same.
  const ours = stored?.status === record.status && stored.dateDone === record.dateDone;
  if (stored && (ours || mayOweSuccessors(stored, req, delivery)))
    await publishSuccessors(host, req, stored);
  if (ours) {
    delivery.report?.({ record });
    return record.status;
  }
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
