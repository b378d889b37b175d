import { type ChildProcess, execFile, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/** Debian's Python with Debian's Celery 5.2 (not the pyenv `python3` on the PATH, which has moto). */
export const PYTHON = "/usr/bin/python3";
export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
const INSTALL =
  "apt-get update && apt-get install -y python3-celery python3-kombu python3-boto3 python3-pycurl";

const run = promisify(execFile);

/**
 * Throws, saying what to install, unless `/usr/bin/python3` imports Celery 5.x, kombu,
 * boto3 and pycurl. Resolves their versions.
 */
export async function requireCelery(): Promise<string> {
  try {
    accessSync(PYTHON, constants.X_OK);
  } catch {
    throw new Error(
      `${PYTHON} is missing: the Celery interop test needs Debian's Python. Run: ${INSTALL}`,
    );
  }
  const probe =
    "import celery, kombu, boto3, pycurl; print(celery.__version__, kombu.__version__, boto3.__version__)";
  try {
    const { stdout } = await run(PYTHON, ["-c", probe], { timeout: 20_000 });
    const version = stdout.trim();
    if (!version.startsWith("5.")) throw new Error(`Celery ${version} is not 5.x`);
    return version;
  } catch (error) {
    throw new Error(
      `${PYTHON} cannot import Celery 5, kombu, boto3 and pycurl (${(error as Error).message.trim()}). Run: ${INSTALL}`,
    );
  }
}

/** A Python child process whose output is kept (the last 20,000 characters). */
export interface PythonProcess {
  child: ChildProcess;
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `/usr/bin/python3 <args>` in the fixtures folder with `env` added. */
export function startPython(args: string[], env: Record<string, string>): PythonProcess {
  const child = spawn(PYTHON, args, {
    cwd: FIXTURES,
    env: { ...process.env, PYTHONPATH: FIXTURES, PYTHONUNBUFFERED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  return {
    child,
    output: () => output,
    stop: async (graceMs = 5_000) => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Waits until `proc`'s output matches `pattern`; rejects naming `what` after `timeoutMs` or on exit. */
export async function waitForOutput(
  proc: PythonProcess,
  pattern: RegExp,
  what: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(proc.output())) {
    if (proc.child.exitCode !== null)
      throw new Error(`${what}: the process exited (${proc.child.exitCode}):\n${proc.output()}`);
    if (Date.now() > deadline)
      throw new Error(`${what}: not seen within ${timeoutMs} ms:\n${proc.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs `/usr/bin/python3 <args>` to its end (at most `timeoutMs`) and resolves its stdout. */
export async function runPython(
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<string> {
  try {
    const { stdout } = await run(PYTHON, args, {
      cwd: FIXTURES,
      env: { ...process.env, PYTHONPATH: FIXTURES, ...env },
      timeout: timeoutMs,
      killSignal: "SIGKILL",
    });
    return stdout;
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string; killed?: boolean };
    throw new Error(
      `python3 ${args.join(" ")} ${e.killed ? `did not finish within ${timeoutMs} ms` : "failed"}: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`,
    );
  }
}
