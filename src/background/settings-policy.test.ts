import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, mergeSettings } from '../shared/settings';
import { applyPolicy, parsePolicy, POLICY_DEFAULT_PORT, withoutLocked } from './settings-policy';

const user = mergeSettings({ server: { host: 'my.example', port: 9443 }, clientId: 'mine', videoByDefault: true, linkMode: 'take-over', rememberPassword: true, password: 'secret' });

describe('parsePolicy', () => {
  it('keeps valid values and drops invalid ones one by one', () => {
    expect(parsePolicy({ serverHost: 'pbx.corp.example', serverPort: 'x', defaultCountry: 'de', linkMode: 'off', lockedSettings: ['videoByDefault'], unknown: 1 })).toEqual({
      serverHost: 'pbx.corp.example',
      linkMode: 'off',
      lockedSettings: ['videoByDefault'],
    });
    expect(parsePolicy(undefined)).toEqual({});
    expect(parsePolicy('nope')).toEqual({});
  });
});

describe('applyPolicy', () => {
  it('changes nothing and locks nothing without a policy', () => {
    expect(applyPolicy(user, {}, DEFAULT_SETTINGS)).toEqual({ settings: user, locked: [] });
  });

  it('overrides and locks the server; a host alone means port 443', () => {
    const { settings, locked } = applyPolicy(user, { serverHost: 'pbx.corp.example' }, DEFAULT_SETTINGS);
    expect(settings.server).toEqual({ host: 'pbx.corp.example', port: POLICY_DEFAULT_PORT });
    expect(locked).toEqual(['server']);
    expect(applyPolicy(user, { serverHost: 'pbx.corp.example', serverPort: 8443 }, DEFAULT_SETTINGS).settings.server).toEqual({ host: 'pbx.corp.example', port: 8443 });
    expect(applyPolicy(user, { serverPort: 444 }, DEFAULT_SETTINGS).settings.server).toEqual({ host: 'my.example', port: 444 });
  });

  it('overrides and locks simple values set by policy', () => {
    const { settings, locked } = applyPolicy(user, { clientId: 'corp-app', defaultCountry: 'DE', linkMode: 'off' }, DEFAULT_SETTINGS);
    expect(settings).toMatchObject({ clientId: 'corp-app', defaultCountry: 'DE', linkMode: 'off', videoByDefault: true });
    expect(locked.sort()).toEqual(['clientId', 'defaultCountry', 'linkMode']);
  });

  it('locks listed options at their default, keeps the user name, ignores unknown names', () => {
    const { settings, locked } = applyPolicy(user, { lockedSettings: ['videoByDefault', 'rememberPassword', 'username', 'password', 'bogus'] }, DEFAULT_SETTINGS);
    expect(settings.videoByDefault).toBe(false);
    expect(settings.rememberPassword).toBe(false);
    expect(settings.password).toBe('');
    expect(settings.username).toBe(user.username);
    expect(locked.sort()).toEqual(['rememberPassword', 'username', 'videoByDefault']);
  });

  it('does not change the settings it was given', () => {
    const copy = structuredClone(user);
    applyPolicy(user, { serverHost: 'x.example', lockedSettings: ['disabledSites'] }, DEFAULT_SETTINGS);
    expect(user).toEqual(copy);
  });
});

describe('withoutLocked', () => {
  it('drops locked options from a patch', () => {
    expect(withoutLocked({ server: { host: 'a', port: 1 }, linkMode: 'off', ringtoneEnabled: false }, ['server', 'linkMode'])).toEqual({ ringtoneEnabled: false });
  });
});
