import { parseArgs } from 'node:util';
import { z } from 'zod';
import { TenantId, WorkspaceId } from '../domain/ids';

/** Users (actors) may be e-mail-like; tenants and workspaces follow the ids the rest of the system accepts. */
const Id = z.string().regex(/^[A-Za-z0-9._@:-]{1,200}$/, 'must be 1 to 200 letters, digits or . _ @ : -');

const Connect = z.object({ command: z.literal('connect'), tenant: TenantId, workspace: WorkspaceId, actor: Id, member: z.string().regex(/^dbmid:[A-Za-z0-9_-]+$/, 'must be a team member id (dbmid:...)').optional(), root: z.string().optional() });
const Disconnect = z.object({ command: z.literal('disconnect'), tenant: TenantId, workspace: WorkspaceId, actor: Id });
const Grant = z.discriminatedUnion('role', [
  z.object({ command: z.literal('grant'), tenant: TenantId, user: Id, role: z.literal('admin') }),
  z.object({ command: z.literal('grant'), tenant: TenantId, user: Id, role: z.literal('stakeholder'), workspace: WorkspaceId }),
]);
const Serve = z.object({ command: z.literal('serve') });

/** A parsed command line of `npm run connect`. */
export type ConnectCommand = z.infer<typeof Connect> | z.infer<typeof Disconnect> | z.infer<typeof Grant> | z.infer<typeof Serve>;

export const CONNECT_USAGE = `Usage:
  npm run connect -- [connect] --tenant <t> --workspace <w> --actor <user> [--member dbmid:...] [--root /folder]
      Prints the Dropbox authorize URL, reads the code you paste, and connects (or reconnects) the workspace.
  npm run connect -- disconnect --tenant <t> --workspace <w> --actor <user>
      Removes the workspace's credentials and stops its sync; the Recordset stays.
  npm run connect -- grant --tenant <t> --user <user> --role admin|stakeholder [--workspace <w>]
      Lets a user connect: admin of the whole tenant, or stakeholder of one workspace.
  npm run connect -- serve      (or npm run connect-server)
      Runs the HTTP connect flow on 127.0.0.1:CONNECT_PORT.`;

/** A bad command line; the message names every bad option. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses argv; throws a `UsageError` naming every bad option. */
export function parseConnectArgs(argv: readonly string[]): ConnectCommand {
  try {
    return parseStrict(argv);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // node:util parseArgs: unknown option, missing value.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function parseStrict(argv: readonly string[]): ConnectCommand {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      tenant: { type: 'string' },
      workspace: { type: 'string' },
      actor: { type: 'string' },
      member: { type: 'string' },
      root: { type: 'string' },
      user: { type: 'string' },
      role: { type: 'string' },
    },
  });
  if (positionals.length > 1) throw new UsageError(`one command at most, got ${positionals.join(' ')}`);
  const raw = { command: positionals[0] ?? 'connect', ...values };
  const schema = z.discriminatedUnion('command', [Connect, Disconnect, Serve, z.object({ command: z.literal('grant') }).passthrough()]);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => `--${issue.path.join('.') || 'command'}: ${issue.message}`).join('\n'));
  if (parsed.data.command !== 'grant') return parsed.data as ConnectCommand;
  const grant = Grant.safeParse(raw);
  if (!grant.success) throw new UsageError(grant.error.issues.map((issue) => `--${issue.path.join('.') || 'role'}: ${issue.message}`).join('\n'));
  return grant.data;
}
