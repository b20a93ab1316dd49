import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', '**/*.svelte', '.tmp/**', '**/*.tmp.ts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [{ name: '@kandy-io/cpaas-sdk', message: 'Only src/offscreen/kandy-seam.ts may import the SDK.' }] }],
    },
  },
  {
    files: ['src/offscreen/kandy-seam.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The content script loads the phone metadata on demand (src/content/phone-metadata.ts);
    // bundling it would add 40 kB gzip to every frame of every page.
    files: ['src/content/**/*.ts'],
    ignores: ['src/content/**/*.test.ts', 'src/content/detect/with-metadata.ts', 'src/content/detect/corpus.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@kandy-io/cpaas-sdk', message: 'Only src/offscreen/kandy-seam.ts may import the SDK.' },
            ...['libphonenumber-js', 'libphonenumber-js/max', 'libphonenumber-js/min', 'libphonenumber-js/mobile'].map((name) => ({
              name,
              message: 'These builds bundle metadata; the content script uses libphonenumber-js/core and detect/metadata.ts.',
            })),
          ],
          patterns: [
            { group: ['libphonenumber-js/*.json'], message: 'The content script gets the metadata through detect/metadata.ts.' },
            { group: ['**/with-metadata'], message: 'with-metadata bundles the metadata; the content script loads it on demand.' },
          ],
        },
      ],
    },
  },
);
