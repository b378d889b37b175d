import type { JsonObject } from "../types/json.js";
import type { CanvasApp } from "./canvas-app.js";
import type { CallOptions } from "./options.js";
import { type AnySignature, Signature } from "./signature.js";
import type { SignatureJSON } from "./signature-json.js";

/** What a signature by name is made of: `signature("proj.tasks.add", { args: [2, 2] })`. */
export interface SignatureByName {
  args?: unknown[];
  kwargs?: JsonObject;
  options?: CallOptions<AnySignature>;
  immutable?: boolean;
}

/** A signature of task `name`, bound to `app`, or to the current app when none is given. */
export function signatureByName(
  name: string,
  init: SignatureByName = {},
  app?: CanvasApp,
): Signature {
  const { options, ...rest } = init;
  return new Signature(name, {
    ...rest,
    ...(options ? { options: options as never } : {}),
    ...(app ? { app } : {}),
  });
}

/**
 * A signature by task name, bound to the current app (Celery's `signature()`), or a
 * signature read back from its dict form.
 *
 * @example
 * signature("proj.tasks.add", { args: [2, 2], options: { countdown: 10 } })
 */
export function signature(
  task: string | SignatureJSON | AnySignature,
  init: SignatureByName = {},
): AnySignature {
  if (task instanceof Signature) return task;
  if (typeof task !== "string") return Signature.fromJSON(task);
  return signatureByName(task, init);
}
