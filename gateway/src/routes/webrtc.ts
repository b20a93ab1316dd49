/** /cpaas/webrtcsignaling/{v}/{user}/…: call subscriptions, TURN credentials and sessions. */
import { randomBytes } from 'node:crypto';
import type { ChannelRegistry } from '../channels.ts';
import type { Directory } from '../directory.ts';
import type { Route } from '../http.ts';
import type { SessionManager } from '../sessions.ts';
import type { SubscriptionRegistry } from '../subscriptions.ts';
import { errors } from '../errors.ts';
import { objectAt, optionalString, requiredString, sdpAt, wrapper } from './validate.ts';

export interface WebrtcDeps {
  channels: ChannelRegistry;
  subscriptions: SubscriptionRegistry;
  sessions: SessionManager;
  directory: Directory;
  turnCredentialTtlSeconds: number;
  /** Told every TURN password it hands out (tests check that no log shows one). */
  onSecret?: (secret: string) => void;
}

const BASE = '/cpaas/webrtcsignaling/:version/:user';

export function webrtcRoutes(deps: WebrtcDeps): Route[] {
  const me = (username: string | undefined) => {
    const user = deps.directory.byUsername(username ?? '');
    if (!user) throw errors.notFound(`user ${username ?? ''}`);
    return user;
  };

  return [
    {
      name: 'subscription.create',
      method: 'POST',
      pattern: `${BASE}/subscriptions`,
      auth: 'bearer',
      body: 'json',
      handler: ({ body, params }) => {
        const request = wrapper(body, 'wrtcsNotificationSubscription');
        const callback = objectAt(request.callbackReference, 'wrtcsNotificationSubscription.callbackReference');
        const notifyURL = requiredString(callback, 'notifyURL', 'wrtcsNotificationSubscription.callbackReference.notifyURL', 1024);
        const channel = deps.channels.byCallbackURL(notifyURL);
        if (!channel || channel.user !== params.user) {
          throw errors.invalidInput('wrtcsNotificationSubscription.callbackReference.notifyURL', 'no notification channel of this user has that callbackURL');
        }
        const clientCorrelator = optionalString(request, 'clientCorrelator', 'wrtcsNotificationSubscription.clientCorrelator');
        const subscription = deps.subscriptions.create({
          user: channel.user,
          service: 'call',
          channel,
          clientCorrelator,
          notifyURL,
          version: params.version ?? 'v1',
        });
        return {
          status: 201,
          headers: { Location: subscription.resourceURL },
          body: {
            wrtcsNotificationSubscription: {
              callbackReference: { notifyURL },
              clientCorrelator: subscription.clientCorrelator,
              resourceURL: subscription.resourceURL,
            },
          },
        };
      },
    },
    {
      name: 'subscription.delete',
      method: 'DELETE',
      pattern: `${BASE}/subscriptions/:subscriptionId`,
      auth: 'bearer',
      body: 'none',
      handler: ({ params }) => {
        const subscription = deps.subscriptions.get(params.subscriptionId ?? '');
        if (!subscription || subscription.user !== params.user) throw errors.notFound(`subscription ${params.subscriptionId ?? ''}`);
        deps.subscriptions.remove(subscription.id, 'deleted by client');
        return { status: 204 };
      },
    },
    {
      name: 'turn.credentials',
      method: 'POST',
      pattern: `${BASE}/turn`,
      auth: 'bearer',
      body: 'json',
      handler: ({ params }) => {
        // There is no TURN server behind the gateway; the SDK only copies these onto its configured ICE servers.
        const expires = Math.floor(Date.now() / 1000) + deps.turnCredentialTtlSeconds;
        const password = randomBytes(18).toString('base64');
        deps.onSecret?.(password);
        return {
          status: 201,
          body: { wrtcsTurnCredentials: { username: `${expires}:${params.user ?? ''}`, password } },
        };
      },
    },
    {
      name: 'session.create',
      method: 'POST',
      pattern: `${BASE}/sessions`,
      auth: 'bearer',
      body: 'json',
      handler: ({ body, params }) => {
        const request = wrapper(body, 'wrtcsSession');
        const address = requiredString(request, 'tParticipantAddress', 'tParticipantAddress', 512);
        const offer = objectAt(request.offer, 'wrtcsSession.offer');
        const sdp = sdpAt(offer, 'sdp', 'wrtcsSession.offer.sdp');
        const clientCorrelator = optionalString(request, 'clientCorrelator', 'wrtcsSession.clientCorrelator');
        const displayName = optionalString(request, 'tParticipantName', 'wrtcsSession.tParticipantName');
        const caller = me(params.user);
        const created = deps.sessions.create(caller, params.version ?? 'v1', { address, sdp, clientCorrelator, displayName });
        return {
          status: 201,
          headers: { Location: created.resourceURL },
          body: {
            wrtcsSession: {
              resourceURL: created.resourceURL,
              tParticipantAddress: address,
              originatorAddress: caller.sipAddress,
              clientCorrelator,
            },
          },
        };
      },
    },
    {
      name: 'session.status',
      method: 'PUT',
      pattern: `${BASE}/sessions/:sessionId/status`,
      auth: 'bearer',
      body: 'json',
      handler: ({ body, params }) => {
        const request = wrapper(body, 'wrtcsSessionStatus');
        const status = requiredString(request, 'status', 'wrtcsSessionStatus.status', 64);
        const current = deps.sessions.status(params.user ?? '', params.sessionId ?? '', status);
        // The SDK reads this body; a bodiless 2xx leaves an incoming call stuck in Initiating.
        return { status: 200, body: { wrtcsSessionStatus: { status: current } } };
      },
    },
    {
      name: 'session.answer',
      method: 'PUT',
      pattern: `${BASE}/sessions/:sessionId/answer`,
      auth: 'bearer',
      body: 'json',
      handler: ({ body, params }) => {
        const request = wrapper(body, 'wrtcsAnswer');
        const sdp = sdpAt(request, 'sdp', 'wrtcsAnswer.sdp');
        const clientCorrelator = optionalString(request, 'clientCorrelator', 'wrtcsAnswer.clientCorrelator');
        deps.sessions.answer(params.user ?? '', params.sessionId ?? '', sdp, clientCorrelator);
        return { status: 204 };
      },
    },
    {
      name: 'session.update',
      method: 'PUT',
      pattern: `${BASE}/sessions/:sessionId/update`,
      auth: 'bearer',
      body: 'json',
      handler: ({ body, params }) => {
        const request = wrapper(body, 'wrtcsOffer');
        const sdp = sdpAt(request, 'sdp', 'wrtcsOffer.sdp');
        deps.sessions.update(params.user ?? '', params.sessionId ?? '', sdp);
        return { status: 204 };
      },
    },
    {
      // Blind transfer. Not part of the CPaaS API that SDK 4.9.0 speaks (its directTransfer() sends
      // nothing on CPaaS); the extension calls it directly. See SessionManager.transfer().
      name: 'session.transfer',
      method: 'POST',
      pattern: `${BASE}/sessions/:sessionId/transfer`,
      auth: 'bearer',
      body: 'json',
      handler: ({ body, params }) => {
        const request = wrapper(body, 'wrtcsTransfer');
        const address = requiredString(request, 'tParticipantAddress', 'wrtcsTransfer.tParticipantAddress', 512);
        const { target } = deps.sessions.transfer(params.user ?? '', params.sessionId ?? '', address);
        return { status: 202, body: { wrtcsTransfer: { tParticipantAddress: address, transferTarget: target.sipAddress } } };
      },
    },
    {
      name: 'session.delete',
      method: 'DELETE',
      pattern: `${BASE}/sessions/:sessionId`,
      auth: 'bearer',
      body: 'none',
      handler: ({ params }) => {
        deps.sessions.end(params.user ?? '', params.sessionId ?? '');
        return { status: 204 };
      },
    },
  ];
}
