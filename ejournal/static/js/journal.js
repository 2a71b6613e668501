// The offline queue of one journal's edits, shared by all its tabs through localStorage. A tab never
// writes the queue from its memory: every change re-reads the stored queue, changes the one cell's entry
// and writes it back, under a Web Lock where the browser has them, so two tabs typing while offline cannot
// drop each other's edits (the newest edit of a cell wins). Any tab sends every entry, also those left by
// a closed tab, and removes an entry only if it is still the one it sent; what the server answered goes to
// the other tabs through a BroadcastChannel, so every tab shows the same cell.
// hooks: request(entry) → fetch promise; stateOf(data) → the saved state ({version, …}); show(queue, sending)
// draws waiting entries (as being sent or as waiting); result({key, ok, status, data, own}) draws an answer,
// own when the edit was typed in this tab (whichever tab sent it); waiting(reason, count) tells why entries wait ("offline", 401, 5xx);
// storageFailed() when the browser refuses to keep the queue.
function jrOfflineQueue(name, hooks) {
  "use strict";

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

// The journal grid: keyboard-first entry; every cell is saved at once; edits wait in the journal's shared
// queue (localStorage: across a reload and across tabs) while the connection is down and go out when it is
// back, from whichever tab of the journal is open; a conflict with another tab or person is shown, never
// silently overwritten. Configuration comes from the <script type="application/json" id="jr-config">
// block: no inline scripts.
(() => {
  "use strict";

  const configEl = document.getElementById("jr-config");
  const table = document.getElementById("jr-grid");
  if (!configEl || !table) return;
  const cfg = JSON.parse(configEl.textContent);
  const statusEl = document.getElementById("jr-status");
  const undoButton = document.getElementById("jr-undo");
  const detailsButton = document.getElementById("jr-details");
  const wrap = document.getElementById("jr-wrap");

  const heads = [...table.querySelectorAll("thead th[data-l]")];
  const nLessons = heads.length;
  const rows = [...table.tBodies[0].rows].filter((r) => r.dataset.s);
  // Navigable columns: the lesson cells (1..n of row.cells) and the period mark (after 3 figure cells).
  const PM_INDEX = nLessons + 4;
  const columns = [...Array(nLessons).keys()].map((i) => i + 1).concat([PM_INDEX]);
  const ABSENCES = ["н", "б", "у", "п"];
  const QUEUE_KEY = `jr-queue:${cfg.assignment}`;

  // --- small helpers -------------------------------------------------------------------------------------

  function setStatus(text, kind = "") {
    statusEl.textContent = text;
    statusEl.className = `jr-status ${kind}`;
  }

  function url(template, lesson, student) {
    return template.replace("{l}", lesson).replace("{s}", student);
  }

  function decimalRu(value) {
    return value == null ? "" : Number(value).toFixed(2).replace(".", ",");
  }

  // A teacher on the Latin layout who types «y» means «н»: the same key on ЙЦУКЕН.
  const LATIN = "qwertyuiop[]asdfghjkl;'zxcvbnm`";
  const CYRILLIC = "йцукенгшщзхъфывапролджэячсмитьё";
  function toCyrillic(text) {
    const hasDigits = /\d/.test(text);
    let out = "";
    for (const ch of text.toLowerCase()) {
      const i = LATIN.indexOf(ch);
      if (i >= 0) out += CYRILLIC[i];
      else if (ch === "," && !hasDigits) out += "б";
      else out += ch;
    }
    return out;
  }

  function rowOf(td) {
    return td.parentElement;
  }
  function colIndex(td) {
    return columns.indexOf(td.cellIndex);
  }
  function isPeriodCell(td) {
    return td.cellIndex === PM_INDEX;
  }
  function lessonOf(td) {
    return heads[td.cellIndex - 1].dataset.l;
  }
  function keyOf(td) {
    const student = rowOf(td).dataset.s;
    return isPeriodCell(td) ? `p:${cfg.period}:${student}` : `c:${lessonOf(td)}:${student}`;
  }
  function cellByKey(key) {
    const [kind, a, student] = key.split(":");
    const row = rows.find((r) => r.dataset.s === student);
    if (!row) return null;
    if (kind === "p") return a === String(cfg.period) ? row.cells[PM_INDEX] : null;
    const i = heads.findIndex((h) => h.dataset.l === a);
    return i < 0 ? null : row.cells[i + 1];
  }
  function savedText(td) {
    return td.dataset.saved !== undefined ? td.dataset.saved : td.textContent;
  }
  function versionOf(td) {
    return td.dataset.v || cfg.emptyVersion;
  }

  // --- who may type where (the server decides again; this only spares a round trip) ---------------------

  let reason = "";
  function editRefusal(td, newText) {
    if (!td || td.classList.contains("x")) return "Ученик в этот день не числится в классе.";
    if (cfg.mode === "read") return "Журнал открыт только для чтения.";
    if (cfg.locked && cfg.mode !== "correct") return "Период закрыт: журнал только для чтения.";
    if (isPeriodCell(td)) return cfg.periodMarks ? "" : "Отметки за период выставляет учитель журнала.";
    const head = heads[td.cellIndex - 1];
    if (cfg.mode === "correct" || head.classList.contains("ed")) return "";
    if (cfg.mode === "reasons") {
      const old = savedText(td).trim();
      if (ABSENCES.includes(old) && (newText === undefined || ABSENCES.includes(newText.trim()))) return "";
      return "Классный руководитель меняет только причину пропуска: «н» на «б», «у» или «п».";
    }
    return "Этот урок ведёт другой учитель.";
  }

  function askReason() {
    if (cfg.mode !== "correct" || reason) return true;
    const given = window.prompt("Причина исправления (останется в истории):", "");
    if (!given || !given.trim()) return false;
    reason = given.trim();
    return true;
  }

  // --- focus and movement --------------------------------------------------------------------------------

  let current = null;
  function focusCell(td) {
    if (!td) return;
    if (current) current.tabIndex = -1;
    current = td;
    td.tabIndex = 0;
    td.focus({ preventScroll: true });
    td.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  function move(td, dRow, dCol, wrapRows = false) {
    let r = rows.indexOf(rowOf(td));
    let c = colIndex(td) + dCol;
    if (wrapRows && c >= columns.length) {
      c = 0;
      r += 1;
    } else if (wrapRows && c < 0) {
      c = columns.length - 1;
      r -= 1;
    }
    r = Math.max(0, Math.min(rows.length - 1, r + dRow));
    c = Math.max(0, Math.min(columns.length - 1, c));
    focusCell(rows[r].cells[columns[c]]);
  }

  for (const row of rows) {
    for (const c of columns) row.cells[c].tabIndex = -1;
  }
  if (rows.length) rows[0].cells[columns[0]].tabIndex = 0;

  // --- the in-cell editor --------------------------------------------------------------------------------

  const editor = document.createElement("input");
  editor.className = "jr-editor";
  editor.setAttribute("aria-label", "Запись в клетке");
  editor.autocomplete = "off";
  editor.spellcheck = false;
  let editing = null;

  function startEdit(td, initial) {
    const refusal = editRefusal(td);
    if (refusal) {
      setStatus(refusal, "err");
      return;
    }
    if (!askReason()) return;
    editing = td;
    td.classList.add("editing");
    editor.value = initial;
    td.appendChild(editor);
    editor.focus();
    editor.setSelectionRange(editor.value.length, editor.value.length);
  }

  function stopEdit() {
    const td = editing;
    editing = null;
    if (td) {
      td.classList.remove("editing");
      if (editor.parentElement === td) td.removeChild(editor);
    }
    return td;
  }

  function commit() {
    const td = stopEdit();
    if (!td) return;
    const text = editor.value.trim();
    if (text !== savedText(td).trim() || td.classList.contains("queued")) change(td, text);
    focusCell(td);
  }

  editor.addEventListener("input", () => {
    const mapped = toCyrillic(editor.value);
    if (mapped !== editor.value) editor.value = mapped;
  });

  editor.addEventListener("keydown", (event) => {
    const td = editing;
    if (!td) return;
    const atStart = editor.selectionStart === 0 && editor.selectionEnd === 0;
    const atEnd = editor.selectionStart === editor.value.length;
    let step = null;
    if (event.key === "Enter") step = [1, 0, false];
    else if (event.key === "Tab") step = [0, event.shiftKey ? -1 : 1, true];
    else if (event.key === "ArrowDown") step = [1, 0, false];
    else if (event.key === "ArrowUp") step = [-1, 0, false];
    else if (event.key === "ArrowRight" && atEnd) step = [0, 1, false];
    else if (event.key === "ArrowLeft" && atStart) step = [0, -1, false];
    else if (event.key === "Escape") {
      event.preventDefault();
      stopEdit();
      focusCell(td);
      return;
    }
    if (step) {
      event.preventDefault();
      commit();
      move(td, step[0], step[1], step[2]);
    }
  });

  editor.addEventListener("blur", () => {
    if (editing) commit();
  });

  // --- keyboard on the grid ------------------------------------------------------------------------------

  table.addEventListener("keydown", (event) => {
    if (event.target === editor) return;
    const td = event.target.closest("td");
    if (!td || !rows.includes(rowOf(td)) || colIndex(td) < 0) return;
    const ctrl = event.ctrlKey || event.metaKey;
    if (ctrl && (event.key === "z" || event.key === "я" || event.code === "KeyZ")) {
      event.preventDefault();
      undo();
      return;
    }
    if (event.altKey && event.key === "Enter") {
      event.preventDefault();
      openCellPanel(td);
      return;
    }
    switch (event.key) {
      case "ArrowDown":
      case "Enter":
        event.preventDefault();
        move(td, 1, 0);
        return;
      case "ArrowUp":
        event.preventDefault();
        move(td, -1, 0);
        return;
      case "ArrowRight":
        event.preventDefault();
        move(td, 0, 1);
        return;
      case "ArrowLeft":
        event.preventDefault();
        move(td, 0, -1);
        return;
      case "Tab": {
        const last = rowOf(td) === rows[rows.length - 1] && colIndex(td) === columns.length - 1;
        const first = rowOf(td) === rows[0] && colIndex(td) === 0;
        if ((event.shiftKey && first) || (!event.shiftKey && last)) return; // leave the grid
        event.preventDefault();
        move(td, 0, event.shiftKey ? -1 : 1, true);
        return;
      }
      case "Home":
        event.preventDefault();
        focusCell(rowOf(td).cells[columns[0]]);
        return;
      case "End":
        event.preventDefault();
        focusCell(rowOf(td).cells[columns[columns.length - 1]]);
        return;
      case "F2":
        event.preventDefault();
        startEdit(td, savedText(td).trim());
        return;
      case "Delete":
      case "Backspace":
        event.preventDefault();
        if (!savedText(td).trim() && !td.classList.contains("queued")) return;
        {
          const refusal = editRefusal(td, "");
          if (refusal) {
            setStatus(refusal, "err");
            return;
          }
        }
        if (askReason()) change(td, "");
        return;
      default:
        break;
    }
    if (event.key.length === 1 && !ctrl && !event.altKey && event.key !== " ") {
      event.preventDefault();
      startEdit(td, toCyrillic(event.key));
    }
  });

  table.addEventListener("click", (event) => {
    const button = event.target.closest("th[data-l] button");
    if (button) {
      openLessonPanel(button.parentElement);
      return;
    }
    const td = event.target.closest("td");
    if (!td || td === editing || !rows.includes(rowOf(td)) || colIndex(td) < 0) return;
    // A second tap on the chosen cell opens the editor: phones have no keys to start typing with.
    if (td === current && document.activeElement === td && !editRefusal(td)) startEdit(td, savedText(td).trim());
    else focusCell(td);
  });

  table.addEventListener("dblclick", (event) => {
    const td = event.target.closest("td");
    if (td && rows.includes(rowOf(td)) && colIndex(td) >= 0 && td !== editing) openCellPanel(td);
  });

  // --- changes, undo and the queue ------------------------------------------------------------------------

  const undoStack = [];
  function change(td, text, undoable = true) {
    const refusal = editRefusal(td, text);
    if (refusal) {
      setStatus(refusal, "err");
      return;
    }
    const before = td.classList.contains("queued") ? td.textContent : savedText(td);
    if (undoable && before.trim() !== text) {
      undoStack.push({ key: keyOf(td), text: before.trim() });
      undoButton.disabled = false;
    }
    if (td.dataset.saved === undefined) td.dataset.saved = td.textContent;
    td.textContent = text;
    td.classList.remove("err", "conflict");
    td.classList.add("saving");
    put({ key: keyOf(td), text });
  }

  function undo() {
    const last = undoStack.pop();
    undoButton.disabled = undoStack.length === 0;
    if (!last) {
      setStatus("Отменять нечего.");
      return;
    }
    const td = cellByKey(last.key);
    if (!td) return;
    focusCell(td);
    change(td, last.text, false);
    setStatus(`Возвращено: «${last.text || "пусто"}».`);
  }
  undoButton.addEventListener("click", undo);

  function request(entry) {
    const [kind, lesson, student] = entry.key.split(":");
    const headers = { "Content-Type": "application/json", "X-CSRFToken": cfg.csrf, Accept: "application/json" };
    if (kind === "p") {
      return fetch(url(cfg.urls.periodMark, "", student), {
        method: "POST",
        headers,
        credentials: "same-origin",
        body: JSON.stringify({
          value: entry.text,
          kind: "period",
          period: Number(lesson),
          version: entry.version,
          reason: entry.reason || "",
        }),
      });
    }
    return fetch(url(cfg.urls.cell, lesson, student), {
      method: "POST",
      headers,
      credentials: "same-origin",
      body: JSON.stringify({ text: entry.text, version: entry.version, reason: entry.reason || "" }),
    });
  }

  function waitingText(count) {
    return `Нет связи: ${count} запис(ей) ждут отправки и уйдут сами, даже если закрыть эту вкладку.`;
  }

  // Waiting entries of this page's cells (typed here or in another tab) are shown as being sent or waiting.
  // An entry gone from the queue was sent by some tab: its cell stops waiting even when the answer reached
  // this tab before the storage event did (the two travel separately).
  const shownWaiting = new Set();
  function showQueue(stored, sending) {
    for (const key of shownWaiting) {
      if (stored[key]) continue;
      shownWaiting.delete(key);
      const td = cellByKey(key);
      if (td && td !== editing) td.classList.remove("saving", "queued");
    }
    for (const key of Object.keys(stored)) {
      shownWaiting.add(key);
      const td = cellByKey(key);
      if (!td || td === editing) continue;
      if (td.dataset.saved === undefined) td.dataset.saved = td.textContent;
      td.textContent = stored[key].text;
      td.classList.remove("saving", "queued", "err", "conflict");
      td.classList.add(sending ? "saving" : "queued");
    }
  }

  function showWaiting(why, count) {
    if (why === 401) setStatus("Сеанс завершён: войдите снова в другой вкладке — записи ждут и уйдут сами.", "warn");
    else if (why === "offline") setStatus(waitingText(count), "warn");
    else setStatus("Сервер не ответил: записи ждут и уйдут сами.", "warn");
  }

  // The server's answer for a cell. An edit typed in another tab changes a cell here only while the cell shows
  // it waiting: a late answer must not hide this tab's own conflict or error.
  function showResult(message) {
    let td = cellByKey(message.key);
    if (td && !message.own && !td.classList.contains("saving") && !td.classList.contains("queued")) td = null;
    const pending = queue.read()[message.key];
    const pendingText = pending ? pending.text : null;
    const data = message.data || {};
    if (message.ok) {
      const state = data.cell || data.mark;
      if (td && state) {
        applyState(td, state, pendingText, message.own);
        if (data.row) applyRow(rowOf(td), data.row);
        if (data.mark) applyRow(rowOf(td), { ...data.mark, marks_count: undefined });
        if (!pending) flash(td);
      }
      const warnings = (data.mark && data.mark.warnings) || [];
      if (warnings.length) setStatus(warnings.join(" "), "warn");
      else setStatus(queue.count() ? "Сохраняю…" : "Сохранено.", "ok");
      return;
    }
    // Refused: the edit cannot succeed as it is; the cell shows what the server holds.
    if (td && td !== editing) {
      if (data.current) applyState(td, data.current, pendingText, message.own);
      else if (!pending) td.textContent = savedText(td);
      td.classList.remove("saving", "queued");
      td.classList.add(message.status === 409 ? "conflict" : "err");
      td.title = data.error || "Не сохранено.";
    }
    setStatus(data.error || `Не сохранено (${message.status}).`, "err");
  }

  const queue = jrOfflineQueue(QUEUE_KEY, {
    request,
    stateOf: (data) => data.cell || data.mark,
    show: showQueue,
    result: showResult,
    waiting: showWaiting,
    storageFailed: () =>
      setStatus("Браузер не даёт сохранить очередь записей: не закрывайте вкладку, пока всё не сохранится.", "err"),
  });

  function put(partial) {
    const td = cellByKey(partial.key);
    // The version is the one the edit was based on: the server's last answer for this cell.
    queue.add(partial.key, { text: partial.text, reason }, versionOf(td));
  }

  function pendingCount() {
    return queue.count();
  }

  // own: the answer to an edit typed in this tab. Another tab's answer is shown but its version is not taken:
  // an edit typed here afterwards was based on what this tab had, and the server must judge it against that.
  function applyState(td, state, pendingText, own = true) {
    const text = state.text !== undefined ? state.text : state.value;
    if (own) td.dataset.v = state.version;
    td.dataset.saved = text;
    // An answer that reaches a cell being typed into (another tab's edit) must not take the editor away.
    if (td === editing) return;
    td.textContent = pendingText !== null ? pendingText : text;
    td.classList.toggle("a", ABSENCES.includes(state.attendance || ""));
    td.classList.toggle("late", Boolean(state.late));
    if (isPeriodCell(td)) td.classList.toggle("dev", Boolean(state.deviation));
    td.classList.remove("saving", "queued", "err", "conflict");
    if (pendingText !== null) td.classList.add("saving");
    td.removeAttribute("title");
  }

  function applyRow(row, figures) {
    const [avg, count, suggestion] = [row.cells[nLessons + 1], row.cells[nLessons + 2], row.cells[nLessons + 3]];
    if (figures.marks_count !== undefined) {
      avg.textContent = decimalRu(figures.average);
      count.textContent = `${figures.marks_count}/${figures.norm}`;
      count.classList.toggle("low", figures.marks_count < figures.norm);
    }
    suggestion.textContent = figures.suggested || "";
    row.cells[PM_INDEX].classList.toggle("dev", Boolean(figures.deviation));
  }

  function flash(td) {
    td.classList.add("saved");
    window.setTimeout(() => td.classList.remove("saved"), 900);
  }

  window.addEventListener("online", () => {
    setStatus("Связь есть: отправляю записи…");
    queue.pump();
  });
  window.addEventListener("offline", () =>
    setStatus("Нет связи: записи сохранятся в браузере и уйдут, когда связь вернётся.", "warn"),
  );
  window.addEventListener("beforeunload", (event) => {
    if (pendingCount() && !navigator.onLine) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Edits left from a previous visit or by another tab (closed or open) are shown and sent again.
  queue.pump();

  // --- panels --------------------------------------------------------------------------------------------

  const lessonPanel = document.getElementById("jr-lesson");
  const cellPanel = document.getElementById("jr-cell");
  for (const panel of [lessonPanel, cellPanel]) {
    panel.querySelector("[data-close]").addEventListener("click", () => closePanel(panel));
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") closePanel(panel);
    });
  }
  let returnFocus = null;
  function openPanel(panel) {
    returnFocus = document.activeElement;
    for (const other of [lessonPanel, cellPanel]) other.hidden = other !== panel;
    panel.hidden = false;
  }
  function closePanel(panel) {
    panel.hidden = true;
    if (returnFocus && returnFocus.focus) returnFocus.focus();
  }

  function formatAt(iso) {
    const d = new Date(iso);
    return d.toLocaleString("ru-RU", { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" });
  }

  function fillHistory(list, entries) {
    list.replaceChildren();
    if (!entries.length) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = "Изменений не было.";
      list.appendChild(li);
      return;
    }
    for (const e of entries) {
      const li = document.createElement("li");
      const head = document.createElement("div");
      head.className = "muted";
      head.textContent = `${formatAt(e.at)} · ${e.actor} · ${e.what}`;
      const body = document.createElement("div");
      body.textContent = `«${e.old || "пусто"}» → «${e.new || "пусто"}»`;
      li.append(head, body);
      if (e.reason) {
        const why = document.createElement("div");
        why.textContent = `Причина: ${e.reason}`;
        li.appendChild(why);
      }
      list.appendChild(li);
    }
  }

  async function getJson(address) {
    const response = await fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || `Ошибка ${response.status}`);
    return data;
  }

  async function postJson(address, body) {
    const response = await fetch(address, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": cfg.csrf, Accept: "application/json" },
      body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(data.error || `Ошибка ${response.status}`);
      error.data = data;
      throw error;
    }
    return data;
  }

  // The lesson: topic with the КТП suggestion, homework, kind of work.
  const lessonForm = document.getElementById("jr-lesson-form");
  const takeTopic = document.getElementById("jr-take-topic");
  let openLesson = null;
  let openLessonKind = null;

  async function openLessonPanel(th) {
    openLesson = th;
    openPanel(lessonPanel);
    const statusLine = lessonForm.querySelector("[data-status]");
    statusLine.textContent = "Загружаю…";
    try {
      const data = await getJson(url(cfg.urls.lesson, th.dataset.l, ""));
      document.getElementById("jr-lesson-title").textContent = data.title;
      lessonForm.elements.kind.value = data.kind || "";
      openLessonKind = String(data.kind || "");
      lessonForm.elements.topic.value = data.topic;
      lessonForm.elements.planned_topic.value = data.planned_topic || "";
      lessonForm.elements.homework.value = data.homework.text;
      lessonForm.elements.due_date.value = data.homework.due_date || "";
      const suggest = lessonPanel.querySelector(".jr-suggest");
      suggest.hidden = !data.suggestion || data.planned_topic === (data.suggestion && data.suggestion.id);
      if (data.suggestion) {
        takeTopic.textContent = data.suggestion.title;
        takeTopic.dataset.id = data.suggestion.id;
      }
      const editable = data.editable && (!cfg.locked || cfg.mode === "correct");
      for (const field of lessonForm.elements) field.disabled = !editable;
      fillHistory(lessonPanel.querySelector("[data-history]"), data.history);
      // Homework files are drawn by journal-files.js, which listens for this.
      lessonPanel.dispatchEvent(
        new CustomEvent("jr:lesson-loaded", {
          detail: {
            lesson: th.dataset.l,
            data,
            editable,
            reason: () => (askReason() ? reason : null),
            showHistory: (entries) => fillHistory(lessonPanel.querySelector("[data-history]"), entries),
          },
        }),
      );
      statusLine.textContent = editable ? "" : "Только чтение.";
      if (editable) lessonForm.elements.topic.focus();
    } catch (error) {
      statusLine.textContent = error.message;
    }
  }

  takeTopic.addEventListener("click", () => {
    lessonForm.elements.topic.value = takeTopic.textContent;
    lessonForm.elements.planned_topic.value = takeTopic.dataset.id;
    lessonPanel.querySelector(".jr-suggest").hidden = true;
  });

  lessonForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!openLesson || !askReason()) return;
    const statusLine = lessonForm.querySelector("[data-status]");
    const f = lessonForm.elements;
    const kindChanged = f.kind.value !== openLessonKind;
    statusLine.textContent = "Сохраняю…";
    try {
      const data = await postJson(url(cfg.urls.lesson, openLesson.dataset.l, ""), {
        kind: f.kind.value || null,
        topic: f.topic.value,
        planned_topic: f.planned_topic.value || null,
        homework: f.homework.value,
        due_date: f.due_date.value || null,
        reason,
      });
      statusLine.textContent = "Сохранено.";
      openLesson.classList.toggle("nt", !data.topic);
      openLesson.dataset.k = data.kind || "";
      f.due_date.value = data.homework.due_date || "";
      fillHistory(lessonPanel.querySelector("[data-history]"), data.history);
      // Marks of the lesson moved to the new kind: their versions changed, the grid is read again.
      if (kindChanged && !pendingCount()) window.location.reload();
    } catch (error) {
      statusLine.textContent = error.message;
    }
  });

  // The cell: each mark with its kind and comment, attendance, history.
  const cellForm = document.getElementById("jr-cell-form");
  const marksBox = cellForm.querySelector("[data-marks]");
  let openCell = null;
  let openCellVersion = null;

  function markRow(mark) {
    const line = document.createElement("div");
    line.className = "row jr-mark";
    const value = document.createElement("input");
    value.name = "value";
    value.size = 4;
    value.value = mark.value || "";
    value.setAttribute("aria-label", "Отметка");
    const kind = document.createElement("select");
    kind.name = "kind";
    kind.setAttribute("aria-label", "Вид работы");
    for (const k of cfg.kinds) {
      const option = document.createElement("option");
      option.value = k.id;
      option.textContent = `${k.name} (вес ${Number(k.weight).toString().replace(".", ",")})`;
      kind.appendChild(option);
    }
    const lessonKind = openCell ? heads[openCell.cellIndex - 1].dataset.k : "";
    const fallback = (cfg.kinds.find((k) => k.default) || cfg.kinds[0] || {}).id;
    kind.value = mark.kind || lessonKind || fallback || "";
    const comment = document.createElement("input");
    comment.name = "comment";
    comment.placeholder = "комментарий";
    comment.maxLength = 300;
    comment.value = mark.comment || "";
    comment.setAttribute("aria-label", "Комментарий");
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "Убрать";
    remove.addEventListener("click", () => line.remove());
    line.append(value, kind, remove, comment);
    return line;
  }

  cellForm.querySelector("[data-add-mark]").addEventListener("click", () => marksBox.appendChild(markRow({})));

  async function openCellPanel(td) {
    openCell = td;
    openPanel(cellPanel);
    const student = rowOf(td).dataset.s;
    const name = rowOf(td).cells[0].textContent.replace(/^\d+\.\s*/, "");
    const statusLine = cellForm.querySelector("[data-status]");
    const info = cellPanel.querySelector("[data-pm-info]");
    statusLine.textContent = "Загружаю…";
    try {
      if (isPeriodCell(td)) {
        cellForm.hidden = true;
        const query = `?kind=period&period=${cfg.period}`;
        const data = await getJson(url(cfg.urls.periodMarkHistory, "", student) + query);
        document.getElementById("jr-cell-title").textContent = `${name}: отметка за период`;
        const m = data.mark;
        info.hidden = false;
        info.textContent =
          `Отметка: ${m.value || "нет"} · средний балл: ${decimalRu(m.average) || "нет"} · ` +
          `расчётная: ${m.suggested || "нет"} · отметок: ${m.marks_count} при норме ${m.norm}` +
          (m.deviation ? " · отличается от расчётной" : "");
        fillHistory(cellPanel.querySelector("[data-history]"), data.history);
        statusLine.textContent = "";
        return;
      }
      cellForm.hidden = false;
      info.hidden = true;
      const data = await getJson(url(cfg.urls.cellHistory, lessonOf(td), student));
      document.getElementById("jr-cell-title").textContent = `${data.student}, ${data.lesson}`;
      openCellVersion = data.cell.version;
      marksBox.replaceChildren(...data.cell.marks.map(markRow));
      cellForm.elements.attendance.value = data.cell.attendance;
      const refusal = editRefusal(td);
      for (const field of cellForm.elements) field.disabled = Boolean(refusal);
      fillHistory(cellPanel.querySelector("[data-history]"), data.history);
      statusLine.textContent = refusal;
    } catch (error) {
      statusLine.textContent = error.message;
    }
  }

  detailsButton.addEventListener("click", () => {
    if (current) openCellPanel(current);
    else setStatus("Сначала выберите клетку.");
  });

  cellForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!openCell || !askReason()) return;
    const statusLine = cellForm.querySelector("[data-status]");
    const marks = [...marksBox.querySelectorAll(".jr-mark")]
      .map((line) => ({
        value: toCyrillic(line.querySelector("[name=value]").value.trim()),
        kind: Number(line.querySelector("[name=kind]").value) || null,
        comment: line.querySelector("[name=comment]").value,
      }))
      .filter((m) => m.value);
    statusLine.textContent = "Сохраняю…";
    try {
      const data = await postJson(url(cfg.urls.cell, lessonOf(openCell), rowOf(openCell).dataset.s), {
        marks,
        attendance: cellForm.elements.attendance.value,
        version: openCellVersion,
        reason,
      });
      applyState(openCell, data.cell, null);
      if (data.row) applyRow(rowOf(openCell), data.row);
      openCellVersion = data.cell.version;
      statusLine.textContent = "Сохранено.";
      const history = await getJson(url(cfg.urls.cellHistory, lessonOf(openCell), rowOf(openCell).dataset.s));
      fillHistory(cellPanel.querySelector("[data-history]"), history.history);
    } catch (error) {
      statusLine.textContent = error.message;
      if (error.data && error.data.current) {
        applyState(openCell, error.data.current, null);
        openCellVersion = error.data.current.version;
      }
    }
  });

  if (wrap && !rows.length) setStatus("В этом периоде учеников нет.");
})();

