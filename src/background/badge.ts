/** The toolbar icon tells the state at a glance, even where notifications are hidden. */
import { isRingingIncoming, type AppState } from '../shared/state';
import type { HubContext } from './hub';
import { readMissedCount } from './call-notifications';
import type { StateObserver } from './state-observers';

export interface BadgeLook {
  text: string;
  color: string;
  title: string;
}

const COLORS = { ringing: '#c0262d', call: '#1a7f37', missed: '#c0262d', offline: '#9a6700', signedOut: '#57606a' } as const;

export function badgeFor(state: AppState, missedCalls: number): BadgeLook {
  const live = state.calls.filter((call) => call.phase !== 'ended');
  const ringing = live.find(isRingingIncoming);
  if (ringing) return { text: 'RING', color: COLORS.ringing, title: 'Incoming call — open to answer' };
  if (live.length > 0) return { text: '●', color: COLORS.call, title: live.length > 1 ? `${live.length} calls in progress` : 'Call in progress' };
  if (missedCalls > 0) return { text: String(Math.min(missedCalls, 99)), color: COLORS.missed, title: `${missedCalls} missed call${missedCalls === 1 ? '' : 's'}` };
  switch (state.connection.status) {
    case 'online':
      return { text: '', color: COLORS.call, title: `Online${state.connection.user ? ` as ${state.connection.user}` : ''}` };
    case 'connecting':
      return { text: '…', color: COLORS.offline, title: 'Connecting…' };
    case 'offline':
      return { text: '!', color: COLORS.offline, title: `Offline: ${state.connection.reason ?? 'no connection'}` };
    case 'signed-out':
      return { text: 'off', color: COLORS.signedOut, title: `Signed out${state.connection.reason ? `: ${state.connection.reason}` : ''}` };
  }
}

export async function showBadge(context: HubContext, state: AppState): Promise<void> {
  const look = badgeFor(state, await readMissedCount(context));
  await Promise.all([
    chrome.action.setBadgeText({ text: look.text }),
    chrome.action.setBadgeBackgroundColor({ color: look.color }),
    chrome.action.setTitle({ title: `Kandy Click-to-Call — ${look.title}` }),
  ]);
}

export const badgeObserver: StateObserver = async (_previous, next, context) => showBadge(context, next);
