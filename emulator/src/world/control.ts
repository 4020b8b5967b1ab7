import { z } from 'zod';
import { parseControlBody } from '../control';
import { HistoryBatch } from '../history';
import type { DropboxEmulator } from '../server';
import { ACCESS_LEVELS } from './shared-folder';

const Email = z.string().email();
const Path = z.string().regex(/^\/[^/]/, 'must be an absolute path like "/Folder"');
const TeamId = z.string().startsWith('dbtid:', 'team ids look like "dbtid:…"');
const FolderId = z.string().regex(/^[0-9]+$/, 'shared folder ids are decimal digits');
const Scopes = z.array(z.string().min(1));

const CreateTeam = z.object({ name: z.string().min(1) }).strict();
const TeamMember = z.object({ teamId: TeamId, email: Email, admin: z.boolean().optional() }).strict();
const TeamRef = z.object({ teamId: TeamId }).strict();
const TeamMemberRef = z.object({ teamId: TeamId, email: Email }).strict();
const TeamToken = z.object({ teamId: TeamId, accessToken: z.string().min(8).optional(), scopes: Scopes.optional() }).strict();
const AppFolderToken = z.object({ email: Email, appKey: z.string().min(1), accessToken: z.string().min(8).optional(), scopes: Scopes.optional() }).strict();
const TeamFolder = z.object({ teamId: TeamId, name: z.string().min(1).refine((name) => !name.includes('/'), 'a folder name has no "/"') }).strict();
const SharedFolder = z.object({ ownerEmail: Email, path: Path }).strict();
const FolderMember = z.object({ sharedFolderId: FolderId, email: Email, accessLevel: z.enum(ACCESS_LEVELS), mountPath: Path.nullable().optional() }).strict();
const FolderMemberRef = z.object({ sharedFolderId: FolderId, email: Email }).strict();
const Mount = z.object({ sharedFolderId: FolderId, email: Email, path: Path.optional() }).strict();
const Unshare = z.object({ sharedFolderId: FolderId }).strict();
const FolderBatches = z.object({ sharedFolderId: FolderId, batches: z.array(HistoryBatch), actorEmail: Email.optional() }).strict();

type Action = (emulator: DropboxEmulator, body: unknown) => unknown;

const OK = { ok: true };

/**
 * Control actions for teams, shared folders and special tokens (`/_control/<action>`), by
 * `"<METHOD> <action>"`. Bad bodies are 400s naming each field; unknown ids are 400s naming the id.
 */
export const WORLD_CONTROL_ACTIONS: Readonly<Record<string, Action>> = {
  'POST teams': (emulator, body) => emulator.createTeam(parseControlBody(CreateTeam, body)),
  'POST teams/members': (emulator, body) => emulator.addTeamMember(parseControlBody(TeamMember, body)),
  'POST teams/members/remove': (emulator, body) => (emulator.removeTeamMember(parseControlBody(TeamMemberRef, body)), OK),
  'POST teams/root-namespace': (emulator, body) => emulator.changeRootNamespace(parseControlBody(TeamRef, body)),
  'POST teams/tokens': (emulator, body) => emulator.issueTeamToken(parseControlBody(TeamToken, body)),
  'POST teams/team-folders': (emulator, body) => emulator.createTeamFolder(parseControlBody(TeamFolder, body)),
  'POST tokens/app-folder': (emulator, body) => emulator.issueAppFolderToken(parseControlBody(AppFolderToken, body)),
  'POST shared-folders': (emulator, body) => emulator.createSharedFolder(parseControlBody(SharedFolder, body)),
  'POST shared-folders/members': (emulator, body) => (emulator.addFolderMember(parseControlBody(FolderMember, body)), OK),
  'POST shared-folders/members/remove': (emulator, body) => (emulator.removeFolderMember(parseControlBody(FolderMemberRef, body)), OK),
  'POST shared-folders/mount': (emulator, body) => (emulator.mountFolder(parseControlBody(Mount, body)), OK),
  'POST shared-folders/unmount': (emulator, body) => (emulator.unmountFolder(parseControlBody(FolderMemberRef, body)), OK),
  'POST shared-folders/unshare': (emulator, body) => (emulator.unshareFolder(parseControlBody(Unshare, body)), OK),
  'POST shared-folders/batches': (emulator, body) => {
    const { sharedFolderId, batches, actorEmail } = parseControlBody(FolderBatches, body);
    for (const batch of batches) emulator.applySharedFolderBatch({ sharedFolderId, batch, actorEmail });
    return { applied: batches.length };
  },
};
