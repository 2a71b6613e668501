// Saving the grid's cells: every change goes at once into the journal's shared offline queue (queue.js),
// which sends it now or when the connection is back, from whichever tab of the journal is open; the
// server's answer (or a conflict with another tab or person) is drawn in the cell, never silently lost.
import { ABSENCES } from "./grid.js";
import { jrOfflineQueue } from "./queue.js";
import { decimalRu, url } from "./util.js";

export function setupSaving(g) {
  const { cfg, state, setStatus } = g;
  const undoButton = document.getElementById("jr-undo");

  // --- changes and undo ------------------------------------------------------------------------------------

  const undoStack = [];
  function change(td, text, undoable = true) {
    const refusal = g.editRefusal(td, text);
    if (refusal) {
      setStatus(refusal, "err");
      return;
    }
    const before = td.classList.contains("queued") ? td.textContent : g.savedText(td);
    if (undoable && before.trim() !== text) {
      undoStack.push({ key: g.keyOf(td), text: before.trim() });
      undoButton.disabled = false;
    }
    if (td.dataset.saved === undefined) td.dataset.saved = td.textContent;
    td.textContent = text;
    td.classList.remove("err", "conflict");
    td.classList.add("saving");
    put({ key: g.keyOf(td), text });
  }

  function undo() {
    const last = undoStack.pop();
    undoButton.disabled = undoStack.length === 0;
    if (!last) {
      setStatus("Отменять нечего.");
      return;
    }
    const td = g.cellByKey(last.key);
    if (!td) return;
    g.focusCell(td);
    change(td, last.text, false);
    setStatus(`Возвращено: «${last.text || "пусто"}».`);
  }
  undoButton.addEventListener("click", undo);

  // --- the queue -------------------------------------------------------------------------------------------

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
  // this tab before the news of the changed queue did (the two travel separately).
  const shownWaiting = new Set();
  function showQueue(stored, sending) {
    for (const key of shownWaiting) {
      if (stored[key]) continue;
      shownWaiting.delete(key);
      const td = g.cellByKey(key);
      if (td && td !== state.editing) td.classList.remove("saving", "queued");
    }
    for (const key of Object.keys(stored)) {
      shownWaiting.add(key);
      const td = g.cellByKey(key);
      if (!td || td === state.editing) continue;
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
    let td = g.cellByKey(message.key);
    if (td && !message.own && !td.classList.contains("saving") && !td.classList.contains("queued")) td = null;
    const pending = message.pending;
    const pendingText = pending ? pending.text : null;
    const data = message.data || {};
    if (message.ok) {
      const saved = data.cell || data.mark;
      if (td && saved) {
        applyState(td, saved, pendingText, message.own);
        if (data.row) applyRow(g.rowOf(td), data.row);
        if (data.mark) applyRow(g.rowOf(td), { ...data.mark, marks_count: undefined });
        if (!pending) flash(td);
      }
      const warnings = (data.mark && data.mark.warnings) || [];
      if (warnings.length) setStatus(warnings.join(" "), "warn");
      else setStatus(queue.count() ? "Сохраняю…" : "Сохранено.", "ok");
      return;
    }
    // Refused: the edit cannot succeed as it is; the cell shows what the server holds.
    if (td && td !== state.editing) {
      if (data.current) applyState(td, data.current, pendingText, message.own);
      else if (!pending) td.textContent = g.savedText(td);
      td.classList.remove("saving", "queued");
      td.classList.add(message.status === 409 ? "conflict" : "err");
      td.title = data.message || "Не сохранено.";
    }
    setStatus(data.message || `Не сохранено (${message.status}).`, "err");
  }

  const queue = jrOfflineQueue(`jr-queue:${cfg.assignment}`, {
    request,
    stateOf: (data) => data.cell || data.mark,
    show: showQueue,
    result: showResult,
    waiting: showWaiting,
    storageFailed: () =>
      setStatus("Браузер не даёт сохранить очередь записей: не закрывайте вкладку, пока всё не сохранится.", "err"),
  });

  function put(partial) {
    const td = g.cellByKey(partial.key);
    // The version is the one the edit was based on: the server's last answer for this cell.
    queue.add(partial.key, { text: partial.text, reason: state.reason }, g.versionOf(td));
  }

  function pendingCount() {
    return queue.count();
  }

  // own: the answer to an edit typed in this tab. Another tab's answer is shown but its version is not taken:
  // an edit typed here afterwards was based on what this tab had, and the server must judge it against that.
  function applyState(td, saved, pendingText, own = true) {
    const text = saved.text !== undefined ? saved.text : saved.value;
    if (own) td.dataset.v = saved.version;
    td.dataset.saved = text;
    // An answer that reaches a cell being typed into (another tab's edit) must not take the editor away.
    if (td === state.editing) return;
    td.textContent = pendingText !== null ? pendingText : text;
    td.classList.toggle("a", ABSENCES.includes(saved.attendance || ""));
    td.classList.toggle("late", Boolean(saved.late));
    if (g.isPeriodCell(td)) td.classList.toggle("dev", Boolean(saved.deviation));
    td.classList.remove("saving", "queued", "err", "conflict");
    if (pendingText !== null) td.classList.add("saving");
    td.removeAttribute("title");
  }

  function applyRow(row, figures) {
    const n = g.nLessons;
    const [avg, count, suggestion] = [row.cells[n + 1], row.cells[n + 2], row.cells[n + 3]];
    if (figures.marks_count !== undefined) {
      avg.textContent = decimalRu(figures.average);
      count.textContent = `${figures.marks_count}/${figures.norm}`;
      count.classList.toggle("low", figures.marks_count < figures.norm);
    }
    suggestion.textContent = figures.suggested || "";
    row.cells[g.PM_INDEX].classList.toggle("dev", Boolean(figures.deviation));
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

  return { change, undo, applyState, applyRow, pendingCount };
}
