import { describe, expect, it } from 'vitest';
import { readBackgroundMessage } from './protocol';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const config = { enabled: true, defaultCountry: 'US', linkMode: 'offer' };

describe('background → content messages', () => {
  it('accepts config and selection requests from the extension itself', () => {
    expect(readBackgroundMessage({ target: 'content', type: 'bg/content-config', config, siteChecked: true }, { id: ID }, ID)).toEqual({
      target: 'content',
      type: 'bg/content-config',
      config,
      siteChecked: true,
    });
    expect(readBackgroundMessage({ target: 'content', type: 'bg/get-selection' }, { id: ID }, ID)?.type).toBe('bg/get-selection');
  });

  it('refuses messages from other extensions, from content scripts (they come with a tab) and after invalidation', () => {
    const message = { target: 'content', type: 'bg/get-selection' };
    expect(readBackgroundMessage(message, { id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz' }, ID)).toBeUndefined();
    expect(readBackgroundMessage(message, { id: ID, tab: { id: 3 } }, ID)).toBeUndefined();
    expect(readBackgroundMessage(message, { id: ID }, undefined)).toBeUndefined();
  });

  it('refuses malformed configs and unknown types', () => {
    const send = (body: unknown) => readBackgroundMessage(body, { id: ID }, ID);
    expect(send({ target: 'content', type: 'bg/content-config', config: { ...config, linkMode: 'steal' } })).toBeUndefined();
    expect(send({ target: 'content', type: 'bg/content-config', config: { ...config, defaultCountry: 'usa' } })).toBeUndefined();
    expect(send({ target: 'content', type: 'bg/content-config' })).toBeUndefined();
    expect(send({ target: 'content', type: 'bg/call-state' })).toBeUndefined();
    expect(send({ target: 'background', type: 'bg/get-selection' })).toBeUndefined();
    expect(send(null)).toBeUndefined();
    // extra fields are dropped, siteChecked defaults to false
    expect(send({ target: 'content', type: 'bg/content-config', config: { ...config, extra: '<img>' } })).toEqual({ target: 'content', type: 'bg/content-config', config, siteChecked: false });
  });
});
