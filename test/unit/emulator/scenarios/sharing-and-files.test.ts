import { DropboxEmulator, EmulatorOptions } from '../../../../emulator/src';
import { WireClient } from '../surface/wire-client';
import { adds, brief, changesSince, Entry, failure, listAll, newUser, sdk } from '../world/support';

/**
 * The API's side of scenarios 13, 15, 35, 39 and 49 of dropbox-scenarios.md (folder deletes,
 * unsharing, team tokens, sharing_info, Paper docs): each drives the emulator through the official
 * JS SDK or plain HTTP and checks what comes back against what the scenario states.
 */

let emulator: DropboxEmulator;
let wire: WireClient;

beforeAll(async () => {
  emulator = await DropboxEmulator.start({ seed: 'scenarios-sharing-files' });
  wire = new WireClient(emulator);
});

afterAll(async () => {
  await emulator.stop();
});

/** A separate emulator for a scenario replayed under a start-time switch. */
async function withEmulator(options: EmulatorOptions, body: (other: DropboxEmulator) => Promise<void>): Promise<void> {
  const other = await DropboxEmulator.start({ seed: 'scenarios-sharing-files-switch', ...options });
  try {
    await body(other);
  } finally {
    await other.stop();
  }
}

function byPath(entries: readonly Entry[], lower: string): Entry {
  const entry = entries.find((candidate) => candidate.path_lower === lower);
  if (!entry) throw new Error(`no entry ${lower} in ${entries.map((candidate) => candidate.path_lower).join(', ')}`);
  return entry;
}

/**
 * Applies the scenario's deletes to a fresh account listed at c1 and answers the tombstones
 * continue returns, with the tree left behind. The Recordset side (types from stored records) is
 * the connector's; here we pin what the API sends and that it leaves nothing under `/x`.
 */
async function deleteFolderAndFile(target: DropboxEmulator): Promise<{ tombstones: Entry[]; left: string[] }> {
  const user = newUser(target, 'Delete Tester');
  target.applyBatch(user.email, adds(['/x/1.txt', '/x/sub/2.txt', '/y.txt']));
  const dbx = sdk(target, { accessToken: user.accessToken });
  const c1 = (await listAll(dbx, '')).cursor;
  target.applyBatch(user.email, { seq: 2, at: '2026-05-01T11:00:00Z', ops: [{ op: 'delete', path: '/x' }, { op: 'delete', path: '/y.txt' }] });
  const { entries } = await changesSince(dbx, c1);
  const left = (await listAll(dbx, '')).entries.map((entry) => entry.path_lower!);
  return { tombstones: entries, left };
}

describe('scenario 13 (dropbox/dropbox-sdk-dotnet#67): a folder delete is reported once', () => {
  it('answers continue with X(/x) and X(/y.txt) only: no per-child tombstones, and no type on either', async () => {
    const { tombstones, left } = await deleteFolderAndFile(emulator);
    expect(brief(tombstones)).toEqual(['X(/x)', 'X(/y.txt)']);
    // DeletedMetadata says nothing about what was deleted: no id, no size, no folder marker.
    expect(tombstones).toEqual([
      { '.tag': 'deleted', name: 'x', path_lower: '/x', path_display: '/x' },
      { '.tag': 'deleted', name: 'y.txt', path_lower: '/y.txt', path_display: '/y.txt' },
    ]);
    expect(left).toEqual([]);
  });

  it('replayed with childTombstones, adds X for every descendant after the folder; the tree ends the same', async () => {
    await withEmulator({ childTombstones: true }, async (other) => {
      const { tombstones, left } = await deleteFolderAndFile(other);
      expect(brief(tombstones)).toEqual(['X(/x)', 'X(/x/1.txt)', 'X(/x/sub)', 'X(/x/sub/2.txt)', 'X(/y.txt)']);
      expect(left).toEqual([]);
    });
  });

  it('replayed with childTombstones in a team space (a view mirroring the home), reports the same per-child tombstones', async () => {
    await withEmulator({ childTombstones: true }, async (other) => {
      const member = newUser(other, 'Team Deleter');
      other.applyBatch(member.email, adds(['/x/1.txt', '/x/sub/2.txt']));
      const { teamId, rootNamespaceId } = other.createTeam({ name: 'Deleters' });
      other.addTeamMember({ teamId, email: member.email });
      const dbx = sdk(other, { accessToken: member.accessToken, pathRoot: { '.tag': 'root', root: rootNamespaceId } });
      const { cursor } = await listAll(dbx, '');
      other.applyBatch(member.email, { seq: 2, at: '2026-05-01T11:00:00Z', ops: [{ op: 'delete', path: '/x' }] });
      const { entries } = await changesSince(dbx, cursor);
      expect(brief(entries)).toEqual(['X(/team deleter/x)', 'X(/team deleter/x/1.txt)', 'X(/team deleter/x/sub)', 'X(/team deleter/x/sub/2.txt)']);
    });
  });
});

