// Homework files in the grid's lesson panel: the list (download links), upload and removal.
// journal.js loads the lesson and sends "jr:lesson-loaded" with it; the server checks every rule again
// (type by content, size, count, closed period, who may write), this page only spares a round trip.
(() => {
  "use strict";

  const configEl = document.getElementById("jr-config");
  const panel = document.getElementById("jr-lesson");
  const section = document.getElementById("jr-files");
  if (!configEl || !panel || !section) return;
  const cfg = JSON.parse(configEl.textContent);
  const list = section.querySelector("[data-files]");
  const form = document.getElementById("jr-files-form");
  const input = form.elements.file;
  const statusLine = form.querySelector("[data-status]");
  const hint = section.querySelector("[data-files-hint]");
  input.accept = cfg.files.accept;

  let current = null; // {lesson, editable, reason(), showHistory()}

  function setStatus(text) {
    statusLine.textContent = text;
  }

  function draw(files) {
    list.replaceChildren();
    if (!files.length) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = "Файлов нет.";
      list.appendChild(li);
    }
    for (const file of files) {
      const li = document.createElement("li");
      const link = document.createElement("a");
      link.href = file.url;
      link.textContent = file.name;
      link.setAttribute("download", "");
      const size = document.createElement("small");
      size.textContent = file.size_text;
      li.append(link, size);
      if (current && current.editable) {
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "link";
        remove.textContent = "Удалить";
        remove.setAttribute("aria-label", `Удалить файл ${file.name}`);
        remove.addEventListener("click", () => removeFile(file));
        li.appendChild(remove);
      }
      list.appendChild(li);
    }
    const full = files.length >= cfg.files.maxCount;
    input.disabled = !current || !current.editable || full;
    if (current && current.editable && full) setStatus(`Приложено ${files.length} из ${cfg.files.maxCount}: больше нельзя.`);
  }

  async function send(address, body) {
    const response = await fetch(address, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": cfg.csrf, Accept: "application/json" },
      body,
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.message || `Ошибка ${response.status}`);
    return data;
  }

  panel.addEventListener("jr:lesson-loaded", (event) => {
    current = event.detail;
    form.hidden = !current.editable;
    hint.hidden = !current.editable;
    setStatus("");
    input.value = "";
    draw(current.data.homework.files || []);
  });

  input.addEventListener("change", async () => {
    if (!current || !input.files.length) return;
    const files = [...input.files];
    const tooBig = files.find((f) => f.size > cfg.files.maxBytes);
    if (tooBig) {
      setStatus(`Файл «${tooBig.name}» больше ${Math.round(cfg.files.maxBytes / 1048576)} МБ: такие не прикладывают.`);
      input.value = "";
      return;
    }
    const reason = current.reason();
    if (reason === null) {
      input.value = "";
      return;
    }
    const body = new FormData();
    for (const file of files) body.append("file", file);
    body.append("reason", reason);
    setStatus("Загружаю…");
    input.disabled = true;
    try {
      const data = await send(cfg.urls.attachments.replace("{l}", current.lesson), body);
      draw(data.files);
      current.showHistory(data.history);
      setStatus(files.length > 1 ? "Файлы приложены." : "Файл приложен.");
    } catch (error) {
      setStatus(error.message);
      input.disabled = false;
    }
    input.value = "";
  });

  async function removeFile(file) {
    if (!window.confirm(`Удалить файл «${file.name}» из задания?`)) return;
    const reason = current.reason();
    if (reason === null) return;
    const body = new FormData();
    body.append("reason", reason);
    setStatus("Удаляю…");
    try {
      const data = await send(cfg.urls.attachmentDelete.replace("{a}", file.id), body);
      draw(data.files);
      current.showHistory(data.history);
      setStatus("Файл удалён.");
    } catch (error) {
      setStatus(error.message);
    }
  }
})();
