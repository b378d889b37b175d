import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The package's own `#aws-transports` (package.json "imports") read from the source, as
  // tsconfig.json's "paths" does for tsc, tsx and esbuild.
  resolve: {
    alias: {
      "#aws-transports": fileURLToPath(
        new URL("./runtime/adapters/aws-transports.ts", import.meta.url),
      ),
    },
  },
  test: {
    include: ["test/**/*.test.ts"],
    // One fauxqs + dynalite for the run, and moto_server when it is on the PATH.
    globalSetup: ["test/support/global-setup.ts"],
    // Most files spend their time waiting on emulators and long polls, not on the CPU:
    // on 2-core machines run 3 at once rather than vitest's default of 1.
    maxWorkers: Math.max(3, availableParallelism() - 1),
    // Timeouts catch hangs, not slowness: every wait inside a test is bounded by its own
    // timeout with a message, and the suite must pass on a loaded 2-core machine, where a
    // 450-part chord on an emulator or a CDK bundle can take several times its quiet time.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The machines run Node 20; the SDK's notice that later releases need Node 22 is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
