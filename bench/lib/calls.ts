/** Setting up and ending a call between two signed-in extension users, through their control pages. */
import type { AppStateLike, ExtensionUser } from '../../e2e/support/extension.ts';
import { fireIntent, installStateWatcher, intentReply, waitForStateEvent } from './extension-page.ts';

export const online = (state: AppStateLike) => state.connection.status === 'online';
export const noLiveCall = (state: AppStateLike) => !state.calls.some((call) => call.phase !== 'ended');

/** caller dials callee by user name, callee answers; resolves with the caller's call id once it is connected. */
export async function connectCall(caller: ExtensionUser, callee: ExtensionUser, calleeName: string): Promise<string> {
  await installStateWatcher(caller.controlPage);
  await installStateWatcher(callee.controlPage);
  const since = await caller.controlPage.evaluate(() => performance.timeOrigin + performance.now());
  const makeId = `bench-make-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  await fireIntent(caller.controlPage, makeId, { kind: 'make', destination: calleeName, video: false });
  const ringing = await waitForStateEvent(callee.controlPage, 'incoming-ringing', since - 1);
  const made = await intentReply(caller.controlPage, makeId);
  if (!made.ok || !ringing.callId) throw new Error(`make failed: ${made.error}`);
  const answerId = `bench-answer-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  await fireIntent(callee.controlPage, answerId, { kind: 'answer', callId: ringing.callId, video: false });
  const connected = await waitForStateEvent(caller.controlPage, 'outgoing-connected', since - 1);
  if (!connected.callId) throw new Error('the caller never connected');
  return connected.callId;
}

/** The caller ends the call; resolves when neither side has a live call. */
export async function endCall(caller: ExtensionUser, callee: ExtensionUser, callId: string): Promise<void> {
  const endId = `bench-end-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  await fireIntent(caller.controlPage, endId, { kind: 'end', callId });
  await intentReply(caller.controlPage, endId);
  await caller.waitForState(noLiveCall, 'the caller has no live call');
  await callee.waitForState(noLiveCall, 'the callee has no live call');
}
