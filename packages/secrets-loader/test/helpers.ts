import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { type Emulator, type Seed, startEmulator } from '@netra/secret-manager-emulator';
import { expect } from 'vitest';
import { createSecretManagerClient } from '../src/client.ts';

/** A running emulator (free port, loopback) and the official client pointed at it. */
export interface Harness {
  emulator: Emulator;
  client: SecretManagerServiceClient;
  close(): Promise<void>;
}

export async function startHarness(
  seed: Seed,
  options: { latencyMs?: number; strictEndpoints?: boolean } = {},
): Promise<Harness> {
  const emulator = await startEmulator({ port: 0, seed, ...options });
  const client = await createSecretManagerClient({ emulatorHost: emulator.address });
  return {
    emulator,
    client,
    async close() {
      await client.close();
      await emulator.stop();
    },
  };
}

/** Fails when any of the values appears anywhere in what is shown to users: message, hints, JSON, stack. */
export function expectNoLeak(shown: unknown, values: readonly string[]): void {
  const parts: string[] = [JSON.stringify(shown)];
  if (shown instanceof Error) parts.push(shown.message, shown.stack ?? '', String(shown));
  if (shown && typeof shown === 'object' && 'issues' in shown) {
    for (const issue of (shown as { issues: { message: string; hint: string }[] }).issues) {
      parts.push(issue.message, issue.hint);
    }
  }
  const text = parts.join('\n');
  for (const value of values) {
    expect(value.length).toBeGreaterThan(5); // a short value would match by accident
    expect(text).not.toContain(value);
  }
}

/**
 * Wraps a client so each AccessSecretVersion call through `innerApiCalls` is observed: how many ran, the most
 * in flight at once, and which were cancelled.
 */
export function observeAccessCalls(client: SecretManagerServiceClient): {
  started: () => number;
  maxInFlight: () => number;
  cancelled: () => number;
  settled: () => Promise<void>;
} {
  const inner = client as unknown as {
    innerApiCalls: Record<string, unknown>;
    initialize(): Promise<unknown>;
  };
  let started = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let cancelled = 0;
  const pending: Promise<unknown>[] = [];
  const wrap = () => {
    const original = inner.innerApiCalls['accessSecretVersion'] as (
      ...args: unknown[]
    ) => Promise<unknown> & {
      cancel(): void;
    };
    inner.innerApiCalls['accessSecretVersion'] = (...args: unknown[]) => {
      const call = original(...args);
      started += 1;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const done = call.then(
        () => {},
        () => {},
      );
      void done.then(() => {
        inFlight -= 1;
      });
      pending.push(done);
      const originalCancel = call.cancel.bind(call);
      call.cancel = () => {
        cancelled += 1;
        originalCancel();
      };
      return call;
    };
  };
  const initialize = inner.initialize.bind(inner);
  let wrapped = false;
  inner.initialize = async () => {
    const result = await initialize();
    if (!wrapped) {
      wrapped = true;
      wrap();
    }
    return result;
  };
  return {
    started: () => started,
    maxInFlight: () => maxInFlight,
    cancelled: () => cancelled,
    settled: async () => {
      await Promise.all(pending);
    },
  };
}
