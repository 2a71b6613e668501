// The «Справка» panel of a page: «?» or F1 opens and closes it. «?» typed into a field or a journal cell is
// text (the grid's own handler takes a typed character first and marks the event handled); F1 works everywhere.
document.addEventListener("keydown", (event) => {
  const panel = document.getElementById("help-panel");
  if (!panel || event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
  const target = event.target instanceof Element ? event.target : null;
  const typing = target && target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']");
  if (event.key !== "F1" && !(event.key === "?" && !typing)) return;
  event.preventDefault();
  panel.open = !panel.open;
  if (panel.open) {
    panel.scrollIntoView({ block: "nearest" });
    panel.querySelector("summary").focus();
  }
});
