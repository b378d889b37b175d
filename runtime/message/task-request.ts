import type { SignatureJSON } from "../canvas/signature-json.js";
import type { JsonObject, JsonValue } from "../types/json.js";

/**
 * One task invocation as it travels in a message: Celery protocol v2's fields, in
 * camelCase. Successors (callbacks, errbacks, the rest of a chain, a chord body) travel
 * as signatures whose ids were fixed before sending.
 */
export interface TaskRequest {
  id: string;
  task: string;
  args: JsonValue[];
  kwargs: JsonObject;
  /** The routing key the message was sent to (retries and re-parks reuse it). */
  queue: string;
  rootId: string;
  parentId: string | null;
  groupId: string | null;
  groupIndex: number | null;
  retries: number;
  /** ISO 8601: do not run before. */
  eta: string | null;
  /** ISO 8601: revoke instead of running after. */
  expires: string | null;
  ignoreResult: boolean;
  /** Claim the id before running, so two copies of the message run it once. */
  claim: boolean;
  /**
   * This message is a copy that a worker sent on because it could not run it then (its
   * claim was held): treat it as a redelivery, whose successors may still be owed.
   */
  redelivered?: boolean;
  /** Link callbacks, run with the result prepended. */
  callbacks: SignatureJSON[];
  /** Errbacks, run with the failed task's id prepended. */
  errbacks: SignatureJSON[];
  /** The rest of the chain, in order: the next step is `chain[0]`. */
  chain: SignatureJSON[];
  /** The chord body when this task is a chord header member; carries `chord_size`. */
  chord: SignatureJSON | null;
}
