import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// Everything the webview loads is bundled here: no CDN, no remote fonts.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [svelte({ configFile: false })],
  clearScreen: false,
  server: { port: 5173, strictPort: true, host: "localhost" },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", assetsInlineLimit: 0 },
  resolve: process.env.VITEST ? { conditions: ["browser"] } : undefined,
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
  },
});
