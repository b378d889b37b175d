// Module hooks (node:module register) that refuse to load any @aws-sdk module: a process
// started with ./forbid-sdk.mjs fails at the first import of the AWS SDK, naming it.
export async function load(url, context, nextLoad) {
  if (url.includes("/node_modules/@aws-sdk/")) {
    throw new Error(`@aws-sdk loaded: ${url}`);
  }
  return nextLoad(url, context);
}
