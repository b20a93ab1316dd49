/**
 * Service subscriptions (POST /cpaas/webrtcsignaling/{v}/{user}/subscriptions): bind a service ("call")
 * to one of the user's notification channels. Removing a channel removes its subscriptions.
 */
import type { Channel, ChannelRegistry } from './channels.ts';
import type { Logger } from './log.ts';
import { randomId } from './ids.ts';

export type ServiceName = 'call';

export interface Subscription {
  id: string;
  user: string;
  service: ServiceName;
  channelId: string;
  clientCorrelator: string | undefined;
  notifyURL: string;
  resourceURL: string;
}

export type SubscriptionRemovedListener = (subscription: Subscription, reason: string) => void;

export class SubscriptionRegistry {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly removedListeners: SubscriptionRemovedListener[] = [];

  constructor(
    private readonly channels: ChannelRegistry,
    private readonly log: Logger,
  ) {
    channels.onClosed((channel, reason) => {
      for (const subscription of [...this.subscriptions.values()]) {
        if (subscription.channelId === channel.id) this.drop(subscription, `channel ${reason}`);
      }
    });
  }

  onRemoved(listener: SubscriptionRemovedListener): void {
    this.removedListeners.push(listener);
  }

  /** Subscribes; subscribing the same service on the same channel again returns the existing subscription. */
  create(params: { user: string; service: ServiceName; channel: Channel; clientCorrelator: string | undefined; notifyURL: string; version: string }): Subscription {
    for (const existing of this.subscriptions.values()) {
      if (existing.channelId === params.channel.id && existing.service === params.service) return existing;
    }
    const id = randomId(9);
    const subscription: Subscription = {
      id,
      user: params.user,
      service: params.service,
      channelId: params.channel.id,
      clientCorrelator: params.clientCorrelator,
      notifyURL: params.notifyURL,
      resourceURL: `/cpaas/webrtcsignaling/${params.version}/${params.user}/subscriptions/${id}`,
    };
    this.subscriptions.set(id, subscription);
    this.log.info('subscription.create', { user: params.user, service: params.service, subscription: id, channel: params.channel.id });
    return subscription;
  }

  get(id: string): Subscription | undefined {
    return this.subscriptions.get(id);
  }

  remove(id: string, reason: string): boolean {
    const subscription = this.subscriptions.get(id);
    if (!subscription) return false;
    this.drop(subscription, reason);
    return true;
  }

  private drop(subscription: Subscription, reason: string): void {
    this.subscriptions.delete(subscription.id);
    this.log.info('subscription.remove', { user: subscription.user, service: subscription.service, subscription: subscription.id, reason });
    for (const listener of this.removedListeners) {
      try {
        listener(subscription, reason);
      } catch (error) {
        this.log.error('subscription.listener.failed', { subscription: subscription.id, error });
      }
    }
  }

  /** The channels on which `user` receives `service` notifications, oldest first. */
  channelsFor(user: string, service: ServiceName): Channel[] {
    const result: Channel[] = [];
    for (const subscription of this.subscriptions.values()) {
      if (subscription.user !== user || subscription.service !== service) continue;
      const channel = this.channels.get(subscription.channelId);
      if (channel) result.push(channel);
    }
    return result;
  }

  closeAll(): void {
    this.subscriptions.clear();
  }
}
