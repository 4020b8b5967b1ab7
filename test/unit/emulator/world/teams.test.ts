import { DropboxEmulator } from '../../../../emulator/src';
import { adds, failure, listAll, newUser, sdk } from './support';

let emulator: DropboxEmulator;

beforeAll(async () => {
  emulator = await DropboxEmulator.start({ seed: 'world-teams-test' });
});

afterAll(async () => {
  await emulator.stop();
});

/** A team with one member who has a file at home and a team folder with a file. */
function teamWithMember(memberName = 'Ada Lovelace') {
  const member = newUser(emulator, memberName);
  emulator.applyBatch(member.email, adds(['/Notes/home.txt']));
  const { teamId, rootNamespaceId } = emulator.createTeam({ name: 'Analytical Engines' });
  const { teamMemberId } = emulator.addTeamMember({ teamId, email: member.email });
  const { sharedFolderId } = emulator.createTeamFolder({ teamId, name: 'Projects' });
  emulator.applySharedFolderBatch({ sharedFolderId, batch: adds(['/plan.txt']) });
  return { member, teamId, rootNamespaceId, teamMemberId, sharedFolderId };
}

describe('root_info', () => {
  it('is a user root (root = home, no home_path) for a personal account', async () => {
    const user = newUser(emulator, 'Solo User');
    const account = (await sdk(emulator, { accessToken: user.accessToken }).usersGetCurrentAccount()).result;
    const namespaceId = emulator.account(user.email).namespaceId;
    expect(account.root_info).toEqual({ '.tag': 'user', root_namespace_id: namespaceId, home_namespace_id: namespaceId });
    expect(account.account_type['.tag']).toBe('basic');
    expect(account).not.toHaveProperty('team');
  });

  it('is a team root with home_path for a team member, with team and team_member_id', async () => {
    const { member, teamId, rootNamespaceId, teamMemberId } = teamWithMember();
    const account = (await sdk(emulator, { accessToken: member.accessToken }).usersGetCurrentAccount()).result;
    expect(account.root_info).toEqual({
      '.tag': 'team',
      root_namespace_id: rootNamespaceId,
      home_namespace_id: emulator.account(member.email).namespaceId,
      home_path: '/Ada Lovelace',
    });
    expect(account.team?.id).toBe(teamId);
    expect(account.team_member_id).toBe(teamMemberId);
    expect(account.account_type['.tag']).toBe('business');
  });
});

