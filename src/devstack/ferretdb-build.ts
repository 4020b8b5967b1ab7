import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { runCommand } from './process';
import { findExecutableOnPath, installExecutable, isExecutableFile, makeStagingDir, removeStagingDir } from './tools';
import type { StackLog } from './types';

/** FerretDB release pinned by devstack/ferretdb/go.mod. */
export const FERRETDB_VERSION = '1.24.2';
/** The wrapper program's folder, relative to the repository root. */
export const FERRETDB_SOURCE_DIR = join('devstack', 'ferretdb');
const BINARY_NAME = 'fostr-ferretdb';
const GO_BUILD_TIMEOUT_MS = 20 * 60_000;

/** Where {@link ensureFerretDb} caches the built wrapper. */
export function cachedFerretDbPath(toolsDir: string): string {
  return join(resolve(toolsDir), `ferretdb-${FERRETDB_VERSION}`, BINARY_NAME);
}

/**
 * Walks up from `startDir` to the repository root, recognised by `devstack/ferretdb/go.mod`.
 * Works from `src/devstack` under tsx/ts-jest as well as from a compiled `dist/` tree.
 */
export function findRepoRoot(startDir: string = __dirname): string {
  let dir = resolve(startDir);
  for (;;) {
    if (existsSync(join(dir, FERRETDB_SOURCE_DIR, 'go.mod'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`FerretDB: no ${join(FERRETDB_SOURCE_DIR, 'go.mod')} in ${startDir} or any parent directory`);
    }
    dir = parent;
  }
}

/** Fingerprint of the wrapper's sources, so an edited main.go or go.mod triggers a rebuild. */
async function sourceFingerprint(sourceDir: string): Promise<string> {
  const files = (await readdir(sourceDir)).filter((file) => file.endsWith('.go') || file === 'go.mod' || file === 'go.sum').sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(await readFile(join(sourceDir, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

async function readStamp(stampFile: string): Promise<string | undefined> {
  try {
    return (await readFile(stampFile, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

/**
 * Returns the path of the FerretDB wrapper binary, building `<repoRoot>/devstack/ferretdb` into
 * `<toolsDir>/ferretdb-1.24.2/` with the Go toolchain when it is missing or its sources changed.
 */
export async function ensureFerretDb(toolsDir: string, repoRoot: string, log: StackLog): Promise<string> {
  const sourceDir = join(resolve(repoRoot), FERRETDB_SOURCE_DIR);
  if (!existsSync(join(sourceDir, 'go.mod'))) {
    throw new Error(`FerretDB: source not found: ${join(sourceDir, 'go.mod')} does not exist (is repoRoot ${repoRoot} right?)`);
  }
  const destination = cachedFerretDbPath(toolsDir);
  const stampFile = `${destination}.source-sha256`;
  const fingerprint = await sourceFingerprint(sourceDir);

  if (isExecutableFile(destination)) {
    if ((await readStamp(stampFile)) === fingerprint) {
      log(`MongoDB: using cached FerretDB ${FERRETDB_VERSION} (${destination})`);
      return destination;
    }
    log(`MongoDB: ${FERRETDB_SOURCE_DIR} changed since the cached FerretDB was built; rebuilding`);
  }

  const go = findExecutableOnPath('go');
  if (go === undefined) {
    throw new Error(
      `FerretDB: cannot build ${sourceDir}: 'go' is not on PATH. Install Go 1.24 or newer, put mongod on PATH, or set mongodbUri.`,
    );
  }
  log(`MongoDB: building FerretDB ${FERRETDB_VERSION} from ${FERRETDB_SOURCE_DIR} with Go (~2 min when the Go module and build caches are cold)...`);
  const started = Date.now();
  const staging = await makeStagingDir(toolsDir, 'ferretdb');
  try {
    const staged = join(staging, BINARY_NAME);
    await runCommand(go, ['build', '-buildvcs=false', '-trimpath', '-o', staged, '.'], {
      cwd: sourceDir,
      // The toolchain needs the caller's environment (HOME, GOPATH, proxies); we only add to it.
      env: { ...process.env, CGO_ENABLED: '0' },
      timeoutMs: GO_BUILD_TIMEOUT_MS,
    }).catch((error: unknown) => {
      throw new Error(`FerretDB: go build failed in ${sourceDir}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    });
    await installExecutable(staged, destination);
    const stagedStamp = join(staging, 'stamp');
    await writeFile(stagedStamp, `${fingerprint}\n`);
    await rename(stagedStamp, stampFile);
  } finally {
    await removeStagingDir(staging);
  }
  log(`MongoDB: built FerretDB in ${((Date.now() - started) / 1000).toFixed(1)} s (${destination})`);
  return destination;
}
