/**
 * Installs the local-stack binaries into <repo>/.tools: the Temporal CLI, and the FerretDB
 * wrapper unless mongod is on PATH. CI runs this before the tests so no test pays for a download
 * or a Go build. Usage: tsx scripts/install-tools.ts
 */
import { resolve } from 'node:path';
import { loadConfig } from '../src/config';
import { ensureFerretDb, ensureTemporalCli, findExecutableOnPath } from '../src/devstack';

async function main(): Promise<void> {
  const repoRoot = resolve(__dirname, '..');
  const toolsDir = resolve(repoRoot, loadConfig().toolsDir);
  const log = (message: string): void => console.log(message);
  const started = Date.now();

  const temporal = await ensureTemporalCli(toolsDir, log);
  console.log(`temporal CLI: ${temporal}`);

  const mongod = findExecutableOnPath('mongod');
  if (mongod !== undefined) {
    console.log(`mongod: ${mongod} (on PATH, so FerretDB is not needed)`);
  } else {
    const ferretdb = await ensureFerretDb(toolsDir, repoRoot, log);
    console.log(`FerretDB: ${ferretdb}`);
  }
  console.log(`install-tools: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(`install-tools: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
