// The offline queue of one journal's edits, shared by all its tabs (the grid's cells and the year page's
// marks each have one per journal). The queue lives in IndexedDB: its read-write transactions run one after
// another on the one copy the browser keeps, so a change (add an edit, settle an answered one) reads and
// writes the queue atomically, whichever tab makes it. localStorage cannot do that: another tab's write
// reaches this tab's copy some time later, and a read-modify-write on a stale copy drops that tab's edit.
// Each tab keeps a mirror of the queue to draw from; after every change it tells the other tabs through a
// BroadcastChannel, and they read the queue again. Any tab sends every entry, also those left by a closed
// tab, one tab at a time (a Web Lock), and removes an entry only if it is still the one it sent; the answer
// goes to every tab, so all show the same cell.
// hooks: request(entry) → fetch promise; stateOf(data) → the saved state ({version, …}); show(queue, sending)
// draws waiting entries (as being sent or as waiting); result({key, ok, status, data, own, pending}) draws an
// answer, own when the edit was typed in this tab (whichever tab sent it), pending the edit of the same cell
// that still waits (typed after the answered one) or null; waiting(reason, count) tells why entries wait
// ("offline", 401, 5xx); storageFailed() when the browser refuses to keep the queue.
const DATABASE = "jr-offline";
const STORE = "queues";

function openDatabase() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error("blocked"));
  });
}

export function jrOfflineQueue(name, hooks) {
  const tab = Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
  let seq = 0;
  // What this tab last knew of the queue. Entries answered since are never drawn again, whatever a read
  // that started before the answer brings back.
  let mirror = {};
  const answered = new Set();
  // Once the browser refuses IndexedDB this tab keeps the queue itself: losing it on a reload is then
  // unavoidable, losing it at once is not.
  let memory = null;
  const channel = "BroadcastChannel" in window ? new BroadcastChannel(name) : null;

  function remember(queue) {
    mirror = {};
    for (const [key, entry] of Object.entries(queue)) if (!answered.has(entry.id)) mirror[key] = entry;
  }

  function fallBack(error) {
    if (memory) return;
    memory = JSON.parse(JSON.stringify(mirror));
    hooks.storageFailed(error);
  }

  let database = null;
  function store(mode) {
    if (!database) database = openDatabase().then(adoptLocalStorage);
    return database.then((db) => db.transaction(STORE, mode));
  }

  // One transaction: fn sees the stored queue and may change it; resolves with fn's result once committed.
  function transact(mode, fn) {
    return store(mode).then(
      (tx) =>
        new Promise((resolve, reject) => {
          const objects = tx.objectStore(STORE);
          const get = objects.get(name);
          let out;
          let queue;
          get.onsuccess = () => {
            queue = get.result || {};
            out = fn(queue);
            if (mode === "readwrite") {
              if (Object.keys(queue).length) objects.put(queue, name);
              else objects.delete(name);
            }
          };
          tx.oncomplete = () => resolve({ queue, out });
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error);
        }),
    );
  }

  // An edit queued by the version before IndexedDB (in localStorage) is moved over, never dropped.
  function adoptLocalStorage(db) {
    let old = null;
    try {
      old = JSON.parse(localStorage.getItem(name) || "null");
    } catch (error) {
      old = null;
    }
    if (!old || typeof old !== "object") return db;
    return new Promise((resolve) => {
      const tx = db.transaction(STORE, "readwrite");
      const objects = tx.objectStore(STORE);
      const get = objects.get(name);
      get.onsuccess = () => objects.put({ ...old, ...(get.result || {}) }, name);
      tx.oncomplete = () => {
        localStorage.removeItem(name);
        resolve(db);
      };
      tx.onerror = tx.onabort = () => resolve(db);
    });
  }

  function read() {
    if (memory) return Promise.resolve(JSON.parse(JSON.stringify(memory)));
    return transact("readonly", () => null).then(
      ({ queue }) => queue,
      (error) => {
        fallBack(error);
        return JSON.parse(JSON.stringify(memory));
      },
    );
  }

  function mutate(fn) {
    const inMemory = () => {
      const out = fn(memory);
      remember(memory);
      return out;
    };
    if (memory) return Promise.resolve(inMemory());
    return transact("readwrite", fn).then(
      ({ queue, out }) => {
        remember(queue);
        if (channel) channel.postMessage({ changed: true });
        return out;
      },
      (error) => {
        fallBack(error);
        return inMemory();
      },
    );
  }

  // Reads of the queue may finish out of order: only the latest one is drawn.
  let reading = 0;
  function refresh() {
    const mine = ++reading;
    return read().then((queue) => {
      if (mine !== reading) return false;
      remember(queue);
      hooks.show(mirror, navigator.onLine);
      return true;
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

  function receive(message) {
    answered.add(message.id);
    const waiting = mirror[message.key];
    if (waiting && waiting.id === message.id) delete mirror[message.key];
    hooks.result({ ...message, own: message.tab === tab, pending: mirror[message.key] || null });
  }

  function publish(message) {
    receive(message);
    if (channel) channel.postMessage(message);
  }
  if (channel)
    channel.addEventListener("message", (event) => {
      if (event.data.changed) {
        // Another tab changed the queue: show its entries here; while online, whatever waits goes out.
        refresh().then((drawn) => drawn && navigator.onLine && pump());
      } else receive(event.data);
    });

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
    publish({ key: entry.key, id: entry.id, tab: entry.tab, ok: response.ok, status: response.status, data });
    if (newer) again = true;
    return null;
  }

  // Tabs of one origin run in parallel: one of them sends at a time.
  function locked(lock, fn) {
    if (navigator.locks && navigator.locks.request) return navigator.locks.request(lock, async () => fn());
    return Promise.resolve().then(fn);
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
          const queue = await read();
          remember(queue);
          const entries = Object.values(mirror);
          hooks.show(mirror, navigator.onLine);
          if (!entries.length) return;
          if (!navigator.onLine) {
            hooks.waiting("offline", entries.length);
            return;
          }
          const failures = (await Promise.all(entries.map(sendOne))).filter((f) => f !== null);
          if (failures.length) {
            remember(await read());
            hooks.show(mirror, false);
            hooks.waiting(failures[0], Object.keys(mirror).length);
            retryLater();
          }
        });
      } while (again);
    } finally {
      pumping = false;
    }
  }

  return {
    count: () => Object.keys(mirror).length,
    add: (key, fields, baseVersion) => add(key, fields, baseVersion).then(() => pump()),
    pump,
  };
}
