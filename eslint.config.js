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
);
