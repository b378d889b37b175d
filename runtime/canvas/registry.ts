import type { CanvasApp } from "./canvas-app.js";
import type { AnySignature } from "./signature.js";
import type { SignatureJSON } from "./signature-json.js";

/**
 * The canvas kinds register here when their modules load, so that the base class can
 * build chains and read any kind from JSON without importing its subclasses.
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
