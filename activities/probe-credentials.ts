import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { WorkspaceRef } from '../src/domain/ids';
import { probeCredentials, ProbeCredentialsDeps, ProbeCredentialsResult } from '../src/services/credential-probe';

/** Input of `probeCredentials`: the workspace whose connection to check. */
export type ProbeCredentialsInput = WorkspaceRef;

/**
 * Builds `probeCredentials`: the cheap credential check a blocked workspace runs periodically and
 * when its credentials are replaced. Returns the health state only; Dropbox's answer never leaves
 * the worker.
 */
export function createProbeCredentials(deps: ProbeCredentialsDeps) {
  return async function probeCredentialsActivity(rawInput: ProbeCredentialsInput): Promise<ProbeCredentialsResult> {
    const parsed = WorkspaceRef.safeParse(rawInput);
    if (!parsed.success) {
      throw ApplicationFailure.nonRetryable(`invalid probeCredentials input: ${z.prettifyError(parsed.error)}`, 'InvalidInput');
    }
    return probeCredentials(deps, parsed.data);
  };
}
