// The offline queue of one journal's edits, shared by all its tabs through localStorage (the grid's cells
// and the year page's marks each have one per journal). A tab never
// writes the queue from its memory: every change re-reads the stored queue, changes the one cell's entry
// and writes it back, under a Web Lock where the browser has them, so two tabs typing while offline cannot
// drop each other's edits (the newest edit of a cell wins). Any tab sends every entry, also those left by
// a closed tab, and removes an entry only if it is still the one it sent; what the server answered goes to
// the other tabs through a BroadcastChannel, so every tab shows the same cell.
// hooks: request(entry) → fetch promise; stateOf(data) → the saved state ({version, …}); show(queue, sending)
// draws waiting entries (as being sent or as waiting); result({key, ok, status, data, own}) draws an answer,
// own when the edit was typed in this tab (whichever tab sent it); waiting(reason, count) tells why entries wait ("offline", 401, 5xx);
// storageFailed() when the browser refuses to keep the queue.
export function jrOfflineQueue(name, hooks) {
  const tab = Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
  let seq = 0;
  // Once localStorage refuses a write this tab keeps the queue itself: losing it on a reload is then
  // unavoidable, losing it at once is not.
  let memory = null;
  const channel = "BroadcastChannel" in window ? new BroadcastChannel(name) : null;

  function read() {
    if (memory) return JSON.parse(JSON.stringify(memory));
    try {
      return JSON.parse(localStorage.getItem(name) || "{}") || {};
    } catch (error) {
      return {};
    }
  }

  function write(queue) {
    if (memory) {
      memory = queue;
      return;
    }
    try {
      if (Object.keys(queue).length) localStorage.setItem(name, JSON.stringify(queue));
      else localStorage.removeItem(name);
    } catch (error) {
      memory = queue;
      hooks.storageFailed();
    }
  }

  // Tabs of one origin run in parallel: read-modify-write of the stored queue is one lock's work.
  function locked(lock, fn) {
    if (navigator.locks && navigator.locks.request) return navigator.locks.request(lock, async () => fn());
    return Promise.resolve().then(fn);
  }

  function mutate(fn) {
    return locked(name, () => {
      const queue = read();
      const out = fn(queue);
      write(queue);
      return out;
    });
  }

  function add(key, fields, baseVersion) {
    return mutate((queue) => {
      const old = queue[key];
      // A later edit of a waiting cell keeps the version the first one was based on: the server still
      // holds that version, and both edits are this teacher's (whichever tab they were typed in).
      queue[key] = { ...fields, key, version: old ? old.version : baseVersion, at: Date.now(), tab, id: `${tab}:${++seq}` };
      return queue[key];
    });
  }

  // After an answer: the entry goes if it is still the one sent; a newer edit of the cell stays and, if it
  // was based on the same version, is based on the server's new one (it comes after the sent edit).
  function settle(entry, version) {
    return mutate((queue) => {
      const now = queue[entry.key];
      if (!now) return null;
      if (now.id === entry.id) {
        delete queue[entry.key];
        return null;
      }
      if (version && now.version === entry.version) now.version = version;
      return now;
    });
  }

  function publish(message) {
    hooks.result({ ...message, own: message.tab === tab });
    if (channel) channel.postMessage(message);
  }
  if (channel) channel.addEventListener("message", (event) => hooks.result({ ...event.data, own: event.data.tab === tab }));

  let retryTimer = null;
  function retryLater() {
    if (retryTimer) return;
    retryTimer = window.setTimeout(() => {
      retryTimer = null;
      pump();
    }, 10000);
  }

  let pumping = false;
  let again = false;
  async function sendOne(entry) {
    let response;
    let data = {};
    try {
      response = await hooks.request(entry);
      data = await response.json().catch(() => ({}));
    } catch (error) {
      return "offline";
    }
    if (response.status === 401 || response.status >= 500) return response.status;
    const state = response.ok ? hooks.stateOf(data) : data.current;
    const newer = await settle(entry, state && state.version);
    publish({ key: entry.key, tab: entry.tab, ok: response.ok, status: response.status, data });
    if (newer) again = true;
    return null;
  }

  // One tab sends at a time (the others wait for the lock and then find what is left), each entry once per round.
  async function pump() {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        await locked(`${name}:send`, async () => {
          const queue = read();
          const entries = Object.values(queue);
          hooks.show(queue, navigator.onLine);
          if (!entries.length) return;
          if (!navigator.onLine) {
            hooks.waiting("offline", entries.length);
            return;
          }
          const failures = (await Promise.all(entries.map(sendOne))).filter((f) => f !== null);
          if (failures.length) {
            const left = read();
            hooks.show(left, false);
            hooks.waiting(failures[0], Object.keys(left).length);
            retryLater();
          }
        });
      } while (again);
    } finally {
      pumping = false;
    }
  }

  // Another tab changed the queue: show its entries here; while online, whatever waits goes out.
  window.addEventListener("storage", (event) => {
    if (event.key !== name && event.key !== null) return;
    hooks.show(read(), navigator.onLine);
    if (navigator.onLine) pump();
  });

  return {
    read,
    count: () => Object.keys(read()).length,
    add: (key, fields, baseVersion) => add(key, fields, baseVersion).then(() => pump()),
    pump,
  };
}
