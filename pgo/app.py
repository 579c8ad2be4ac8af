"""The app factory: settings, extensions, blueprints (from the feature manifest, pgo.features), error pages."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from flask import Flask
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect

from pgo import config, db, features
from pgo.accounts import acting_views, oidc, session_views
from pgo.i18n import TRANSLATIONS_DIR
from pgo.web import (
    access,
    compression,
    database,
    errors,
    formatting,
    fragments,
    locale,
    navigation,
    preferences,
    security,
)
from pgo.web.ids import DatabaseIdConverter
from pgo.web.request import PgoRequest

PACKAGE = Path(__file__).resolve().parent

csrf = CSRFProtect()
babel = Babel()


def build_app(overrides: Mapping | None = None) -> Flask:
    settings = config.from_environment(dict(overrides or {}))
    app = Flask(
        "pgo",
        root_path=str(PACKAGE),
        template_folder=str(config.PROJECT_ROOT / "templates"),
        static_folder=str(PACKAGE / "static"),
        instance_path=str(Path(settings["PGO_INSTANCE_PATH"]).resolve()),
    )
    app.config.update(
        SESSION_COOKIE_NAME="pgo_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=50 * 1024 * 1024,
        MAX_FORM_PARTS=200,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the sign-in session
        BABEL_DEFAULT_LOCALE="nl",
        BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS_DIR),
        SEND_FILE_MAX_AGE_DEFAULT=3600,
    )
    app.config.update(settings)
    app.request_class = PgoRequest
    app.url_map.converters["int"] = DatabaseIdConverter  # before any route: ids beyond the database give 404 (#17)
    from pgo.accounts import audit

    audit.use_secret(app.config["SECRET_KEY"])  # the access log's chain key, never stored in the database (#23)

    database.init_app(app)
    if app.config["PGO_MIGRATE_ON_START"]:
        db.migrate(app.extensions["pgo_engine"])
    uploads = Path(app.instance_path) / "import-uploads"
    start = features.Start(recognise=app.config["PGO_MIGRATE_ON_START"], uploads=uploads)
    features.start(app.extensions["pgo_engine"], start)  # the catalogue changed (#15), imports cut short (#17)
    csrf.init_app(app)
    oidc.init_app(app)
    session_views.init_app(app)  # before locale: the person's own language choice wins
    babel.init_app(app, locale_selector=locale.select_locale)
    locale.init_app(app)  # after Babel: installs the templates' own gettext
    preferences.init_app(app)
    access.init_app(app)
    acting_views.init_app(app)  # after access: a helper acting for a patient (#21)
    security.init_app(app)
    errors.init_app(app)
    formatting.init_app(app)
    compression.init_app(app)
    fragments.init_app(app)

    nav: list[navigation.NavItem] = []
    for module in features.blueprints():
        app.register_blueprint(module.bp)
        nav.extend(getattr(module, "NAV", []))
    navigation.init_app(app, nav)
    return app
