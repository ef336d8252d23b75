/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: { outDir: '../dist/client', emptyOutDir: true, chunkSizeWarningLimit: 4000 },
  server: { proxy: { '/trpc': 'http://127.0.0.1:3000', '/data': 'http://127.0.0.1:3000' } },
  test: {
    root: '.',
    include: ['test/**/*.test.ts'],
    // Builds dist/client once (when stale) for the end-to-end tests, before any worker starts.
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
