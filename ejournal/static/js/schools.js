// School structure pages: a year, grade or date chosen in a filter form shows at once.
// Without JavaScript the form's own «Показать» button does the same.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form && (event.target.matches("select") || event.target.matches("input[type=date]"))) {
    form.requestSubmit();
  }
});
