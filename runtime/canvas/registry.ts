import type { CanvasApp } from "./canvas-app.js";
import type { AnySignature } from "./signature.js";
import type { SignatureJSON } from "./signature-json.js";

/**
 * What the base class needs of the canvas kinds without importing them (they import
 * it): Celery's `|`, and a reader per `subtask_type`. Filled in one place, `kinds.ts`.
 */
export interface KindRegistry {
  pipe?: (left: AnySignature, right: AnySignature) => AnySignature;
  fromJSON: Partial<
    Record<
      "chain" | "group" | "chord",
      (json: SignatureJSON, app: CanvasApp | undefined) => AnySignature
    >
  >;
}

export const kinds: KindRegistry = { fromJSON: {} };
