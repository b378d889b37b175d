import { spawn } from "node:child_process";

/** Runs `npx cdk <args>` in `cwd` with `env`; resolves its output, rejects with it on failure. */
export function runCdk(
  args: readonly string[],
  options: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    timeoutMs?: number;
    echo?: (text: string) => void;
  },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["cdk", ...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const keep = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      options.echo?.(text);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const timer = setTimeout(() => child.kill("SIGTERM"), options.timeoutMs ?? 300_000);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else
        reject(
          new Error(`cdk ${args[0]} failed (${signal ?? `exit ${code}`}):\n${output.slice(-6000)}`),
        );
    });
  });
}
