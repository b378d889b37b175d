import type { TaskRequest } from "../message/task-request.js";
import type { JsonValue } from "../types/json.js";
import type { CanvasApp } from "./canvas-app.js";
import { assertArgsJson, messageTimes, type SignatureOptions } from "./options.js";
import type { CallArgs, Position } from "./plan.js";
import type { AnySignature } from "./signature-types.js";

/** One planned send of a signature: its id, its merged options, the call, its place. */
export interface PlannedSend {
  id: string;
  options: SignatureOptions<AnySignature>;
  call: CallArgs;
  pos: Position;
}

/**
 * The task message of one planned send of `sig` (routed as `routeName`): the call's args
 * prepended to the signature's own unless it is immutable, the ids and times fixed, and
 * its successors in their dict form. Refuses arguments that are not JSON.
 */
export function messageOf(
  sig: AnySignature,
  routeName: string,
  send: PlannedSend,
  app: CanvasApp,
): TaskRequest {
  const { id, options: o, call, pos } = send;
  const args = sig.immutable ? sig.args : [...call.args, ...sig.args];
  const kwargs = sig.immutable ? sig.kwargs : { ...sig.kwargs, ...call.kwargs };
  assertArgsJson(sig.task, args, kwargs);
  const current = app.currentRequest();
  const times = messageTimes(o, `Signature ${sig.task}`, Date.now());
  return {
    id,
    task: sig.task,
    args: [...args] as JsonValue[],
    kwargs: { ...kwargs },
    queue: app.routeFor(routeName, o.queue),
    rootId: o.rootId ?? current?.rootId ?? id,
    parentId: o.parentId ?? current?.id ?? null,
    groupId: o.groupId ?? null,
    groupIndex: o.groupIndex ?? null,
    retries: o.retries ?? 0,
    ...times,
    ignoreResult: o.ignoreResult ?? false,
    claim: o.claim ?? false,
    callbacks: (o.link ?? []).map((s) => s.toJSON()),
    errbacks: (o.linkError ?? []).map((s) => s.toJSON()),
    chain: ((pos.chainRest ?? []) as AnySignature[]).map((s) => s.toJSON()),
    chord: o.chord ? o.chord.toJSON() : null,
  };
}
