import { AsyncLocalStorage } from "node:async_hooks";
import type { CurrentRequest } from "../canvas/canvas-app.js";

/** A task body's scope: open from the call of the body until its promise settles. */
interface BodyScope {
  readonly current: CurrentRequest;
  open: boolean;
}

const scope = new AsyncLocalStorage<BodyScope>();
/** Scopes whose body has not settled yet, in this process. */
let openScopes = 0;

/**
 * Runs `fn` as the body of task `current`: calls made inside it, until the promise it
 * returns settles, get `current` as their parent. A call made later (from a timer or a
 * promise the body left running) sees no task, whatever else runs in the process.
 *
 * While no body is open, the async context is switched off (`disable()`), so that the
 * process does not pay Node's async hooks on every promise it makes (on Node 20, each
 * AWS SDK request makes dozens) for a scope that no one can read.
 */
export function runInTaskScope<T>(current: CurrentRequest, fn: () => Promise<T>): Promise<T> {
  const body: BodyScope = { current, open: true };
  openScopes++;
  let settled: Promise<T>;
  try {
    settled = scope.run(body, fn);
  } catch (error) {
    close(body);
    throw error;
  }
  return settled.finally(() => close(body));
}

function close(body: BodyScope): void {
  body.open = false;
  openScopes--;
  if (openScopes === 0) scope.disable();
}

/** The task whose body is running in this async context, if any. */
export function currentTaskScope(): CurrentRequest | undefined {
  const body = scope.getStore();
  return body?.open === true ? body.current : undefined;
}
