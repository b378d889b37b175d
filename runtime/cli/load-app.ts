import { statSync } from "node:fs";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Celery } from "../app/celery.js";
import { currentApp } from "../canvas/current-app.js";
import { ConfigurationError } from "../errors/usage-errors.js";

/** `-A <module>` could not be loaded, or it has no app. `celeriac` exits with 2. */
export class AppLoadError extends ConfigurationError {}

/** Extensions tried, in order, after a module path given without one. */
const EXTENSIONS = [".ts", ".mts", ".js", ".mjs"] as const;

/** The app each module gave the first time it was loaded (ES modules run once). */
const appsByFile = new Map<string, Celery>();

/**
 * Loads the Celeriac app of `-A <module>`, as `celery -A proj` does: `spec` is a path
 * relative to `cwd` (or absolute), with or without its extension (`.ts`, `.mts`, `.js`,
 * `.mjs`; a `.js` path also finds the `.ts` beside it), or a directory with an `index`.
 * The app is the module's `app` export, else its `celery` export, else its default export,
 * else any exported app, else the app that importing the module made current (a tasks
 * module that imports its app from another file). TypeScript modules need a loader
 * such as tsx (the `celeriac` binary registers it).
 *
 * @example
 * const app = await loadApp("examples/proj/tasks.ts", process.cwd());
 */
export async function loadApp(spec: string, cwd: string): Promise<Celery> {
  const file = resolveModule(spec, cwd);
  const known = appsByFile.get(file);
  if (known) return known;
  const before = peekCurrentApp();
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    if (needsTypeScriptLoader(file, error)) {
      throw new AppLoadError(
        `Cannot load the TypeScript app module '${spec}' (${file}): no TypeScript loader is ` +
          "installed. Install tsx in your project (npm install -D tsx), or give the compiled .js module.",
        { cause: error },
      );
    }
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new AppLoadError(`Cannot load the app module '${spec}' (${file}): ${reason}`, {
      cause: error,
    });
  }
  const app = findApp(exports, before);
  if (!app) {
    throw new AppLoadError(
      `The module '${spec}' (${file}) has no Celeriac app: export it as \`app\` ` +
        "(`export const app = new Celery(...)`) or as the default export.",
    );
  }
  appsByFile.set(file, app);
  return app;
}

/** The file `spec` names: the first candidate that exists, or an error listing them. */
export function resolveModule(spec: string, cwd: string): string {
  if (spec.trim() === "") throw new AppLoadError("The app module (-A) is an empty string.");
  const base = resolve(cwd, spec);
  const candidates = [base, ...EXTENSIONS.map((ext) => base + ext)];
  if (extname(base) === ".js") candidates.push(`${base.slice(0, -3)}.ts`);
  if (extname(base) === ".mjs") candidates.push(`${base.slice(0, -4)}.mts`);
  candidates.push(...EXTENSIONS.map((ext) => resolve(base, `index${ext}`)));
  for (const candidate of candidates) if (isFile(candidate)) return candidate;
  throw new AppLoadError(
    `Cannot find the app module '${spec}' from ${cwd}: tried ${base} with no extension, ` +
      `${EXTENSIONS.join(", ")}, and ${base}/index.{ts,mts,js,mjs}.`,
  );
}

function findApp(exports: Record<string, unknown>, before: unknown): Celery | undefined {
  for (const name of ["app", "celery", "default"]) {
    const value = exports[name];
    if (isCeleryApp(value)) return value;
  }
  const exported = Object.values(exports).find(isCeleryApp);
  if (exported) return exported;
  const after = peekCurrentApp();
  return after !== before && isCeleryApp(after) ? after : undefined;
}

/**
 * True for a Celeriac app. Checked by shape rather than `instanceof`, so an app built
 * from another copy of the package (source and `dist/`) is still found.
 */
export function isCeleryApp(value: unknown): value is Celery {
  if (typeof value !== "object" || value === null) return false;
  const app = value as Record<string, unknown>;
  return (
    typeof app.name === "string" &&
    app.tasks instanceof Map &&
    typeof app.broker === "object" &&
    typeof app.backend === "object" &&
    ["worker", "signature", "asyncResult", "ensureResources", "close"].every(
      (method) => typeof app[method] === "function",
    )
  );
}

function peekCurrentApp(): unknown {
  try {
    return currentApp();
  } catch {
    return undefined;
  }
}

/** True when `file` is TypeScript and Node could not load it for want of a loader. */
function needsTypeScriptLoader(file: string, error: unknown): boolean {
  if (![".ts", ".mts", ".cts"].includes(extname(file))) return false;
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ERR_UNKNOWN_FILE_EXTENSION";
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