/** `/Team Plan` with 200 files, shared by its owner; the owner's listing cursor c1 taken after sharing. */
async function sharedTeamPlan(target: DropboxEmulator) {
  const owner = newUser(target, 'Plan Owner');
  const guest = newUser(target, 'Plan Guest');
  const files = Array.from({ length: 200 }, (_, index) => `/Team Plan/doc-${String(index + 1).padStart(3, '0')}.txt`);
  target.applyBatch(owner.email, adds(files));
  const { sharedFolderId } = target.createSharedFolder({ ownerEmail: owner.email, path: '/Team Plan' });
  target.addFolderMember({ sharedFolderId, email: guest.email, accessLevel: 'editor' });
  const dbx = sdk(target, { accessToken: owner.accessToken });
  const before = await listAll(dbx, '');
  return { owner, guest, sharedFolderId, dbx, before };
}

describe('scenario 15 (samschott/maestral#1044): unsharing a mount point', () => {
  it('reports X(/team plan) then D(/team plan) with the same id and no sharing fields; nothing for the 200 files', async () => {
    const { sharedFolderId, dbx, before } = await sharedTeamPlan(emulator);
    const mountPoint = byPath(before.entries, '/team plan');
    expect(mountPoint).toMatchObject({ shared_folder_id: sharedFolderId, sharing_info: { shared_folder_id: sharedFolderId, read_only: false } });
    emulator.unshareFolder({ sharedFolderId });
    const { entries } = await changesSince(dbx, before.cursor);
    expect(brief(entries)).toEqual(['X(/team plan)', 'D(/team plan)']);
    expect(entries[1]).toEqual({ '.tag': 'folder', name: 'Team Plan', id: mountPoint.id, path_lower: '/team plan', path_display: '/Team Plan' });
    // The server's state afterwards: 201 items with the ids they had, and no sharing fields left.
    const after = await listAll(dbx, '');
    expect(after.entries).toHaveLength(201);
    expect(new Map(after.entries.map((entry) => [entry.path_lower, entry.id]))).toEqual(new Map(before.entries.map((entry) => [entry.path_lower, entry.id])));
    expect(after.entries.filter((entry) => 'sharing_info' in entry || 'parent_shared_folder_id' in entry)).toEqual([]);
  });

  it('with reemitSubtreeOnUnshare, follows the folder with F for all 200 files, same ids and no sharing_info', async () => {
    await withEmulator({ reemitSubtreeOnUnshare: true }, async (other) => {
      const { sharedFolderId, dbx, before } = await sharedTeamPlan(other);
      other.unshareFolder({ sharedFolderId });
      const { entries } = await changesSince(dbx, before.cursor);
      expect(brief(entries.slice(0, 3))).toEqual(['X(/team plan)', 'D(/team plan)', 'F(/team plan/doc-001.txt)']);
      expect(entries).toHaveLength(202);
      const files = entries.slice(2);
      expect(files.every((entry) => entry['.tag'] === 'file' && !('sharing_info' in entry))).toBe(true);
      const idsBefore = new Map(before.entries.map((entry) => [entry.path_lower, entry.id]));
      for (const entry of entries.slice(1)) expect(entry.id).toBe(idsBefore.get(entry.path_lower));
    });
  });

  it('removes the folder from the other member as one X(/team plan)', async () => {
    const { guest, sharedFolderId } = await sharedTeamPlan(emulator);
    const guestDbx = sdk(emulator, { accessToken: guest.accessToken });
    const { cursor } = await listAll(guestDbx, '');
    emulator.unshareFolder({ sharedFolderId });
    expect(brief((await changesSince(guestDbx, cursor)).entries)).toEqual(['X(/team plan)']);
  });
});

