import { createHash } from 'node:crypto';
import { Account } from '../account';
import { ControlError } from '../control';
import { FolderNode } from '../metadata';
import { Namespace, TreeConflictError } from '../namespace';
import { splitPath, toLower } from '../paths';
import { keepSharing, Mirror } from './mirror';
import { AccessLevel, FolderMember, SharedFolder } from './shared-folder';
import { Team } from './team';
import { View } from './view';

export interface WorldOptions {
  readonly seed: string;
  readonly reportCaseOnlyRenames: boolean;
  /**
   * When sharing is turned off, whether the owner's view re-reports every item below the folder
   * (maestral#1044 saw that) or only the folder itself. Uncertain in the notes, so a switch.
   * @default false
   */
  readonly reemitSubtreeOnUnshare: boolean;
  /** Change-feed switches (namespace.ts) for every namespace of the world, views included. @default false */
  readonly childTombstones?: boolean;
  readonly staleAncestorCasing?: boolean;
}

/**
 * Everyone the emulator knows and how their trees connect: accounts, teams with their team
 * spaces, shared and team folders with their members and mounts, and the extra views (App
 * folders, namespaces picked by id) that calls with a path root or an App-folder token read.
 */
export class World {
  private readonly byEmail = new Map<string, Account>();
  private readonly byId = new Map<string, Account>();
  readonly teams = new Map<string, Team>();
  readonly sharedFolders = new Map<string, SharedFolder>();
  private readonly extraViews = new Map<string, { readonly view: View; readonly mirror: Mirror }>();
  private counter = 0;

  constructor(readonly options: WorldOptions) {}

  createAccount(email: string, displayName: string): Account {
    if (this.byEmail.has(email)) throw new ControlError(`account ${email} already exists`);
    const account = new Account(displayName, email, this.options.seed, this.options.reportCaseOnlyRenames);
    this.applyFeedSwitches(account.namespace);
    this.byEmail.set(email, account);
    this.byId.set(account.accountId, account);
    return account;
  }

  account(email: string): Account {
    const account = this.byEmail.get(email);
    if (!account) throw new ControlError(`no emulator account ${email}`);
    return account;
  }

  accountById(accountId: string): Account | undefined {
    return this.byId.get(accountId);
  }

  team(teamId: string): Team {
    const team = this.teams.get(teamId);
    if (!team) throw new ControlError(`no team ${teamId}`);
    return team;
  }

  sharedFolder(id: string): SharedFolder {
    const folder = this.sharedFolders.get(id);
    if (!folder) throw new ControlError(`no shared folder ${id}`);
    return folder;
  }

  createTeam(name: string): Team {
    const n = this.next();
    const team = new Team(`dbtid:${this.digest(`team:${n}`).slice(0, 40)}`, name, this.namespaceId(n));
    this.teams.set(team.id, team);
    return team;
  }

  /**
   * Puts an account on a team: its root becomes the team space (team folders plus its member
   * folder at `/<Display Name>`), its home namespace stays. Old `root` path roots now get 422.
   */
  addTeamMember(teamId: string, email: string, isAdmin: boolean): Account {
    const team = this.team(teamId);
    const account = this.account(email);
    if (account.membership) throw new ControlError(`${email} is already on team ${account.membership.team.id}`);
    const rootNamespace = this.newNamespace(`${this.options.seed}:${team.id}:${email}`);
    const rootView = new View(`${account.accountId}|root:${team.rootNamespaceId}`, account, rootNamespace);
    const homePath = `/${account.displayName}`;
    const homeFolder: FolderNode = { tag: 'folder', id: `id:${this.digest(`member-folder:${team.id}:${email}`).slice(0, 22)}`, name: account.displayName, lower: toLower(homePath), display: homePath };
    rootNamespace.putNode(homeFolder);
    const memberFolder = new Mirror(account.namespace, '', rootNamespace, homeFolder.lower, keepSharing);
    memberFolder.attach();
    const teamMemberId = `dbmid:${this.digest(`member:${team.id}:${email}`).slice(0, 32)}`;
    account.membership = { team, teamMemberId, isAdmin, rootView, homePath, memberFolder };
    team.members.set(account.accountId, account);
    for (const folderId of team.teamFolderIds) this.joinTeamFolder(this.sharedFolder(folderId), account);
    return account;
  }

  /** Takes an account off its team: it is personal again, and team tokens can no longer select it. */
  removeTeamMember(teamId: string, email: string): void {
    const team = this.team(teamId);
    const account = this.account(email);
    const membership = account.membership;
    if (!membership || membership.team !== team) throw new ControlError(`${email} is not on team ${teamId}`);
    for (const folderId of team.teamFolderIds) {
      const folder = this.sharedFolder(folderId);
      const member = folder.member(account);
      if (member) folder.unmount(member);
      folder.members.delete(account.accountId);
    }
    membership.memberFolder.detach();
    account.membership = undefined;
    team.members.delete(account.accountId);
  }

