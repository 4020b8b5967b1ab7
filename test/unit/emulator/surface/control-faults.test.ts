import { DropboxEmulator } from '../../../../emulator/src';
import { WireClient } from './wire-client';

/**
 * Faults on demand through `/_control/...` only (issue 3, item 4): the world-changing faults a
 * connector meets (root namespace change, member leaving, unsharing, losing a folder), latency,
 * and a per-account, per-route rate limit, each driven over HTTP and checked on the API's answers.
 * Token faults (expire, revoke, remove-scope) have their HTTP tests in auth/tokens.test.ts, the
 * other fault kinds in faults.test.ts and http-api.test.ts.
 */

let emulator: DropboxEmulator;
let wire: WireClient;

beforeAll(async () => {
  emulator = await DropboxEmulator.start({ seed: 'surface-control-faults' });
  wire = new WireClient(emulator);
});

afterAll(async () => {
  await emulator.stop();
});

afterEach(() => {
  emulator.faults.clear();
  emulator.latencyMs = 0;
});

const LF = 'files/list_folder';
const LFC = 'files/list_folder/continue';
const GCA = 'users/get_current_account';

/** Calls control and insists on a 200, returning the JSON answer. */
async function control(action: string, body: unknown): Promise<Record<string, unknown>> {
  const reply = await wire.control(action, body);
  if (reply.status !== 200) throw new Error(`/_control/${action}: ${reply.status} ${reply.text}`);
  return reply.json();
}

/** A personal account with `/Home/a.txt`, put on a new team over HTTP. */
async function teamMember(name: string) {
  const user = wire.newAccount(name);
  wire.apply(user.email, [{ op: 'add', path: '/Home/a.txt', size: 1 }]);
  const { teamId, rootNamespaceId } = (await control('teams', { name: `${name}'s team` })) as { teamId: string; rootNamespaceId: string };
  const { teamMemberId } = (await control('teams/members', { teamId, email: user.email })) as { teamMemberId: string };
  return { ...user, teamId, rootNamespaceId: rootNamespaceId, teamMemberId };
}

function rootHeader(root: string): Record<string, string> {
  return { 'Dropbox-API-Path-Root': JSON.stringify({ '.tag': 'root', root }) };
}

describe('root namespace change over /_control', () => {
  it('joining a team (teams/members) changes the root: the old asserted root gets 422 invalid_root with the new one', async () => {
    const user = wire.newAccount('Joiner');
    const personalRoot = ((await wire.api(GCA, user.token, undefined)).json()['root_info'] as { root_namespace_id: string }).root_namespace_id;
    expect((await wire.api(LF, user.token, { path: '' }, rootHeader(personalRoot))).status).toBe(200);
    const { teamId, rootNamespaceId } = (await control('teams', { name: 'Joined team' })) as { teamId: string; rootNamespaceId: string };
    await control('teams/members', { teamId, email: user.email });
    const stale = await wire.api(LF, user.token, { path: '' }, rootHeader(personalRoot));
    expect(stale.status).toBe(422);
    expect(stale.json().error).toEqual({
      '.tag': 'invalid_root',
      invalid_root: { '.tag': 'team', root_namespace_id: rootNamespaceId, home_namespace_id: personalRoot, home_path: '/Joiner' },
    });
  });

  it('teams/root-namespace gives the team a new root: 422 for the old one, reset for its cursors, home cursors untouched', async () => {
    const member = await teamMember('Migrated Member');
    const rootCursor = (await wire.api(LF, member.token, { path: '', recursive: true }, rootHeader(member.rootNamespaceId))).json().cursor;
    const homeCursor = (await wire.api(LF, member.token, { path: '', recursive: true })).json().cursor;

    const { rootNamespaceId } = (await control('teams/root-namespace', { teamId: member.teamId })) as { rootNamespaceId: string };
    expect(rootNamespaceId).toMatch(/^\d+$/);
    expect(rootNamespaceId).not.toBe(member.rootNamespaceId);
    expect(((await wire.api(GCA, member.token, undefined)).json()['root_info'] as Record<string, unknown>)['root_namespace_id']).toBe(rootNamespaceId);

    const stale = await wire.api(LF, member.token, { path: '' }, rootHeader(member.rootNamespaceId));
    expect(stale.status).toBe(422);
    expect(stale.json().error).toMatchObject({ '.tag': 'invalid_root', invalid_root: { '.tag': 'team', root_namespace_id: rootNamespaceId } });
    const reset = await wire.api(LFC, member.token, { cursor: rootCursor }, rootHeader(rootNamespaceId));
    expect([reset.status, reset.json().error]).toEqual([409, { '.tag': 'reset' }]);
    expect((await wire.api(LFC, member.token, { cursor: homeCursor })).status).toBe(200);

    // Under the new root the team space lists as before.
    const relisted = (await wire.api(LF, member.token, { path: '', recursive: true }, rootHeader(rootNamespaceId))).json();
    expect(relisted.entries.map((entry) => entry['path_lower'])).toEqual(['/migrated member', '/migrated member/home', '/migrated member/home/a.txt']);
  });

  it('refuses an unknown team with a 400 naming it', async () => {
    const reply = await wire.control('teams/root-namespace', { teamId: 'dbtid:nope' });
    expect([reply.status, reply.text]).toEqual([400, 'no team dbtid:nope']);
  });
});

