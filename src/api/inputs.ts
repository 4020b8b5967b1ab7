import { z } from 'zod';
import { CheckInput } from '../domain/check';
import { InvalidInputError } from '../domain/errors';
import { TenantId, WorkspaceId, WorkspaceRef } from '../domain/ids';

/** Input of `runWorkflowCheck`: the same shape the workflow's `check` update validates. */
export const RunWorkflowCheckInput = CheckInput;
export type RunWorkflowCheckInput = z.infer<typeof RunWorkflowCheckInput>;

/** A tenant (no `workspaceId`: the tenant-wide default) or one workspace. */
export const SettingsScope = z.object({ tenantId: TenantId, workspaceId: WorkspaceId.optional() }).strict();
export type SettingsScope = z.infer<typeof SettingsScope>;

/** Input of `setSyncFrequency`; bounds are checked against the deployment's floor and ceiling. */
export const SetSyncFrequencyInput = SettingsScope.extend({
  frequencySeconds: z.number({ error: 'frequencySeconds must be a number of seconds' }).int('frequencySeconds must be a whole number of seconds'),
}).strict();
export type SetSyncFrequencyInput = z.infer<typeof SetSyncFrequencyInput>;

export const ClearWorkspaceOverrideInput = WorkspaceRef;
export type ClearWorkspaceOverrideInput = WorkspaceRef;

/** Input of `pauseWorkspace` / `resumeWorkspace`: one workspace, or a whole tenant without `workspaceId`. */
export const PauseInput = SettingsScope;
export type PauseInput = SettingsScope;

export const RecheckCredentialsInput = WorkspaceRef;
export type RecheckCredentialsInput = WorkspaceRef;

export const GetWorkspaceStatusInput = WorkspaceRef;
export type GetWorkspaceStatusInput = WorkspaceRef;

/** Parses `raw` or throws InvalidInputError naming every bad field. */
export function parseInput<T>(operation: string, schema: z.ZodType<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new InvalidInputError(
    operation,
    parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`),
  );
}

/** "60 s", "5 min", "7 d": for messages about frequency bounds. */
export function describeSeconds(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
