import tseslint from 'typescript-eslint';

const contentTests = ['src/content/**/*.test.ts'];
/** What the on-demand engine module (src/content/phone-engine.ts) and the other bundles are made of. */
const engineModules = [
  'src/content/detect/with-metadata.ts',
  'src/content/detect/corpus.ts',
  'src/content/phone-engine.ts',
  'src/content/detect/phone.ts',
  'src/content/detect/dialable.ts',
  'src/content/detect/locale.ts',
];
const contentRestrictedPaths = [
  { name: '@kandy-io/cpaas-sdk', message: 'Only src/offscreen/kandy-seam.ts may import the SDK.' },
  ...['libphonenumber-js', 'libphonenumber-js/max', 'libphonenumber-js/min', 'libphonenumber-js/mobile', 'libphonenumber-js/core'].map((name) => ({
    name,
    allowTypeImports: true,
    message: 'The content script reaches libphonenumber-js only through the phone engine (detect/engine.ts), loaded on demand.',
  })),
];
const contentRestrictedPatterns = [
  { group: ['libphonenumber-js/*.json'], message: 'The content script gets the metadata with the phone engine, on demand.' },
  { group: ['**/with-metadata', './phone', './dialable', './locale', '**/detect/phone', '**/detect/dialable', '**/detect/locale'], allowTypeImports: true, message: 'These bundle libphonenumber-js; the content script uses the phone engine (detect/engine.ts), loaded on demand.' },
];

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
    ignores: [...contentTests, ...engineModules],
    rules: { 'no-restricted-imports': ['error', { paths: contentRestrictedPaths, patterns: contentRestrictedPatterns }] },
  },
  {
    // The detector comes with the engine module too (compiled there off the main thread): the
    // content script's own files reach detection only through detect/engine.ts and detect/types.ts.
    files: ['src/content/*.ts'],
    ignores: [...contentTests, ...engineModules],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: contentRestrictedPaths,
          patterns: [
            ...contentRestrictedPatterns,
            { regex: '^\\./detect(?:/(?:index|scan|sip|context|chars))?$', allowTypeImports: true, message: 'Detection is loaded with the phone engine module: use the installed Detector (detect/engine.ts).' },
          ],
        },
      ],
    },
  },

);
