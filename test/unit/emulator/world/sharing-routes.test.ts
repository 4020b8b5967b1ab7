import { DropboxEmulator } from '../../../../emulator/src';
import { adds, failure, newUser, sdk } from './support';

let emulator: DropboxEmulator;

beforeAll(async () => {
  emulator = await DropboxEmulator.start({ seed: 'world-sharing-routes-test' });
});

afterAll(async () => {
  await emulator.stop();
});

function sharedFolderWithMembers(extraMembers: number) {
  const owner = newUser(emulator, 'Folder Owner');
  emulator.applyBatch(owner.email, adds(['/Shared Docs/readme.txt']));
  const { sharedFolderId } = emulator.createSharedFolder({ ownerEmail: owner.email, path: '/Shared Docs' });
  const members = Array.from({ length: extraMembers }, (_, index) => {
    const member = newUser(emulator, `Member ${index}`);
    emulator.addFolderMember({ sharedFolderId, email: member.email, accessLevel: index % 2 === 0 ? 'editor' : 'viewer' });
    return member;
  });
  return { owner, members, sharedFolderId };
}

describe('sharing/get_folder_metadata', () => {
  it('returns SharedFolderMetadata with the mount path, policy and requested permissions', async () => {
    const { owner, members, sharedFolderId } = sharedFolderWithMembers(2);
    const metadata = (await sdk(emulator, { accessToken: members[1]!.accessToken }).sharingGetFolderMetadata({ shared_folder_id: sharedFolderId, actions: [{ '.tag': 'edit_contents' }, { '.tag': 'unmount' }] })).result;
    const folderId = emulator.groundTruth(owner.email).find((entry) => entry.path_lower === '/shared docs')!.id;
    expect(metadata).toEqual({
      access_type: { '.tag': 'viewer' },
      is_inside_team_folder: false,
      is_team_folder: false,
      owner_display_names: ['Folder Owner'],
      path_lower: '/shared docs',
      path_display: '/Shared Docs',
      name: 'Shared Docs',
      permissions: [
        { action: { '.tag': 'edit_contents' }, allow: false, reason: { '.tag': 'permission_denied' } },
        { action: { '.tag': 'unmount' }, allow: true },
      ],
      policy: { acl_update_policy: { '.tag': 'owner' }, shared_link_policy: { '.tag': 'anyone' } },
      preview_url: `https://www.dropbox.com/scl/fo/${sharedFolderId}`,
      shared_folder_id: sharedFolderId,
      time_invited: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      access_inheritance: { '.tag': 'inherit' },
      folder_id: folderId,
    });
  });

  it('leaves out the path while the folder is unmounted for the caller', async () => {
    const { members, sharedFolderId } = sharedFolderWithMembers(1);
    emulator.unmountFolder({ sharedFolderId, email: members[0]!.email });
    const metadata = (await sdk(emulator, { accessToken: members[0]!.accessToken }).sharingGetFolderMetadata({ shared_folder_id: sharedFolderId })).result;
    expect(metadata).not.toHaveProperty('path_lower');
    expect(metadata).not.toHaveProperty('path_display');
    expect(metadata).not.toHaveProperty('permissions');
  });

  it('answers 409 invalid_id for an unknown folder and not_a_member for someone else', async () => {
    const { sharedFolderId } = sharedFolderWithMembers(0);
    const stranger = newUser(emulator, 'Stranger');
    const dbx = sdk(emulator, { accessToken: stranger.accessToken });
    expect(await failure(dbx.sharingGetFolderMetadata({ shared_folder_id: '123' }))).toMatchObject({ status: 409, error: { error: { '.tag': 'invalid_id' } } });
    expect(await failure(dbx.sharingGetFolderMetadata({ shared_folder_id: sharedFolderId }))).toMatchObject({ status: 409, error: { error: { '.tag': 'not_a_member' } } });
  });

  it('refuses an unknown action with a 400', async () => {
    const { owner, sharedFolderId } = sharedFolderWithMembers(0);
    const bad = await failure(sdk(emulator, { accessToken: owner.accessToken }).sharingGetFolderMetadata({ shared_folder_id: sharedFolderId, actions: [{ '.tag': 'fly' } as never] }));
    expect(bad.status).toBe(400);
    expect(bad.error).toContain('actions');
  });
});

