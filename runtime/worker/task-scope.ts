import { AsyncLocalStorage } from "node:async_hooks";
import type { CurrentRequest } from "../canvas/canvas-app.js";

const scope = new AsyncLocalStorage<CurrentRequest>();

/** Runs `fn` as the body of task `current`: calls made inside get it as their parent. */
export function runInTaskScope<T>(current: CurrentRequest, fn: () => Promise<T>): Promise<T> {
  return scope.run(current, fn);
}

/** The task whose body is running in this async context, if any. */
export function currentTaskScope(): CurrentRequest | undefined {
  return scope.getStore();
}
