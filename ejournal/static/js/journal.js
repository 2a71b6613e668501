// The journal's pages: the grid (keyboard-first entry; every cell saved at once; edits wait in the journal's
// shared offline queue while the connection is down; conflicts shown, never silently overwritten) and the
// year page. Configuration comes from <script type="application/json"> blocks: no inline scripts. An ES
// module (loaded with type="module", no build step); each concern is a module under journal/:
//   grid.js (shape, access hints, focus), keys.js (editor and keyboard), saving.js (changes, undo, the queue's
//   answers), queue.js (the offline queue shared by the grid and the year page), panels.js (lesson and cell
//   panels), year.js (the year page), util.js (small helpers).
import { createGrid } from "./journal/grid.js";
import { setupKeys } from "./journal/keys.js";
import { setupPanels } from "./journal/panels.js";
import { setupSaving } from "./journal/saving.js";
import { startYearPage } from "./journal/year.js";

function startGrid() {
  const configEl = document.getElementById("jr-config");
  const table = document.getElementById("jr-grid");
  if (!configEl || !table) return;
  const grid = createGrid(JSON.parse(configEl.textContent), table);
  const saving = setupSaving(grid);
  const panels = setupPanels(grid, saving);
  setupKeys(grid, saving, panels);
  if (document.getElementById("jr-wrap") && !grid.rows.length) grid.setStatus("В этом периоде учеников нет.");
}

startGrid();
startYearPage();
