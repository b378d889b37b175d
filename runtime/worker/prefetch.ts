import type { TaskRequest } from "../message/task-request.js";
import type { TaskMeta } from "../ports/task-meta.js";
import { notDue } from "./execute.js";
import type { WorkerHost, WorkerLogEntry } from "./worker-host.js";

/**
 * Reads the task states of a batch's requests in one batched read (`getMany`: one
 * `BatchGetItem` per 100 ids on DynamoDB) instead of one read per request, for the
 * "finished or revoked already?" check that starts every run. Requests that are not due
 * are left out, as their runs read nothing. Resolves `undefined` (each run then reads its
 * own record, as before) when fewer than two requests need a read, or when the batched
 * read failed after the host's own retries: a failure here must not fail the batch.
 *
 * The decisions are the same as with one read per run: the records are read at the
 * start of the batch, whose runs start together, and a record that becomes terminal
 * afterwards is caught by the first-wins terminal write, as a concurrent duplicate is.
 */
export async function prefetchStates(
  host: WorkerHost,
  requests: readonly TaskRequest[],
  log: (entry: WorkerLogEntry) => void,
): Promise<ReadonlyMap<string, TaskMeta> | undefined> {
  const now = Date.now();
  const ids = [...new Set(requests.filter((r) => !notDue(r, now)).map((r) => r.id))];
  if (ids.length < 2) return undefined;
  try {
    return await host.backend.getMany(ids);
  } catch (error) {
    log({
      level: "warn",
      message: `could not read the states of ${ids.length} tasks in one batch; each run reads its own`,
      error: (error as Error).message,
    });
    return undefined;
  }
}