describe('Dropbox-API-Path-Root', () => {
  it('without the header, "" is the member folder only; with the root, the team space', async () => {
    const { member, rootNamespaceId } = teamWithMember();
    const home = await listAll(sdk(emulator, { accessToken: member.accessToken }), '');
    expect(home.entries.map((entry) => entry.path_lower)).toEqual(['/notes', '/notes/home.txt']);
    const asHome = await listAll(sdk(emulator, { accessToken: member.accessToken, pathRoot: { '.tag': 'home' } }), '');
    expect(asHome.entries.map((entry) => entry.path_lower)).toEqual(['/notes', '/notes/home.txt']);
    const root = await listAll(sdk(emulator, { accessToken: member.accessToken, pathRoot: { '.tag': 'root', root: rootNamespaceId } }), '');
    expect(root.entries.map((entry) => entry.path_lower)).toEqual(['/ada lovelace', '/ada lovelace/notes', '/ada lovelace/notes/home.txt', '/projects', '/projects/plan.txt']);
    // The same items keep their ids in both views.
    expect(root.entries.find((entry) => entry.name === 'home.txt')?.id).toBe(home.entries.find((entry) => entry.name === 'home.txt')?.id);
  });

  it('mirrors later home changes into the team space under the member folder', async () => {
    const { member, rootNamespaceId } = teamWithMember();
    const dbx = sdk(emulator, { accessToken: member.accessToken, pathRoot: { '.tag': 'root', root: rootNamespaceId } });
    const { cursor } = await listAll(dbx, '');
    emulator.applyBatch(member.email, adds(['/Notes/later.txt'], 2));
    const page = (await dbx.filesListFolderContinue({ cursor })).result;
    expect(page.entries.map((entry) => entry.path_lower)).toEqual(['/ada lovelace/notes/later.txt']);
  });

  it('answers 422 invalid_root with the current root info for a stale root, and after joining a team', async () => {
    const user = newUser(emulator, 'Grace Hopper');
    const personalRoot = emulator.account(user.email).namespaceId;
    const asRoot = sdk(emulator, { accessToken: user.accessToken, pathRoot: { '.tag': 'root', root: personalRoot } });
    expect((await asRoot.filesListFolder({ path: '' })).status).toBe(200);
    const { teamId, rootNamespaceId } = emulator.createTeam({ name: 'Compilers' });
    emulator.addTeamMember({ teamId, email: user.email });
    const stale = await failure(asRoot.filesListFolder({ path: '' }));
    expect(stale.status).toBe(422);
    expect(stale.error).toMatchObject({
      error_summary: expect.stringMatching(/^invalid_root\/\.{0,3}$/),
      error: { '.tag': 'invalid_root', invalid_root: { '.tag': 'team', root_namespace_id: rootNamespaceId, home_namespace_id: personalRoot, home_path: '/Grace Hopper' } },
    });
  });

  it('after changeRootNamespace, answers 422 for the old root and reset to its cursors on continue and longpoll', async () => {
    const { member, teamId, rootNamespaceId } = teamWithMember('Moved Root');
    const oldRoot = sdk(emulator, { accessToken: member.accessToken, pathRoot: { '.tag': 'root', root: rootNamespaceId } });
    const { cursor } = await listAll(oldRoot, '');
    const changed = emulator.changeRootNamespace({ teamId });
    expect(changed.rootNamespaceId).not.toBe(rootNamespaceId);
    expect(await failure(oldRoot.filesListFolder({ path: '' }))).toMatchObject({
      status: 422,
      error: { error: { '.tag': 'invalid_root', invalid_root: { root_namespace_id: changed.rootNamespaceId } } },
    });
    const newRoot = sdk(emulator, { accessToken: member.accessToken, pathRoot: { '.tag': 'root', root: changed.rootNamespaceId } });
    expect(await failure(newRoot.filesListFolderContinue({ cursor }))).toMatchObject({ status: 409, error: { error: { '.tag': 'reset' } } });
    const longpoll = await fetch(`${emulator.notifyBaseUrl}/2/files/list_folder/longpoll`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ cursor }),
    });
    expect(longpoll.status).toBe(409);
    expect(((await longpoll.json()) as { error: unknown }).error).toEqual({ '.tag': 'reset' });
  });

  it('answers 422 no_permission for a namespace the user cannot reach, and serves one it can', async () => {
    const { member, sharedFolderId } = teamWithMember();
    const other = newUser(emulator, 'Outsider');
    const foreign = await failure(sdk(emulator, { accessToken: other.accessToken, pathRoot: { '.tag': 'namespace_id', namespace_id: sharedFolderId } }).filesListFolder({ path: '' }));
    expect(foreign).toMatchObject({ status: 422, error: { error: { '.tag': 'no_permission' } } });
    const teamFolder = await listAll(sdk(emulator, { accessToken: member.accessToken, pathRoot: { '.tag': 'namespace_id', namespace_id: sharedFolderId } }), '');
    expect(teamFolder.entries.map((entry) => entry.path_lower)).toEqual(['/plan.txt']);
    expect(teamFolder.entries[0]).toMatchObject({ sharing_info: { read_only: false, parent_shared_folder_id: sharedFolderId } });
  });

  it('refuses a header that is not a PathRoot with a 400 naming the header', async () => {
    const user = newUser(emulator, 'Bad Header');
    const bad = await failure(sdk(emulator, { accessToken: user.accessToken, pathRoot: { '.tag': 'everything' } }).filesListFolder({ path: '' }));
    expect(bad.status).toBe(400);
    expect(bad.error).toContain('Dropbox-API-Path-Root');
  });

  it('does not accept a cursor issued under another root', async () => {
    const { member, rootNamespaceId } = teamWithMember();
    const { cursor } = await listAll(sdk(emulator, { accessToken: member.accessToken, pathRoot: { '.tag': 'root', root: rootNamespaceId } }), '');
    const mixed = await failure(sdk(emulator, { accessToken: member.accessToken }).filesListFolderContinue({ cursor }));
    expect(mixed.status).toBe(400);
  });
});

