import { t } from './i18n';

/** The 12 keys of a phone keypad, with the letters printed under the digits. */
export const KEYPAD_KEYS: { key: string; letters: string }[] = [
  { key: '1', letters: '' },
  { key: '2', letters: 'ABC' },
  { key: '3', letters: 'DEF' },
  { key: '4', letters: 'GHI' },
  { key: '5', letters: 'JKL' },
  { key: '6', letters: 'MNO' },
  { key: '7', letters: 'PQRS' },
  { key: '8', letters: 'TUV' },
  { key: '9', letters: 'WXYZ' },
  { key: '*', letters: '' },
  { key: '0', letters: '+' },
  { key: '#', letters: '' },
];

/** How a screen reader should say a key: "star" and "pound" rather than punctuation names. */
export function spokenKey(key: string): string {
  return key === '*' ? t('keyStar') : key === '#' ? t('keyPound') : key;
}
