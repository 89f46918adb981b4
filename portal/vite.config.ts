/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The portal is served by the Spring Boot jar from classpath:/static/ (see portal/pom.xml).
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
  },
  server: {
    // `npm run dev` against a jar on :8080; page navigations stay with Vite, API calls go to the server
    proxy: {
      ...Object.fromEntries(['/admin/', '/company/', '/auth/', '/rag/', '/agent/', '/widget.js', '/engage-'].map(
        (prefix) => [prefix, { target: 'http://localhost:8080', bypass: (req: { headers: { accept?: string } }) =>
          (req.headers.accept || '').includes('text/html') ? '/index.html' : undefined }])),
      // OIDC sign-in: browser navigations that the server answers with redirects (the Host header is kept, so the
      // provider calls back to this dev server)
      '/oauth2/': 'http://localhost:8080',
      '/login/oauth2/': 'http://localhost:8080',
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['src/test/setup.ts'],
    css: false,
    // the tests type into real forms: on a busy 2-core machine a test can need more than the default 5 s, and a
    // timed-out test keeps typing into the next one
    testTimeout: 20_000,
  },
});
