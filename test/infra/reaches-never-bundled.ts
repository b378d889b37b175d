/**
 * An entry that reaches what a worker must never carry (the CLI, the emulators' helpers,
 * fauxqs as an external import), for the live control of test/infra/worker-bundle.test.ts.
 */
export { buildApp } from "fauxqs";
export { startLocalAws } from "../../runtime/local/local-aws.js";
export * as cli from "../../runtime/cli/main.js";
