// The year page: year, exam and final marks typed into their cells and saved one by one (queued offline,
// like the grid's cells, in the journal's own queue of year marks).
import { jrOfflineQueue } from "./queue.js";
import { statusLine, toCyrillic } from "./util.js";

export function startYearPage() {
  const configEl = document.getElementById("jr-summary-config");
  const table = document.getElementById("jr-summary");
  if (!configEl || !table) return;
  const cfg = JSON.parse(configEl.textContent);
  const statusEl = document.getElementById("jr-status");
  const cells = [...table.querySelectorAll("td[data-kind]")];
  const setStatus = statusLine(statusEl);

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
    const pending = message.pending;
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
        td.title = data.message || "Не сохранено.";
      }
    }
    if (!message.ok) setStatus(data.message || `Не сохранено (${message.status}).`, "err");
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
    const mapped = toCyrillic(editor.value, { commaIsB: false });
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
      startEdit(td, toCyrillic(event.key, { commaIsB: false }));
    }
  });
  table.addEventListener("click", (event) => {
    const td = event.target.closest("td[data-kind]");
    if (td && td !== editing) td.focus();
  });
  if (cells.length) cells[0].tabIndex = 0;
  // Marks left from a previous visit or by another tab are shown and sent again.
  queue.pump();
}
