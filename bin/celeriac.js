#!/usr/bin/env node
/**
 * The `celeriac` command. It registers tsx (an optional peer dependency) when it is
 * installed, so that `-A` can load TypeScript task modules, then runs the CLI: from the
 * source tree when it is there (a checkout), else from the built `dist/` (an installed
 * package). Without tsx, JavaScript modules load as they are, and a `.ts` module fails
 * with a message naming the package to install.
 */
import { existsSync } from "node:fs";

// The SDK's notice that its 2027 releases need Node 22 is printed by every command on
// Node 20; the README says what to do about it. A value the user set wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

try {
  const { register } = await import("tsx/esm/api");
  register();
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
}

const source = new URL("../runtime/cli/main.ts", import.meta.url);
const built = new URL("../dist/runtime/cli/main.js", import.meta.url);
const { runCli } = await import(existsSync(source) ? source.href : built.href);

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// The command is done: if a client or timer still holds the event loop, do not hang on it.
setTimeout(() => process.exit(code), 2000).unref();