/** A team with one member and a long-lived team token; the member may later leave. */
function teamToken(memberName: string) {
  const member = newUser(emulator, memberName);
  emulator.applyBatch(member.email, adds(['/Docs/a.txt']));
  const { teamId } = emulator.createTeam({ name: `Team of ${memberName}` });
  const { teamMemberId } = emulator.addTeamMember({ teamId, email: member.email });
  const { accessToken } = emulator.issueTeamToken({ teamId });
  return { member, teamId, teamMemberId, accessToken };
}

const TEAM_TOKEN_400 =
  'This API function operates on a single Dropbox account, but the OAuth 2 access token you provided is for an entire Dropbox Business team.  ' +
  'Since your API app key has team member file access permissions, you can operate on a team member\'s Dropbox by providing the "Dropbox-API-Select-User" HTTP header or "select_user" URL parameter.';

describe('scenario 35 (andreafabrizi/Dropbox-Uploader#418): a team token on user routes', () => {
  it.each([
    ['users/get_current_account', undefined],
    ['files/list_folder', { path: '' }],
    ['auth/token/revoke', undefined],
  ])('answers %s without Dropbox-API-Select-User with 400 text naming the header', async (route, body) => {
    const { accessToken } = teamToken('Uploader One');
    const reply = await wire.api(route, accessToken, body);
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(reply.text).toBe(`Error in call to API function "${route}": ${TEAM_TOKEN_400}`);
  });

  it('answers 200 as the member named by Select-User, and 401 invalid_select_user once they left the team', async () => {
    const { member, teamId, teamMemberId, accessToken } = teamToken('Uploader Two');
    const asMember = sdk(emulator, { accessToken, selectUser: teamMemberId });
    const account = (await asMember.usersGetCurrentAccount()).result;
    expect([account.email, account.team_member_id]).toEqual([member.email, teamMemberId]);
    expect((await listAll(asMember, '')).entries.map((entry) => entry.path_lower)).toEqual(['/docs', '/docs/a.txt']);

    emulator.removeTeamMember({ teamId, email: member.email });
    for (const call of [asMember.usersGetCurrentAccount(), asMember.filesListFolder({ path: '' })]) {
      expect(await failure(call)).toEqual({ status: 401, error: { error_summary: expect.stringMatching(/^invalid_select_user\/\.{0,3}$/), error: { '.tag': 'invalid_select_user' } } });
    }
    // The member's own token is unaffected: they are a personal account again.
    expect((await sdk(emulator, { accessToken: member.accessToken }).usersGetCurrentAccount()).result.root_info['.tag']).toBe('user');
  });
});

