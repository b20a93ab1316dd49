// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import type { HistoryEntry } from '../shared/messages';
import RecentCalls from './RecentCalls.svelte';

vi.mock('../ui/i18n', () => import('../test/english-i18n'));

const NOW = new Date(2026, 10, 24, 15, 0).getTime();
const entries: HistoryEntry[] = [
  { id: 'a', direction: 'outgoing', remoteAddress: 'sip:+14155550101@kandy.example', remoteName: 'Bob Demo', startedAt: NOW - 60_000, answeredAt: NOW - 55_000, endedAt: NOW - 10_000, durationMs: 45_000, outcome: 'answered', video: true },
  { id: 'b', direction: 'incoming', remoteAddress: 'sip:carol@kandy.example', startedAt: NOW - 3_600_000, endedAt: NOW - 3_590_000, durationMs: 0, outcome: 'missed', video: false },
  { id: 'c', direction: 'outgoing', remoteAddress: 'sip:+14155550199@kandy.example', startedAt: NOW - 2 * 86_400_000, endedAt: NOW - 2 * 86_400_000, durationMs: 0, outcome: 'failed', video: false },
];

describe('RecentCalls', () => {
  afterEach(() => cleanup());

  it('lists direction, party, outcome, time and duration; one click redials', async () => {
    const onredial = vi.fn();
    render(RecentCalls, { entries, onredial, onclear: vi.fn(), now: NOW });
    const list = screen.getByRole('region', { name: 'Recent calls' });
    const buttons = within(list).getAllByRole('button', { name: /Call again/ });
    expect(buttons).toHaveLength(3);
    const names = buttons.map((button) => button.textContent?.replace(/\s+/g, ' ').trim());
    expect(names[0]).toMatch(/^↗ Bob Demo, \+14155550101 Outgoing video call, answered · .+ · 0:45\. Call again\.$/);
    expect(names[1]).toMatch(/^↙ carol@kandy\.example Incoming call, missed · /);
    expect(names[2]).toMatch(/Outgoing call, failed · .+, /);
    expect(buttons[1]?.getAttribute('data-outcome')).toBe('missed');
    await fireEvent.click(buttons[1]!);
    expect(onredial).toHaveBeenCalledWith(entries[1]);
  });

  it('clears the history, and says when there is none', async () => {
    const onclear = vi.fn();
    const { rerender } = render(RecentCalls, { entries, onredial: vi.fn(), onclear, now: NOW });
    await fireEvent.click(screen.getByRole('button', { name: 'Clear history' }));
    expect(onclear).toHaveBeenCalledOnce();
    await rerender({ entries: [], onredial: vi.fn(), onclear, now: NOW });
    expect(screen.getByText('No calls yet.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Clear history' })).toBeNull();
  });
});
