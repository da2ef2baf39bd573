// The installable app's service worker, served at /sw.js (scope: the whole site).
// Plain JavaScript, no build step. It does three things and nothing else:
//
// * the app shell: files under /static/ are answered from Cache Storage first. Their URLs carry
//   the file's fingerprint (?v=<hash>), so a cached copy is never stale: a changed file has a
//   new URL. When a new version is stored, older versions of the same file are dropped.
// * "My shifts" (/me/shifts, opened as a page): network first; each good answer is kept in the
//   PAGES cache, and when the network fails (a ward without signal) the kept copy is shown,
//   marked <html data-from-cache> so pwa.js shows "Offline — last updated at …".
//   The page is personal and sent with Cache-Control: no-store, so the HTTP cache never keeps
//   it; only this explicit copy does, and it is deleted when anyone signs out (below, and
//   pwa.js on every signed-out page), so the next person on a shared phone never sees it.
// * signing out (a POST to /logout or /logout/everywhere) deletes the PAGES cache.
//
// Every other request (other pages, htmx fragments, forms) goes to the network untouched.
"use strict";

const SHELL = "volunteers-shell-v1";
const PAGES = "volunteers-pages-v1";
const OFFLINE_PAGES = ["/me/shifts"];
const SIGN_OUT = ["/logout", "/logout/everywhere"];

self.addEventListener("install", (event) => {
  event.waitUntil(self.skipWaiting());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const keep = new Set([SHELL, PAGES]);
    for (const name of await caches.keys()) {
      if (name.startsWith("volunteers-") && !keep.has(name)) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function sameOrigin(url) {
  return url.origin === self.location.origin;
}

async function keepShellFile(request, response) {
  const cache = await caches.open(SHELL);
  const url = new URL(request.url);
  for (const old of await cache.keys()) {
    const oldUrl = new URL(old.url);
    if (oldUrl.pathname === url.pathname && oldUrl.search !== url.search) await cache.delete(old);
  }
  await cache.put(request, response);
}

async function shellFile(request) {
  const cached = await caches.match(request, {cacheName: SHELL});
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") await keepShellFile(request, response.clone());
  return response;
}

function offlineKey(url) {
  return new URL(url.pathname, url.origin).href;
}

async function keepPage(url, response) {
  const cache = await caches.open(PAGES);
  await cache.put(offlineKey(url), response);
}

function isGoodPage(response) {
  // a redirect (to the sign-in page) or an error is not "my shifts": never kept
  return response.ok && response.type === "basic" && !response.redirected;
}

async function myShifts(request) {
  const url = new URL(request.url);
  try {
    const response = await fetch(request);
    if (isGoodPage(response)) {
      await keepPage(url, response.clone());
    } else if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
      await caches.delete(PAGES);  // signed out (or someone else now): the kept copy is nobody's to see
    }
    return response;
  } catch (offline) {
    const cached = await caches.match(offlineKey(url), {cacheName: PAGES});
    if (!cached) throw offline;
    const html = (await cached.text()).replace("<html", "<html data-from-cache");
    return new Response(html, {status: 200, headers: {"Content-Type": "text/html; charset=utf-8"}});
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (!sameOrigin(url)) return;
  if (request.method === "POST" && SIGN_OUT.includes(url.pathname)) {
    event.waitUntil(caches.delete(PAGES));
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(shellFile(request));
  } else if (request.mode === "navigate" && OFFLINE_PAGES.includes(url.pathname)) {
    event.respondWith(myShifts(request));
  }
});

// pwa.js tells the worker what the page it is on needs, for the first visit (before the worker
// controlled it): the shell files the page loaded, and the page itself when it is one kept offline.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep-shell" && Array.isArray(data.urls)) {
    event.waitUntil(Promise.all(data.urls.map(async (href) => {
      const url = new URL(href, self.location.origin);
      if (!sameOrigin(url) || !url.pathname.startsWith("/static/")) return;
      if (await caches.match(url.href, {cacheName: SHELL})) return;
      const response = await fetch(url.href, {credentials: "same-origin"});
      if (response.ok) await keepShellFile(new Request(url.href), response);
    })).catch(() => undefined));
  } else if (data.type === "keep-page" && typeof data.url === "string") {
    const url = new URL(data.url, self.location.origin);
    if (!sameOrigin(url) || !OFFLINE_PAGES.includes(url.pathname)) return;
    event.waitUntil(fetch(url.href, {credentials: "same-origin", redirect: "manual"}).then((response) => (
      isGoodPage(response) ? keepPage(url, response) : undefined
    )).catch(() => undefined));
  } else if (data.type === "forget-pages") {
    event.waitUntil(caches.delete(PAGES));
  }
});
