/**
 * `npm run conformance`: holds the emulator to both official SDKs and to the spec. Starts its own
 * HTTPS emulators on loopback (one per client, sharing one generated certificate), drives one with
 * the JS SDK and one with the Python SDK in child processes that trust the certificate the way real
 * users would (NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE), then checks every JSON response served
 * against the spec's types with stone. Prints a route x client report; exits 1 on any failure.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DropboxEmulator, Exchange, generateLoopbackIdentity, TlsIdentity, writeCertificate } from '../emulator/src';
import { ROUTE_TABLE } from '../emulator/src/routes';
import { loadConfig } from '../src/config';
import { buildFixture } from './fixture';
import type { CheckResult } from './js/client-check';
import { ensurePythonEnv } from './python-env';
import { CLIENTS, renderReport, SpecResult } from './report';

const REPO = resolve(__dirname, '..');
const SPEC_DIR = resolve(REPO, '..', 'shared', 'dropbox-api-spec');
/** Real ms per second of a longpoll `timeout`, so the SDKs' minimum of 30 s takes 0.6 s. */
const LONGPOLL_MS_PER_SECOND = 20;
const CHILD_TIMEOUT_MS = 180_000;

type Client = (typeof CLIENTS)[number];

interface ClientRun {
  readonly checks: CheckResult[];
  readonly exchanges: (Exchange & { client: Client })[];
}

async function main(): Promise<void> {
  const started = Date.now();
  const workDir = join(resolve(REPO, loadConfig().toolsDir), 'conformance');
  mkdirSync(workDir, { recursive: true });
  const python = await ensurePythonEnv(
    { venvDir: join(resolve(REPO, loadConfig().toolsDir), 'conformance-venv'), requirementsFile: join(__dirname, 'python', 'requirements.txt') },
    (message) => console.log(`conformance: ${message}`),
  );
  const identity = await generateLoopbackIdentity();
  const caFile = join(workDir, 'emulator-ca.pem');
  writeCertificate(caFile, identity.certPem);

  const runs = await Promise.all(CLIENTS.map((client) => runClient(client, identity, caFile, workDir, python)));
  const checks = runs.flatMap((run) => run.checks);
  const exchangesFile = join(workDir, 'exchanges.json');
  writeFileSync(exchangesFile, JSON.stringify({ exchanges: runs.flatMap((run) => run.exchanges) }));
  const specFile = join(workDir, 'spec-results.json');
  await runChild(python, [join(__dirname, 'python', 'check_exchanges.py'), SPEC_DIR, exchangesFile, specFile], {});
  const spec = (JSON.parse(readFileSync(specFile, 'utf8')) as { results: SpecResult[] }).results;

  const routes = [...ROUTE_TABLE.keys(), 'oauth2/token'];
  const report = renderReport(routes, checks, spec);
  console.log(report.text);
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s; exchanges in ${exchangesFile})`);
  if (report.failed > 0) process.exitCode = 1;
}

/** One client against its own emulator: fixture, child process, recorded exchanges. */
async function runClient(client: Client, identity: TlsIdentity, caFile: string, workDir: string, python: string): Promise<ClientRun> {
  const emulator = await DropboxEmulator.start({ tls: identity, recordExchanges: true, seed: `conformance-${client}`, longpoll: { msPerTimeoutSecond: LONGPOLL_MS_PER_SECOND } });
  try {
    const fixture = buildFixture(emulator, caFile, client);
    const fixtureFile = join(workDir, `${client}-fixture.json`);
    const resultsFile = join(workDir, `${client}-results.json`);
    writeFileSync(fixtureFile, JSON.stringify(fixture, null, 2));
    if (client === 'js-sdk') {
      await runChild(process.execPath, [require.resolve('tsx/cli'), join(__dirname, 'js', 'sdk-suite.ts'), fixtureFile, resultsFile], {
        NODE_EXTRA_CA_CERTS: caFile,
      });
    } else {
      await runChild(python, [join(__dirname, 'python', 'sdk_suite.py'), fixtureFile, resultsFile], {
        DROPBOX_API_HOST: fixture.apiHost,
        DROPBOX_API_CONTENT_HOST: fixture.apiHost,
        DROPBOX_API_NOTIFY_HOST: fixture.notifyHost,
        REQUESTS_CA_BUNDLE: caFile,
      });
    }
    const checks = (JSON.parse(readFileSync(resultsFile, 'utf8')) as { results: CheckResult[] }).results;
    return { checks, exchanges: emulator.exchanges.map((exchange) => ({ ...exchange, client })) };
  } finally {
    await emulator.stop();
  }
}

/**
 * Runs a child to completion without blocking this process's event loop (the emulators answer
 * it from here). Its output is kept and shown only when it fails.
 */
function runChild(command: string, args: readonly string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${command}: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolvePromise();
      reject(new Error(`${args[0] ?? command} exited with ${code ?? signal}:\n${Buffer.concat(output).toString('utf8').slice(-4000)}`));
    });
  });
}

main().catch((error: unknown) => {
  console.error(`conformance: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
