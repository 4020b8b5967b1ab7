import { join } from 'node:path';
import { cachedTemporalCliPath, parseTemporalVersion, pypiPlatformTag, TEMPORAL_CLI_VERSION } from '../../../src/devstack/temporal-cli';

describe('parseTemporalVersion', () => {
  it('reads the CLI version from --version output', () => {
    expect(parseTemporalVersion('temporal version 1.5.1 (Server 1.29.1, UI 2.42.1)\n')).toBe('1.5.1');
  });

  it('returns undefined for anything else', () => {
    expect(parseTemporalVersion('Temporal is a workflow engine')).toBeUndefined();
  });
});

describe('pypiPlatformTag', () => {
  it('knows the Linux and macOS wheels', () => {
    expect(pypiPlatformTag('linux', 'x64')).toBe('manylinux2014_x86_64');
    expect(pypiPlatformTag('linux', 'arm64')).toBe('manylinux2014_aarch64');
    expect(pypiPlatformTag('darwin', 'arm64')).toBe('macosx_11_0_arm64');
    expect(pypiPlatformTag('darwin', 'x64')).toBe('macosx_11_0_x86_64');
  });

  it('leaves other platforms to the go install fallback', () => {
    expect(pypiPlatformTag('win32', 'x64')).toBeUndefined();
    expect(pypiPlatformTag('linux', 'ia32')).toBeUndefined();
  });
});

describe('cachedTemporalCliPath', () => {
  it('is versioned under the tools dir', () => {
    expect(cachedTemporalCliPath('/repo/.tools')).toBe(join('/repo/.tools', `temporal-${TEMPORAL_CLI_VERSION}`, 'temporal'));
  });
});