describe('sharing/list_folders', () => {
  it('pages the caller\'s folders by limit, with a cursor only while more remain', async () => {
    const user = newUser(emulator, 'Many Folders');
    emulator.applyBatch(user.email, adds(['/A/x.txt', '/B/x.txt', '/C/x.txt']));
    const ids = ['/A', '/B', '/C'].map((path) => emulator.createSharedFolder({ ownerEmail: user.email, path }).sharedFolderId);
    const dbx = sdk(emulator, { accessToken: user.accessToken });
    const first = (await dbx.sharingListFolders({ limit: 2 })).result;
    expect(first.entries.map((entry) => entry.shared_folder_id)).toEqual(ids.slice(0, 2));
    expect(first.cursor).toEqual(expect.any(String));
    const second = (await dbx.sharingListFoldersContinue({ cursor: first.cursor! })).result;
    expect(second.entries.map((entry) => entry.shared_folder_id)).toEqual(ids.slice(2));
    expect(second).not.toHaveProperty('cursor');
    expect(second.entries[0]).toMatchObject({ access_type: { '.tag': 'owner' }, path_lower: '/c', name: 'C' });
  });

  it('answers 409 invalid_cursor for a cursor that is not one of its own', async () => {
    const user = newUser(emulator, 'Bad Cursor');
    const bad = await failure(sdk(emulator, { accessToken: user.accessToken }).sharingListFoldersContinue({ cursor: 'nonsense' }));
    expect(bad).toMatchObject({ status: 409, error: { error: { '.tag': 'invalid_cursor' } } });
  });

  it('refuses a limit outside 1..1000 with a 400', async () => {
    const user = newUser(emulator, 'Bad Limit');
    const bad = await failure(sdk(emulator, { accessToken: user.accessToken }).sharingListFolders({ limit: 1001 }));
    expect(bad.status).toBe(400);
    expect(bad.error).toContain('limit');
  });
});

describe('sharing/list_folder_members', () => {
  it('lists the owner first then members, paging by limit with cursor and no has_more', async () => {
    const { owner, members, sharedFolderId } = sharedFolderWithMembers(2);
    const dbx = sdk(emulator, { accessToken: owner.accessToken });
    const first = (await dbx.sharingListFolderMembers({ shared_folder_id: sharedFolderId, limit: 2, actions: [{ '.tag': 'remove' }] })).result;
    expect(first).not.toHaveProperty('has_more');
    expect(first.groups).toEqual([]);
    expect(first.invitees).toEqual([]);
    expect(first.users).toEqual([
      {
        access_type: { '.tag': 'owner' },
        permissions: [{ action: { '.tag': 'remove' }, allow: false, reason: { '.tag': 'permission_denied' } }],
        is_inherited: false,
        user: { account_id: owner.accountId, email: owner.email, display_name: 'Folder Owner', same_team: false },
      },
      {
        access_type: { '.tag': 'editor' },
        permissions: [{ action: { '.tag': 'remove' }, allow: true }],
        is_inherited: false,
        user: { account_id: members[0]!.accountId, email: members[0]!.email, display_name: 'Member 0', same_team: false },
      },
    ]);
    const rest = (await dbx.sharingListFolderMembersContinue({ cursor: first.cursor! })).result;
    expect(rest.users.map((user) => [user.user.account_id, user.access_type['.tag']])).toEqual([[members[1]!.accountId, 'viewer']]);
    expect(rest).not.toHaveProperty('cursor');
  });

  it('nests access errors on continue under access_error once the caller left', async () => {
    const { owner, members, sharedFolderId } = sharedFolderWithMembers(2);
    const dbx = sdk(emulator, { accessToken: members[0]!.accessToken });
    const first = (await dbx.sharingListFolderMembers({ shared_folder_id: sharedFolderId, limit: 1 })).result;
    emulator.removeFolderMember({ sharedFolderId, email: members[0]!.email });
    const left = await failure(dbx.sharingListFolderMembersContinue({ cursor: first.cursor! }));
    expect(left).toMatchObject({ status: 409, error: { error: { '.tag': 'access_error', access_error: { '.tag': 'not_a_member' } } } });
    expect(owner.accountId).toMatch(/^dbid:/);
  });

  it('refuses limit 0 with a 400', async () => {
    const { owner, sharedFolderId } = sharedFolderWithMembers(0);
    const bad = await failure(sdk(emulator, { accessToken: owner.accessToken }).sharingListFolderMembers({ shared_folder_id: sharedFolderId, limit: 0 }));
    expect(bad.status).toBe(400);
  });
});
