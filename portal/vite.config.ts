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
    proxy: {
      '/admin/login': 'http://localhost:8080',
      '/company': 'http://localhost:8080',
      '/auth': 'http://localhost:8080',
    },
  },
});
