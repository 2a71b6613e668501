// The grid's side panels: the lesson (topic with the КТП suggestion, homework, kind of work, history; its
// files are journal-files.js's) and the cell (each mark with its kind and comment, attendance, history; for
// the period mark its figures and history).
import { decimalRu, fillHistory, getJson, postJson, toCyrillic, url } from "./util.js";

export function setupPanels(g, saving) {
  const { cfg, state, setStatus } = g;
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

  // --- the lesson --------------------------------------------------------------------------------------------

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
            reason: () => (g.askReason() ? state.reason : null),
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
    if (!openLesson || !g.askReason()) return;
    const statusLine = lessonForm.querySelector("[data-status]");
    const f = lessonForm.elements;
    const kindChanged = f.kind.value !== openLessonKind;
    statusLine.textContent = "Сохраняю…";
    try {
      const data = await postJson(
        url(cfg.urls.lesson, openLesson.dataset.l, ""),
        {
          kind: f.kind.value || null,
          topic: f.topic.value,
          planned_topic: f.planned_topic.value || null,
          homework: f.homework.value,
          due_date: f.due_date.value || null,
          reason: state.reason,
        },
        cfg.csrf,
      );
      statusLine.textContent = "Сохранено.";
      openLesson.classList.toggle("nt", !data.topic);
      openLesson.dataset.k = data.kind || "";
      f.due_date.value = data.homework.due_date || "";
      fillHistory(lessonPanel.querySelector("[data-history]"), data.history);
      // Marks of the lesson moved to the new kind: their versions changed, the grid is read again.
      if (kindChanged && !saving.pendingCount()) window.location.reload();
    } catch (error) {
      statusLine.textContent = error.message;
    }
  });

  // --- the cell ----------------------------------------------------------------------------------------------

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
    const lessonKind = openCell ? g.heads[openCell.cellIndex - 1].dataset.k : "";
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
    const student = g.rowOf(td).dataset.s;
    const name = g.rowOf(td).cells[0].textContent.replace(/^\d+\.\s*/, "");
    const statusLine = cellForm.querySelector("[data-status]");
    const info = cellPanel.querySelector("[data-pm-info]");
    statusLine.textContent = "Загружаю…";
    try {
      if (g.isPeriodCell(td)) {
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
      const data = await getJson(url(cfg.urls.cellHistory, g.lessonOf(td), student));
      document.getElementById("jr-cell-title").textContent = `${data.student}, ${data.lesson}`;
      openCellVersion = data.cell.version;
      marksBox.replaceChildren(...data.cell.marks.map(markRow));
      cellForm.elements.attendance.value = data.cell.attendance;
      const refusal = g.editRefusal(td);
      for (const field of cellForm.elements) field.disabled = Boolean(refusal);
      fillHistory(cellPanel.querySelector("[data-history]"), data.history);
      statusLine.textContent = refusal;
    } catch (error) {
      statusLine.textContent = error.message;
    }
  }

  document.getElementById("jr-details").addEventListener("click", () => {
    if (state.current) openCellPanel(state.current);
    else setStatus("Сначала выберите клетку.");
  });

  cellForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!openCell || !g.askReason()) return;
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
      const data = await postJson(
        url(cfg.urls.cell, g.lessonOf(openCell), g.rowOf(openCell).dataset.s),
        { marks, attendance: cellForm.elements.attendance.value, version: openCellVersion, reason: state.reason },
        cfg.csrf,
      );
      saving.applyState(openCell, data.cell, null);
      if (data.row) saving.applyRow(g.rowOf(openCell), data.row);
      openCellVersion = data.cell.version;
      statusLine.textContent = "Сохранено.";
      const history = await getJson(url(cfg.urls.cellHistory, g.lessonOf(openCell), g.rowOf(openCell).dataset.s));
      fillHistory(cellPanel.querySelector("[data-history]"), history.history);
    } catch (error) {
      statusLine.textContent = error.message;
      if (error.data && error.data.current) {
        saving.applyState(openCell, error.data.current, null);
        openCellVersion = error.data.current.version;
      }
    }
  });

  return { openLessonPanel, openCellPanel };
}
