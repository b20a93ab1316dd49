/** /cpaas/notificationchannel/{v}/{user}/channels: create, delete, lifetime. */
import type { ChannelRegistry, ConnCheckRole } from '../channels.ts';
import type { Route } from '../http.ts';
import { errors } from '../errors.ts';
import { optionalInteger, optionalString, wrapper } from './validate.ts';

const MAX_LIFETIME_SECONDS = 7 * 24 * 3600;

export function channelRoutes(channels: ChannelRegistry): Route[] {
  const ownChannel = (user: string, channelId: string) => {
    const channel = channels.get(channelId);
    if (!channel || channel.user !== user) throw errors.notFound(`notification channel ${channelId}`);
    return channel;
  };

  return [
    {
      name: 'channel.create',
      method: 'POST',
      pattern: '/cpaas/notificationchannel/:version/:user/channels',
      auth: 'bearer',
      body: 'json',
      handler: ({ body, params }) => {
        const request = wrapper(body, 'notificationChannel');
        const channelType = optionalString(request, 'channelType', 'notificationChannel.channelType') ?? 'Websockets';
        if (channelType.toLowerCase() !== 'websockets') {
          throw errors.invalidInput('notificationChannel.channelType', `"${channelType}" is not supported (only Websockets)`);
        }
        const role = optionalString(request, 'x-connCheckRole', 'notificationChannel.x-connCheckRole') ?? 'client';
        if (role !== 'client' && role !== 'server') throw errors.invalidInput('notificationChannel.x-connCheckRole', 'expected client or server');
        const channel = channels.create({
          user: params.user ?? '',
          version: params.version ?? 'v1',
          clientCorrelator: optionalString(request, 'clientCorrelator', 'notificationChannel.clientCorrelator'),
          connCheckRole: role as ConnCheckRole,
          lifetimeSeconds: optionalInteger(request, 'channelLifetime', 'notificationChannel.channelLifetime', 1, MAX_LIFETIME_SECONDS),
        });
        return {
          status: 201,
          headers: { Location: channel.resourceURL },
          body: {
            notificationChannel: {
              resourceURL: channel.resourceURL,
              channelData: { channelURL: channel.channelURL, maxNotifications: 100 },
              callbackURL: channel.callbackURL,
              // Must be exactly lower-case "websockets": anything else breaks the SDK's unsubscribe.
              channelType: 'websockets',
              channelLifetime: channel.lifetimeSeconds,
              clientCorrelator: channel.clientCorrelator,
              'x-connCheckRole': channel.connCheckRole,
            },
          },
        };
      },
    },
    {
      name: 'channel.delete',
      method: 'DELETE',
      pattern: '/cpaas/notificationchannel/:version/:user/channels/:channelId',
      auth: 'bearer',
      body: 'none',
      handler: ({ params }) => {
        const channel = ownChannel(params.user ?? '', params.channelId ?? '');
        channels.remove(channel.id, 'deleted by client');
        return { status: 204 };
      },
    },
    {
      name: 'channel.lifetime',
      method: 'PUT',
      pattern: '/cpaas/notificationchannel/:version/:user/channels/:channelId/channelLifetime',
      auth: 'bearer',
      body: 'json',
      handler: ({ params, body }) => {
        const channel = ownChannel(params.user ?? '', params.channelId ?? '');
        const request = wrapper(body, 'notificationChannelLifetime');
        const seconds =
          optionalInteger(request, 'channelLifetime', 'notificationChannelLifetime.channelLifetime', 1, MAX_LIFETIME_SECONDS) ?? channel.lifetimeSeconds;
        channels.setLifetime(channel, seconds);
        return { status: 200, body: { notificationChannelLifetime: { channelLifetime: seconds } } };
      },
    },
  ];
}
