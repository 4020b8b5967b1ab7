/**
 * Scopes an emulated app may request. Taken from the `scope` route attributes of the spec, plus the
 * OpenID scopes Dropbox also grants; a request naming anything else is refused as `invalid_scope`.
 */
export const USER_SCOPES: readonly string[] = [
  'account_info.read',
  'account_info.write',
  'contacts.read',
  'contacts.write',
  'email',
  'file_requests.read',
  'file_requests.write',
  'files.content.read',
  'files.content.write',
  'files.metadata.read',
  'files.metadata.write',
  'files.permanent_delete',
  'openid',
  'profile',
  'sharing.read',
  'sharing.write',
];

/** Scopes only a team-linked app may hold. */
export const TEAM_SCOPES: readonly string[] = [
  'events.read',
  'files.team_metadata.read',
  'files.team_metadata.write',
  'groups.read',
  'groups.write',
  'members.delete',
  'members.read',
  'members.write',
  'sessions.list',
  'sessions.modify',
  'team_data.content.read',
  'team_data.content.write',
  'team_data.governance.read',
  'team_data.governance.write',
  'team_data.member',
  'team_data.team_space',
  'team_info.read',
  'team_info.write',
];

/** Splits an OAuth `scope` parameter (space-separated; Dropbox also tolerates `+` from lax encoders). */
export function parseScopeList(raw: string): string[] {
  return raw.split(/[\s+]+/).filter((scope) => scope.length > 0);
}

/** The wire form of a scope set: space-separated, sorted so responses are stable. */
export function formatScopes(scopes: Iterable<string>): string {
  return [...scopes].sort().join(' ');
}
