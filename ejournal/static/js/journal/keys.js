// The grid is keyboard-first: arrows, Enter and Tab move; a typed character opens the in-cell editor;
// F2 edits, Delete clears, Ctrl+Z undoes, Alt+Enter opens the cell panel. A second tap on a chosen cell
// opens the editor on phones.
import { toCyrillic } from "./util.js";

export function setupKeys(g, saving, panels) {
  const { table, rows, columns, state, setStatus } = g;

  // --- the in-cell editor --------------------------------------------------------------------------------

  const editor = document.createElement("input");
  editor.className = "jr-editor";
  editor.setAttribute("aria-label", "Запись в клетке");
  editor.autocomplete = "off";
  editor.spellcheck = false;

  function startEdit(td, initial) {
    const refusal = g.editRefusal(td);
    if (refusal) {
      setStatus(refusal, "err");
      return;
    }
    if (!g.askReason()) return;
    state.editing = td;
    td.classList.add("editing");
    editor.value = initial;
    td.appendChild(editor);
    editor.focus();
    editor.setSelectionRange(editor.value.length, editor.value.length);
  }

  function stopEdit() {
    const td = state.editing;
    state.editing = null;
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
    if (text !== g.savedText(td).trim() || td.classList.contains("queued")) saving.change(td, text);
    g.focusCell(td);
  }

  editor.addEventListener("input", () => {
    const mapped = toCyrillic(editor.value);
    if (mapped !== editor.value) editor.value = mapped;
  });

  editor.addEventListener("keydown", (event) => {
    const td = state.editing;
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
      g.focusCell(td);
      return;
    }
    if (step) {
      event.preventDefault();
      commit();
      g.move(td, step[0], step[1], step[2]);
    }
  });

  editor.addEventListener("blur", () => {
    if (state.editing) commit();
  });

  // --- keyboard on the grid ------------------------------------------------------------------------------

  table.addEventListener("keydown", (event) => {
    if (event.target === editor) return;
    const td = event.target.closest("td");
    if (!g.isGridCell(td)) return;
    const ctrl = event.ctrlKey || event.metaKey;
    if (ctrl && (event.key === "z" || event.key === "я" || event.code === "KeyZ")) {
      event.preventDefault();
      saving.undo();
      return;
    }
    if (event.altKey && event.key === "Enter") {
      event.preventDefault();
      panels.openCellPanel(td);
      return;
    }
    switch (event.key) {
      case "ArrowDown":
      case "Enter":
        event.preventDefault();
        g.move(td, 1, 0);
        return;
      case "ArrowUp":
        event.preventDefault();
        g.move(td, -1, 0);
        return;
      case "ArrowRight":
        event.preventDefault();
        g.move(td, 0, 1);
        return;
      case "ArrowLeft":
        event.preventDefault();
        g.move(td, 0, -1);
        return;
      case "Tab": {
        const last = g.rowOf(td) === rows[rows.length - 1] && g.colIndex(td) === columns.length - 1;
        const first = g.rowOf(td) === rows[0] && g.colIndex(td) === 0;
        if ((event.shiftKey && first) || (!event.shiftKey && last)) return; // leave the grid
        event.preventDefault();
        g.move(td, 0, event.shiftKey ? -1 : 1, true);
        return;
      }
      case "Home":
        event.preventDefault();
        g.focusCell(g.rowOf(td).cells[columns[0]]);
        return;
      case "End":
        event.preventDefault();
        g.focusCell(g.rowOf(td).cells[columns[columns.length - 1]]);
        return;
      case "F2":
        event.preventDefault();
        startEdit(td, g.savedText(td).trim());
        return;
      case "Delete":
      case "Backspace":
        event.preventDefault();
        if (!g.savedText(td).trim() && !td.classList.contains("queued")) return;
        {
          const refusal = g.editRefusal(td, "");
          if (refusal) {
            setStatus(refusal, "err");
            return;
          }
        }
        if (g.askReason()) saving.change(td, "");
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
      panels.openLessonPanel(button.parentElement);
      return;
    }
    const td = event.target.closest("td");
    if (!g.isGridCell(td) || td === state.editing) return;
    // A second tap on the chosen cell opens the editor: phones have no keys to start typing with.
    if (td === state.current && document.activeElement === td && !g.editRefusal(td)) {
      startEdit(td, g.savedText(td).trim());
    } else g.focusCell(td);
  });

  table.addEventListener("dblclick", (event) => {
    const td = event.target.closest("td");
    if (g.isGridCell(td) && td !== state.editing) panels.openCellPanel(td);
  });
}
