import { randomUUID } from "node:crypto";
import type { TaskRequest } from "../message/task-request.js";
import type { ResultBackend } from "../ports/result-backend.js";

/** A claim this run holds on a task id, and how to keep it or give it up. */
export interface HeldClaim {
  readonly key: string;
  readonly owner: string;
  /** Stops renewing the lease. */
  stopRenewing(): void;
  /** Gives the claim up (a conditional delete: only if this run still holds it). */
  release(): Promise<void>;
}

/**
 * The claim key of a request: its task id, or one of its own for each retry (the run
 * that asked to retry may still hold the first).
 */
export function claimKeyOf(req: TaskRequest): string {
  return req.retries === 0 ? req.id : `${req.id}:retry-${req.retries}`;
}

/**
 * Claims `req` for `leaseSeconds` in the name of `messageId`: the transport's id of the
 * message, the same on every redelivery of it, so that the message of a run that crashed
 * takes its claim back at once when it is delivered again, while any other copy of the
 * task is refused until the lease has passed. Resolves the held claim, or `undefined`
 * when another message holds it. While held, the lease is renewed every half lease, so a
 * run longer than the lease keeps it.
 */
export async function claimRequest(
  backend: ResultBackend,
  req: TaskRequest,
  messageId: string | undefined,
  leaseSeconds: number,
): Promise<HeldClaim | undefined> {
  const key = claimKeyOf(req);
  const owner = messageId ?? randomUUID();
  if (!(await backend.claim(key, owner, leaseSeconds))) return undefined;
  const timer = setInterval(() => {
    // A failed renewal is not fatal: the next one tries again, and the lease still runs.
    backend.claim(key, owner, leaseSeconds).catch(() => {});
  }, leaseSeconds * 500);
  timer.unref();
  return {
    key,
    owner,
    stopRenewing: () => clearInterval(timer),
    release: async () => {
      clearInterval(timer);
      await backend.releaseClaim(key, owner);
    },
  };
}
