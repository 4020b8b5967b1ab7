import { Connection } from '@temporalio/client';

/**
 * Connects to the Temporal frontend at `address`, runs `work` with every call bounded by
 * `timeoutMs`, and always closes the connection (even when connecting fails).
 */
export async function withTemporalConnection<T>(
  address: string,
  timeoutMs: number,
  work: (connection: Connection) => Promise<T>,
): Promise<T> {
  const connection = Connection.lazy({ address, connectTimeout: timeoutMs });
  try {
    await connection.ensureConnected();
    return await connection.withDeadline(Date.now() + timeoutMs, () => work(connection));
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** Succeeds once the frontend answers and `namespace` is registered on it. */
export async function probeTemporal(address: string, namespace: string, timeoutMs: number): Promise<void> {
  await withTemporalConnection(address, timeoutMs, async (connection) => {
    await connection.workflowService.getSystemInfo({});
    await connection.workflowService.describeNamespace({ namespace });
  });
}
