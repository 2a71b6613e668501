/* Subscribing this browser to web push: registers /notifications/sw.js, asks PushManager for a
   subscription with the school's VAPID public key and hands it to the API; the reverse to switch off. */
(function () {
  "use strict";
  const box = document.getElementById("nt-push");
  if (!box || !box.dataset.key) return;
  const status = document.getElementById("nt-push-status");
  const count = document.getElementById("nt-push-count");
  const api = box.dataset.api;

  function say(text) { status.textContent = text; }

  function keyBytes(b64url) {
    const b64 = (b64url + "===".slice((b64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    const raw = atob(b64);
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  }

  function csrf() {
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  async function send(method, body) {
    const r = await fetch(api, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body),
    });
    if (!r.ok && r.status !== 404) {
      let detail = "";
      try { detail = (await r.json()).detail || ""; } catch (e) { /* not JSON */ }
      throw new Error(detail || "Сервер ответил ошибкой " + r.status);
    }
    return r;
  }

  async function registration() {
    return navigator.serviceWorker.register(box.dataset.sw, { scope: "/notifications/" });
  }

  async function on() {
    if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
      say("Этот браузер не поддерживает push-уведомления.");
      return;
    }
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      say("Браузер не разрешил уведомления. Разрешите их в настройках сайта.");
      return;
    }
    const reg = await registration();
    await navigator.serviceWorker.ready;
    let sub = await reg.pushManager.getSubscription();
    if (!sub) {
      sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.key) });
    }
    const json = sub.toJSON();
    const r = await send("POST", { endpoint: json.endpoint, keys: json.keys });
    const data = await r.json();
    if (count && data.count !== undefined) count.textContent = data.count;
    say("Push-уведомления включены в этом браузере.");
  }

  async function off() {
    if (!("serviceWorker" in navigator)) return;
    const reg = await navigator.serviceWorker.getRegistration("/notifications/");
    const sub = reg && (await reg.pushManager.getSubscription());
    if (!sub) {
      say("Этот браузер не подписан.");
      return;
    }
    await send("DELETE", { endpoint: sub.endpoint });
    await sub.unsubscribe();
    if (count) count.textContent = Math.max(0, Number(count.textContent) - 1);
    say("Push-уведомления в этом браузере отключены.");
  }

  function guard(fn) {
    return () => fn().catch((e) => say("Не получилось: " + e.message));
  }
  document.getElementById("nt-push-on").addEventListener("click", guard(on));
  document.getElementById("nt-push-off").addEventListener("click", guard(off));
})();
