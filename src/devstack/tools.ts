import { accessSync, constants, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';

/** True when `file` is a regular file we may execute. */
export function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds `name` on PATH like a shell would, or returns undefined.
 *
 * `pathValue` defaults to this process's PATH; relative entries are ignored because they would
 * resolve against whatever the current directory happens to be.
 */
export function findExecutableOnPath(name: string, pathValue: string | undefined = process.env.PATH): string | undefined {
  for (const dir of (pathValue ?? '').split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Creates a private scratch directory inside `toolsDir` so that finished binaries can be moved
 * into place with an atomic same-filesystem rename.
 */
export async function makeStagingDir(toolsDir: string, label: string): Promise<string> {
  const root = resolve(toolsDir);
  await mkdir(root, { recursive: true });
  return mkdtemp(join(root, `.staging-${label}-`));
}

/** Removes a staging directory; failures are ignored because it only ever holds leftovers. */
export async function removeStagingDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}

/**
 * Makes `staged` executable and renames it to `destination`, so concurrent installers and
 * readers only ever see a missing or a complete binary.
 */
export async function installExecutable(staged: string, destination: string): Promise<void> {
  await chmod(staged, 0o755);
  await mkdir(dirname(destination), { recursive: true });
  await rename(staged, destination);
}
