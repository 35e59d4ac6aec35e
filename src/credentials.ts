// Credentials that outlive a one-hour role: the action assumes `role-to-assume` itself with the
// job's GitHub OIDC token and assumes it again, with a fresh token, shortly before the credentials
// expire, for as long as it waits. The SDK does the STS call (fromWebToken) and the coalescing
// cache (memoizeIdentityProvider); this module only says when to refresh and where the token
// comes from. The clock is injectable so tests can wait hours in milliseconds.
import { fromWebToken } from '@aws-sdk/credential-providers';
import { EXPIRATION_MS, memoizeIdentityProvider } from '@smithy/core';
import { endpointFor } from './s3-client.js';
import { errorMessage } from './errors.js';

export type CredentialProvider = ReturnType<typeof fromWebToken>;
type Identity = Awaited<ReturnType<CredentialProvider>>;

/** The audience aws-actions/configure-aws-credentials uses; the role's trust policy checks it. */
export const OIDC_AUDIENCE = 'sts.amazonaws.com';
/** One hour: the default maximum session of a role, and never more than it allows. */
export const DEFAULT_SESSION_SECONDS = 3600;

export interface WebIdentityOptions {
  roleArn: string;
  sessionName: string;
  durationSeconds?: number;
  /** A fresh OIDC token for each assume (core.getIDToken(OIDC_AUDIENCE) in the action). */
  idToken: () => Promise<string>;
  /** STS client settings: region, and an endpoint override for emulators or VPC endpoints. */
  sts: { region: string; endpoint?: string };
  /** Refresh this long before expiry; default the SDK's own window (5 minutes). */
  refreshBeforeMs?: number;
  now?: () => number;
  /** Hides secrets from the log (core.setSecret in the action). */
  mask?: (secret: string) => void;
  log?: { info(message: string): void; warning(message: string): void };
}

/** A role session name from the run: [\w+=,.@-], 2-64 characters. Pure. */
export function roleSessionName(runId: string, attempt: string): string {
  const name = `sagemaker-yolo-${runId || 'local'}-${attempt || '1'}`.replace(/[^\w+=,.@-]/g, '-');
  return name.slice(0, 64);
}

export function webIdentityCredentials(options: WebIdentityOptions): CredentialProvider {
  const now = options.now ?? Date.now;
  const margin = options.refreshBeforeMs ?? EXPIRATION_MS;
  const mask = options.mask ?? (() => {});
  // When each identity is due for refresh and when it expires, on `now`'s clock. The remaining
  // lifetime is measured as the credentials arrive, so an injected clock can count it down.
  const schedule = new WeakMap<Identity, { refreshAt: number; expiresAt: number }>();
  let current: Identity | undefined;

  const assume = async (): Promise<Identity> => {
    try {
      const token = await options.idToken();
      mask(token);
      const identity = await fromWebToken({
        roleArn: options.roleArn,
        roleSessionName: options.sessionName,
        webIdentityToken: token,
        durationSeconds: options.durationSeconds ?? DEFAULT_SESSION_SECONDS,
        clientConfig: {
          region: options.sts.region,
          ...(options.sts.endpoint ? { endpoint: options.sts.endpoint } : {}),
        },
      })();
      mask(identity.secretAccessKey);
      if (identity.sessionToken) mask(identity.sessionToken);
      const lifetime = identity.expiration
        ? identity.expiration.getTime() - Date.now()
        : DEFAULT_SESSION_SECONDS * 1000;
      const expiresAt = now() + lifetime;
      schedule.set(identity, { expiresAt, refreshAt: expiresAt - margin });
      current = identity;
      options.log?.info(
        `Assumed ${options.roleArn} with this job's OIDC token; the credentials are renewed ${Math.round(margin / 1000)} s before they expire (${identity.expiration?.toISOString() ?? 'no expiry given'}).`,
      );
      return identity;
    } catch (error) {
      // A token endpoint or STS hiccup must not end a wait that still has valid credentials:
      // keep them and try again in a minute.
      const times = current && schedule.get(current);
      if (current && times && now() < times.expiresAt - 60_000) {
        options.log?.warning(
          `Could not renew the credentials for ${options.roleArn} (${errorMessage(error)}); using the current ones and trying again in a minute.`,
        );
        times.refreshAt = now() + 60_000;
        return current;
      }
      throw new Error(
        `Could not assume role-to-assume ${options.roleArn} with this job's OIDC token: ${errorMessage(error)}. ` +
          "The role's trust policy must allow sts:AssumeRoleWithWebIdentity for token.actions.githubusercontent.com with audience sts.amazonaws.com and this repository's subject.",
        { cause: error },
      );
    }
  };

  const provider = memoizeIdentityProvider(
    assume,
    (identity) => now() >= (schedule.get(identity as Identity)?.refreshAt ?? 0),
    () => true,
  ) as CredentialProvider;
  // Already memoized: every client shares this cache (one AssumeRole per refresh, not one per
  // client) and the SDK does not wrap it in a second, wall-clock-only cache.
  return Object.assign(provider, { memoized: true });
}

export interface RoleToAssumeDeps {
  /** core.getIDToken in the action. */
  idToken: (audience: string) => Promise<string>;
  mask?: (secret: string) => void;
  log?: WebIdentityOptions['log'];
  now?: () => number;
  durationSeconds?: number;
}

/** The shared provider for `role-to-assume`, or undefined to use the environment's credentials. */
export function roleToAssumeCredentials(
  config: { roleToAssume?: string; region: string; context: { runId: string; runAttempt: string } },
  env: NodeJS.ProcessEnv,
  deps: RoleToAssumeDeps,
): CredentialProvider | undefined {
  if (!config.roleToAssume) return undefined;
  const endpoint = endpointFor('STS', env);
  return webIdentityCredentials({
    roleArn: config.roleToAssume,
    sessionName: roleSessionName(config.context.runId, config.context.runAttempt),
    idToken: () => deps.idToken(OIDC_AUDIENCE),
    sts: { region: config.region, ...(endpoint ? { endpoint } : {}) },
    ...(deps.durationSeconds ? { durationSeconds: deps.durationSeconds } : {}),
    ...(deps.mask ? { mask: deps.mask } : {}),
    ...(deps.log ? { log: deps.log } : {}),
    ...(deps.now ? { now: deps.now } : {}),
  });
}
