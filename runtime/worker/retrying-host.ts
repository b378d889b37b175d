import type { Broker } from "../ports/broker.js";
import type { ResultBackend } from "../ports/result-backend.js";
import { retryTransient, type TransientRetryPolicy } from "./transient.js";
import type { WorkerHost } from "./worker-host.js";

/** Backend methods the worker calls while it runs a message; each is safe to repeat. */
const BACKEND_METHODS = [
  "get",
  "getMany",
  "storeTerminal",
  "storeProgress",
  "claim",
  "releaseClaim",
  "recordChordPart",
  "saveGroup",
  "restoreGroup",
] as const satisfies readonly (keyof ResultBackend)[];

/** Broker methods the worker calls while it runs a message; each is safe to repeat. */
const BROKER_METHODS = ["publish", "release"] as const satisfies readonly (keyof Broker)[];

/**
 * `target` with `methods` retried on transient errors. Every other member is the
 * target's own, its methods called on the target itself (not on a stand-in whose
 * prototype it is), so a port written with `#private` fields works through the view.
 */
function wrap<T extends object>(
  target: T,
  methods: readonly (keyof T)[],
  policy: TransientRetryPolicy,
): T {
  const members = new Map<PropertyKey, (...args: unknown[]) => Promise<unknown>>();
  for (const method of methods) {
    const original = target[method];
    if (typeof original !== "function") continue;
    const call = (original as (...args: unknown[]) => Promise<unknown>).bind(target);
    members.set(method, (...args: unknown[]) => retryTransient(() => call(...args), policy));
  }
  return new Proxy(target, {
    get(own, key) {
      const retried = members.get(key);
      if (retried !== undefined) return retried;
      const value: unknown = Reflect.get(own, key, own);
      return typeof value === "function" ? (value as () => unknown).bind(own) : value;
    },
  });
}

/**
 * The same app, seen through a backend and a broker that retry transient errors
 * (throttling, 5xx, timeouts, dropped connections) with jittered backoff until
 * `policy.deadline`: a fault of a moment costs milliseconds, not a redelivery. Everything
 * else about the app (its tasks, routes, `dispatch`) is the app's own.
 */
export function withTransientRetries(host: WorkerHost, policy: TransientRetryPolicy): WorkerHost {
  const view = Object.create(host) as WorkerHost & { backend: ResultBackend; broker: Broker };
  Object.defineProperty(view, "backend", { value: wrap(host.backend, BACKEND_METHODS, policy) });
  Object.defineProperty(view, "broker", { value: wrap(host.broker, BROKER_METHODS, policy) });
  return view;
}
