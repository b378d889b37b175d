import { ConfigurationError } from "../errors/usage-errors.js";
import type { CanvasApp } from "./canvas-app.js";

let current: CanvasApp | undefined;

/** Makes `app` the one that bare `signature()` and unbound signatures use. */
export function setCurrentApp(app: CanvasApp): void {
  current = app;
}

/**
 * The most recently created (or `setAsCurrent()`) app, as Celery's `current_app`: what an
 * unbound signature (bare `signature()`, `Signature.fromJSON()` without an app) sends
 * through. Everything made from a task carries its task's app instead.
 */
export function currentApp(): CanvasApp {
  if (!current) {
    throw new ConfigurationError(
      "No Celeriac app exists yet: create one with `new Celery(name, options)` first.",
    );
  }
  return current;
}
