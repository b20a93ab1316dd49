/** Words and choices about calls that the popup and the call window share. */
import { isRingingIncoming, type CallView, type ConnectionStatus } from '../shared/state';
import { t } from './i18n';

export { isRingingIncoming };

export function phaseLabel(call: CallView, connection: ConnectionStatus): string {
  switch (call.phase) {
    case 'initiating':
      return call.direction === 'outgoing' ? t('callCalling') : t('phaseIncoming');
    case 'ringing':
      return call.direction === 'outgoing' ? t('callRinging') : t('phaseRingingIncoming');
    case 'connected':
    case 'on-hold':
      // Media may still flow, but signalling is down: say so until the phone is back online.
      if (connection !== 'online') return t('phaseReconnecting');
      if (call.phase === 'connected') return t('phaseConnected');
      return call.remoteHold && !call.localHold ? t('phaseHeldByOther') : t('phaseOnHold');
    case 'ended':
      return t('phaseEnded');
  }
}

/** The call the user is talking on (connected and not held by us), else the newest live one. */
export function primaryCall(calls: CallView[]): CallView | undefined {
  const live = calls.filter((call) => call.phase !== 'ended' && !isRingingIncoming(call));
  return live.find((call) => call.phase === 'connected' && !call.localHold) ?? live.at(-1);
}
