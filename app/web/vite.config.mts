import { defineConfig } from "vite";

/**
 * The front end's build (`vite build web` from app/: web/ is the root). The output mirrors the CDN's bucket and URLs one to one: `dist/index.html` is served at `/`
 * (and `/index.html`) with a short TTL, `dist/static/assets/<name>-<hash>.<ext>` under the `/static/*` behaviour for a
 * year (components/cdn StaticSite uploads each file to the same key). Hashes come from the content, so the same
 * source always yields the same names.
 */
export default defineConfig({
  base: "/",
  // No public/ folder: every file must be fingerprinted, and nothing unhashed may land under static/.
  publicDir: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "static/assets",
    // The polyfill would be bundled anyway (never inline), but every browser that runs modules supports modulepreload.
    modulePreload: { polyfill: false },
    sourcemap: false,
    // Inline data: URLs would be allowed by img-src but keep every asset a file of its own, visible in the plan.
    assetsInlineLimit: 0,
    target: "es2022",
    reportCompressedSize: true,
  },
});
