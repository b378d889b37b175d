/**
 * The CDK app of the seed project (`cdk.json` runs it): `npx cdk synth`, `npx cdk deploy`.
 *
 * Context: `-c esm=off` deploys the SQS event source mappings disabled (moto cannot run
 * Lambda code), `-c deletionProtection=false` lets the stack delete its table,
 * `-c synth=nobsv` drops the bootstrap version rule (moto), `-c stackName=...` or the
 * environment variable CELERIAC_STACK names the stack (default `CeleriacProj`).
 */
import { App } from "aws-cdk-lib";
import { buildProjApp, optionsFromContext } from "./proj-stack.js";

const app = new App();
buildProjApp(app, optionsFromContext(app));
app.synth();
