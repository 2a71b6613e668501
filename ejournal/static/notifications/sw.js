/* The push service worker of the e-journal (scope /notifications/): shows what the server pushed and
   opens its page on a click. The payload is {"title", "body", "url"}; the url is a path of this site. */
self.addEventListener("push", (event) => {
  let data = { title: "Электронный журнал", body: "", url: "/notifications/" };
  try {
    if (event.data) data = Object.assign(data, event.data.json());
  } catch (e) {
    data.body = event.data ? event.data.text() : "";
  }
  event.waitUntil(
    self.registration.showNotification(data.title, {
      body: data.body,
      data: { url: data.url },
      lang: "ru",
      tag: data.url,
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL((event.notification.data && event.notification.data.url) || "/notifications/", self.location.origin);
  if (url.origin !== self.location.origin) return; // only pages of this site
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const w of windows) {
        if (w.url === url.href && "focus" in w) return w.focus();
      }
      return self.clients.openWindow(url.href);
    })
  );
});
