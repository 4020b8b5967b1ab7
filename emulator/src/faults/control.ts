import { z } from 'zod';
import { ControlError, parseControlBody } from '../control';
import type { DropboxEmulator } from '../server';
import { FaultRuleError } from './plan';
import { FAULT_PROFILE_NAMES } from './profiles';
import { FaultRuleSchema } from './rule';

const Profile = z.strictObject({ name: z.enum(FAULT_PROFILE_NAMES), seed: z.string().min(1).optional() });
const Clear = z.strictObject({ seed: z.string().min(1).optional() });
const Switches = z.strictObject({
  nfdPaths: z.enum(['not_found', 'normalise']).optional(),
  cursorTtlSeconds: z.number().int().min(1).nullable().optional(),
  longpoll: z
    .strictObject({
      falsePositives: z.boolean().optional(),
      backoffSeconds: z.number().int().min(0).max(86_400).nullable().optional(),
      msPerTimeoutSecond: z.number().min(0).max(10_000).optional(),
    })
    .optional(),
});

type Action = (emulator: DropboxEmulator, body: unknown) => unknown;

/**
 * Control actions for fault injection and behaviour switches (`/_control/<action>`), by
 * `"<METHOD> <action>"`. Rules and profiles are validated whole; a bad one is a 400 and changes nothing.
 */
export const FAULT_CONTROL_ACTIONS: Readonly<Record<string, Action>> = {
  'POST faults': (emulator, body) => {
    try {
      emulator.injectFault(parseControlBody(FaultRuleSchema, body));
    } catch (error) {
      if (error instanceof FaultRuleError) throw new ControlError(error.message);
      throw error;
    }
    return { ok: true };
  },
  'GET faults': (emulator) => ({ rules: emulator.faults.list() }),
  'POST faults/clear': (emulator, body) => {
    emulator.faults.clear(parseControlBody(Clear, body).seed);
    return { ok: true };
  },
  'POST faults/profile': (emulator, body) => {
    const { name, seed } = parseControlBody(Profile, body);
    emulator.useFaultProfile(name, seed);
    return { ok: true, rules: emulator.faults.list().length };
  },
  'GET switches': (emulator) => emulator.switches,
  'POST switches': (emulator, body) => {
    const input = parseControlBody(Switches, body);
    if (input.nfdPaths !== undefined) emulator.switches.nfdPaths = input.nfdPaths;
    if (input.cursorTtlSeconds !== undefined) emulator.switches.cursorTtlSeconds = input.cursorTtlSeconds ?? undefined;
    const longpoll = emulator.switches.longpoll;
    if (input.longpoll?.falsePositives !== undefined) longpoll.falsePositives = input.longpoll.falsePositives;
    if (input.longpoll?.msPerTimeoutSecond !== undefined) longpoll.msPerTimeoutSecond = input.longpoll.msPerTimeoutSecond;
    if (input.longpoll?.backoffSeconds !== undefined) longpoll.backoffSeconds = input.longpoll.backoffSeconds ?? undefined;
    return emulator.switches;
  },
};
