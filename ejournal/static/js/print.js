// «Печать» buttons of read-only pages (the journal as of a date, the retention register): the browser's print
// dialog, with the page's print stylesheet. No inline handlers (CSP).
document.addEventListener("click", (event) => {
  const button = event.target.closest(".js-print");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
