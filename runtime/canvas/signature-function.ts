import type { JsonObject } from "../types/json.js";
import type { CallOptions } from "./options.js";
import { type AnySignature, Signature } from "./signature.js";
import type { SignatureJSON } from "./signature-json.js";

/**
 * A signature by task name, bound to the current app (Celery's `signature()`), or a
 * signature read back from its dict form.
 *
 * @example
 * signature("proj.tasks.add", { args: [2, 2], options: { countdown: 10 } })
 */
export function signature(
  task: string | SignatureJSON | AnySignature,
  init: {
    args?: unknown[];
    kwargs?: JsonObject;
    options?: CallOptions<AnySignature>;
    immutable?: boolean;
  } = {},
): AnySignature {
  if (task instanceof Signature) return task;
  if (typeof task !== "string") return Signature.fromJSON(task);
  const { options, ...rest } = init;
  return new Signature(task, { ...rest, ...(options ? { options: options as never } : {}) });
}
