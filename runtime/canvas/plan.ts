import type { TaskRequest } from "../message/task-request.js";
import type { JsonObject } from "../types/json.js";
import type { SignatureLike, SignatureOptions } from "./options.js";
import type { AnySignature } from "./signature.js";

/** What a call adds to a signature: partial args and kwargs, and call-time options. */
export interface CallArgs {
  args: unknown[];
  kwargs: JsonObject;
  options: SignatureOptions<AnySignature>;
}

/** Where a signature sits in a canvas: the ids and links that freezing writes into it. */
export interface Position {
  rootId?: string;
  parentId?: string;
  groupId?: string;
  groupIndex?: number;
  /** The chord body when this sits in a chord header. */
  chord?: SignatureLike;
  /** Steps of the enclosing chain that follow this one, in order. */
  chainRest?: SignatureLike[];
}

/**
 * Everything one call sends, built before anything is sent so that bad input is refused
 * with nothing half-sent: the task messages, and the groups to save first (chord headers).
 */
export class Plan {
  readonly requests: TaskRequest[] = [];
  readonly groups: { groupId: string; ids: string[] }[] = [];
}

export const emptyCall = (): CallArgs => ({ args: [], kwargs: {}, options: {} });
