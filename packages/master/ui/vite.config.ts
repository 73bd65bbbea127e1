// Builds the master's web UI into packages/master/lib/ui, which the master
// serves at `/`. Run from packages/master:
//   npx tsc -p ui --noEmit && npx vite build --config ui/vite.config.ts
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: `${here}../lib/ui`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 800,
  },
});
