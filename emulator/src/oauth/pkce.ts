import { createHash } from 'node:crypto';

export type ChallengeMethod = 'S256' | 'plain';

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/** Whether `verifier` answers a PKCE `challenge` (RFC 7636 §4.6). Verifiers outside the RFC's shape never do. */
export function verifierMatches(challenge: string, method: ChallengeMethod, verifier: string): boolean {
  if (!VERIFIER.test(verifier)) return false;
  const derived = method === 'S256' ? createHash('sha256').update(verifier, 'ascii').digest('base64url') : verifier;
  return derived === challenge;
}
