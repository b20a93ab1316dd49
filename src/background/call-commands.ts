/** Keyboard shortcuts for the two things a busy user does most: pick up and hang up. */
import { isRingingIncoming, type AppState, type CallView } from '../shared/state';
import type { HubContext } from './hub';
import { readSettledState } from './state-observers';

export const ANSWER_COMMAND = 'answer-call';
export const HANG_UP_COMMAND = 'hang-up';

export function callToAnswer(state: AppState): CallView | undefined {
  return state.calls.find((call) => isRingingIncoming(call) && call.phase === 'ringing');
}

/** The call a hang-up means: the one being talked on, else the one being dialled. */
export function callToHangUp(state: AppState): CallView | undefined {
  const live = state.calls.filter((call) => call.phase !== 'ended' && !isRingingIncoming(call));
  return live.find((call) => call.phase === 'connected') ?? live.find((call) => call.phase !== 'on-hold') ?? live[0];
}

export async function onCallCommand(context: HubContext, command: string): Promise<void> {
  if (command !== ANSWER_COMMAND && command !== HANG_UP_COMMAND) return;
  const state = await readSettledState(context);
  const call = command === ANSWER_COMMAND ? callToAnswer(state) : callToHangUp(state);
  if (!call) return;
  await context.sendToOffscreen({
    target: 'offscreen',
    type: 'bg/intent',
    intentId: `command-${command}-${call.id}`,
    intent: command === ANSWER_COMMAND ? { kind: 'answer', callId: call.id, video: false } : { kind: 'end', callId: call.id },
  });
}

export function registerCallCommands(context: HubContext): void {
  chrome.commands.onCommand.addListener((command) => void onCallCommand(context, command).catch((error: unknown) => console.warn('Command failed', error)));
}
