"""Error pages in the reader's language: 400 (bad form token), 403, 404, 405, 413, 500."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return render_template("errors/400.html"), 400

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        code = error.code or 500
        if request.headers.get("HX-Request"):
            return render_template("errors/partial.html", code=code), code
        template = f"errors/{code}.html" if code in (403, 404, 405, 413) else "errors/generic.html"
        return render_template(template, code=code), code

    @app.errorhandler(500)
    def _server_error(error):
        return render_template("errors/500.html"), 500
