import { Db } from 'mongodb';
import { ensureAccessGrantIndexes } from '../store/access-grants-repo';
import { ensureAuditIndexes } from '../store/audit-repo';
import { ensureOAuthFlowIndexes } from '../store/oauth-flows-repo';

/** Indexes of the collections the connect flow adds (connections' own are in `ensureIndexes`). */
export async function ensureConnectIndexes(db: Db): Promise<void> {
  await ensureAuditIndexes(db);
  await ensureAccessGrantIndexes(db);
  await ensureOAuthFlowIndexes(db);
}
