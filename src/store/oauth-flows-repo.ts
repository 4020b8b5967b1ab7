import { createHash } from 'node:crypto';
import { Collection, Db } from 'mongodb';
import { Actor } from '../domain/connection';
import { WorkspaceRef } from '../domain/ids';
import { JsonSealer } from './connections-repo';

export const OAUTH_FLOWS_COLLECTION = 'oauth_flows';

/** A started connect flow, waiting for its code. */
export interface PendingFlow {
  readonly ref: WorkspaceRef;
  readonly actor: Actor;
  /** PKCE verifier; sealed at rest, opened only to redeem the code. */
  readonly verifier: string;
  /** The redirect URI the authorize request named (absent for the paste-the-code flow); the exchange repeats it. */
  readonly redirectUri?: string;
  /** Team tokens: the member to sync as. */
  readonly selectUser?: string;
  readonly rootPath: string;
  readonly expiresAt: Date;
}

interface FlowDoc {
  /** SHA-256 of the state: the raw state (a bearer of the flow) is never stored. */
  readonly _id: string;
  readonly tenantId: string;
  readonly workspaceId: string;
  readonly actor: Actor;
  readonly verifier: string;
  readonly redirectUri?: string;
  readonly selectUser?: string;
  readonly rootPath: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** A state that names no flow (never issued, already used, or purged after expiry). */
export type UnknownFlow = 'unknown';

/** What `consume` found: the flow, and whether it expired before it was redeemed. */
export interface ConsumedFlow {
  readonly flow: PendingFlow;
  readonly expired: boolean;
}

export async function ensureOAuthFlowIndexes(db: Db): Promise<void> {
  // Purging expired flows (`deleteMany` on expiresAt). Not a TTL index: FerretDB 1.24 has none, so
  // expiry is checked on use and expired flows are purged whenever a flow starts.
  await db.collection(OAUTH_FLOWS_COLLECTION).createIndex({ expiresAt: 1 }, { name: 'expires_at' });
}

/** Pending connect flows, keyed by the hash of their state; each redeems at most once. */
export class OAuthFlowsRepository {
  private readonly collection: Collection<FlowDoc>;

  constructor(
    db: Db,
    private readonly sealer: JsonSealer,
  ) {
    this.collection = db.collection<FlowDoc>(OAUTH_FLOWS_COLLECTION);
  }

  async save(state: string, flow: PendingFlow, now: Date): Promise<void> {
    await this.collection.deleteMany({ expiresAt: { $lte: now } });
    const id = stateId(state);
    await this.collection.insertOne({
      _id: id,
      tenantId: flow.ref.tenantId,
      workspaceId: flow.ref.workspaceId,
      actor: flow.actor,
      verifier: this.sealer.sealJson(flow.verifier, verifierContext(id)),
      ...(flow.redirectUri === undefined ? {} : { redirectUri: flow.redirectUri }),
      ...(flow.selectUser === undefined ? {} : { selectUser: flow.selectUser }),
      // A path, sealed like every stored path.
      rootPath: this.sealer.sealJson(flow.rootPath, rootPathContext(id)),
      createdAt: now,
      expiresAt: flow.expiresAt,
    });
  }

  /**
   * Takes the flow a state names, at most once: the document is deleted before the flow is
   * returned, and only the caller whose delete removed it gets the flow (a replayed or concurrent
   * callback gets `unknown`). An expired flow is consumed too, and returned marked expired so the
   * caller can audit who it was.
   */
  async consume(state: string, now: Date): Promise<ConsumedFlow | UnknownFlow> {
    const id = stateId(state);
    const doc = await this.collection.findOne({ _id: id });
    if (!doc) return 'unknown';
    const deleted = await this.collection.deleteOne({ _id: id });
    if (deleted.deletedCount !== 1) return 'unknown';
    const verifier = this.sealer.openJson(doc.verifier, verifierContext(id));
    if (typeof verifier !== 'string') throw new Error(`oauth flow ${id.slice(0, 8)}: sealed verifier is not a string`);
    const rootPath = this.sealer.openJson(doc.rootPath, rootPathContext(id));
    if (typeof rootPath !== 'string') throw new Error(`oauth flow ${id.slice(0, 8)}: sealed root path is not a string`);
    const flow: PendingFlow = {
      ref: { tenantId: doc.tenantId, workspaceId: doc.workspaceId },
      actor: doc.actor,
      verifier,
      ...(doc.redirectUri === undefined ? {} : { redirectUri: doc.redirectUri }),
      ...(doc.selectUser === undefined ? {} : { selectUser: doc.selectUser }),
      rootPath,
      expiresAt: doc.expiresAt,
    };
    return { flow, expired: doc.expiresAt.getTime() <= now.getTime() };
  }
}

function stateId(state: string): string {
  return createHash('sha256').update(state, 'utf8').digest('hex');
}

function rootPathContext(id: string): string {
  return `oauth_flows:${id}:rootPath`;
}

function verifierContext(id: string): string {
  return `oauth_flows:${id}:verifier`;
}
