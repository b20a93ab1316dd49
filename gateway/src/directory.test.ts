import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Directory, parseAddress } from './directory.ts';
import { FAKE_SDP, FakeClient, sessionIdOf, startTestGateway, type TestGateway } from './test-support.ts';

const directory = Directory.load({ usersFile: resolve(import.meta.dirname, '..', 'users.json') });

describe('callee routing', () => {
  it.each([
    // user names, as typed and as the SDK's normalizeDestination sends them
    ['bob', 'bob'],
    ['Bob', 'bob'],
    ['  bob  ', 'bob'],
    ['bob@kandy.example', 'bob'],
    ['sip:bob@kandy.example', 'bob'],
    ['sip:Bob@KANDY.EXAMPLE', 'bob'],
    ['sips:bob@kandy.example', 'bob'],
    ['sip:bob@kandy.example;transport=ws', 'bob'],
    ['sip:bob@kandy.example:5061', 'bob'],
    ['"Bob Demo" <sip:bob@kandy.example>', 'bob'],
    ['sip:bob@localhost', 'bob'],
    ['sip:bob@127.0.0.1', 'bob'],
    // phone numbers in common notations
    ['+14155550101', 'bob'],
    ['+1 415 555 0101', 'bob'],
    ['+1 (415) 555-0101', 'bob'],
    ['(415) 555-0101', 'bob'],
    ['415-555-0101', 'bob'],
    ['415.555.0101', 'bob'],
    ['4155550101', 'bob'],
    ['14155550101', 'bob'],
    ['1-415-555-0101', 'bob'],
    ['tel:+14155550101', 'bob'],
    ['tel:+1-415-555-0101;phone-context=example', 'bob'],
    ['callto:+14155550102', 'carol'],
    // what the SDK sends after normalizeDestination (visual separators stripped or kept inside sip:)
    ['sip:4155550101@kandy.example', 'bob'],
    ['sip:+14155550101@kandy.example', 'bob'],
    ['sip:(415) 555-0101@kandy.example', 'bob'],
    ['sip:%28415%29%20555-0101@kandy.example', 'bob'],
    ['sip:+14155550101@kandy.example;user=phone', 'bob'],
    ['sip:4155550100@kandy.example', 'alice'],
  ])('%j → %s', (address, expected) => {
    expect(directory.resolve(address).user?.username).toBe(expected);
  });

  it.each([
    ['mallory', 'no user named mallory'],
    ['sip:bob@elsewhere.example', 'domain elsewhere.example is not served by this gateway'],
    ['+14155550199', 'no user has number +14155550199'],
    ['555-0101', 'not a possible phone number'],
    ['', 'empty address'],
    ['sip:@kandy.example', 'no user part'],
    ['x'.repeat(600), 'address too long'],
  ])('%j is not routable (%s)', (address, reason) => {
    const result = directory.resolve(address);
    expect(result.user).toBeUndefined();
    expect('reason' in result && result.reason).toBe(reason);
  });

  it('reads national numbers with the configured region', () => {
    expect(parseAddress('020 7946 0958', 'GB')).toMatchObject({ kind: 'number', e164: '+442079460958' });
    expect(parseAddress('(415) 555-0101', 'US')).toMatchObject({ kind: 'number', e164: '+14155550101' });
  });

  it('loads an inline user list and rejects invalid directories', () => {
    const inline = Directory.load({ users: [{ username: 'dave', password: 'pw', number: '(415) 555-0199' }], domain: 'test.example' });
    expect(inline.byUsername('dave')).toMatchObject({ number: '+14155550199', sipAddress: 'sip:dave@test.example', identity: 'dave@test.example' });
    expect(inline.isClientAllowed('kandy-click-to-call-demo')).toBe(true);
    expect(() => Directory.load({ users: [{ username: '1x', password: 'pw', number: '+14155550199' }] })).toThrow(/user name/);
    expect(() => Directory.load({ users: [{ username: 'dave', password: 'pw', number: '12345' }] })).toThrow(/not a possible phone number/);
    expect(() => Directory.load({ usersFile: '/nonexistent/users.json' })).toThrow(/Cannot read the user directory/);
  });

  it('checks passwords', () => {
    expect(directory.authenticate('alice', 'alice-demo-password')?.username).toBe('alice');
    expect(directory.authenticate('alice', 'bob-demo-password')).toBeUndefined();
    expect(directory.authenticate('nobody', 'alice-demo-password')).toBeUndefined();
  });
});

describe('routing through the gateway', () => {
  let gateway: TestGateway;
  let alice: FakeClient;
  let bob: FakeClient;
  beforeAll(async () => {
    gateway = await startTestGateway();
    [alice, bob] = await Promise.all([FakeClient.connect(gateway, 'alice'), FakeClient.connect(gateway, 'bob')]);
  });
  afterAll(async () => {
    alice.close();
    bob.close();
    await gateway.close();
  });

  it.each(['sip:bob@kandy.example', 'sip:(415) 555-0101@kandy.example', 'sip:4155550101@kandy.example', 'tel:+14155550101', '+1 415 555 0101'])(
    '%j reaches bob',
    async (address) => {
      const created = await alice.api('POST', 'webrtcsignaling', '/sessions', { wrtcsSession: { tParticipantAddress: address, offer: { sdp: FAKE_SDP } } });
      expect(created.status).toBe(201);
      const sessionId = String(created.json.wrtcsSession.resourceURL).split('sessions/')[1] ?? '';
      const invitation = await bob.nextNotification('wrtcsSessionInvitationNotification', (body) => sessionIdOf(body) === sessionId);
      expect(invitation).toMatchObject({ originatorAddress: 'sip:alice@kandy.example', originatorName: 'Alice Demo', tParticipantAddress: 'sip:bob@kandy.example' });
      const ended = await alice.api('DELETE', 'webrtcsignaling', `/sessions/${sessionId}`);
      expect(ended.status).toBe(204);
      await bob.event('Cancelled', sessionId);
    },
  );

  it('answers an unknown callee with 404 SVC0004 and a readable text', async () => {
    const created = await alice.api('POST', 'webrtcsignaling', '/sessions', {
      wrtcsSession: { tParticipantAddress: 'sip:mallory@kandy.example', offer: { sdp: FAKE_SDP } },
    });
    expect(created.status).toBe(404);
    expect(created.json).toEqual({
      requestError: {
        serviceException: {
          messageId: 'SVC0004',
          text: 'No valid addresses provided in message part %1: %2 is not a user or number known to this gateway',
          variables: ['tParticipantAddress', 'sip:mallory@kandy.example'],
        },
      },
    });
    expect(gateway.sessions()).toEqual([]);
  });
});
