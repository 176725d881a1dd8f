// Starts Swagger UI on /docs (served by the Worker, src/docs-page.ts) over this
// deployment's /openapi.json. A file, not an inline script, so the page's CSP needs no 'unsafe-inline' script.
window.addEventListener("load", () => {
  window.ui = window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
