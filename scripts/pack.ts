import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** The repository root (this file is `scripts/pack.ts`). */
export const REPO_ROOT = resolve(import.meta.dirname, "..");

/**
 * `npm pack` of this repository into `dir` (which runs `prepack`, i.e. the build), and
 * the tarball's path.
 */
export function packInto(dir: string): string {
  const out = execFileSync("npm", ["pack", "--json", "--pack-destination", dir], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, npm_config_loglevel: "error" },
  });
  const [info] = JSON.parse(out.slice(out.indexOf("["))) as [{ filename: string }];
  return join(dir, info.filename);
}

/** The version of `pkg` installed in this repository, to pin a consumer's install to. */
export function installedVersion(pkg: string): string {
  const file = join(REPO_ROOT, "node_modules", pkg, "package.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

/** `npm install` in `cwd`, from the cache where it can (`--prefer-offline`). */
export function npmInstall(cwd: string, args: readonly string[]): void {
  execFileSync(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", ...args],
    { cwd, stdio: ["ignore", "pipe", "pipe"] },
  );
}
