import { DropboxEmulator, FAULT_PROFILES, FaultRule } from '../../../../emulator/src';
import { FaultPlan } from '../../../../emulator/src/faults';
import { WireClient } from './wire-client';

let emulator: DropboxEmulator;
let wire: WireClient;

beforeAll(async () => {
  emulator = await DropboxEmulator.start({ seed: 'surface-faults' });
  wire = new WireClient(emulator);
});

afterAll(async () => {
  await emulator.stop();
});

afterEach(() => {
  emulator.faults.clear();
});

const LF = 'files/list_folder';
const LFC = 'files/list_folder/continue';
const GCA = 'users/get_current_account';

/** Which of `calls` calls to `route` a plan fires on. */
function firings(plan: FaultPlan, calls: number, route = LF, account?: { email: string; accountId: string }): number[] {
  const fired: number[] = [];
  for (let call = 1; call <= calls; call += 1) if (plan.take({ route, account }).outcome) fired.push(call);
  return fired;
}

describe('FaultPlan firing', () => {
  it('times fires on the first N matching calls', () => {
    const plan = new FaultPlan('s');
    plan.add({ kind: 'server_error', route: LF, times: 2 });
    expect(firings(plan, 5)).toEqual([1, 2]);
    expect(firings(plan, 3, GCA)).toEqual([]);
  });

  it('everyNth fires on every Nth matching call, capped by times', () => {
    const plan = new FaultPlan('s');
    plan.add({ kind: 'server_error', everyNth: 3, times: 2 });
    expect(firings(plan, 12)).toEqual([3, 6]);
  });

  it('probability draws from a seeded PRNG: same seed, same calls; another seed, other calls', () => {
    const draw = (seed: string) => {
      const plan = new FaultPlan(seed);
      plan.add({ kind: 'rate_limit', probability: 0.3, retryAfterSeconds: 1 });
      return firings(plan, 200);
    };
    const first = draw('alpha');
    expect(draw('alpha')).toEqual(first);
    expect(draw('beta')).not.toEqual(first);
    expect(first.length).toBeGreaterThan(40);
    expect(first.length).toBeLessThan(80);
  });

  it('matches an account by email or account id', () => {
    const plan = new FaultPlan('s');
    const ada = { email: 'ada@example.com', accountId: 'dbid:ada' };
    const bob = { email: 'bob@example.com', accountId: 'dbid:bob' };
    plan.add({ kind: 'server_error', account: 'ada@example.com', times: 5 });
    plan.add({ kind: 'server_error', account: 'dbid:bob', times: 1 });
    expect(firings(plan, 2, LF, ada)).toEqual([1, 2]);
    expect(firings(plan, 2, LF, bob)).toEqual([1]);
    expect(firings(plan, 2, LF, undefined)).toEqual([]);
  });

  it('adds latency from every firing latency rule and keeps the first other outcome', () => {
    const plan = new FaultPlan('s');
    plan.add({ kind: 'latency', ms: 10, probability: 1 });
    plan.add({ kind: 'latency', ms: 5, probability: 1 });
    plan.add({ kind: 'malformed_body', times: 1 });
    plan.add({ kind: 'server_error', times: 1 });
    expect(plan.take({ route: LF })).toEqual({ delayMs: 15, outcome: { type: 'malformed' } });
    expect(plan.take({ route: LF }).outcome).toMatchObject({ type: 'error' });
    expect(plan.list().map((status) => status.fired)).toEqual([2, 2, 1, 1]);
  });

  it('applies cursor and page faults only where they mean something, and refuses them elsewhere', () => {
    const plan = new FaultPlan('s');
    plan.add({ kind: 'cursor_reset', times: 5 });
    expect(firings(plan, 1, 'files/get_metadata')).toEqual([]);
    expect(firings(plan, 1, LFC)).toEqual([1]);
    expect(() => plan.add({ kind: 'empty_page', route: GCA, times: 1 })).toThrow('empty_page applies only to files/list_folder, files/list_folder/continue, not users/get_current_account');
    expect(() => plan.add({ kind: 'latency', ms: 5 } as FaultRule)).toThrow('a fault rule needs at least one of times, everyNth or probability');
  });
});

