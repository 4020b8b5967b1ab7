import { MongoClient } from 'mongodb';

/**
 * Hides the password in a MongoDB connection string so it can appear in logs and errors.
 * Strings that do not parse as `scheme://...` are returned unchanged.
 */
export function redactMongoUri(uri: string): string {
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i, (_match, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon === -1 ? `${scheme}${userinfo}@` : `${scheme}${userinfo.slice(0, colon)}:***@`;
  });
}

/** Sends `ping` to the server at `uri`; rejects when no server answers within `timeoutMs`. */
export async function pingMongo(uri: string, timeoutMs: number): Promise<void> {
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    socketTimeoutMS: timeoutMs,
    maxPoolSize: 1,
  });
  try {
    await client.db('admin').command({ ping: 1 });
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** The URI clients use for a server we started on loopback. */
export function loopbackMongoUri(port: number): string {
  return `mongodb://127.0.0.1:${port}/`;
}
