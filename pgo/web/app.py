"""The app factory: settings, extensions, blueprints, error pages."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path

from flask import Flask
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect

from pgo import config, db
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
from pgo.wiring import connect_features

PACKAGE = Path(__file__).resolve().parent.parent

# Each feature is one blueprint module exposing `bp` and, optionally, `NAV` (menu entries). The order is the
# menu's: what people use every day first, then adding records, then consent and the access log.
FEATURES = [
    "pgo.web.views",
    "pgo.records.views",
    "pgo.records.bgz.views",  # the BgZ sections (#20)
    "pgo.measurements.views",
    "pgo.decisions.views",
    "pgo.questionnaires.views",
    "pgo.clinic.views",
    "pgo.records.import_views",
    "pgo.records.sending_views",
    "pgo.summary.views",
    "pgo.literacy.views",
    "pgo.accounts.views",
]

csrf = CSRFProtect()
babel = Babel()


def build_app(overrides: Mapping | None = None) -> Flask:
    connect_features()
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
        from pgo.literacy.recognition_store import recognise_if_changed

        recognise_if_changed(app.extensions["pgo_engine"])  # the catalogue changed (#15)
    from pgo.records.import_jobs import clean_up_stale_jobs
    from pgo.records.import_runner import remove_leftover_uploads

    clean_up_stale_jobs(app.extensions["pgo_engine"])  # what an import cut short left behind (#17)
    remove_leftover_uploads(app.extensions["pgo_engine"], Path(app.instance_path) / "import-uploads")
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
    for name in FEATURES:
        module = importlib.import_module(name)
        app.register_blueprint(module.bp)
        nav.extend(getattr(module, "NAV", []))
    navigation.init_app(app, nav)
    return app
