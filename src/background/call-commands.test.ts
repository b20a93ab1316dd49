import { describe, expect, it } from 'vitest';
import { createFakeBrowser } from '../test/fake-browser';
import { recordingHubContext } from '../test/hub-context';
import { INITIAL_STATE, type AppState, type CallView } from '../shared/state';
import { ANSWER_COMMAND, HANG_UP_COMMAND, onCallCommand } from './call-commands';
import { applyState, observeState } from './state-observers';

function ringingCall(overrides: Partial<CallView> = {}): CallView {
  return { id: 'ring-1', direction: 'incoming', remoteAddress: 'sip:alice@kandy.example', phase: 'ringing', sdkState: 'Ringing', startedAt: 1, muted: false, localHold: false, remoteHold: false, video: false, ...overrides };
}

function setup() {
  return recordingHubContext(createFakeBrowser().browser);
}

/** An observer that holds each state until the test lets it go, like a notification still being shown. */
let releaseObserver: (() => void) | undefined;
let observerStarted: (() => void) | undefined;
observeState(async () => {
  observerStarted?.();
  await new Promise<void>((resolve) => (releaseObserver = resolve));
});

describe('answer and hang-up shortcuts', () => {
  it('answer a call whose state is still being applied (its notification is up, storage not yet written)', async () => {
    const { context, sent } = setup();
    const started = new Promise<void>((resolve) => (observerStarted = resolve));
    const ringingState: AppState = { ...INITIAL_STATE, calls: [ringingCall()], revision: 1 };
    const applied = applyState(context, ringingState);
    await started;

    const command = onCallCommand(context, ANSWER_COMMAND);
    releaseObserver?.();
    await Promise.all([applied, command]);

    expect(sent).toEqual([{ target: 'offscreen', type: 'bg/intent', intentId: 'command-answer-call-ring-1', intent: { kind: 'answer', callId: 'ring-1', video: false } }]);
  });

  it('do nothing when there is no call to answer or hang up, and ignore other commands', async () => {
    const { context, sent } = setup();
    await onCallCommand(context, ANSWER_COMMAND);
    await onCallCommand(context, HANG_UP_COMMAND);
    await onCallCommand(context, 'call-selection');
    expect(sent).toEqual([]);
  });
});
