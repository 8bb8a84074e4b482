// Small behaviours without inline scripts (the CSP forbids them): auto-submitting selects.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) {
    select.form.submit();
  }
});
