import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles, and only there (an
 * esbuild alias in lib/story-function.ts; the CLI and tests keep the SDK's full chain). Lambda
 * gives a function its role's credentials in environment variables, the first link of that
 * chain; the rest (profiles, SSO, web identity, the instance metadata service) would only add
 * about 100 KB of clients and parsers to every bundle and to its start-up.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
