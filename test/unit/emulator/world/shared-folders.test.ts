import { DropboxEmulator } from '../../../../emulator/src';
import { adds, brief, changesSince, Entry, failure, listAll, newUser, sdk } from './support';

let emulator: DropboxEmulator;

beforeAll(async () => {
  emulator = await DropboxEmulator.start({ seed: 'world-shared-test' });
});

afterAll(async () => {
  await emulator.stop();
});

/** Owner shares `/Plans` (with one file and a subfolder); a second user joins with `access`. */
function sharedPlans(access: 'editor' | 'viewer' | 'traverse' = 'editor') {
  const owner = newUser(emulator, 'Owner One');
  const guest = newUser(emulator, 'Guest Two');
  emulator.applyBatch(owner.email, adds(['/Plans/a.txt', '/Plans/sub/b.txt', '/mine.txt']));
  const { sharedFolderId } = emulator.createSharedFolder({ ownerEmail: owner.email, path: '/Plans' });
  emulator.addFolderMember({ sharedFolderId, email: guest.email, accessLevel: access });
  return { owner, guest, sharedFolderId };
}

function byPath(entries: readonly Entry[], lower: string): Entry {
  const entry = entries.find((candidate) => candidate.path_lower === lower);
  if (!entry) throw new Error(`no entry ${lower} in ${entries.map((candidate) => candidate.path_lower).join(', ')}`);
  return entry;
}

describe('shared folders in listings', () => {
  it('mark the mount point with shared_folder_id and descendants with parent_shared_folder_id', async () => {
    const { owner, guest, sharedFolderId } = sharedPlans('viewer');
    const { entries } = await listAll(sdk(emulator, { accessToken: guest.accessToken }), '');
    expect(byPath(entries, '/plans')).toMatchObject({
      '.tag': 'folder',
      shared_folder_id: sharedFolderId,
      sharing_info: { read_only: true, shared_folder_id: sharedFolderId, traverse_only: false, no_access: false },
    });
    const sub = byPath(entries, '/plans/sub');
    expect(sub['sharing_info']).toEqual({ read_only: true, parent_shared_folder_id: sharedFolderId, traverse_only: false, no_access: false });
    expect(sub).not.toHaveProperty('shared_folder_id');
    expect(byPath(entries, '/plans/sub/b.txt')['sharing_info']).toEqual({ read_only: true, parent_shared_folder_id: sharedFolderId, modified_by: owner.accountId });
    // The owner's own copy has the same ids and is writable.
    const ownerView = await listAll(sdk(emulator, { accessToken: owner.accessToken }), '');
    expect(byPath(ownerView.entries, '/plans/sub/b.txt').id).toBe(byPath(entries, '/plans/sub/b.txt').id);
    expect(byPath(ownerView.entries, '/plans')['sharing_info']).toMatchObject({ read_only: false });
    expect(byPath(ownerView.entries, '/mine.txt')).not.toHaveProperty('sharing_info');
  });

  it('report a write in the folder to every member with the same id, rev and hash, and modified_by the author', async () => {
    const { owner, guest, sharedFolderId } = sharedPlans();
    const ownerDbx = sdk(emulator, { accessToken: owner.accessToken });
    const guestDbx = sdk(emulator, { accessToken: guest.accessToken });
    const ownerStart = await listAll(ownerDbx, '');
    const guestStart = await listAll(guestDbx, '');
    emulator.applyBatch(guest.email, adds(['/Plans/from-guest.txt'], 2));
    const seenByOwner = (await changesSince(ownerDbx, ownerStart.cursor)).entries;
    const seenByGuest = (await changesSince(guestDbx, guestStart.cursor)).entries;
    expect(brief(seenByOwner)).toEqual(['F(/plans/from-guest.txt)']);
    // An editor and the owner see identical entries: same id, rev, hash and sharing fields.
    expect(seenByGuest).toEqual(seenByOwner);
    expect(seenByOwner[0]!['sharing_info']).toEqual({ read_only: false, parent_shared_folder_id: sharedFolderId, modified_by: guest.accountId });
  });

  it('appear as adds with the folder ids when mounted and disappear as one delete when unmounted', async () => {
    const { owner, guest, sharedFolderId } = sharedPlans();
    const dbx = sdk(emulator, { accessToken: guest.accessToken });
    const mounted = await listAll(dbx, '');
    emulator.unmountFolder({ sharedFolderId, email: guest.email });
    const unmounted = await changesSince(dbx, mounted.cursor);
    expect(brief(unmounted.entries)).toEqual(['X(/plans)']);
    expect(unmounted.entries[0]).not.toHaveProperty('id');
    emulator.mountFolder({ sharedFolderId, email: guest.email, path: '/Team/Plans' });
    const remounted = await changesSince(dbx, unmounted.cursor);
    expect(brief(remounted.entries)).toEqual(['D(/team)', 'D(/team/plans)', 'F(/team/plans/a.txt)', 'D(/team/plans/sub)', 'F(/team/plans/sub/b.txt)']);
    const ownerIds = new Map((await listAll(sdk(emulator, { accessToken: owner.accessToken }), '')).entries.map((entry) => [entry.name, entry.id]));
    for (const entry of remounted.entries.filter((candidate) => candidate.path_lower !== '/team')) expect(entry.id).toBe(ownerIds.get(entry.name));
  });

  it('with include_mounted_folders false, keep the mount point but leave out everything below it', async () => {
    const { owner } = sharedPlans();
    const { entries } = await listAll(sdk(emulator, { accessToken: owner.accessToken }), '', { include_mounted_folders: false });
    expect(entries.map((entry) => entry.path_lower)).toEqual(['/mine.txt', '/plans']);
  });

  it('show a traverse-only member the mount point and nothing inside', async () => {
    const { guest, sharedFolderId } = sharedPlans('traverse');
    const { entries } = await listAll(sdk(emulator, { accessToken: guest.accessToken }), '');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ path_lower: '/plans', sharing_info: { shared_folder_id: sharedFolderId, read_only: true, traverse_only: true, no_access: false } });
  });

  it('add has_explicit_shared_members to files when asked', async () => {
    const { owner } = sharedPlans();
    const { entries } = await listAll(sdk(emulator, { accessToken: owner.accessToken }), '', { include_has_explicit_shared_members: true });
    expect(byPath(entries, '/plans/a.txt')['has_explicit_shared_members']).toBe(false);
    expect(byPath(entries, '/plans')).not.toHaveProperty('has_explicit_shared_members');
  });
});