describe('fault kinds over HTTP', () => {
  it('rate_limit: too_many_write_operations, header only', async () => {
    const { token } = wire.newAccount();
    emulator.injectFault({ kind: 'rate_limit', route: GCA, times: 1, retryAfterSeconds: 3, reason: 'too_many_write_operations', style: 'json_without_retry_after' });
    const reply = await wire.api(GCA, token, undefined);
    expect(reply.status).toBe(429);
    expect(reply.headers.get('retry-after')).toBe('3');
    expect(reply.json().error).toEqual({ reason: { '.tag': 'too_many_write_operations' } });
    expect(reply.json().error_summary).toMatch(/^too_many_write_operations\/\.{0,3}$/);
  });

  it('server_error with a text body', async () => {
    const { token } = wire.newAccount();
    emulator.injectFault({ kind: 'server_error', times: 1, status: 500, body: 'text' });
    const reply = await wire.api(GCA, token, undefined);
    expect(reply.status).toBe(500);
    expect(reply.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(reply.text).toContain('Internal Server Error');
  });

  it('latency delays the matching call only', async () => {
    const { token } = wire.newAccount();
    emulator.injectFault({ kind: 'latency', route: GCA, times: 1, ms: 200 });
    let started = Date.now();
    expect((await wire.api(GCA, token, undefined)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    started = Date.now();
    await wire.api(GCA, token, undefined);
    expect(Date.now() - started).toBeLessThan(150);
  });

  it('timeout holds the request, then drops the connection without a reply', async () => {
    const { token } = wire.newAccount();
    emulator.injectFault({ kind: 'timeout', route: GCA, times: 1, holdMs: 150 });
    const started = Date.now();
    await expect(wire.api(GCA, token, undefined)).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(emulator.requests.filter((record) => record.route === GCA).at(-1)).toEqual({ route: GCA, status: 0 });
  });

  it('truncated_body sends a prefix of the real reply, then closes', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/t.txt', size: 1 }]);
    emulator.injectFault({ kind: 'truncated_body', route: LF, times: 1, keepFraction: 0.5 });
    const response = await fetch(`${emulator.baseUrl}/2/${LF}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ path: '' }),
    });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('malformed_body answers 200 application/json with a body that is not JSON', async () => {
    const { token } = wire.newAccount();
    emulator.injectFault({ kind: 'malformed_body', route: GCA, times: 1 });
    const reply = await wire.api(GCA, token, undefined);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json');
    expect(() => JSON.parse(reply.text) as unknown).toThrow();
  });

  it('cursor_reset answers continue with 409 reset; the cursor works again afterwards', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, [{ op: 'add', path: '/r.txt', size: 1 }]);
    const { cursor } = (await wire.api(LF, token, { path: '' })).json();
    emulator.injectFault({ kind: 'cursor_reset', account: email, times: 1 });
    const reset = await wire.api(LFC, token, { cursor });
    expect(reset.status).toBe(409);
    expect(reset.json().error).toEqual({ '.tag': 'reset' });
    expect((await wire.api(LFC, token, { cursor })).status).toBe(200);
  });

  it('cursor_reset scoped to an account also fires on that account\'s longpoll on the notify host', async () => {
    const { email, token } = wire.newAccount();
    const other = wire.newAccount();
    const { cursor } = (await wire.api(LF, token, { path: '' })).json();
    const otherCursor = (await wire.api(LF, other.token, { path: '' })).json().cursor;
    emulator.injectFault({ kind: 'cursor_reset', route: 'files/list_folder/longpoll', account: email, times: 5 });
    emulator.switches.longpoll.msPerTimeoutSecond = 1;
    try {
      expect((await wire.notify('files/list_folder/longpoll', { cursor: otherCursor })).json()).toEqual({ changes: false });
      const reset = await wire.notify('files/list_folder/longpoll', { cursor });
      expect(reset.status).toBe(409);
      expect(reset.json().error).toEqual({ '.tag': 'reset' });
    } finally {
      emulator.switches.longpoll.msPerTimeoutSecond = 1000;
    }
  });

  it('page_limit and empty_page change page sizes while has_more stays true', async () => {
    const { email, token } = wire.newAccount();
    wire.apply(email, Array.from({ length: 5 }, (_, index) => ({ op: 'add' as const, path: `/p/${index}.txt`, size: 1 })));
    emulator.injectFault({ kind: 'page_limit', route: LF, times: 1, limit: 1 });
    emulator.injectFault({ kind: 'empty_page', route: LFC, times: 1 });
    const first = (await wire.api(LF, token, { path: '/p' })).json();
    expect(first.entries).toHaveLength(1);
    expect(first.has_more).toBe(true);
    const empty = (await wire.api(LFC, token, { cursor: first.cursor })).json();
    expect(empty).toMatchObject({ entries: [], has_more: true });
    const rest = (await wire.api(LFC, token, { cursor: empty.cursor })).json();
    expect(rest.entries).toHaveLength(4);
    expect(rest.has_more).toBe(false);
  });
});

describe('fault profiles and the control interface', () => {
  it('exports none, flaky, slow and hostile', () => {
    expect(Object.keys(FAULT_PROFILES)).toEqual(['none', 'flaky', 'slow', 'hostile']);
    expect(FAULT_PROFILES.none).toEqual([]);
  });

  it('flaky gives about 5% 429s and 2% 503s, the same ones for the same seed', async () => {
    const run = async (seed: string) => {
      const plan = new FaultPlan(seed);
      for (const rule of FAULT_PROFILES.flaky) plan.add(rule);
      const outcomes: string[] = [];
      for (let call = 0; call < 2000; call += 1) {
        const outcome = plan.take({ route: LFC }).outcome;
        outcomes.push(outcome?.type === 'error' ? String(outcome.error.status) : '200');
      }
      return outcomes;
    };
    const outcomes = await run('flaky-seed');
    expect(await run('flaky-seed')).toEqual(outcomes);
    const count = (status: string) => outcomes.filter((outcome) => outcome === status).length;
    expect(count('429')).toBeGreaterThan(60);
    expect(count('429')).toBeLessThan(140);
    expect(count('503')).toBeGreaterThan(15);
    expect(count('503')).toBeLessThan(70);
  });

  it('selects a profile at start and over /_control/faults/profile', async () => {
    const started = await DropboxEmulator.start({ faultProfile: 'hostile' });
    try {
      expect(started.faults.list()).toHaveLength(FAULT_PROFILES.hostile.length);
    } finally {
      await started.stop();
    }
    const reply = await wire.control('faults/profile', { name: 'flaky', seed: 'x' });
    expect(reply.json()).toEqual({ ok: true, rules: 2 });
    expect((await wire.control('faults', undefined, 'GET')).json()['rules']).toHaveLength(2);
    expect((await wire.control('faults/clear', {})).json()).toEqual({ ok: true });
    expect(emulator.faults.list()).toEqual([]);
  });

  it.each([
    ['faults/profile', { name: 'chaos' }, '→ at name'],
    ['faults', { kind: 'latency', ms: 5 }, 'a fault rule needs at least one of times, everyNth or probability'],
    ['faults', { kind: 'rate_limit', times: 1, retryAfterSeconds: 1, retryAfter: 2 }, 'Unrecognized key: "retryAfter"'],
    ['faults', { kind: 'rate_limit', times: 1, retryAfterSeconds: 1, probability: 2 }, '→ at probability'],
    ['faults', { kind: 'stuck_cursor', route: 'files/get_metadata', times: 1 }, 'stuck_cursor applies only to'],
    ['switches', { nfdPaths: 'maybe' }, '→ at nfdPaths'],
  ])('answers 400 for bad input to %s: %j', async (action, body, message) => {
    const reply = await wire.control(action, body);
    expect(reply.status).toBe(400);
    expect(reply.text).toContain(message);
    expect(emulator.faults.list()).toEqual([]);
  });

  it('adds every kind of rule over /_control/faults and flips switches over /_control/switches', async () => {
    const rules = [
      { kind: 'rate_limit', account: 'x@example.com', everyNth: 2, retryAfterSeconds: 1, reason: 'too_many_requests', style: 'text' },
      { kind: 'server_error', probability: 0.5, status: 502, body: 'empty' },
      { kind: 'latency', times: 1, ms: 5 },
      { kind: 'timeout', times: 1, holdMs: 5 },
      { kind: 'truncated_body', times: 1 },
      { kind: 'malformed_body', times: 1 },
      { kind: 'cursor_reset', route: LFC, times: 1 },
      { kind: 'empty_page', times: 1 },
      { kind: 'page_limit', times: 1, limit: 1 },
      { kind: 'stuck_cursor', times: 1 },
    ];
    for (const rule of rules) expect((await wire.control('faults', rule)).json()).toEqual({ ok: true });
    expect(emulator.faults.list().map((status) => status.rule)).toEqual(rules);
    const switched = await wire.control('switches', { nfdPaths: 'normalise', longpoll: { falsePositives: false, backoffSeconds: 5 } });
    expect(switched.json()).toEqual({ nfdPaths: 'normalise', longpoll: { falsePositives: false, backoffSeconds: 5, msPerTimeoutSecond: 1000 } });
    await wire.control('switches', { nfdPaths: 'not_found', longpoll: { falsePositives: true, backoffSeconds: null } });
    expect(emulator.switches).toEqual({ nfdPaths: 'not_found', longpoll: { falsePositives: true, msPerTimeoutSecond: 1000 } });
  });
});