// The year page: year, exam and final marks typed into their cells and saved one by one (queued offline).
(() => {
  "use strict";

  const configEl = document.getElementById("jr-summary-config");
  const table = document.getElementById("jr-summary");
  if (!configEl || !table) return;
  const cfg = JSON.parse(configEl.textContent);
  const statusEl = document.getElementById("jr-status");
  const cells = [...table.querySelectorAll("td[data-kind]")];
  const LATIN = "qwertyuiop[]asdfghjkl;'zxcvbnm`";
  const CYRILLIC = "йцукенгшщзхъфывапролджэячсмитьё";
  const toCyrillic = (text) => [...text.toLowerCase()].map((ch) => (LATIN.includes(ch) ? CYRILLIC[LATIN.indexOf(ch)] : ch)).join("");

  function setStatus(text, kind = "") {
    statusEl.textContent = text;
    statusEl.className = `jr-status ${kind}`;
  }

  function neighbour(td, dRow, dCol) {
    const row = td.parentElement;
    const inRow = [...row.querySelectorAll("td[data-kind]")];
    const rows = [...table.tBodies[0].rows];
    const col = inRow.indexOf(td) + dCol;
    const target = rows[rows.indexOf(row) + dRow];
    if (!target) return td;
    const targetCells = [...target.querySelectorAll("td[data-kind]")];
    return targetCells[Math.max(0, Math.min(targetCells.length - 1, col))] || td;
  }

  const editor = document.createElement("input");
  editor.className = "jr-editor";
  editor.setAttribute("aria-label", "Отметка");
  let editing = null;

  // Year marks wait offline like the grid's cells (in their own shared queue, one per journal): a mark the
  // server has not taken is never shown as if it were saved.
  function keyOf(td) {
    return `y:${td.dataset.kind}:${td.parentElement.dataset.s}`;
  }
  function cellByKey(key) {
    const [, kind, student] = key.split(":");
    const row = [...table.tBodies[0].rows].find((r) => r.dataset.s === student);
    return row ? [...row.querySelectorAll("td[data-kind]")].find((td) => td.dataset.kind === kind) || null : null;
  }

  function request(entry) {
    const [, kind, student] = entry.key.split(":");
    return fetch(cfg.periodMark.replace("{s}", student), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": cfg.csrf, Accept: "application/json" },
      body: JSON.stringify({ value: entry.text, kind, version: entry.version }),
    });
  }

  const shownWaiting = new Set();
  function showQueue(stored, sending) {
    for (const key of shownWaiting) {
      if (stored[key]) continue;
      shownWaiting.delete(key);
      const td = cellByKey(key);
      if (td && td !== editing) {
        td.classList.remove("saving", "queued");
        td.removeAttribute("title");
      }
    }
    for (const key of Object.keys(stored)) {
      shownWaiting.add(key);
      const td = cellByKey(key);
      if (!td || td === editing) continue;
      td.textContent = stored[key].text;
      td.classList.remove("saving", "queued", "err", "conflict");
      td.classList.add(sending ? "saving" : "queued");
      td.title = sending ? "Сохраняется." : "Не сохранено: ждёт связи.";
    }
  }

  function showResult(message) {
    let td = cellByKey(message.key);
    if (td && !message.own && !td.classList.contains("saving") && !td.classList.contains("queued")) td = null;
    const pending = queue.read()[message.key];
    const data = message.data || {};
    const state = message.ok ? data.mark : data.current;
    // Another tab's answer is shown, its version not taken (as in the grid).
    if (td && state && message.own) td.dataset.v = state.version;
    if (td && td !== editing) {
      if (state) {
        td.textContent = pending ? pending.text : state.value;
        td.classList.toggle("dev", Boolean(state.deviation));
      }
      td.classList.remove("saving", "queued", "err", "conflict");
      td.removeAttribute("title");
      if (pending) td.classList.add("saving");
      else if (!message.ok) {
        td.classList.add(message.status === 409 ? "conflict" : "err");
        td.title = data.error || "Не сохранено.";
      }
    }
    if (!message.ok) setStatus(data.error || `Не сохранено (${message.status}).`, "err");
    else if (state && state.warnings && state.warnings.length) setStatus(state.warnings.join(" "), "warn");
    else setStatus(queue.count() ? "Сохраняю…" : "Сохранено.", "ok");
  }

  function showWaiting(why, count) {
    if (why === 401) setStatus("Сеанс завершён: войдите снова в другой вкладке — отметки ждут и уйдут сами.", "warn");
    else if (why === "offline")
      setStatus(`Нет связи: ${count} отметк(и) не сохранены, ждут отправки и уйдут сами, когда связь вернётся.`, "warn");
    else setStatus("Сервер не ответил: отметки ждут и уйдут сами.", "warn");
  }

  const queue = jrOfflineQueue(`jr-year-queue:${cfg.assignment}`, {
    request,
    stateOf: (data) => data.mark,
    show: showQueue,
    result: showResult,
    waiting: showWaiting,
    storageFailed: () =>
      setStatus("Браузер не даёт сохранить очередь отметок: не закрывайте вкладку, пока всё не сохранится.", "err"),
  });

  function save(td, value) {
    td.textContent = value;
    td.classList.remove("err", "conflict", "queued");
    td.classList.add("saving");
    setStatus("Сохраняю…");
    queue.add(keyOf(td), { text: value }, td.dataset.v);
  }

  window.addEventListener("online", () => {
    setStatus("Связь есть: отправляю отметки…");
    queue.pump();
  });
  window.addEventListener("offline", () =>
    setStatus("Нет связи: отметки сохранятся в браузере и уйдут, когда связь вернётся.", "warn"),
  );

  function commit() {
    const td = editing;
    editing = null;
    if (!td) return;
    td.classList.remove("editing");
    if (editor.parentElement === td) td.removeChild(editor);
    const value = editor.value.trim();
    // While the editor is open the cell's own text is gone: compare with what it showed before.
    const shown = (td.dataset.shown || "").trim();
    if (value !== shown) save(td, value);
    else td.textContent = td.dataset.shown || "";
    td.focus();
  }

  function startEdit(td, initial) {
    if (!cfg.editable) {
      setStatus("Только чтение.", "err");
      return;
    }
    editing = td;
    td.classList.add("editing");
    editor.value = initial;
    td.textContent = "";
    td.appendChild(editor);
    editor.focus();
  }

  editor.addEventListener("input", () => {
    const mapped = toCyrillic(editor.value);
    if (mapped !== editor.value) editor.value = mapped;
  });
  editor.addEventListener("keydown", (event) => {
    const td = editing;
    if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      commit();
      neighbour(td, event.key === "Enter" ? 1 : 0, event.key === "Tab" ? (event.shiftKey ? -1 : 1) : 0).focus();
    } else if (event.key === "Escape") {
      editing = null;
      td.classList.remove("editing");
      td.removeChild(editor);
      td.textContent = td.dataset.shown || "";
      td.focus();
    }
  });
  editor.addEventListener("blur", () => {
    if (editing) commit();
  });

  table.addEventListener("keydown", (event) => {
    const td = event.target.closest("td[data-kind]");
    if (!td || event.target === editor) return;
    const moves = { ArrowDown: [1, 0], ArrowUp: [-1, 0], ArrowRight: [0, 1], ArrowLeft: [0, -1], Enter: [1, 0] };
    if (moves[event.key]) {
      event.preventDefault();
      neighbour(td, ...moves[event.key]).focus();
    } else if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      if (cfg.editable && td.textContent.trim()) save(td, "");
    } else if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      td.dataset.shown = td.textContent;
      startEdit(td, toCyrillic(event.key));
    }
  });
  table.addEventListener("click", (event) => {
    const td = event.target.closest("td[data-kind]");
    if (td && td !== editing) td.focus();
  });
  if (cells.length) cells[0].tabIndex = 0;
  // Marks left from a previous visit or by another tab are shown and sent again.
  queue.pump();
})();
