import { Dropbox } from 'dropbox';
import { DropboxEmulator } from '../../../../emulator/src';
import { createHostMappingFetch } from '../../../../src/dropbox/host-mapping-fetch';

jest.setTimeout(120_000);

let emulator: DropboxEmulator;
let accessToken: string;
const EMAIL = 'seeded-50k@fostr.example';

beforeAll(async () => {
  emulator = await DropboxEmulator.start({ seed: 'seeded-listing' });
  accessToken = emulator.createAccount({ email: EMAIL, displayName: 'Seeded' }).accessToken;
  emulator.generate(EMAIL, { entries: 50_000 });
});

afterAll(async () => {
  await emulator.stop();
});

interface Page {
  entries: Array<Record<string, unknown>>;
  cursor: string;
  has_more: boolean;
}

async function rpc(route: string, body: unknown): Promise<Page> {
  const response = await fetch(`${emulator.baseUrl}/2/${route}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Page;
}

async function control(action: string, body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(`${emulator.baseUrl}/_control/${action}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, text: await response.text() };
}

describe('a 50k-entry seeded tree over HTTP', () => {
  it('starts with an empty change log, so the first listing walks the tree', () => {
    expect(emulator.account(EMAIL).namespace.headSeq).toBe(0);
    expect(emulator.account(EMAIL).namespace.size).toBe(50_000);
  });

  it('lists exactly the ground truth with plain fetch, limit 2000', async () => {
    const entries: Array<Record<string, unknown>> = [];
    let page = await rpc('files/list_folder', { path: '', recursive: true, limit: 2000 });
    entries.push(...page.entries);
    let pages = 1;
    while (page.has_more) {
      page = await rpc('files/list_folder/continue', { cursor: page.cursor });
      entries.push(...page.entries);
      pages += 1;
    }
    expect(entries).toEqual(emulator.groundTruth(EMAIL));
    expect(pages).toBeGreaterThanOrEqual(25);
    // Nothing changed since: the cursor now reads an empty log.
    expect(await rpc('files/list_folder/continue', { cursor: page.cursor })).toMatchObject({ entries: [], has_more: false });
  });

  it('lists exactly the ground truth with the official JS SDK', async () => {
    const dbx = new Dropbox({ accessToken, fetch: createHostMappingFetch(emulator.baseUrl) });
    let page = (await dbx.filesListFolder({ path: '', recursive: true, limit: 2000 })).result;
    const paths = page.entries.map((entry) => entry.path_lower);
    while (page.has_more) {
      page = (await dbx.filesListFolderContinue({ cursor: page.cursor })).result;
      paths.push(...page.entries.map((entry) => entry.path_lower));
    }
    expect(paths).toEqual(emulator.groundTruth(EMAIL).map((entry) => entry.path_lower));
  });

  it('finds seeded entries by id through get_metadata', async () => {
    const truth = emulator.groundTruth(EMAIL);
    const sample = truth[31_337]!;
    expect(await rpc('files/get_metadata', { path: sample.id })).toEqual(sample);
  });
});

describe('POST /_control/seed', () => {
  it('seeds an empty account and reports the tree it built', async () => {
    emulator.createAccount({ email: 'control-seed@fostr.example', displayName: 'Control' });
    const reply = await control('seed', { email: 'control-seed@fostr.example', entries: 500, seed: 'ctl' });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toMatchObject({ entries: 500 });
    expect(emulator.groundTruth('control-seed@fostr.example')).toHaveLength(500);
  });

  it('refuses a tree that is not empty, and bad input, with a 400 naming the problem', async () => {
    const again = await control('seed', { email: EMAIL, entries: 10 });
    expect(again).toEqual({ status: 400, text: `cannot generate into ${EMAIL}: its tree is not empty` });
    const tooMany = await control('seed', { email: EMAIL, entries: 5_000_000 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toContain('entries');
    const unknownField = await control('seed', { email: EMAIL, entries: 1, depth: 3 });
    expect(unknownField.status).toBe(400);
    expect(unknownField.text).toContain('depth');
  });
});
