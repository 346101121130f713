// The playground's service worker (build.mjs fills in the cache's name and the files): it
// keeps every file the page loads, so the page opens and works with no network. The page is
// asked of the network first, so a new build is seen as soon as it is served; the other files
// are named by their content's hash and never change, so they come from the cache.
const CACHE = __CACHE__;
const ASSETS = __ASSETS__;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(ASSETS))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith('cruddur-playground-') && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== location.origin) {
    return;
  }
  if (request.mode === 'navigate') {
    const page = new URL('index.html', self.registration.scope).href;
    event.respondWith(fetch(request).catch(() => caches.match(page, { cacheName: CACHE })));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((cached) => cached ?? fetch(request)));
});
