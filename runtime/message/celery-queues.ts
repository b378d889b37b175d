import type { SignatureJSON } from "../canvas/signature-json.js";
import { isPlainObject, type JsonObject, type JsonValue } from "../types/json.js";

/**
 * Rewrites the `queue` option of a signature in Celery's dict form, and of every
 * signature inside it (link, link_error, chord, a chain's or group's tasks, a chord's
 * header and body), with `rename`. Celeriac names queues by routing key (`py`); Celery
 * names them by their SQS queue name (`proj-py`): signatures that cross the boundary
 * are translated both ways. A name `rename` returns `undefined` for stays as it is.
 */
export function renameQueues(
  sig: SignatureJSON,
  rename: (queue: string) => string | undefined,
): SignatureJSON {
  return walk(sig as unknown as JsonValue, rename) as unknown as SignatureJSON;
}

function walk(value: JsonValue, rename: (queue: string) => string | undefined): JsonValue {
  if (!isPlainObject(value) || typeof value.task !== "string") return value;
  const sig = value as JsonObject;
  const options = isPlainObject(sig.options) ? { ...(sig.options as JsonObject) } : {};
  if (typeof options.queue === "string") options.queue = rename(options.queue) ?? options.queue;
  for (const key of ["link", "link_error"]) {
    const list = options[key];
    if (Array.isArray(list)) options[key] = list.map((s) => walk(s, rename));
    else if (list != null) options[key] = walk(list, rename);
  }
  if (options.chord != null) options.chord = walk(options.chord, rename);
  const kwargs = isPlainObject(sig.kwargs) ? { ...(sig.kwargs as JsonObject) } : sig.kwargs;
  if (isPlainObject(kwargs) && typeof sig.subtask_type === "string") {
    const k = kwargs as JsonObject;
    if (Array.isArray(k.tasks)) k.tasks = k.tasks.map((s) => walk(s, rename));
    if (Array.isArray(k.header)) k.header = k.header.map((s) => walk(s, rename));
    else if (k.header != null) k.header = walk(k.header, rename);
    if (k.body != null) k.body = walk(k.body, rename);
  }
  return { ...sig, options, ...(kwargs === undefined ? {} : { kwargs }) };
}
