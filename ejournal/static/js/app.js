// Small behaviours shared by every page. No inline scripts: the CSP forbids them.
document.addEventListener("htmx:responseError", (event) => {
  const target = event.detail.target;
  if (target && event.detail.xhr.responseText && !event.detail.xhr.getResponseHeader("HX-Retarget")) {
    target.innerHTML = event.detail.xhr.responseText;
  }
});
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});
