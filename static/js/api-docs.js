// The API's interactive documentation: Swagger UI (vendored in static/vendor/swagger-ui) started from the
// settings the server writes into the page, with no inline script (the Content Security Policy forbids it).
// Signed in, "Try it out" uses your session; changes send the page's CSRF token, as a form would.
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  var csrf = document.body.dataset.csrfToken;
  settings.dom_id = "#swagger-ui";
  settings.presets = [window.SwaggerUIBundle.presets.apis];
  if (csrf) {
    settings.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = csrf;
      return request;
    };
  }
  window.SwaggerUIBundle(settings);
})();