describe('scenario 39 (dropbox/dropbox-sdk-dotnet#371): only the mount point carries shared_folder_id', () => {
  it('marks a team folder with shared_folder_id, its subfolder and file with parent_shared_folder_id and modified_by', async () => {
    const member = newUser(emulator, 'Team X Member');
    const author = newUser(emulator, 'Team X Author');
    const { teamId, rootNamespaceId } = emulator.createTeam({ name: 'Team X Inc' });
    emulator.addTeamMember({ teamId, email: member.email });
    emulator.addTeamMember({ teamId, email: author.email });
    const { sharedFolderId } = emulator.createTeamFolder({ teamId, name: 'Team X' });
    emulator.applySharedFolderBatch({ sharedFolderId, batch: adds(['/sub/a.txt']), actorEmail: author.email });

    const dbx = sdk(emulator, { accessToken: member.accessToken, pathRoot: { '.tag': 'root', root: rootNamespaceId } });
    const { entries } = await listAll(dbx, '/team x');
    expect(brief(entries)).toEqual(['D(/team x)', 'D(/team x/sub)', 'F(/team x/sub/a.txt)']);
    expect(entries[0]).toMatchObject({ shared_folder_id: sharedFolderId, sharing_info: { read_only: false, shared_folder_id: sharedFolderId, traverse_only: false, no_access: false } });
    expect(entries[0]!['sharing_info']).not.toHaveProperty('parent_shared_folder_id');
    expect(entries[1]).not.toHaveProperty('shared_folder_id');
    expect(entries[1]!['sharing_info']).toEqual({ read_only: false, parent_shared_folder_id: sharedFolderId, traverse_only: false, no_access: false });
    expect(entries[2]!['sharing_info']).toEqual({ read_only: false, parent_shared_folder_id: sharedFolderId, modified_by: author.accountId });
    expect(entries[2]!['parent_shared_folder_id']).toBe(sharedFolderId);
  });

  it('gives every item below a read-only mount point read_only true, and flips them all with the access level', async () => {
    const owner = newUser(emulator, 'Folder Owner');
    const viewer = newUser(emulator, 'Folder Viewer');
    emulator.applyBatch(owner.email, adds(['/Shared X/a.txt', '/Shared X/sub/b.txt', '/Shared X/sub/deep/c.txt']));
    const { sharedFolderId } = emulator.createSharedFolder({ ownerEmail: owner.email, path: '/Shared X' });
    emulator.addFolderMember({ sharedFolderId, email: viewer.email, accessLevel: 'viewer' });
    const dbx = sdk(emulator, { accessToken: viewer.accessToken });
    const asViewer = await listAll(dbx, '');
    expect(asViewer.entries).toHaveLength(6);
    expect(asViewer.entries.map((entry) => (entry['sharing_info'] as { read_only: boolean }).read_only)).toEqual(Array<boolean>(6).fill(true));

    // Made an editor: the change feed re-reports the folder and its children, now all writable.
    emulator.addFolderMember({ sharedFolderId, email: viewer.email, accessLevel: 'editor' });
    const changed = (await changesSince(dbx, asViewer.cursor)).entries.filter((entry) => entry['.tag'] !== 'deleted');
    expect(changed.map((entry) => entry.path_lower).sort()).toEqual(asViewer.entries.map((entry) => entry.path_lower).sort());
    expect(changed.every((entry) => (entry['sharing_info'] as { read_only: boolean }).read_only === false)).toBe(true);
    expect(new Set(changed.map((entry) => entry.id))).toEqual(new Set(asViewer.entries.map((entry) => entry.id)));
  });
});

describe('scenario 49 (PipedreamHQ/pipedream#3316): a Paper doc is a non-downloadable file', () => {
  it('reports /notes/plan.paper on continue with is_downloadable false, export_info, size and content_hash', async () => {
    const user = newUser(emulator, 'Paper Writer');
    emulator.applyBatch(user.email, adds(['/Notes/todo.txt']));
    const dbx = sdk(emulator, { accessToken: user.accessToken });
    const c1 = (await listAll(dbx, '')).cursor;
    emulator.applyBatch(user.email, { seq: 2, at: '2026-05-02T08:00:00Z', ops: [{ op: 'add', path: '/Notes/Plan.paper', size: 2048 }] });
    const { entries } = await changesSince(dbx, c1);
    expect(brief(entries)).toEqual(['F(/notes/plan.paper)']);
    expect(entries[0]).toMatchObject({
      name: 'Plan.paper',
      path_display: '/Notes/Plan.paper',
      is_downloadable: false,
      export_info: { export_as: 'html', export_options: ['html', 'markdown'] },
      size: 2048,
      content_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // An ordinary file beside it is downloadable and has no export_info.
    const todo = byPath((await listAll(dbx, '')).entries, '/notes/todo.txt');
    expect(todo['is_downloadable']).toBe(true);
    expect(todo).not.toHaveProperty('export_info');
  });

  it('leaves the Paper doc out of a listing, and out of its continues, with include_non_downloadable_files false', async () => {
    const user = newUser(emulator, 'Paper Skipper');
    emulator.applyBatch(user.email, adds(['/Notes/Plan.paper', '/Notes/todo.txt']));
    const dbx = sdk(emulator, { accessToken: user.accessToken });
    const without = await listAll(dbx, '', { include_non_downloadable_files: false });
    expect(brief(without.entries)).toEqual(['D(/notes)', 'F(/notes/todo.txt)']);
    emulator.applyBatch(user.email, adds(['/Notes/Later.paper', '/Notes/later.txt'], 2));
    expect(brief((await changesSince(dbx, without.cursor)).entries)).toEqual(['F(/notes/later.txt)']);
    // The default includes them.
    expect(brief((await listAll(dbx, '')).entries)).toEqual(['D(/notes)', 'F(/notes/later.paper)', 'F(/notes/later.txt)', 'F(/notes/plan.paper)', 'F(/notes/todo.txt)']);
  });
});
