// Small helpers of the journal's pages: the keyboard layout, numbers, URLs, the status line, JSON requests
// and the history list of the panels.

// A teacher on the Latin layout who types «y» means «н»: the same key on ЙЦУКЕН.
const LATIN = "qwertyuiop[]asdfghjkl;'zxcvbnm`";
const CYRILLIC = "йцукенгшщзхъфывапролджэячсмитьё";

// In a cell a comma without digits is «б» (the same key); in «5,4» it stays a comma.
export function toCyrillic(text, { commaIsB = true } = {}) {
  const hasDigits = /\d/.test(text);
  let out = "";
  for (const ch of text.toLowerCase()) {
    const i = LATIN.indexOf(ch);
    if (i >= 0) out += CYRILLIC[i];
    else if (commaIsB && ch === "," && !hasDigits) out += "б";
    else out += ch;
  }
  return out;
}

export function decimalRu(value) {
  return value == null ? "" : Number(value).toFixed(2).replace(".", ",");
}

// The page's URL templates have {l} (lesson) and {s} (student) holes.
export function url(template, lesson, student) {
  return template.replace("{l}", lesson).replace("{s}", student);
}

export function statusLine(element) {
  return (text, kind = "") => {
    element.textContent = text;
    element.className = `jr-status ${kind}`;
  };
}

export async function getJson(address) {
  const response = await fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.message || `Ошибка ${response.status}`);
  return data;
}

export async function postJson(address, body, csrf) {
  const response = await fetch(address, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(data.message || `Ошибка ${response.status}`);
    error.data = data;
    throw error;
  }
  return data;
}

function formatAt(iso) {
  const d = new Date(iso);
  return d.toLocaleString("ru-RU", { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" });
}

export function fillHistory(list, entries) {
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
