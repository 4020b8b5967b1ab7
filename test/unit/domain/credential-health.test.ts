import type { CredentialHealthRecord } from '../../../src/domain/connection';
import { healthStateForError, observationFromError, transitionHealth } from '../../../src/domain/credential-health';
import {
  CredentialFailureKind,
  CursorResetError,
  DropboxBadRequestError,
  DropboxCredentialError,
  DropboxRateLimitedError,
  DropboxUnavailableError,
  ListingRootUnavailableError,
} from '../../../src/domain/errors';

const T0 = new Date('2026-05-01T00:00:00Z');
const T1 = new Date('2026-05-01T00:05:00Z');
const ROUTE = 'files/list_folder/continue';

function record(state: CredentialHealthRecord['state'], extra: Partial<CredentialHealthRecord> = {}): CredentialHealthRecord {
  return { state, since: T0, checkedAt: T0, ...extra };
}

describe('observationFromError', () => {
  it.each<[CredentialFailureKind, string]>([
    ['invalid_access_token', 'revoked'],
    ['invalid_grant', 'revoked'],
    ['other', 'revoked'],
    ['invalid_select_user', 'member_removed'],
    ['invalid_root', 'root_changed'],
    ['no_permission', 'root_changed'],
    ['path_root_refused', 'path_root_refused'],
    ['malformed_token', 'malformed_token'],
    ['missing_refresh_token', 'missing_refresh_token'],
  ])('a %s refusal is %s', (kind, state) => {
    expect(observationFromError(new DropboxCredentialError(kind, ROUTE, undefined, kind))).toEqual({ kind: 'refused', state, detail: `${ROUTE}: ${kind}` });
  });

  it('a missing scope names the scope', () => {
    expect(observationFromError(new DropboxCredentialError('missing_scope', ROUTE, 'files.metadata.read', 'missing_scope'))).toEqual({
      kind: 'refused',
      state: 'insufficient_scope',
      detail: `${ROUTE}: missing_scope (needs scope files.metadata.read)`,
      missingScope: 'files.metadata.read',
    });
  });

  it('5xx, 429 and timeouts on the token endpoint are a refresh failing, not a refusal', () => {
    expect(observationFromError(new DropboxUnavailableError('oauth2/token', 503, 'down'))).toEqual({ kind: 'refresh_failing' });
    expect(observationFromError(new DropboxRateLimitedError(1000, 'oauth2/token'))).toEqual({ kind: 'refresh_failing' });
    expect(observationFromError(new DropboxUnavailableError('oauth2/token', null, 'timeout'))).toEqual({ kind: 'refresh_failing' });
    expect(healthStateForError(new DropboxUnavailableError('oauth2/token', 503, 'down'))).toBe('expired');
  });

  it.each([
    ['a 5xx on an API route', new DropboxUnavailableError(ROUTE, 500, 'x')],
    ['a 429 on an API route', new DropboxRateLimitedError(2000, ROUTE)],
    ['a cursor reset', new CursorResetError()],
    ['a bad request', new DropboxBadRequestError(ROUTE, 'unknown field')],
    ['a vanished root folder', new ListingRootUnavailableError('path/not_found')],
    ['a plain Error', new Error('bug')],
  ])('%s says nothing about the credentials', (_label, error) => {
    expect(observationFromError(error)).toEqual({ kind: 'inconclusive' });
    expect(healthStateForError(error)).toBeUndefined();
  });
});

describe('transitionHealth', () => {
  it('a refusal moves to its state and opens an alert; repeating it keeps `since`', () => {
    const first = transitionHealth(record('healthy'), { kind: 'refused', state: 'revoked', detail: 'd' }, T1);
    expect(first).toEqual({ next: { state: 'revoked', since: T1, checkedAt: T1, detail: 'd' }, alert: 'open' });
    const later = new Date('2026-05-01T01:00:00Z');
    expect(transitionHealth(first.next, { kind: 'refused', state: 'revoked', detail: 'd' }, later)).toEqual({ next: { state: 'revoked', since: T1, checkedAt: later, detail: 'd' }, alert: 'open' });
  });

  it('success is healthy (or expiring) and resolves any alert', () => {
    expect(transitionHealth(record('revoked', { detail: 'x' }), { kind: 'ok' }, T1)).toEqual({ next: { state: 'healthy', since: T1, checkedAt: T1 }, alert: 'resolve' });
    expect(transitionHealth(record('healthy'), { kind: 'ok', expiring: true }, T1)).toEqual({ next: { state: 'expiring', since: T1, checkedAt: T1 }, alert: 'resolve' });
    expect(transitionHealth(record('healthy'), { kind: 'ok' }, T1).next.since).toBe(T0);
  });

  it('a failing refresh makes a working connection expired without an alert', () => {
    const { next, alert } = transitionHealth(record('healthy'), { kind: 'refresh_failing' }, T1);
    expect(alert).toBe('none');
    expect(next).toMatchObject({ state: 'expired', since: T1, checkedAt: T1 });
  });

  it.each(['revoked', 'insufficient_scope', 'member_removed', 'root_changed', 'malformed_token', 'missing_refresh_token'] as const)(
    'transient failures never replace %s',
    (state) => {
      const current = record(state, { detail: 'why' });
      expect(transitionHealth(current, { kind: 'refresh_failing' }, T1)).toEqual({ next: { ...current, checkedAt: T1 }, alert: 'none' });
      expect(transitionHealth(current, { kind: 'inconclusive' }, T1)).toEqual({ next: { ...current, checkedAt: T1 }, alert: 'none' });
    },
  );

  it('inconclusive failures never make a healthy connection bad', () => {
    expect(transitionHealth(record('healthy'), { kind: 'inconclusive' }, T1)).toEqual({ next: record('healthy', { checkedAt: T1 }), alert: 'none' });
  });

  it('starts from unknown when nothing was recorded', () => {
    expect(transitionHealth(undefined, { kind: 'inconclusive' }, T1).next).toEqual({ state: 'unknown', since: T1, checkedAt: T1 });
  });
});
