/** A sign-in answer (ui/sign-in, ui/save-settings) in words for the user, in their language. */
import type { Reply, SignInReply } from '../shared/messages';
import { t } from '../ui/i18n';

export interface SignInOutcome {
  ok: boolean;
  text: string;
}

type Failure = Extract<SignInReply, { ok: false }>;

export function describeSignIn(reply: Reply<unknown> | SignInReply): SignInOutcome {
  if (reply.ok) {
    const user = (reply.value as { user?: unknown } | undefined)?.user;
    return { ok: true, text: typeof user === 'string' && user ? t('signInOk', user) : t('signInOkPlain') };
  }
  const failure = reply as Partial<Failure> & { error: string };
  switch (failure.kind) {
    case 'rejected':
      return { ok: false, text: `${t('signInRejected', failure.reason ?? failure.error)} ${t('nothingSaved')}` };
    case 'unreachable':
      return { ok: false, text: `${t('signInUnreachable', failure.server ?? failure.reason ?? '')} ${t('nothingSaved')}` };
    case 'no-account':
      return { ok: false, text: t('signInNoAccount') };
    case 'protocol':
      return { ok: false, text: `${t('signInProtocol', failure.reason ?? failure.error)} ${t('nothingSaved')}` };
    default:
      return { ok: false, text: t('signInFailed', failure.error) };
  }
}
