import { z } from 'zod';
import { AUTH_CONTROL_ACTIONS } from './auth/control';
import { FAULT_CONTROL_ACTIONS } from './faults/control';
import { HistoryBatch } from './history';
import { WORLD_CONTROL_ACTIONS } from './world/control';
import { MAX_GENERATED_ENTRIES } from './seed';
import type { DropboxEmulator } from './server';

const CreateAccount = z.object({ email: z.string().email(), displayName: z.string().min(1), accessToken: z.string().min(8).optional() });
const ForAccount = z.object({ email: z.string().email() });
const ApplyBatches = z.object({ email: z.string().email(), batches: z.array(HistoryBatch) });
const Latency = z.object({ latencyMs: z.number().int().min(0).max(60_000) });
const Seed = z.strictObject({ email: z.string().email(), entries: z.number().int().min(0).max(MAX_GENERATED_ENTRIES), seed: z.string().min(1).optional() });

/**
 * The control interface (`/_control/<action>`, JSON in and out) for driving the emulator from
 * another process: accounts, change batches, ground truth, faults. Bad input is a 400 naming the
 * field, and nothing is applied.
 */
export function handleControl(emulator: DropboxEmulator, method: string, action: string, raw: Buffer): unknown {
  const body = raw.length === 0 ? {} : parseJson(raw);
  switch (`${method} ${action}`) {
    case 'POST accounts':
      return emulator.createAccount(parse(CreateAccount, body));
    case 'POST batches': {
      const { email, batches } = parse(ApplyBatches, body);
      for (const batch of batches) emulator.applyBatch(email, batch);
      return { applied: batches.length };
    }
    case 'POST ground-truth':
      return { entries: emulator.groundTruth(parse(ForAccount, body).email) };
    case 'POST invalidate-cursors':
      emulator.invalidateCursors(parse(ForAccount, body).email);
      return { ok: true };
    case 'POST latency':
      emulator.latencyMs = parse(Latency, body).latencyMs;
      return { ok: true };
    case 'POST seed': {
      const { email, ...options } = parse(Seed, body);
      return emulator.generate(email, options);
    }
    case 'GET requests':
      return { requests: emulator.requests };
    default: {
      const authAction = AUTH_CONTROL_ACTIONS[`${method} ${action}`];
      if (authAction) return authAction(emulator, body);
      const worldAction = WORLD_CONTROL_ACTIONS[`${method} ${action}`];
      if (worldAction) return worldAction(emulator, body);
      const faultAction = FAULT_CONTROL_ACTIONS[`${method} ${action}`];
      if (faultAction) return faultAction(emulator, body);
      throw new ControlError(`unknown control action ${method} /_control/${action}`);
    }
  }
}

/** A bad control request; rendered as 400 plain text. */
export class ControlError extends Error {
  readonly status = 400;
}

/** Validates a control request body; a mismatch is a `ControlError` naming every bad field. */
export function parseControlBody<T>(schema: z.ZodType<T>, body: unknown): T {
  return parse(schema, body);
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new ControlError(`invalid control request: ${z.prettifyError(result.error)}`);
  return result.data;
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ControlError('control request body is not JSON');
  }
}