  /**
   * Gives the team a new root namespace id, as when Dropbox moves a team to another root (a team
   * space migration). Members' calls asserting the old root get 422 `invalid_root` with the new
   * root info, and cursors issued under the old root answer `reset`; home cursors keep working.
   */
  changeRootNamespace(teamId: string): Team {
    const team = this.team(teamId);
    team.rootNamespaceId = this.namespaceId(this.next());
    for (const account of team.members.values()) account.membership!.rootView.ownEpoch += 1;
    return team;
  }

  /** A team folder: a shared folder every member of the team edits, at `/<name>` in the team space. */
  createTeamFolder(teamId: string, name: string): SharedFolder {
    const team = this.team(teamId);
    splitPath(`/${name}`);
    const folder = this.newSharedFolder(name, `id:${this.digest(`team-folder:${team.id}:${name}`).slice(0, 22)}`, true, team.name);
    team.teamFolderIds.add(folder.id);
    for (const account of team.members.values()) this.joinTeamFolder(folder, account);
    return folder;
  }

  /**
   * Shares a folder of `ownerEmail`'s home (created if missing): its content moves into a new
   * shared-folder namespace with the same ids, and the owner's view marks it as a mount point.
   */
  createSharedFolder(ownerEmail: string, path: string): SharedFolder {
    const owner = this.account(ownerEmail);
    const view = owner.homeView;
    const lower = toLower(path);
    splitPath(path);
    if (view.mountAt(lower) !== undefined) throw new TreeConflictError(`${path} is already inside a shared folder`);
    const existing = view.namespace.get(lower);
    if (existing && existing.tag !== 'folder') throw new TreeConflictError(`cannot share ${path}: it is a file`);
    for (const mount of view.mounts) if (mount.startsWith(`${lower}/`)) throw new TreeConflictError(`cannot share ${path}: it contains a shared folder`);
    const folderNode = existing ?? view.namespace.addFolder(path);
    const folder = this.newSharedFolder(folderNode.name, folderNode.id, false);
    const contents = view.namespace.subtree(lower).slice(1);
    for (const node of contents) folder.namespace.putNode({ ...node, lower: node.lower.slice(lower.length), display: node.display.slice(folderNode.display.length) });
    const member = folder.addMember(owner, 'owner', new Date());
    // The owner's items stay where they are; only their sharing fields change.
    const decorate = folder.decorateFor(member);
    folderNode.sharing = folder.mountSharing(member);
    for (const node of contents) node.sharing = decorate(node) as never;
    view.mounts.add(lower);
    view.namespace.reannounce(lower, { deleteFirst: false, subtree: true });
    const mirror = new Mirror(folder.namespace, '', view.namespace, lower, decorate);
    mirror.follow();
    member.mount = { view, lower, mirror };
    return folder;
  }

  /** Adds (or changes the access of) a member; a new member mounts it at `/<name>` unless told not to. */
  addFolderMember(folderId: string, email: string, access: AccessLevel, mountPath: string | null | undefined): void {
    const folder = this.sharedFolder(folderId);
    const account = this.account(email);
    if (access === 'owner' && folder.owner && folder.owner.account !== account) throw new ControlError(`shared folder ${folderId} already has an owner`);
    const existing = folder.member(account);
    if (existing) {
      const mountedAt = existing.mount ? existing.mount.view.namespace.get(existing.mount.lower)?.display : undefined;
      folder.unmount(existing);
      existing.access = access;
      if (mountedAt !== undefined) folder.mount(existing, this.mountViewFor(folder, account), mountedAt);
      return;
    }
    const member = folder.addMember(account, access, new Date());
    const view = this.mountViewFor(folder, account);
    if (mountPath !== null) folder.mount(member, view, mountPath ?? `/${folder.name}`);
  }

  mountFolder(folderId: string, email: string, path: string | undefined): void {
    const folder = this.sharedFolder(folderId);
    const member = this.requireMember(folder, email);
    folder.mount(member, this.mountViewFor(folder, member.account), path ?? `/${folder.name}`);
  }

  unmountFolder(folderId: string, email: string): void {
    const folder = this.sharedFolder(folderId);
    const member = this.requireMember(folder, email);
    if (!member.mount) throw new ControlError(`shared folder ${folderId} is not mounted for ${email}`);
    folder.unmount(member);
  }

  /** Removes a member: the folder disappears from their views (as a deletion of the mount point). */
  removeFolderMember(folderId: string, email: string): void {
    const folder = this.sharedFolder(folderId);
    const member = this.requireMember(folder, email);
    if (member.access === 'owner') throw new ControlError(`the owner cannot leave shared folder ${folderId}; unshare it instead`);
    folder.unmount(member);
    folder.members.delete(member.account.accountId);
    this.dropViews(`|ns:${folderId}`, member.account);
  }

