import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A file of the README's "Use it in your project": its path and its text. */
export interface ReadmeFile {
  path: string;
  text: string;
}

/** A shell block of that section, and whether the README marks it as not run. */
export interface ReadmeCommands {
  lines: string[];
  run: boolean;
}

/** The text of the README section `title` (from its heading to the next `## `). */
export function readmeSection(root: string, title: string): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README.md has no section '## ${title}'`);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

const FENCE = /(<!-- not run:[^>]*-->\s*)?```(\w+)\n([\s\S]*?)```/g;

/** The files: code blocks whose first line is a comment naming a path (`// src/tasks.ts`). */
export function readmeFiles(section: string): ReadmeFile[] {
  const files: ReadmeFile[] = [];
  for (const [, , lang, body = ""] of section.matchAll(FENCE)) {
    const [first = "", ...rest] = body.split("\n");
    const named = /^\/\/ ([\w./-]+\.(?:ts|json))$/.exec(first);
    if (lang !== "sh" && named) files.push({ path: named[1]!, text: rest.join("\n") });
  }
  return files;
}

/** The shell blocks, each command a line, trailing comments dropped. */
export function readmeCommands(section: string): ReadmeCommands[] {
  const blocks: ReadmeCommands[] = [];
  for (const [, notRun, lang, body = ""] of section.matchAll(FENCE)) {
    if (lang !== "sh") continue;
    const lines = body
      .split("\n")
      .map((line) => line.replace(/\s+#.*$/, "").trim())
      .filter((line) => line.length > 0 && !line.startsWith("#"));
    blocks.push({ lines, run: notRun === undefined });
  }
  return blocks;
}

/** `export A=1 B=2` as `{ A: "1", B: "2" }`. */
export function parseExports(line: string): Record<string, string> {
  return Object.fromEntries(
    line
      .replace(/^export\s+/, "")
      .split(/\s+/)
      .map((pair) => pair.split("=", 2) as [string, string]),
  );
}