describe('team tokens', () => {
  it('need Dropbox-API-Select-User on user routes (400 text), work with it, and get 401 invalid_select_user once the member left', async () => {
    const { member, teamId, teamMemberId } = teamWithMember('Select Me');
    const { accessToken } = emulator.issueTeamToken({ teamId });
    const missing = await failure(sdk(emulator, { accessToken }).usersGetCurrentAccount());
    expect(missing.status).toBe(400);
    expect(missing.error).toContain('operates on a single Dropbox account');
    expect(missing.error).toContain('entire Dropbox Business team');
    expect(missing.error).toContain('Dropbox-API-Select-User');
    const selected = (await sdk(emulator, { accessToken, selectUser: teamMemberId }).usersGetCurrentAccount()).result;
    expect(selected.email).toBe(member.email);
    emulator.removeTeamMember({ teamId, email: member.email });
    const left = await failure(sdk(emulator, { accessToken, selectUser: teamMemberId }).filesListFolder({ path: '' }));
    expect(left).toMatchObject({ status: 401, error: { error: { '.tag': 'invalid_select_user' } } });
  });

  it('refuse a Select-User value that is not a team member id with a 400', async () => {
    const { teamId } = teamWithMember();
    const { accessToken } = emulator.issueTeamToken({ teamId });
    const bad = await failure(sdk(emulator, { accessToken, selectUser: 'someone@example.com' }).usersGetCurrentAccount());
    expect(bad.status).toBe(400);
    expect(bad.error).toContain('Invalid select user id format');
  });

  it('leave a departed member personal again: root_info is user and the team space is gone', async () => {
    const { member, teamId, rootNamespaceId } = teamWithMember();
    emulator.removeTeamMember({ teamId, email: member.email });
    const dbx = sdk(emulator, { accessToken: member.accessToken });
    const account = (await dbx.usersGetCurrentAccount()).result;
    expect(account.root_info['.tag']).toBe('user');
    const stale = await failure(sdk(emulator, { accessToken: member.accessToken, pathRoot: { '.tag': 'root', root: rootNamespaceId } }).filesListFolder({ path: '' }));
    expect(stale).toMatchObject({ status: 422, error: { error: { '.tag': 'invalid_root', invalid_root: { '.tag': 'user' } } } });
  });
});

describe('App-folder apps', () => {
  it('see /Apps/<app> as their root and cannot send a path root', async () => {
    const user = newUser(emulator, 'App User');
    emulator.applyBatch(user.email, adds(['/Apps/Sketchbook/drawing.txt', '/Private/secret.txt']));
    const { accessToken } = emulator.issueAppFolderToken({ email: user.email, appKey: 'Sketchbook' });
    const listing = await listAll(sdk(emulator, { accessToken }), '');
    expect(listing.entries.map((entry) => entry.path_lower)).toEqual(['/drawing.txt']);
    const refused = await failure(sdk(emulator, { accessToken, pathRoot: { '.tag': 'home' } }).filesListFolder({ path: '' }));
    expect(refused.status).toBe(400);
    expect(refused.error).toContain('Path root is not supported for sandbox app.');
  });

  it('see later changes inside the app folder only', async () => {
    const user = newUser(emulator, 'App User Two');
    const { accessToken } = emulator.issueAppFolderToken({ email: user.email, appKey: 'Journal' });
    const dbx = sdk(emulator, { accessToken });
    const { cursor } = await listAll(dbx, '');
    emulator.applyBatch(user.email, adds(['/Apps/Journal/day1.txt', '/Elsewhere.txt'], 2));
    const page = (await dbx.filesListFolderContinue({ cursor })).result;
    expect(page.entries.map((entry) => entry.path_lower)).toEqual(['/day1.txt']);
  });
});
