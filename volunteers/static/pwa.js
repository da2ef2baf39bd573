// The installable app's page side (see sw.js): register the service worker, hand it what this
// page needs to work offline, say clearly when what is shown is an offline copy, and forget the
// kept pages whenever nobody is signed in. Every page works without it.
//
// Hooks in the page's <head> (templates/base.html):
//   <meta name="rendered-at" content="ISO instant" data-local="5 Dec, 14:05">  when the page was made
//   <meta name="signed-in" content="1">                                         present only when signed in
"use strict";

(function () {
  const PAGES = "volunteers-pages-v1";

  function meta(name) {
    return document.querySelector(`meta[name="${name}"]`);
  }

  function renderedAt() {
    const stamp = meta("rendered-at");
    if (!stamp) return "";
    const local = stamp.getAttribute("data-local");
    if (local) return local;
    const when = new Date(stamp.getAttribute("content") || "");
    return Number.isNaN(when.getTime()) ? "" : when.toLocaleString("en-GB", {
      day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
    });
  }

  function showOffline() {
    if (document.getElementById("offline-banner")) return;
    const banner = document.createElement("p");
    banner.id = "offline-banner";
    banner.className = "flash-info offline-banner";
    banner.setAttribute("role", "status");
    const when = renderedAt();
    banner.textContent = when
      ? `Offline — last updated at ${when}. Changes need a connection.`
      : "Offline — this is the last copy loaded. Changes need a connection.";
    const main = document.querySelector("main") || document.body;
    main.insertBefore(banner, main.firstChild);
  }

  function hideOffline() {
    if (document.documentElement.hasAttribute("data-from-cache")) return;  // still an old copy
    const banner = document.getElementById("offline-banner");
    if (banner) banner.remove();
  }

  function forgetPages() {
    if ("caches" in window) caches.delete(PAGES).catch(() => undefined);
  }

  function shellUrls() {
    const urls = [];
    document.querySelectorAll("link[rel=stylesheet][href], link[rel=manifest][href], link[rel=icon][href], script[src]")
      .forEach((node) => urls.push(node.getAttribute("href") || node.getAttribute("src")));
    return urls.filter(Boolean);
  }

  function start() {
    const signedIn = Boolean(meta("signed-in"));
    if (!signedIn) forgetPages();  // the sign-in page after signing out, or a session that ended
    if (document.documentElement.hasAttribute("data-from-cache") || !navigator.onLine) showOffline();
    window.addEventListener("offline", showOffline);
    window.addEventListener("online", hideOffline);
    if (!("serviceWorker" in navigator)) return;
    const wasControlled = Boolean(navigator.serviceWorker.controller);
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        const worker = registration.active;
        if (!worker) return;
        worker.postMessage({type: "keep-shell", urls: shellUrls()});
        if (!signedIn) worker.postMessage({type: "forget-pages"});
        // a page shown before the worker controlled it was not kept by it: ask for a copy
        else if (!wasControlled) worker.postMessage({type: "keep-page", url: location.pathname + location.search});
      })
      .catch(() => undefined);  // no worker (private window, old browser): the site works as before
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