describe('unsharing', () => {
  it('reports the mount point deleted then re-added without sharing fields to the owner, and removes it from members', async () => {
    const { owner, guest, sharedFolderId } = sharedPlans();
    const ownerDbx = sdk(emulator, { accessToken: owner.accessToken });
    const guestDbx = sdk(emulator, { accessToken: guest.accessToken });
    const ownerStart = await listAll(ownerDbx, '');
    const guestStart = await listAll(guestDbx, '');
    const folderId = byPath(ownerStart.entries, '/plans').id;
    emulator.unshareFolder({ sharedFolderId });
    const ownerChanges = (await changesSince(ownerDbx, ownerStart.cursor)).entries;
    expect(brief(ownerChanges)).toEqual(['X(/plans)', 'D(/plans)']);
    expect(ownerChanges[1]).toEqual({ '.tag': 'folder', name: 'Plans', id: folderId, path_lower: '/plans', path_display: '/Plans' });
    expect(brief((await changesSince(guestDbx, guestStart.cursor)).entries)).toEqual(['X(/plans)']);
    const after = await listAll(ownerDbx, '');
    expect(after.entries.every((entry) => !('sharing_info' in entry))).toBe(true);
    const gone = await failure(sdk(emulator, { accessToken: owner.accessToken }).sharingGetFolderMetadata({ shared_folder_id: sharedFolderId }));
    expect(gone).toMatchObject({ status: 409, error: { error: { '.tag': 'invalid_id' } } });
  });
});
