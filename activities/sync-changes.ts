import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { healthStateForError } from '../src/domain/credential-health';
import { DropboxRateLimitedError, FostrDropboxError } from '../src/domain/errors';
import { TenantId, WorkspaceId } from '../src/domain/ids';
import { SyncChangesInput, SyncChangesResult } from '../src/domain/sync';
import { runSyncCycle, SyncCycleDeps } from '../src/services/sync-cycle';

const Input = z.object({ tenantId: TenantId, workspaceId: WorkspaceId, fullRelist: z.boolean() }).strict();

/**
 * Builds `syncChanges`: one sync cycle of a workspace. Heartbeats after every saved page with
 * counts; a retry (new attempt, other worker) resumes from the cursor saved in MongoDB. Known
 * failures become typed Temporal failures: rate limits retry after Retry-After, credential and
 * input problems do not retry.
 */
export function createSyncChanges(deps: SyncCycleDeps) {
  return async function syncChanges(rawInput: SyncChangesInput): Promise<SyncChangesResult> {
    const parsed = Input.safeParse(rawInput);
    if (!parsed.success) {
      throw ApplicationFailure.nonRetryable(`invalid syncChanges input: ${z.prettifyError(parsed.error)}`, 'InvalidInput');
    }
    const context = Context.current();
    try {
      return await runSyncCycle(deps, parsed.data, {
        onPage: (progress) => context.heartbeat(progress),
        signal: context.cancellationSignal,
      });
    } catch (error) {
      throw toFailure(error);
    }
  };
}

/** Details of a failure that says something about the credentials: the health state name only. */
export interface SyncFailureDetails {
  readonly health: string;
}

function toFailure(error: unknown): unknown {
  if (!(error instanceof FostrDropboxError)) return error;
  const health = healthStateForError(error);
  const details: SyncFailureDetails[] | undefined = health === undefined ? undefined : [{ health }];
  return ApplicationFailure.create({
    type: error.name,
    message: error.message,
    details,
    nonRetryable: !error.retryable,
    // Honour Dropbox's Retry-After exactly instead of the policy's backoff.
    nextRetryDelay: error instanceof DropboxRateLimitedError ? error.retryAfterMs : undefined,
  });
}
