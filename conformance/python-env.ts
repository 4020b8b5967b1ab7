import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the suite's Python lives, and the pinned requirements it was built from. */
export interface PythonEnvSpec {
  /** The venv folder (under the ignored tools directory). */
  readonly venvDir: string;
  readonly requirementsFile: string;
  /** The interpreter that creates the venv. @default "python3" */
  readonly basePython?: string;
}

/**
 * Makes sure a venv holds exactly the pinned requirements (the official Dropbox SDK and stone),
 * from PyPI through pip; a stamp of the requirements' hash makes later runs free. Returns the
 * venv's interpreter.
 */
export async function ensurePythonEnv(spec: PythonEnvSpec, log: (message: string) => void): Promise<string> {
  const python = join(spec.venvDir, 'bin', 'python');
  const stampFile = join(spec.venvDir, '.requirements-sha256');
  const wanted = createHash('sha256').update(readFileSync(spec.requirementsFile)).digest('hex');
  if (existsSync(python) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === wanted) return python;

  log(`creating ${spec.venvDir} and installing ${spec.requirementsFile} from PyPI`);
  rmSync(spec.venvDir, { recursive: true, force: true });
  await run(spec.basePython ?? 'python3', ['-m', 'venv', spec.venvDir]);
  await run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-input', '-r', spec.requirementsFile]);
  writeFileSync(stampFile, `${wanted}\n`);
  return python;
}

function run(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', (error) => reject(new Error(`${command}: ${error.message}`)));
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}`));
    });
  });
}
