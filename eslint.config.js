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
    // The content script loads the phone engine (libphonenumber-js's code and metadata) on demand
    // (src/content/phone-metadata.ts); bundling it would add 80 kB gzip to every frame of every page.
    files: ['src/content/**/*.ts'],
    ignores: [
      'src/content/**/*.test.ts',
      'src/content/detect/with-metadata.ts',
      'src/content/detect/corpus.ts',
      'src/content/phone-engine.ts',
      'src/content/detect/phone.ts',
      'src/content/detect/dialable.ts',
      'src/content/detect/locale.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@kandy-io/cpaas-sdk', message: 'Only src/offscreen/kandy-seam.ts may import the SDK.' },
            ...['libphonenumber-js', 'libphonenumber-js/max', 'libphonenumber-js/min', 'libphonenumber-js/mobile', 'libphonenumber-js/core'].map((name) => ({
              name,
              allowTypeImports: true,
              message: 'The content script reaches libphonenumber-js only through the phone engine (detect/engine.ts), loaded on demand.',
            })),
          ],
          patterns: [
            { group: ['libphonenumber-js/*.json'], message: 'The content script gets the metadata with the phone engine, on demand.' },
            { group: ['**/with-metadata', './phone', './dialable', './locale', '**/detect/phone', '**/detect/dialable', '**/detect/locale'], allowTypeImports: true, message: 'These bundle libphonenumber-js; the content script uses the phone engine (detect/engine.ts), loaded on demand.' },
          ],
        },
      ],
    },
  },
);
