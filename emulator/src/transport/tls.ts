import { writeFileSync } from 'node:fs';
import { generate } from 'selfsigned';

/** A PEM certificate and its private key, for an HTTPS listener. */
export interface TlsIdentity {
  readonly certPem: string;
  readonly keyPem: string;
}

/**
 * HTTPS for the emulator's listeners: `true` generates a self-signed certificate for
 * `127.0.0.1`/`localhost`/`::1` at start; an identity serves a certificate the caller made (so that
 * several emulators, or a client started before them, can trust one file).
 */
export type TlsOption = boolean | TlsIdentity;

const VALIDITY_DAYS = 30;

/**
 * A fresh self-signed certificate for the loopback names. It is its own trust anchor, so it is
 * marked as a CA (OpenSSL's strict chain checks, as in recent Pythons, refuse a trust anchor
 * without `basicConstraints`), with the serverAuth usage clients check on a TLS server.
 */
export async function generateLoopbackIdentity(): Promise<TlsIdentity> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + VALIDITY_DAYS * 86_400_000);
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { certPem: pems.cert, keyPem: pems.private };
}

/** The identity a listener serves, or `undefined` for plain HTTP. */
export async function resolveTls(option: TlsOption | undefined): Promise<TlsIdentity | undefined> {
  if (option === undefined || option === false) return undefined;
  if (option === true) return generateLoopbackIdentity();
  if (!option.certPem.includes('BEGIN CERTIFICATE') || !option.keyPem.includes('PRIVATE KEY')) {
    throw new Error('tls needs a PEM certificate and a PEM private key');
  }
  return option;
}

/** Writes a certificate where a client's trust setting (NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE) can name it. */
export function writeCertificate(file: string, certPem: string): void {
  writeFileSync(file, certPem, { mode: 0o644 });
}