  /**
   * Stops sharing: other members lose the folder; the owner keeps it as a plain folder, reported as
   * a deletion then an add of the folder without sharing fields (and of every item, if configured).
   */
  unshareFolder(folderId: string): void {
    const folder = this.sharedFolder(folderId);
    if (folder.isTeamFolder) throw new ControlError(`shared folder ${folderId} is a team folder; team folders cannot be unshared`);
    for (const member of folder.members.values()) {
      if (member.access !== 'owner') folder.unmount(member);
      this.dropViews(`|ns:${folderId}`, member.account);
    }
    const owner = folder.owner;
    const mount = owner?.mount;
    if (mount) {
      mount.mirror?.detach();
      mount.view.mounts.delete(mount.lower);
      for (const node of mount.view.namespace.subtree(mount.lower)) delete node.sharing;
      mount.view.namespace.reannounce(mount.lower, { deleteFirst: true, subtree: this.options.reemitSubtreeOnUnshare });
    }
    this.sharedFolders.delete(folderId);
  }

  /** The view of a namespace picked by id (`Dropbox-API-Path-Root: namespace_id`), if the account may see it. */
  namespaceView(account: Account, namespaceId: string): View | undefined {
    if (namespaceId === account.namespaceId) return account.homeView;
    if (account.membership && namespaceId === account.membership.team.rootNamespaceId) return account.membership.rootView;
    const folder = this.sharedFolders.get(namespaceId);
    const member = folder?.member(account);
    if (!folder || !member || member.access === 'traverse' || member.access === 'no_access') return undefined;
    return this.extraView(`${account.accountId}|ns:${namespaceId}`, account, (view) => new Mirror(folder.namespace, '', view.namespace, '', folder.decorateFor(member)));
  }

  /** An App-folder app's view: `/Apps/<app name>` of the home namespace, as the root. */
  appFolderView(account: Account, appName: string): View {
    const path = `/Apps/${appName}`;
    if (!account.namespace.get(toLower(path))) account.namespace.addFolder(path);
    return this.extraView(`${account.accountId}|app:${appName}`, account, (view) => new Mirror(account.namespace, toLower(path), view.namespace, '', keepSharing));
  }

  private extraView(id: string, account: Account, link: (view: View) => Mirror): View {
    const existing = this.extraViews.get(id);
    if (existing) return existing.view;
    const view = new View(id, account, this.newNamespace(`${this.options.seed}:${id}`));
    const mirror = link(view);
    mirror.attach();
    this.extraViews.set(id, { view, mirror });
    return view;
  }

  /** Forgets an extra view: its cursors stop working (they name a view that no longer exists). */
  private dropViews(suffix: string, account: Account): void {
    const id = `${account.accountId}${suffix}`;
    this.extraViews.get(id)?.mirror.detach();
    this.extraViews.delete(id);
  }

  /** Team folders live in the team space; other shared folders in the member's home. */
  private mountViewFor(folder: SharedFolder, account: Account): View {
    if (!folder.isTeamFolder) return account.homeView;
    if (!account.membership) throw new ControlError(`${account.email} is not on a team, so cannot see team folder ${folder.id}`);
    return account.membership.rootView;
  }

  private joinTeamFolder(folder: SharedFolder, account: Account): void {
    const member = folder.addMember(account, 'editor', new Date());
    folder.mount(member, account.membership!.rootView, `/${folder.name}`);
  }

  private newSharedFolder(name: string, folderId: string, isTeamFolder: boolean, teamName?: string): SharedFolder {
    const id = this.namespaceId(this.next());
    const namespace = this.newNamespace(`${this.options.seed}:shared:${id}`);
    const folder = new SharedFolder(id, name, folderId, namespace, isTeamFolder, teamName);
    this.sharedFolders.set(id, folder);
    return folder;
  }

  /** Every namespace the world makes (team spaces, shared folders, extra views) gets the same switches. */
  private newNamespace(seed: string): Namespace {
    return this.applyFeedSwitches(new Namespace({ seed, reportCaseOnlyRenames: this.options.reportCaseOnlyRenames }));
  }

  /**
   * A view reports what its own namespace logs, mirrored changes included, so the switches must
   * hold in views too, not only in home namespaces.
   */
  private applyFeedSwitches(namespace: Namespace): Namespace {
    namespace.childTombstones = this.options.childTombstones ?? false;
    namespace.staleAncestorCasing = this.options.staleAncestorCasing ?? false;
    return namespace;
  }

  private requireMember(folder: SharedFolder, email: string): FolderMember {
    const member = folder.member(this.account(email));
    if (!member) throw new ControlError(`${email} is not a member of shared folder ${folder.id}`);
    return member;
  }

  private next(): number {
    this.counter += 1;
    return this.counter;
  }

  /** Decimal namespace ids, distinct from the accounts' home namespace ids (1e9..5.3e9). */
  private namespaceId(n: number): string {
    return String(6_000_000_000 + n * 7_919);
  }

  private digest(input: string): string {
    return createHash('sha256').update(`${this.options.seed}:${input}`).digest('base64url').replace(/[-_]/g, 'x');
  }
}
