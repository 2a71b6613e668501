// The grid's shape and who may type where: rows, navigable columns, the key of a cell in the queue, focus
// and movement. The other modules of the grid share the object made here (and its `state`).
import { statusLine } from "./util.js";

export const ABSENCES = ["н", "б", "у", "п"];

export function createGrid(cfg, table) {
  const heads = [...table.querySelectorAll("thead th[data-l]")];
  const nLessons = heads.length;
  const rows = [...table.tBodies[0].rows].filter((r) => r.dataset.s);
  // Navigable columns: the lesson cells (1..n of row.cells) and the period mark (after 3 figure cells).
  const PM_INDEX = nLessons + 4;
  const columns = [...Array(nLessons).keys()].map((i) => i + 1).concat([PM_INDEX]);
  // current: the focused cell; editing: the cell with the editor open; reason: the administrator's reason
  // for corrections, asked once per page.
  const state = { current: null, editing: null, reason: "" };
  const setStatus = statusLine(document.getElementById("jr-status"));

  function rowOf(td) {
    return td.parentElement;
  }
  function colIndex(td) {
    return columns.indexOf(td.cellIndex);
  }
  function isPeriodCell(td) {
    return td.cellIndex === PM_INDEX;
  }
  function isGridCell(td) {
    return Boolean(td) && rows.includes(rowOf(td)) && colIndex(td) >= 0;
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
    if (cfg.mode !== "correct" || state.reason) return true;
    const given = window.prompt("Причина исправления (останется в истории):", "");
    if (!given || !given.trim()) return false;
    state.reason = given.trim();
    return true;
  }

  // --- focus and movement --------------------------------------------------------------------------------

  function focusCell(td) {
    if (!td) return;
    if (state.current) state.current.tabIndex = -1;
    state.current = td;
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

  return {
    cfg,
    table,
    heads,
    nLessons,
    rows,
    columns,
    PM_INDEX,
    state,
    setStatus,
    rowOf,
    colIndex,
    isPeriodCell,
    isGridCell,
    lessonOf,
    keyOf,
    cellByKey,
    savedText,
    versionOf,
    editRefusal,
    askReason,
    focusCell,
    move,
  };
}
