// The web app's build (docs/web.md). Output: dist/, served by the gongzhi binary at `/`.
// Every text file of the output also gets .gz and .br siblings, which the server sends to
// clients that accept them (src/app/web_assets.h), and a manifest the budget script reads.
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import zlib from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { messagesPlugin } from './scripts/i18n-split.mjs';

function precompress() {
  let outDir = 'dist';
  return {
    name: 'gongzhi-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const walk = (dir) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          const file = path.join(dir, entry.name);
          if (entry.isDirectory()) walk(file);
          else if (/\.(js|mjs|css|html|svg|json|webmanifest)$/.test(entry.name)) {
            const bytes = fs.readFileSync(file);
            fs.writeFileSync(file + '.gz', zlib.gzipSync(bytes, { level: 9 }));
            fs.writeFileSync(file + '.br', zlib.brotliCompressSync(bytes, {
              params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 },
            }));
          }
        }
      };
      walk(outDir);
    },
  };
}

export default defineConfig({
  plugins: [vue(), messagesPlugin(path.join(path.dirname(fileURLToPath(import.meta.url)), 'src')), precompress()],
  define: {
    __VUE_OPTIONS_API__: false,
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    manifest: true,
    target: 'es2019',
    cssCodeSplit: true,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
