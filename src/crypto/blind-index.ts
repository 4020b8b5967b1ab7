import { createHmac } from 'node:crypto';
import { Keyring } from './keyring';

/**
 * Keyed hashes that stand in for encrypted values in indexes and equality queries. Scoped per
 * workspace, so the same path in two workspaces hashes differently and hashes cannot be compared
 * across tenants. Deterministic by design (that is what makes them indexable); they reveal
 * equality within one workspace and nothing else.
 */
export class BlindIndex {
  constructor(private readonly keyring: Keyring) {}

  of(scope: string, value: string): string {
    return createHmac('sha256', this.keyring.indexKey).update(scope, 'utf8').update('\u0000').update(value, 'utf8').digest('base64url');
  }
}
