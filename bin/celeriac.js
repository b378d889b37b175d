#!/usr/bin/env node
/**
 * The `celeriac` command. It registers tsx so that `-A` can load TypeScript task
 * modules, then runs the CLI: from the source tree when it is there (a checkout),
 * else from the built `dist/` (an installed package).
 */
import { existsSync } from "node:fs";
import { register } from "tsx/esm/api";

register();

const source = new URL("../runtime/cli/main.ts", import.meta.url);
const built = new URL("../dist/runtime/cli/main.js", import.meta.url);
const { runCli } = await import(existsSync(source) ? source.href : built.href);

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// The command is done: if a client or timer still holds the event loop, do not hang on it.
setTimeout(() => process.exit(code), 2000).unref();
