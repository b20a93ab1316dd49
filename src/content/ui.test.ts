import { describe, expect, it } from 'vitest';
import { BUTTON_SIZE, placeButton } from './ui';

const viewport = { width: 800, height: 600 };

describe('call button placement', () => {
  it('goes right after the number, vertically centred on its line', () => {
    expect(placeButton({ left: 100, top: 200, right: 220, bottom: 220 }, viewport)).toEqual({ left: 224, top: 210 - BUTTON_SIZE / 2 });
  });

  it('flips before the number at the right edge and stays inside the viewport', () => {
    expect(placeButton({ left: 700, top: 10, right: 790, bottom: 30 }, viewport).left).toBe(700 - 4 - BUTTON_SIZE);
    expect(placeButton({ left: 0, top: 0, right: 790, bottom: 4 }, viewport)).toEqual({ left: 0, top: 0 });
    expect(placeButton({ left: 10, top: 590, right: 50, bottom: 610 }, viewport).top).toBe(600 - BUTTON_SIZE);
  });
});
