/** Random dial strings through the real parser and the phone: a call for what is callable, a clear error for the rest. */
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { parseDialable } from '../content/detect/with-metadata';
import { DEFAULT_SETTINGS } from '../shared/settings';
import type { KandySession } from './kandy-seam';
import { Phone } from './phone';

describe('dial strings under fuzzing', () => {
  it('parseDialable never throws and always explains a refusal', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.stringMatching(/^[+0-9 ().\-x#*;=:@a-z]{0,40}$/)), fc.constantFrom('US', 'GB', 'DE', 'FR', 'IN', 'BR', 'JP', 'AU'), (input, country) => {
        const result = parseDialable(input, country as never);
        if (result.ok) expect(result.dial.length).toBeGreaterThan(0);
        else expect(result.reason.length).toBeGreaterThan(5);
      }),
      { numRuns: 3000 },
    );
  });

  it('the phone dials only what parses, and leaves no call behind for the rest', async () => {
    const make = vi.fn(() => 'call-1');
    const session = { setTokens: vi.fn(), subscribe: vi.fn(), unsubscribe: vi.fn(), make, destroy: vi.fn() } as unknown as KandySession;
    let emit: Parameters<ConstructorParameters<typeof Phone>[0]['createSession']>[1] = () => undefined;
    const phone = new Phone({
      createSession: (_server, listener) => {
        emit = listener;
        return session;
      },
      requestTokens: async () => ({ accessToken: 'a', idToken: 'a.e30.b', expiresIn: 3600 }),
      microphoneReady: async () => true,
      askForMicrophonePermission: () => undefined,
      publish: () => undefined,
      now: () => 0,
      setTimeout: () => 0,
      clearTimeout: () => undefined,
    });
    await phone.signIn(DEFAULT_SETTINGS);
    emit({ type: 'connection', connection: { status: 'online' } });
    let counter = 0;
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), async (destination) => {
        make.mockClear();
        const reply = await phone.handleIntent(`fuzz-intent-${++counter}`, { kind: 'make', destination, video: false });
        const parsed = parseDialable(destination, 'US');
        expect(reply.ok).toBe(parsed.ok);
        expect(make).toHaveBeenCalledTimes(parsed.ok ? 1 : 0);
        if (!reply.ok) expect(reply.error.length).toBeGreaterThan(5);
      }),
      { numRuns: 500 },
    );
  });
});