describe('member removal over /_control', () => {
  it('teams/members/remove: the team token gets 401 invalid_select_user for the member, who is personal again', async () => {
    const member = await teamMember('Leaver');
    const { accessToken } = (await control('teams/tokens', { teamId: member.teamId })) as { accessToken: string };
    const select = { 'Dropbox-API-Select-User': member.teamMemberId };
    expect((await wire.api(GCA, accessToken, undefined, select)).status).toBe(200);
    expect(await control('teams/members/remove', { teamId: member.teamId, email: member.email })).toEqual({ ok: true });
    const left = await wire.api(LF, accessToken, { path: '' }, select);
    expect([left.status, left.json().error]).toEqual([401, { '.tag': 'invalid_select_user' }]);
    expect(((await wire.api(GCA, member.token, undefined)).json()['root_info'] as Record<string, unknown>)['.tag']).toBe('user');
  });

  it('shared-folders/members/remove: the folder leaves the member\'s tree as one deletion of the mount point', async () => {
    const owner = wire.newAccount('Sharer');
    const guest = wire.newAccount('Removed Guest');
    wire.apply(owner.email, [{ op: 'add', path: '/Plans/a.txt', size: 1 }]);
    const { sharedFolderId } = (await control('shared-folders', { ownerEmail: owner.email, path: '/Plans' })) as { sharedFolderId: string };
    await control('shared-folders/members', { sharedFolderId, email: guest.email, accessLevel: 'editor' });
    const listed = (await wire.api(LF, guest.token, { path: '', recursive: true })).json();
    expect(listed.entries.map((entry) => entry['path_lower'])).toEqual(['/plans', '/plans/a.txt']);
    await control('shared-folders/members/remove', { sharedFolderId, email: guest.email });
    const changes = (await wire.api(LFC, guest.token, { cursor: listed.cursor })).json();
    expect(changes.entries).toEqual([{ '.tag': 'deleted', name: 'Plans', path_lower: '/plans', path_display: '/Plans' }]);
  });
});

describe('folder unshared over /_control', () => {
  it('shared-folders/unshare: the owner sees X then D without sharing fields, the member loses it, the id is gone', async () => {
    const owner = wire.newAccount('Unsharer');
    const guest = wire.newAccount('Unshared Guest');
    wire.apply(owner.email, [{ op: 'add', path: '/Plans/a.txt', size: 1 }]);
    const { sharedFolderId } = (await control('shared-folders', { ownerEmail: owner.email, path: '/Plans' })) as { sharedFolderId: string };
    await control('shared-folders/members', { sharedFolderId, email: guest.email, accessLevel: 'viewer' });
    const ownerCursor = (await wire.api(LF, owner.token, { path: '', recursive: true })).json().cursor;
    const guestCursor = (await wire.api(LF, guest.token, { path: '', recursive: true })).json().cursor;
    expect(await control('shared-folders/unshare', { sharedFolderId })).toEqual({ ok: true });
    const ownerChanges = (await wire.api(LFC, owner.token, { cursor: ownerCursor })).json().entries;
    expect(ownerChanges.map((entry) => `${String(entry['.tag'])}:${String(entry['path_lower'])}`)).toEqual(['deleted:/plans', 'folder:/plans']);
    expect(ownerChanges[1]).not.toHaveProperty('sharing_info');
    expect((await wire.api(LFC, guest.token, { cursor: guestCursor })).json().entries.map((entry) => entry['.tag'])).toEqual(['deleted']);
    const again = await wire.control('shared-folders/unshare', { sharedFolderId });
    expect([again.status, again.text]).toEqual([400, `no shared folder ${sharedFolderId}`]);
  });
});

describe('latency and rate limits over /_control', () => {
  it('latency delays every API call until set back to 0', async () => {
    const { token } = wire.newAccount();
    expect(await control('latency', { latencyMs: 150 })).toEqual({ ok: true });
    let started = Date.now();
    await wire.api(GCA, token, undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await control('latency', { latencyMs: 0 });
    started = Date.now();
    await wire.api(GCA, token, undefined);
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('a rate limit for one account and route, every 2nd call, in plain text: other accounts and routes are served', async () => {
    const limited = wire.newAccount();
    const other = wire.newAccount();
    await control('faults', { kind: 'rate_limit', account: limited.email, route: GCA, everyNth: 2, retryAfterSeconds: 7, style: 'text' });
    const statuses: number[] = [];
    for (let call = 0; call < 4; call += 1) {
      const reply = await wire.api(GCA, limited.token, undefined);
      statuses.push(reply.status);
      if (reply.status === 429) {
        expect(reply.headers.get('retry-after')).toBe('7');
        expect(reply.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      }
    }
    expect(statuses).toEqual([200, 429, 200, 429]);
    expect((await wire.api(GCA, other.token, undefined)).status).toBe(200);
    expect((await wire.api(LF, limited.token, { path: '' })).status).toBe(200);
  });

  it('a probability rule drawn from the seed given to faults/clear fires on the same calls each time', async () => {
    const { token } = wire.newAccount();
    const run = async (): Promise<number[]> => {
      await control('faults/clear', { seed: 'replay-me' });
      await control('faults', { kind: 'rate_limit', route: GCA, probability: 0.3, retryAfterSeconds: 1, reason: 'too_many_write_operations' });
      const statuses: number[] = [];
      for (let call = 0; call < 20; call += 1) statuses.push((await wire.api(GCA, token, undefined)).status);
      return statuses;
    };
    const first = await run();
    expect(first).toContain(429);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });
});
