import type { Account } from '../account';
import type { Mirror } from './mirror';
import type { View } from './view';

/** A team account's membership: who it is on the team and its team space. */
export interface TeamMembership {
  readonly team: Team;
  /** `dbmid:…`, what a team token names in `Dropbox-API-Select-User`. */
  readonly teamMemberId: string;
  readonly isAdmin: boolean;
  /** The team space as this member sees it: team folders plus their own member folder. */
  readonly rootView: View;
  /** `/<Member Name>` in the team space: where the member's home namespace appears. */
  readonly homePath: string;
  /** Keeps the member folder in the team space in step with the home namespace. */
  readonly memberFolder: Mirror;
}

/** A Dropbox team using the team-space model: one root namespace above the members' folders. */
export class Team {
  /** Current members by account id. */
  readonly members = new Map<string, Account>();
  /** Team folders by shared folder id, mounted at `/<name>` in every member's team space. */
  readonly teamFolderIds = new Set<string>();

  constructor(
    readonly id: string,
    readonly name: string,
    /** Changes when the team's root namespace is replaced (`World.changeRootNamespace`). */
    public rootNamespaceId: string,
  ) {}

  /** The current member with this `team_member_id`, if any. */
  memberById(teamMemberId: string): Account | undefined {
    for (const account of this.members.values()) if (account.membership?.teamMemberId === teamMemberId) return account;
    return undefined;
  }
}
