// The diary as an installable app: registers the service worker that keeps the last opened week for
// offline use (templates/diary/sw.js). No inline scripts: the addresses come from data- attributes.
(() => {
  const script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  const worker = navigator.serviceWorker;
  worker
    .register(script.dataset.sw, { scope: script.dataset.scope })
    .then(() => worker.ready)
    .then((registration) => {
      // The first page opened came before the worker: ask it to keep this page too.
      if (!worker.controller && registration.active) registration.active.postMessage({ keep: location.href });
    })
    .catch(() => {
      // Without a service worker the diary still works online; nothing to tell the reader.
    });
})();
