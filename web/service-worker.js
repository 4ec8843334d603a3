// Digit Lab's service worker: after one visit the page opens and trains with no network.
// scripts/precache.mjs (a Trunk post_build hook) writes dist/service-worker.js as
// `const BUILD = { version, files };` followed by this file: `files` is every file of the
// build, `version` a hash of their contents. So a new build is a new service worker, whose
// files go into a cache of their own, and a page is served from one build's cache only: an
// old app never meets a new worker script or wasm (worker.js keeps its name across builds).
//
// The first visit is not taken over (no clients.claim()): that page came from the network,
// and the next load comes from the cache. A new version waits until no page uses the old one
// or the page's Reload button asks it to take over (crates/digits-web/src/app/update.rs).
const CACHE_PREFIX = 'digit-lab-';
const CACHE = CACHE_PREFIX + BUILD.version;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(BUILD.files)));
});

// Old builds' caches go once this one is active: no page uses them any more.
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((names) =>
      Promise.all(
        names
          .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
          .map((name) => caches.delete(name)),
      ),
    ),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

// This build's files from its cache (the page's URL parameters ignored: `./?epochs=2` is
// `./`); anything else from the network, as without a service worker.
self.addEventListener('fetch', (event) => {
  if (event.request.method !== 'GET') return;
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(event.request, { ignoreSearch: true }))
      .then((cached) => cached ?? fetch(event.request)),
  );
});
