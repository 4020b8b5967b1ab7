import type { CredentialHealthState } from '../domain/connection';
import { observationFromError } from '../domain/credential-health';
import { WorkspaceRef } from '../domain/ids';
import { CredentialAccess } from './credential-access';
import { CredentialMonitor } from './credential-monitor';

export interface ProbeCredentialsDeps {
  readonly access: CredentialAccess;
  readonly monitor: CredentialMonitor;
}

/** What a probe found: whether sync can run, and the connection's health state. No secrets, no metadata. */
export interface ProbeCredentialsResult {
  readonly usable: boolean;
  readonly health: CredentialHealthState;
  /** Error type of a failed probe (for status and logs). */
  readonly errorType?: string;
}

/**
 * A cheap check that the connection can do what sync does: one `list_folder` of the synced folder,
 * not recursive, `limit` 1, through the connection's token session and addressing (so it also
 * refreshes an expired token, checks the select-user, the path root and the listing scope). The
 * answer drives the health state machine like a cycle does.
 */
export async function probeCredentials(deps: ProbeCredentialsDeps, ref: WorkspaceRef): Promise<ProbeCredentialsResult> {
  let credentialsVersion: number | undefined;
  try {
    const expiring = await deps.access.withDropbox(ref, async (client, info, session) => {
      credentialsVersion = info.credentialsVersion;
      await client.listFolder({ path: info.rootPath, limit: 1, recursive: false });
      return session.expiring;
    });
    if (expiring === null) return { usable: false, health: 'unknown', errorType: 'WorkspaceNotConnectedError' };
    const health = await deps.monitor.observe(ref, { kind: 'ok', expiring }, credentialsVersion);
    return { usable: true, health: health?.state ?? 'healthy' };
  } catch (error) {
    const health = await deps.monitor.observe(ref, observationFromError(error), credentialsVersion);
    return { usable: false, health: health?.state ?? 'unknown', errorType: error instanceof Error ? error.name : 'Error' };
  }
}
