import type { JsonObject, JsonValue } from "../types/json.js";

/** The kinds Celery registers through `Signature.register_type`. */
export type SubtaskType = "chain" | "group" | "chord";

/**
 * A signature in Celery's dict form: the keys Celery uses, so canvases can be stored,
 * sent and read back (also by a Python Celery worker that knows the same task names).
 */
export interface SignatureJSON {
  task: string;
  args: JsonValue[];
  kwargs: JsonObject;
  options: JsonObject;
  subtask_type: SubtaskType | null;
  immutable: boolean;
  chord_size?: number;
  /** Celeriac's: the chord header's member ids are derived from its group id (see `chordMemberId`). */
  chord_ids?: "derived";
}
