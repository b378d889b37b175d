/**
 * A what-if of the cold-start bench, never deployed: `@aws-sdk/credential-provider-node`
 * (the SDK's default credential chain: environment, SSO, ini files, processes, web
 * identity, container and instance metadata) replaced by its first link, the credentials
 * in the environment, which is where Lambda puts the execution role's. The bench bundles
 * the seed's worker with this alias to show what the rest of the chain costs a cold start;
 * the construct keeps the SDK's own chain.
 */
export { fromEnv as defaultProvider } from "@aws-sdk/credential-provider-env";
